import { screen, within } from '@testing-library/react';
import { compare, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage, renderWith } from '../../__testUtils__/render';
import { CompareView } from './CompareView';

describe('CompareView', () => {
  it('overlays every metric one line per run, highlights the differing params, lists final values', async () => {
    await renderWith(<CompareView compare={compare()} />, { api: fakeApi() });
    expect(
      screen.getByRole('img', { name: 'eval_loss: 2 series, 1 steps' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: 'train_loss: 2 series, 2 steps' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Parameters (1 differ)')).toBeInTheDocument();
    expect(screen.getByTestId('ft-param-rank')).toHaveAttribute(
      'data-differs',
      'true',
    );
    expect(screen.getByTestId('ft-param-rank')).toHaveTextContent(
      'rank (differs)',
    );
    expect(screen.getByTestId('ft-param-alpha')).toHaveAttribute(
      'data-differs',
      'false',
    );
    // the differing row first, with each run's value
    const rows = within(screen.getByTestId('ft-compare-params')).getAllByRole(
      'row',
    );
    expect(rows[1]).toHaveTextContent(/rank \(differs\)\s*8\s*16/);
    expect(screen.getByTestId('ft-compare-final')).toHaveTextContent(
      /eval_loss\s*1\.9\s*1\.9/,
    );
  });

  it('reads the runs of ?ids= on the Compare tab', async () => {
    const api = fakeApi();
    await renderPage('/finetuning/compare?ids=job-a,job-b', { api });
    expect(await screen.findByTestId('ft-compare')).toBeInTheDocument();
    expect(api.compare).toHaveBeenCalledWith(['job-a', 'job-b']);
  });

  it('asks for runs when fewer than two are picked, and shows a 503 naming MLflow', async () => {
    const api = fakeApi({
      compare: jest.fn(async () => {
        throw new Error('MLflow did not answer within 10 s');
      }),
    });
    await renderPage('/finetuning/compare?ids=job-a', { api });
    expect(await screen.findByText('Pick runs to compare')).toBeInTheDocument();
    await renderPage('/finetuning/compare?ids=job-a,job-b', { api });
    expect(
      await screen.findByText('MLflow did not answer within 10 s'),
    ).toBeInTheDocument();
  });
});
