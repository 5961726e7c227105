import { useMemo } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import type { Finding, RunSummary } from '@kubemate/plugin-inspections-common';
import { useEntityFindings } from '../../hooks';
import { sortFindings } from '../../lib/findings';
import { formatTime } from '../../lib/format';
import { inspectionsPaths } from '../../lib/paths';
import { inspectionsRouteRef } from '../../routes';
import { FindingsTable } from '../FindingsTable';
import { countBySeverity, SeverityChips } from '../SeverityChips';

/** How many findings the card lists (most severe first). */
export const TOP_FINDINGS = 5;

/** The run a finding comes from: the entity's latest run that covered its cluster. */
export function runOfFinding(
  f: Finding,
  runs: RunSummary[],
): RunSummary | undefined {
  const cluster = f.object.cluster;
  return (
    runs.find(
      r =>
        !cluster ||
        r.scope.clusters.length === 0 ||
        r.scope.clusters.includes(cluster),
    ) ?? runs[0]
  );
}

/** Shown instead of the findings when the backend answers 403. */
export const NOT_ALLOWED =
  'You may not see inspection findings for this component';

/**
 * Entity card "Inspection findings": the component's findings in the latest runs, counted by
 * severity, with the most severe ones and links to their runs.
 */
export function EntityFindingsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const found = useEntityFindings(entityRef);
  const paths = inspectionsPaths(
    useRouteRef(inspectionsRouteRef)?.() ?? '/inspections',
  );
  const runs = useMemo(
    () =>
      [...(found.value?.runs ?? [])].sort((a, b) =>
        b.startedAt.localeCompare(a.startedAt),
      ),
    [found.value],
  );

  let body;
  if (found.loading && !found.value) {
    body = <Progress />;
  } else if (found.error && !found.value) {
    const status = (found.error as { response?: { status?: number } }).response
      ?.status;
    body =
      status === 403 ? (
        <WarningPanel
          severity="info"
          title={NOT_ALLOWED}
          message={found.error.message}
        />
      ) : (
        <ResponseErrorPanel error={found.error} />
      );
  } else if (runs.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="Not inspected yet"
        description="No finished inspection has covered this component's clusters yet."
        action={<Link to={paths.overview}>Inspections</Link>}
      />
    );
  } else {
    const findings = found.value!.findings;
    const failed = sortFindings(findings.filter(f => f.status === 'failed'));
    const exempted = findings.length - failed.length;
    body = (
      <>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
          mb={1}
        >
          <SeverityChips counts={countBySeverity(findings)} />
          {exempted > 0 && (
            <Typography variant="body2" color="textSecondary">
              · {exempted} exempted
            </Typography>
          )}
        </Box>
        <Typography variant="caption" color="textSecondary" component="div">
          Latest run{runs.length > 1 ? 's' : ''}:{' '}
          {runs.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ', '}
              <Link to={paths.run(r.id)}>
                {formatTime(r.finishedAt ?? r.startedAt)}
              </Link>
            </span>
          ))}
        </Typography>
        {failed.length === 0 ? (
          <Box mt={1}>
            <Typography>
              No findings: every check passed for this component.
            </Typography>
          </Box>
        ) : (
          <FindingsTable
            hideEntity
            findings={failed.slice(0, TOP_FINDINGS)}
            link={f => {
              const run = runOfFinding(f, runs);
              return run
                ? { to: paths.run(run.id), label: 'Open the run' }
                : undefined;
            }}
          />
        )}
        {failed.length > TOP_FINDINGS && (
          <Typography variant="caption" color="textSecondary">
            {failed.length - TOP_FINDINGS} more in the runs' reports.
          </Typography>
        )}
      </>
    );
  }

  return (
    <div data-testid="inspections-entity-card">
      <InfoCard title="Inspection findings">
        {found.error && found.value && (
          <WarningPanel
            severity="warning"
            title="Refreshing the findings failed; showing the last result"
            message={found.error.message}
          />
        )}
        {body}
      </InfoCard>
    </div>
  );
}
