import { screen, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { InspectionsApi } from '../../api';
import {
  entity,
  fakeApi,
  finding,
  summary,
} from '../../__testUtils__/fixtures';
import { renderWith } from '../../__testUtils__/render';
import { EntityFindingsCard } from './EntityFindingsCard';

function renderCard(api: InspectionsApi) {
  return renderWith(
    <EntityProvider entity={entity}>
      <EntityFindingsCard />
    </EntityProvider>,
    { api },
  );
}

describe('EntityFindingsCard', () => {
  it('counts the findings by severity and lists the most severe with links to their runs', async () => {
    const api = fakeApi({
      entityFindings: jest.fn(async () => ({
        runs: [summary({ id: 'r2', scope: { clusters: ['dev-cluster'] } })],
        findings: [
          finding(),
          finding({
            fingerprint: 'fp-crash',
            severity: 'critical',
            message: 'Pod payments-api-1 is crash looping',
          }),
          finding({
            fingerprint: 'fp-ex',
            status: 'exempted',
            severity: 'high',
          }),
        ],
        exemptions: [],
      })),
    });
    renderCard(api);
    expect(await screen.findByText('Inspection findings')).toBeInTheDocument();
    expect(api.entityFindings).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    const card = screen.getByTestId('inspections-entity-card');
    expect(await within(card).findByText('1 critical')).toBeInTheDocument();
    expect(within(card).getByText('1 medium')).toBeInTheDocument();
    expect(within(card).queryByText(/high/)).not.toBeInTheDocument();
    expect(within(card).getByText('· 1 exempted')).toBeInTheDocument();
    const rows = within(card).getAllByTestId(/^inspections-finding-/);
    expect(rows.map(r => r.getAttribute('data-testid'))).toEqual([
      'inspections-finding-fp-crash',
      'inspections-finding-fp-limits',
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'Open the run' }),
    ).toHaveAttribute('href', '/inspections/runs/r2');
  });

  it('says when the component has no findings', async () => {
    renderCard(
      fakeApi({
        entityFindings: jest.fn(async () => ({
          runs: [summary()],
          findings: [],
          exemptions: [],
        })),
      }),
    );
    expect(
      await screen.findByText(
        'No findings: every check passed for this component.',
      ),
    ).toBeInTheDocument();
  });

  it('says when no run has covered the component yet', async () => {
    renderCard(
      fakeApi({
        entityFindings: jest.fn(async () => ({
          runs: [],
          findings: [],
          exemptions: [],
        })),
      }),
    );
    expect(await screen.findByText('Not inspected yet')).toBeInTheDocument();
  });

  it('says the user may not see the findings on a 403', async () => {
    renderCard(
      fakeApi({
        entityFindings: jest.fn(async () => {
          throw await ResponseError.fromResponse(
            new Response(
              JSON.stringify({
                error: {
                  name: 'NotAllowedError',
                  message:
                    'user:default/bob is not allowed inspections.run.read',
                },
              }),
              {
                status: 403,
                statusText: 'Forbidden',
                headers: { 'Content-Type': 'application/json' },
              },
            ),
          );
        }),
      }),
    );
    expect(
      await screen.findByText(
        /You may not see inspection findings for this component/,
      ),
    ).toBeInTheDocument();
  });

  it('shows other errors', async () => {
    renderCard(
      fakeApi({
        entityFindings: jest.fn(async () => {
          throw new Error('inspections backend unavailable');
        }),
      }),
    );
    expect(
      await screen.findByText('Error: inspections backend unavailable'),
    ).toBeInTheDocument();
  });
});
