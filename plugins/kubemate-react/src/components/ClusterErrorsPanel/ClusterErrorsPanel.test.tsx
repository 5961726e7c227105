import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ClusterErrorsPanel } from './ClusterErrorsPanel';

describe('ClusterErrorsPanel', () => {
  it('shows one panel per cluster that could not be read, with its message', async () => {
    await renderInTestApp(
      <ClusterErrorsPanel
        errors={[
          { cluster: 'prod-cluster', message: 'connect ECONNREFUSED' },
          { cluster: 'dev-cluster', message: 'timeout after 10s' },
        ]}
      />,
    );
    const panels = screen.getAllByRole('alert');
    expect(panels).toHaveLength(2);
    expect(panels[0]).toHaveTextContent(
      'Cluster prod-cluster could not be read',
    );
    expect(panels[0]).toHaveTextContent('connect ECONNREFUSED');
    expect(panels[1]).toHaveTextContent(
      'Cluster dev-cluster could not be read',
    );
  });

  it('renders nothing when every cluster answered', async () => {
    const { container } = await renderInTestApp(
      <ClusterErrorsPanel errors={[]} />,
    );
    expect(container.textContent).toBe('');
  });
});
