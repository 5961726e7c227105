import useAsync from 'react-use/esm/useAsync';
import { Box, Chip, Grid, LinearProgress, Typography } from '@material-ui/core';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import type {
  NodeOverview,
  ResourceAmounts,
} from '@kubemate/plugin-clusters-common';
import { clustersApiRef } from '../../api/ClustersApi';
import { clustersTranslationRef } from '../../translation';

type T = TranslationFunction<typeof clustersTranslationRef.T>;

/** CPU cores (from millicores) and GiB (from bytes), one decimal, in the app's language. */
function useAmountFormats() {
  const { t } = useTranslationRef(clustersTranslationRef);
  const f = useFormatters();
  const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  return {
    cores: (m: number) => f.number(m / 1000, oneDecimal),
    gib: (b: number) =>
      t('overview.gib', { value: f.number(b / 1024 ** 3, oneDecimal) }),
    count: (n: number) => f.number(n),
  };
}

type AmountKind = 'cores' | 'gib' | 'count';

/** Requests against allocatable, as a bar with the numbers. */
function Usage(props: {
  used: number;
  total: number;
  format: AmountKind;
  label?: string;
}) {
  const { t } = useTranslationRef(clustersTranslationRef);
  const f = useFormatters();
  const format = useAmountFormats()[props.format];
  const pct =
    props.total > 0 ? Math.min(100, (props.used / props.total) * 100) : 0;
  const percent = f.percent(Math.round(pct) / 100, 0);
  const amounts = {
    used: format(props.used),
    total: format(props.total),
    percent,
  };
  return (
    <Box minWidth={140}>
      <LinearProgress
        variant="determinate"
        value={pct}
        color={pct > 90 ? 'secondary' : 'primary'}
        aria-label={t('overview.usage.requested', { percent })}
      />
      <Typography variant="caption">
        {props.label
          ? t('overview.usage.labelled', { label: props.label, ...amounts })
          : t('overview.usage.amounts', amounts)}
      </Typography>
    </Box>
  );
}

const usageColumns = (
  t: T,
  pick: (n: NodeOverview) => [ResourceAmounts, ResourceAmounts],
): TableColumn<NodeOverview>[] => [
  {
    title: t('overview.columns.cpu'),
    render: n => {
      const [req, alloc] = pick(n);
      return <Usage used={req.cpu} total={alloc.cpu} format="cores" />;
    },
  },
  {
    title: t('overview.columns.memory'),
    render: n => {
      const [req, alloc] = pick(n);
      return <Usage used={req.memory} total={alloc.memory} format="gib" />;
    },
  },
  {
    title: t('overview.columns.gpu'),
    render: n => {
      const [req, alloc] = pick(n);
      return alloc.gpu ? (
        <Usage used={req.gpu ?? 0} total={alloc.gpu} format="count" />
      ) : (
        '—'
      );
    },
  },
];

function ClusterCard({ cluster }: { cluster: string }) {
  const api = useApi(clustersApiRef);
  const { t } = useTranslationRef(clustersTranslationRef);
  const { value, loading, error } = useAsync(
    () => api.getClusterOverview(cluster),
    [api, cluster],
  );
  if (loading) return <Progress />;
  if (error)
    return (
      <TranslatedErrorPanel
        error={error}
        title={t('overview.clusterError', { cluster })}
      />
    );
  if (!value) return null;
  const columns: TableColumn<NodeOverview>[] = [
    { title: t('overview.columns.node'), field: 'name' },
    {
      title: t('overview.columns.ready'),
      render: n => (n.ready ? t('overview.ready') : t('overview.notReady')),
    },
    { title: t('overview.columns.roles'), render: n => n.roles.join(', ') },
    { title: t('overview.columns.pods'), field: 'podCount', type: 'numeric' },
    ...usageColumns(t, n => [n.requests, n.allocatable]),
  ];
  return (
    <InfoCard
      title={cluster}
      subheader={t('overview.summary', {
        nodes: String(value.nodes.length),
        namespaces: String(value.namespaces.length),
      })}
    >
      <Box mb={2} display="flex" style={{ gap: 8 }} flexWrap="wrap">
        {Object.entries(value.podsByPhase).map(([phase, count]) => (
          <Chip key={phase} label={`${phase}: ${count}`} size="small" />
        ))}
      </Box>
      <Box mb={2} display="flex" style={{ gap: 32 }}>
        <Usage
          label={t('overview.columns.cpu')}
          used={value.totals.requests.cpu}
          total={value.totals.allocatable.cpu}
          format="cores"
        />
        <Usage
          label={t('overview.columns.memory')}
          used={value.totals.requests.memory}
          total={value.totals.allocatable.memory}
          format="gib"
        />
      </Box>
      <Table
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          toolbar: false,
        }}
        columns={columns}
        data={value.nodes}
      />
    </InfoCard>
  );
}

/** Overview of every cluster the portal knows: nodes, capacity vs requests, pods by phase. */
export function ClusterOverviewPage() {
  const api = useApi(clustersApiRef);
  const { t } = useTranslationRef(clustersTranslationRef);
  const { value, loading, error } = useAsync(() => api.listClusters(), [api]);
  return (
    <Page themeId="tool">
      <Header title={t('overview.title')} subtitle={t('overview.subtitle')} />
      <Content>
        {loading && <Progress />}
        {error && <TranslatedErrorPanel error={error} />}
        {value && value.clusters.length === 0 && (
          <EmptyState
            missing="data"
            title={t('overview.noClustersTitle')}
            description={t('overview.noClustersDescription')}
          />
        )}
        <Grid container spacing={3}>
          {value?.clusters.map(c => (
            <Grid item xs={12} key={c.name}>
              <ClusterCard cluster={c.name} />
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
