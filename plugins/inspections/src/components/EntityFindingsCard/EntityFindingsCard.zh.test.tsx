import { screen, within } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  entity,
  fakeApi,
  finding,
  summary,
} from '../../__testUtils__/fixtures';
import { renderWith } from '../../__testUtils__/render';
import { EntityFindingsCard } from './EntityFindingsCard';

describe('EntityFindingsCard in Chinese', () => {
  it('shows the card in Chinese', async () => {
    const api = fakeApi({
      entityFindings: jest.fn(async () => ({
        runs: [summary()],
        findings: [
          finding(),
          finding({ fingerprint: 'fp-ex', status: 'exempted' }),
        ],
        exemptions: [],
      })),
    });
    renderWith(
      <EntityProvider entity={entity}>
        <EntityFindingsCard />
      </EntityProvider>,
      { api, language: 'zh-Hans' },
    );
    expect(await screen.findByText('巡检问题项')).toBeInTheDocument();
    const card = screen.getByTestId('inspections-entity-card');
    expect(await within(card).findByText('中 1')).toBeInTheDocument();
    expect(within(card).getByText('· 已豁免 1 个')).toBeInTheDocument();
    expect(within(card).getByText(/最近的运行：/)).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: '打开该运行' }),
    ).toBeInTheDocument();
    expect(within(card).getByText('严重程度')).toBeInTheDocument();
    for (const english of [
      'Inspection findings',
      '1 medium',
      'Open the run',
      'Severity',
    ]) {
      expect(within(card).queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('says in Chinese when no run has covered the component', async () => {
    renderWith(
      <EntityProvider entity={entity}>
        <EntityFindingsCard />
      </EntityProvider>,
      {
        api: fakeApi({
          entityFindings: jest.fn(async () => ({
            runs: [],
            findings: [],
            exemptions: [],
          })),
        }),
        language: 'zh-Hans',
      },
    );
    expect(await screen.findByText('尚未巡检')).toBeInTheDocument();
  });
});
