import { screen } from '@testing-library/react';
import { fakeApi, sweepDetails } from '../../__testUtils__/fixtures';
import { renderPage, renderWith } from '../../__testUtils__/render';
import { SweepView } from './SweepView';

describe('SweepView', () => {
  it('highlights the best trial, shows each trial its swept params and objective, links to compare', async () => {
    await renderWith(<SweepView details={sweepDetails()} />, {
      api: fakeApi(),
    });
    expect(screen.getByTestId('ft-sweep')).toHaveAttribute('data-best', 't2');
    expect(screen.getByTestId('ft-trial-rank-sweep-2')).toHaveAttribute(
      'data-best',
      'true',
    );
    expect(screen.getByTestId('ft-trial-rank-sweep-1')).toHaveAttribute(
      'data-best',
      'false',
    );
    expect(screen.getAllByTestId('ft-best-trial')).toHaveLength(1);
    expect(
      screen.getByTestId('ft-trial-rank-sweep-2').closest('tr'),
    ).toHaveStyle({ background: 'rgba(46, 125, 50, 0.15)' });
    expect(
      screen.getByTestId('ft-trial-rank-sweep-2-objective'),
    ).toHaveTextContent('1.2');
    expect(
      screen.getByTestId('ft-trial-rank-sweep-4-objective'),
    ).toHaveTextContent('—');
    expect(
      screen.getByTestId('ft-trial-rank-sweep-3').closest('tr'),
    ).toHaveTextContent('16');
    expect(screen.getByTestId('ft-sweep-compare')).toHaveAttribute(
      'href',
      '/finetuning/compare?ids=t1,t2,t3,t4',
    );
  });

  it('is the page of /finetuning/sweeps/:id', async () => {
    const api = fakeApi();
    await renderPage('/finetuning/sweeps/sweep-1', { api });
    expect(await screen.findByTestId('ft-sweep')).toBeInTheDocument();
    expect(api.sweep).toHaveBeenCalledWith('sweep-1');
  });
});
