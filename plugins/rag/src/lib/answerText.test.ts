import { splitCitationMarkers } from './answerText';

describe('splitCitationMarkers', () => {
  const cited = (n: number) => n >= 1 && n <= 3;

  it('turns the markers of known citations into parts, lists into one part each', () => {
    expect(
      splitCitationMarkers('Restart it [1]. Then check [2, 3] and [7].', cited),
    ).toEqual([
      { text: 'Restart it ' },
      { cite: 1 },
      { text: '. Then check ' },
      { cite: 2 },
      { cite: 3 },
      { text: ' and [7].' },
    ]);
  });

  it('keeps text without markers, and markers at both ends', () => {
    expect(splitCitationMarkers('No sources.', cited)).toEqual([
      { text: 'No sources.' },
    ]);
    expect(splitCitationMarkers('[1]x[2]', cited)).toEqual([
      { cite: 1 },
      { text: 'x' },
      { cite: 2 },
    ]);
    expect(splitCitationMarkers('', cited)).toEqual([]);
  });

  it('leaves a list with an unknown number as text', () => {
    expect(splitCitationMarkers('see [1, 9]', cited)).toEqual([
      { text: 'see [1, 9]' },
    ]);
  });
});
