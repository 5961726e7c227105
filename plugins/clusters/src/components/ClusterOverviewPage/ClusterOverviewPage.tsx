import useAsync from 'react-use/esm/useAsync';
import { Box, Chip, Grid, LinearProgress, Typography } from '@material-ui/core';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  NodeOverview,
  ResourceAmounts,
} from '@kubemate/plugin-clusters-common';
import { clustersApiRef } from '../../api/ClustersApi';

const cores = (m: number) => `${(m / 1000).toFixed(1)}`;
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;

/** Requests against allocatable, as a bar with the numbers. */
function Usage(props: {
  used: number;
  total: number;
  format: (n: number) => string;
  label?: string;
}) {
  const pct =
    props.total > 0 ? Math.min(100, (props.used / props.total) * 100) : 0;
  return (
    <Box minWidth={140}>
      <LinearProgress
        variant="determinate"
        value={pct}
        color={pct > 90 ? 'secondary' : 'primary'}
        aria-label={`${pct.toFixed(0)}% requested`}
      />
      <Typography variant="caption">
        {props.label ? `${props.label}: ` : ''}
        {props.format(props.used)} / {props.format(props.total)} (
        {pct.toFixed(0)}%)
      </Typography>
    </Box>
  );
}

const usageColumns = (
  pick: (n: NodeOverview) => [ResourceAmounts, ResourceAmounts],
): TableColumn<NodeOverview>[] => [
  {
    title: 'CPU requested',
    render: n => {
      const [req, alloc] = pick(n);
      return <Usage used={req.cpu} total={alloc.cpu} format={cores} />;
    },
  },
  {
    title: 'Memory requested',
    render: n => {
      const [req, alloc] = pick(n);
      return <Usage used={req.memory} total={alloc.memory} format={gib} />;
    },
  },
  {
    title: 'GPUs requested',
    render: n => {
      const [req, alloc] = pick(n);
      return alloc.gpu ? (
        <Usage used={req.gpu ?? 0} total={alloc.gpu} format={String} />
      ) : (
        '—'
      );
    },
  },
];

function ClusterCard({ cluster }: { cluster: string }) {
  const api = useApi(clustersApiRef);
  const { value, loading, error } = useAsync(
    () => api.getClusterOverview(cluster),
    [api, cluster],
  );
  if (loading) return <Progress />;
  if (error)
    return <ResponseErrorPanel error={error} title={`Cluster ${cluster}`} />;
  if (!value) return null;
  const columns: TableColumn<NodeOverview>[] = [
    { title: 'Node', field: 'name' },
    { title: 'Ready', render: n => (n.ready ? 'Ready' : 'NotReady') },
    { title: 'Roles', render: n => n.roles.join(', ') },
    { title: 'Pods', field: 'podCount', type: 'numeric' },
    ...usageColumns(n => [n.requests, n.allocatable]),
  ];
  return (
    <InfoCard
      title={cluster}
      subheader={`${value.nodes.length} nodes, ${value.namespaces.length} namespaces`}
    >
      <Box mb={2} display="flex" style={{ gap: 8 }} flexWrap="wrap">
        {Object.entries(value.podsByPhase).map(([phase, count]) => (
          <Chip key={phase} label={`${phase}: ${count}`} size="small" />
        ))}
      </Box>
      <Box mb={2} display="flex" style={{ gap: 32 }}>
        <Usage
          label="CPU requested"
          used={value.totals.requests.cpu}
          total={value.totals.allocatable.cpu}
          format={cores}
        />
        <Usage
          label="Memory requested"
          used={value.totals.requests.memory}
          total={value.totals.allocatable.memory}
          format={gib}
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
  const { value, loading, error } = useAsync(() => api.listClusters(), [api]);
  return (
    <Page themeId="tool">
      <Header
        title="Clusters"
        subtitle="Nodes, capacity against requests, namespaces and pods"
      />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.clusters.length === 0 && (
          <EmptyState
            missing="data"
            title="No clusters configured"
            description="Add clusters under kubernetes.clusterLocatorMethods in app-config.yaml."
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
