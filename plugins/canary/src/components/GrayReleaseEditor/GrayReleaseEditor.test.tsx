import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SWRConfig } from 'swr';
import { GrayReleaseEditor } from './GrayReleaseEditor';
import { fakeApi, gray } from '../../testing/fixtures';

async function renderEditor(
  release = gray(),
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const api = fakeApi();
  const target = {
    cluster: release.cluster,
    namespace: release.namespace,
    name: release.name,
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[[permissionApiRef, mockApis.permission({ authorize })]]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <GrayReleaseEditor
          release={release}
          onPreview={body => api.putTraffic(target, body)}
          onApply={body => api.putTraffic(target, body)}
        />
      </SWRConfig>
    </TestApiProvider>,
  );
  return api;
}

const weight = (service: string) =>
  screen.getByLabelText(`Weight of ${service}`);
const setWeight = (service: string, v: number) =>
  fireEvent.change(weight(service), { target: { value: String(v) } });

describe('GrayReleaseEditor', () => {
  it('shows the sum and refuses weights that do not sum to 100', async () => {
    const api = await renderEditor();
    expect(screen.getByLabelText('Sum of the weights')).toHaveTextContent(
      'Sum: 100 / 100',
    );
    setWeight('payments-web-v1', 50);
    expect(screen.getByLabelText('Sum of the weights')).toHaveTextContent(
      'Sum: 90 / 100',
    );
    expect(
      screen.getByText('The weights must sum to 100 (now 90)'),
    ).toBeInTheDocument();
    const preview = screen.getByRole('button', { name: 'Preview diff' });
    expect(preview).toBeDisabled();
    expect(preview.parentElement).toHaveAttribute(
      'title',
      'The weights must sum to 100 (now 90)',
    );
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(api.putTraffic).not.toHaveBeenCalled();
  });

  it('previews the diff (dry run) before it applies', async () => {
    const api = await renderEditor();
    setWeight('payments-web-v1', 50);
    setWeight('payments-web-v3', 20);
    const apply = screen.getByRole('button', { name: 'Apply' });
    const preview = screen.getByRole('button', { name: 'Preview diff' });
    await waitFor(() => expect(preview).toBeEnabled());
    expect(apply).toBeDisabled();
    expect(apply.parentElement).toHaveAttribute(
      'title',
      'Preview the diff first',
    );
    await userEvent.click(preview);
    expect(await screen.findByLabelText('Diff')).toHaveTextContent(
      '+ payments-web-v1 50',
    );
    const body = {
      backends: [
        { service: 'payments-web-v1', weight: 50 },
        { service: 'payments-web-v2', weight: 30 },
        { service: 'payments-web-v3', weight: 20 },
      ],
      rules: [],
    };
    expect(api.putTraffic).toHaveBeenLastCalledWith(
      {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'payments-web',
      },
      { ...body, dryRun: true },
    );
    await waitFor(() => expect(apply).toBeEnabled());
    await userEvent.click(apply);
    expect(
      await screen.findByText(
        'Applied to dev-cluster/payments-dev/payments-web',
      ),
    ).toBeInTheDocument();
    expect(api.putTraffic).toHaveBeenLastCalledWith(expect.anything(), {
      ...body,
      dryRun: false,
    });
  });

  it('builds a header rule and sends it', async () => {
    const api = await renderEditor();
    await userEvent.click(
      screen.getByRole('button', { name: 'Add header rule' }),
    );
    expect(
      screen.getByText('Rule 1: a header name is missing'),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Rule 1 header 1'), {
      target: { value: 'x-canary' },
    });
    fireEvent.change(screen.getByLabelText('Rule 1 value 1'), {
      target: { value: 'always' },
    });
    const preview = screen.getByRole('button', { name: 'Preview diff' });
    await waitFor(() => expect(preview).toBeEnabled());
    await userEvent.click(preview);
    await waitFor(() =>
      expect(api.putTraffic).toHaveBeenCalledWith(expect.anything(), {
        backends: [
          { service: 'payments-web-v1', weight: 60 },
          { service: 'payments-web-v2', weight: 30 },
          { service: 'payments-web-v3', weight: 10 },
        ],
        rules: [
          {
            match: [{ header: 'x-canary', value: 'always', type: 'Exact' }],
            service: 'payments-web-v3',
          },
        ],
        dryRun: true,
      }),
    );
  });

  it('is read-only for a route Flagger manages', async () => {
    await renderEditor(gray({ managedBy: 'Canary payments-api' }));
    expect(
      screen.getByText(/managed by Canary payments-api/),
    ).toBeInTheDocument();
    expect(weight('payments-web-v1')).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: 'Apply' }),
    ).not.toBeInTheDocument();
  });

  it('says why a user without canary.traffic.update may not change it', async () => {
    await renderEditor(gray(), AuthorizeResult.DENY);
    setWeight('payments-web-v1', 50);
    setWeight('payments-web-v3', 20);
    const preview = screen.getByRole('button', { name: 'Preview diff' });
    await waitFor(() =>
      expect(preview.parentElement).toHaveAttribute(
        'title',
        'You do not have the permission canary.traffic.update on dev-cluster/payments-dev/payments-web',
      ),
    );
    expect(preview).toBeDisabled();
  });
});
