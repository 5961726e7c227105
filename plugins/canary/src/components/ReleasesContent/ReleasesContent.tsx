import { useCallback, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterErrorsPanel,
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import type { ReleaseSummary } from '@kubemate/plugin-canary-common';
import { canaryApiRef } from '../../api/CanaryApi';
import {
  useEntityReleases,
  useFollow,
  useReleaseActions,
  useReleaseDetails,
  useReleaseSeries,
} from '../../hooks';
import { isActive, keyOf, pickRelease, targetOf } from '../../lib/releases';
import { ReleaseProgress } from '../ReleaseProgress';
import { WeightChart } from '../WeightChart';
import { ChecksTable } from '../ChecksTable';
import { EventHistory } from '../EventHistory';
import { ReleaseActions } from '../ReleaseActions';
import { StartReleaseDialog } from '../StartReleaseDialog';
import { GrayReleaseEditor } from '../GrayReleaseEditor';
import { ReleasePicker } from '../ReleasePicker';
import { canaryTranslationRef } from '../../translation';

/** The entity tab "Releases": its canary releases and gray releases across clusters. */
export function ReleasesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(canaryApiRef);
  const { t } = useTranslationRef(canaryTranslationRef);
  const errorMessage = useErrorMessage();

  const { follow, startFollowing } = useFollow();
  const { releases, canaries, grayReleases, clusterErrors, reload } =
    useEntityReleases(entityRef, follow);
  const [selectedKey, setSelectedKey] = useState<string>();
  const selected: ReleaseSummary | undefined =
    canaries.find(c => keyOf(c) === selectedKey) ?? pickRelease(canaries);
  const details = useReleaseDetails(
    selected ? targetOf(selected) : undefined,
    follow,
  );
  const reloadDetails = details.retry;
  // success rate and latency since the first observed weight, once the details are read
  const loaded = details.value;
  const since = loaded?.weightHistory.length
    ? Math.min(...loaded.weightHistory.map(p => Date.parse(p.at)))
    : undefined;
  const series = useReleaseSeries(
    loaded ? targetOf(loaded) : undefined,
    since,
    Boolean(loaded) && (follow || isActive(loaded!.phase)),
  );
  const afterAction = useCallback(() => {
    startFollowing();
    reload();
    reloadDetails();
  }, [startFollowing, reload, reloadDetails]);
  const actions = useReleaseActions(afterAction);
  const [starting, setStarting] = useState<ReleaseSummary>();

  if (releases.loading && !releases.value) return <Progress />;
  if (releases.error && !releases.value) {
    return <TranslatedErrorPanel error={releases.error} />;
  }

  if (canaries.length === 0 && grayReleases.length === 0) {
    return (
      <>
        <ClusterErrorsPanel errors={clusterErrors} />
        <EmptyState
          missing="data"
          title={t('content.emptyTitle')}
          description={t('content.emptyDescription')}
        />
      </>
    );
  }

  // the details carry the freshest summary; the list's entry until they are loaded
  const current: ReleaseSummary | undefined =
    details.value && selected && keyOf(details.value) === keyOf(selected)
      ? details.value
      : selected;
  const target = current ? targetOf(current) : undefined;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <ClusterErrorsPanel errors={clusterErrors} />
        {releases.error && (
          <WarningPanel
            severity="warning"
            title={t('common.refreshFailed')}
            message={errorMessage(releases.error)}
          />
        )}
        {actions.actionError && (
          <Alert severity="error" onClose={actions.clearActionError}>
            {actions.actionError}
          </Alert>
        )}
        {actions.notice && (
          <Alert severity="success" onClose={actions.clearNotice}>
            {actions.notice}
          </Alert>
        )}
      </Grid>
      {current && target && (
        <>
          <Grid item xs={12}>
            <ReleasePicker
              canaries={canaries}
              selected={keyOf(current)}
              onSelect={setSelectedKey}
            />
            <InfoCard title={t('content.releaseTitle', { name: current.name })}>
              <ReleaseProgress release={current} />
              <Box mt={2}>
                <ReleaseActions
                  release={current}
                  onStart={() => setStarting(current)}
                  onApprove={gate =>
                    actions.act(
                      t('content.approved', { gate, name: current.name }),
                      message =>
                        t('content.approveFailed', {
                          gate,
                          name: current.name,
                          message,
                        }),
                      () => api.approve(target, gate),
                    )
                  }
                  onHold={gate =>
                    actions.act(
                      t('content.holding', { gate, name: current.name }),
                      message =>
                        t('content.holdFailed', {
                          gate,
                          name: current.name,
                          message,
                        }),
                      () => api.hold(target, gate),
                    )
                  }
                  onPromote={() =>
                    actions.act(
                      t('content.promoteRequested', { name: current.name }),
                      message =>
                        t('content.promoteFailed', {
                          name: current.name,
                          message,
                        }),
                      () => api.promote(target),
                    )
                  }
                  onAbort={() =>
                    actions.act(
                      t('content.rollbackRequested', { name: current.name }),
                      message =>
                        t('content.rollbackFailed', {
                          name: current.name,
                          message,
                        }),
                      () => api.abort(target),
                    )
                  }
                />
              </Box>
            </InfoCard>
          </Grid>
          {details.error && (
            <Grid item xs={12}>
              <WarningPanel
                severity="warning"
                title={t('content.detailsFailed', { name: current.name })}
                message={errorMessage(details.error)}
              />
            </Grid>
          )}
          {details.loading && !details.value && (
            <Grid item xs={12}>
              <Progress />
            </Grid>
          )}
          {details.value && (
            <>
              <Grid item xs={12} lg={5}>
                <InfoCard
                  title={t('content.weightTitle')}
                  subheader={t('content.weightSubheader')}
                >
                  <WeightChart
                    points={details.value.weightHistory}
                    maxWeight={details.value.maxWeight}
                    series={series}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} lg={7}>
                <InfoCard
                  title={t('content.checksTitle')}
                  subheader={
                    details.value.analysisInterval
                      ? t('content.checksSubheader', {
                          interval: details.value.analysisInterval,
                        })
                      : undefined
                  }
                >
                  <ChecksTable checks={details.value.checks} />
                </InfoCard>
              </Grid>
              <Grid item xs={12}>
                <EventHistory events={details.value.events} />
              </Grid>
            </>
          )}
        </>
      )}
      {grayReleases.length > 0 && (
        <Grid item xs={12}>
          <Typography variant="h6">{t('content.grayReleases')}</Typography>
        </Grid>
      )}
      {grayReleases.map(g => (
        <Grid item xs={12} key={keyOf(g)}>
          <GrayReleaseEditor
            release={g}
            onPreview={body => api.putTraffic(targetOf(g), body)}
            onApply={async body => {
              const result = await api.putTraffic(targetOf(g), body);
              reload();
              return result;
            }}
          />
        </Grid>
      ))}
      <StartReleaseDialog
        release={starting}
        onClose={() => setStarting(undefined)}
        onStart={async body => {
          if (!starting) return;
          const startTarget = targetOf(starting);
          await api.start(startTarget, body);
          setStarting(undefined);
          await actions.act(
            t('content.started', { image: body.image }),
            message => t('content.startFailed', { image: body.image, message }),
            async () => {},
          );
        }}
      />
    </Grid>
  );
}
