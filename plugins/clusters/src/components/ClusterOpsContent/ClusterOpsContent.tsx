import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { PodSummary } from '@kubemate/plugin-clusters-common';
import {
  ClusterErrorsPanel,
  TranslatedErrorPanel,
  slot,
  withNodes,
} from '@kubemate/plugin-kubemate-react';
import { clustersTranslationRef } from '../../translation';
import { useClusterAction } from '../../hooks/useClusterAction';
import { useEntityWorkloads } from '../../hooks/useEntityWorkloads';
import { ClusterActionDialogs } from '../ClusterActionDialogs';
import { LogsDrawer } from '../LogsDrawer';
import { NamespaceSection } from '../NamespaceSection';

/** The entity tab "Cluster Ops": the entity's workloads on every cluster, with actions. */
export function ClusterOpsContent() {
  const { t } = useTranslationRef(clustersTranslationRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useEntityWorkloads(entityRef);
  const action = useClusterAction(entityRef, retry);
  const [logs, setLogs] = useState<
    { cluster: string; pod: PodSummary } | undefined
  >();

  if (loading && !value) return <Progress />;
  if (error) return <TranslatedErrorPanel error={error} />;
  if (!value) return null;

  const found = value.clusters.some(c => c.namespaces.length > 0);
  const clusterErrors = value.clusters.flatMap(c =>
    c.error ? [{ cluster: c.cluster, message: c.error }] : [],
  );

  return (
    <Box>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="body2" style={{ flexGrow: 1 }}>
          {withNodes(
            t('ops.labelled', {
              selector: slot('selector'),
              clusters: String(value.clusters.length),
            }),
            { selector: <code>{value.labelSelector}</code> },
          )}
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={retry} disabled={loading}>
          {t('common.refresh')}
        </Button>
      </Box>
      {clusterErrors.length > 0 && (
        <Box mb={2}>
          <ClusterErrorsPanel errors={clusterErrors} />
        </Box>
      )}
      {!found && (
        <EmptyState
          missing="data"
          title={t('ops.noWorkloadsTitle')}
          description={t('ops.noWorkloadsDescription', {
            selector: value.labelSelector,
          })}
        />
      )}
      {value.clusters.map(c =>
        c.namespaces.map(ns => (
          <Box key={`${c.cluster}/${ns.namespace}`} mb={3}>
            <InfoCard title={`${c.cluster} · ${ns.namespace}`} noPadding>
              <NamespaceSection
                entityRef={entityRef}
                cluster={c.cluster}
                namespace={ns.namespace}
                workloads={ns.workloads}
                otherPods={ns.otherPods}
                onAction={action.open}
                onLogs={pod => setLogs({ cluster: c.cluster, pod })}
              />
            </InfoCard>
          </Box>
        )),
      )}
      <ClusterActionDialogs action={action} />
      {logs && (
        <LogsDrawer
          entityRef={entityRef}
          cluster={logs.cluster}
          pod={logs.pod}
          onClose={() => setLogs(undefined)}
        />
      )}
    </Box>
  );
}
