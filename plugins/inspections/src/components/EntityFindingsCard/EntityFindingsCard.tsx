import { useMemo } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import type { Finding, RunSummary } from '@kubemate/plugin-inspections-common';
import { useEntityFindings } from '../../hooks';
import { sortFindings } from '../../lib/findings';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
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

/**
 * Entity card "Inspection findings": the component's findings in the latest runs, counted by
 * severity, with the most severe ones and links to their runs.
 */
export function EntityFindingsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const found = useEntityFindings(entityRef);
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const errorMessage = useErrorMessage();
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
        // shown instead of the findings when the backend answers 403
        <WarningPanel
          severity="info"
          title={t('entityCard.notAllowed')}
          message={errorMessage(found.error)}
        />
      ) : (
        <TranslatedErrorPanel error={found.error} />
      );
  } else if (runs.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={t('entityCard.notInspected')}
        description={t('entityCard.notInspectedDescription')}
        action={<Link to={paths.overview}>{t('entityCard.inspections')}</Link>}
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
              {t('entityCard.exempted', { n: String(exempted) })}
            </Typography>
          )}
        </Box>
        <Typography variant="caption" color="textSecondary" component="div">
          {t('entityCard.latestRuns', { count: runs.length })}{' '}
          {runs.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ', '}
              <Link to={paths.run(r.id)}>
                {fmt.time(r.finishedAt ?? r.startedAt)}
              </Link>
            </span>
          ))}
        </Typography>
        {failed.length === 0 ? (
          <Box mt={1}>
            <Typography>{t('entityCard.noFindings')}</Typography>
          </Box>
        ) : (
          <FindingsTable
            hideEntity
            findings={failed.slice(0, TOP_FINDINGS)}
            link={f => {
              const run = runOfFinding(f, runs);
              return run
                ? { to: paths.run(run.id), label: t('entityCard.openRun') }
                : undefined;
            }}
          />
        )}
        {failed.length > TOP_FINDINGS && (
          <Typography variant="caption" color="textSecondary">
            {t('entityCard.more', {
              n: String(failed.length - TOP_FINDINGS),
            })}
          </Typography>
        )}
      </>
    );
  }

  return (
    <div data-testid="inspections-entity-card">
      <InfoCard title={t('entityCard.title')}>
        {found.error && found.value && (
          <WarningPanel
            severity="warning"
            title={t('entityCard.refreshFailed')}
            message={errorMessage(found.error)}
          />
        )}
        {body}
      </InfoCard>
    </div>
  );
}
