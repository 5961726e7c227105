import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SWRConfig } from 'swr';
import { CanaryApi, canaryApiRef } from '../../api/CanaryApi';
import { ReleasesContent } from './ReleasesContent';
import {
  details,
  entity,
  fakeApi,
  gray,
  summary,
} from '../../testing/fixtures';

/*
 * Component tests with an in-memory CanaryApi; the backend is tested against the real Flagger
 * (plugins/canary-backend) and the whole path in e2e/canary.spec.ts.
 */

type Decide = (
  r: EvaluatePermissionRequest,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
const allowAll: Decide = () => AuthorizeResult.ALLOW;
/** bob: reads releases, may not approve, promote or abort. */
const bob: Decide = r =>
  r.permission.name === 'canary.release.read'
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;

async function renderTab(api: CanaryApi, authorize: Decide = allowAll) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [canaryApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions in SWR: a fresh cache per test */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <ReleasesContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

async function tooltipOf(button: HTMLElement) {
  await waitFor(() =>
    expect(button.parentElement?.getAttribute('title')).toBeTruthy(),
  );
  return button.parentElement!.getAttribute('title');
}

describe('ReleasesContent', () => {
  it('shows the step progress, revisions, the checks with a failed measured value and the history', async () => {
    const api = fakeApi();
    await renderTab(api);
    expect(await screen.findByText('Release payments-api')).toBeInTheDocument();
    const meter = screen.getByRole('meter', { name: 'Canary weight' });
    expect(meter).toHaveAttribute('aria-valuenow', '20');
    expect(meter).toHaveAttribute(
      'aria-valuetext',
      '20% of the traffic to the canary (max 50%, steps of 10%)',
    );
    expect(
      screen.getByText('Canary weight 20% of max 50% (step 10%)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Iterations: 2')).toBeInTheDocument();
    expect(
      screen.getByText('Failed checks: 1 of 3 allowed'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('registry.local/payments-api:1.5.0'),
    ).toBeInTheDocument();
    expect(screen.getByText('CI revision: abc1234')).toBeInTheDocument();
    expect(
      screen.getByText('confirm-promotion: closed, Flagger is waiting'),
    ).toBeInTheDocument();

    const checks = await screen.findByRole('table', {
      name: 'Analysis checks',
    });
    const success = within(checks).getByRole('row', {
      name: /Check request-success-rate/,
    });
    expect(within(success).getByText('≥ 99')).toBeInTheDocument();
    expect(within(success).getByText('93.50')).toBeInTheDocument();
    expect(within(success).getByText('fail')).toBeInTheDocument();
    const latency = within(checks).getByRole('row', {
      name: /Check request-duration/,
    });
    expect(within(latency).getByText('≤ 500')).toBeInTheDocument();
    expect(within(latency).getByText('pass')).toBeInTheDocument();
    const saturation = within(checks).getByRole('row', {
      name: /Check saturation/,
    });
    expect(within(saturation).getByText('no values found')).toBeInTheDocument();
    expect(within(saturation).getByText('not measured')).toBeInTheDocument();
    await userEvent.click(
      within(success).getByRole('button', {
        name: 'Query of request-success-rate',
      }),
    );
    expect(
      screen.getByLabelText('PromQL of request-success-rate'),
    ).toHaveTextContent('response_total{namespace="payments-dev"');

    expect(
      screen.getByRole('img', {
        name: /Canary weight over time: 3 observations/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('History (3)')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Halt advancement payments-api.payments-dev request-success-rate 93.50 < 99',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('portal: user:default/alice')).toBeInTheDocument();
    expect(api.details).toHaveBeenCalledWith({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'payments-api',
    });
  });

  it('approves the promotion gate for alice, and says why bob may not', async () => {
    const api = fakeApi();
    await renderTab(api);
    const approve = await screen.findByRole('button', {
      name: 'Approve promotion',
    });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    await waitFor(() =>
      expect(api.approve).toHaveBeenCalledWith(
        {
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          name: 'payments-api',
        },
        'confirm-promotion',
      ),
    );
    expect(
      await screen.findByText(
        'Approved the confirm-promotion gate of payments-api',
      ),
    ).toBeInTheDocument();
  });

  it('disables approve, promote and abort for bob with the reason', async () => {
    await renderTab(fakeApi(), bob);
    const approve = await screen.findByRole('button', {
      name: 'Approve promotion',
    });
    expect(await tooltipOf(approve)).toBe(
      'You do not have the permission canary.release.approve on dev-cluster/payments-dev/payments-api',
    );
    expect(approve).toBeDisabled();
    const abort = screen.getByRole('button', { name: 'Abort' });
    expect(await tooltipOf(abort)).toBe(
      'You do not have the permission canary.release.abort on dev-cluster/payments-dev/payments-api',
    );
    expect(abort).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Start canary' })).toBeDisabled();
  });

  it('says why abort is unavailable without a rollback webhook at the portal', async () => {
    const noRollback = summary({
      gates: [
        {
          type: 'confirm-promotion',
          declared: true,
          open: true,
          openedBy: 'user:default/alice',
        },
        { type: 'rollback', declared: false, open: false },
      ],
    });
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => ({
          canaries: [noRollback],
          grayReleases: [],
          errors: [],
        })),
        details: jest.fn(async () => details({ gates: noRollback.gates })),
      }),
    );
    const abort = await screen.findByRole('button', { name: 'Abort' });
    expect(await tooltipOf(abort)).toBe(
      'payments-api declares no rollback webhook pointing at the portal (/api/canary/gates/dev-cluster/rollback): add one to abort from here',
    );
    expect(abort).toBeDisabled();
    // the promotion gate is open: it can be closed again
    expect(
      screen.getByRole('button', { name: 'Hold promotion' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('confirm-promotion: open (by user:default/alice)'),
    ).toBeInTheDocument();
  });

  it('starts a canary with a new image on a finished release and follows it without a reload', async () => {
    let phase: 'Succeeded' | 'Progressing' = 'Succeeded';
    const api = fakeApi({
      entityReleases: jest.fn(async () => ({
        canaries: [
          summary({
            phase,
            canaryWeight: phase === 'Succeeded' ? 0 : 10,
            canary: { images: ['registry.local/payments-api:1.4.2'] },
          }),
        ],
        grayReleases: [],
        errors: [],
      })),
      details: jest.fn(async () =>
        details({
          phase,
          canaryWeight: phase === 'Succeeded' ? 0 : 10,
          canary: { images: ['registry.local/payments-api:1.4.2'] },
        }),
      ),
      start: jest.fn(async () => {
        phase = 'Progressing';
        return summary({ phase: 'Succeeded' });
      }),
    });
    await renderTab(api);
    const start = await screen.findByRole('button', { name: 'Start canary' });
    await waitFor(() => expect(start).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Abort' })).toBeDisabled();
    await userEvent.click(start);
    const dialog = await screen.findByRole('dialog');
    const image = within(dialog).getByRole('textbox', { name: 'Image' });
    expect(image).toHaveValue('registry.local/payments-api:1.4.2');
    expect(
      within(dialog).getByRole('button', { name: 'Start canary' }),
    ).toBeDisabled(); // same image
    fireEvent.change(image, {
      target: { value: 'registry.local/payments-api:1.5.0' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start canary' }),
    );
    await waitFor(() =>
      expect(api.start).toHaveBeenCalledWith(
        {
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          name: 'payments-api',
        },
        { image: 'registry.local/payments-api:1.5.0' },
      ),
    );
    expect(
      await screen.findByText(
        'Canary of registry.local/payments-api:1.5.0 started',
      ),
    ).toBeInTheDocument();
    // re-read right after the action: the release is progressing now
    expect(
      await screen.findByText('Canary weight 10% of max 50% (step 10%)'),
    ).toBeInTheDocument();
  });

  it('explains how to add a canary when the entity has none', async () => {
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => ({
          canaries: [],
          grayReleases: [],
          errors: [
            { cluster: 'prod-cluster', message: 'connect ECONNREFUSED' },
          ],
        })),
      }),
    );
    expect(
      await screen.findByText('No releases for this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText(/canary option/)).toBeInTheDocument();
    expect(
      screen.getByText('Error: Cluster prod-cluster could not be read'),
    ).toBeInTheDocument();
  });

  it('shows the backend error instead of a blank page', async () => {
    const res = new Response(
      JSON.stringify({
        error: {
          name: 'ServiceUnavailableError',
          message: 'Kubernetes API of dev-cluster unreachable',
        },
        request: {
          method: 'GET',
          url: '/api/canary/entity/component/default/payments-api/releases',
        },
        response: { statusCode: 503 },
      }),
      { status: 503, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(res as any);
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => {
          throw error;
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/Kubernetes API of dev-cluster unreachable/))
        .length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Release payments-api')).not.toBeInTheDocument();
  });

  it('shows a details error next to the release', async () => {
    await renderTab(
      fakeApi({
        details: jest.fn(async () => {
          throw new Error('Prometheus unavailable: timeout after 5s');
        }),
      }),
    );
    expect(
      await screen.findByText(/The details of payments-api could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByText('Release payments-api')).toBeInTheDocument();
  });

  it('aligns the success rate and p99 latency of primary vs canary with the weight', async () => {
    const api = fakeApi();
    await renderTab(api);
    const success = await screen.findByRole('img', {
      name: 'Success rate over time: primary 99.9%, canary 93.5% (latest)',
    });
    const latency = screen.getByRole('img', {
      name: 'p99 latency over time: primary 41 ms, canary 120 ms (latest)',
    });
    for (const [img, title] of [
      [success, 'Success rate'],
      [latency, 'p99 latency'],
    ] as const) {
      for (const side of ['primary', 'canary']) {
        const line = within(img).getByTestId(`${title} ${side}`);
        expect(line.getAttribute('d')).toMatch(/^M [\d.]+ [\d.]+ L /);
      }
    }
    // the same time axis as the weight: the first canary sample has no data, its line starts
    // at the second minute, where the weight's second point is
    const weight = screen.getByRole('img', {
      name: /Canary weight over time: 3 observations/,
    });
    const secondWeightX = weight
      .querySelectorAll('circle')[1]
      .getAttribute('cx');
    const canaryStartX = within(success)
      .getByTestId('Success rate canary')
      .getAttribute('d')!
      .split(' ')[1];
    expect(Number(canaryStartX)).toBeCloseTo(Number(secondWeightX), 0);
    expect(api.series).toHaveBeenCalledWith(
      {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'payments-api',
      },
      expect.any(Number),
    );
  });

  it('shows a series error inline and keeps the rest of the tab', async () => {
    await renderTab(
      fakeApi({
        series: jest.fn(async () => {
          throw new Error(
            'Prometheus at http://127.0.0.1:9 is unavailable: connect ECONNREFUSED',
          );
        }),
      }),
    );
    expect(
      await screen.findByText(/Success rate and latency could not be read/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/Prometheus at http:\/\/127.0.0.1:9 is unavailable/)
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('img', {
        name: /Canary weight over time: 3 observations/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('History (3)')).toBeInTheDocument();
    expect(screen.getByText('Release payments-api')).toBeInTheDocument();
  });

  it('lists gray releases with their editor', async () => {
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => ({
          canaries: [],
          grayReleases: [gray()],
          errors: [],
        })),
      }),
    );
    expect(
      await screen.findByText('Gray release payments-web'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Weight of payments-web-v2')).toHaveValue(30);
  });
});
