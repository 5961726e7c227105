import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import { ClusterErrorsPanel } from '@kubemate/plugin-kubemate-react';
import type {
  CanaryPhase,
  ReleaseSummary,
} from '@kubemate/plugin-canary-common';
import { useReleasesOverview } from '../../hooks';
import {
  ALL_PHASES,
  entityReleasesLink,
  formatTime,
  keyOf,
  waitingGate,
} from '../../lib/releases';
import { PhaseLabel } from '../PhaseLabel';

const WINDOWS = [
  { hours: 24, label: 'last 24 hours' },
  { hours: 168, label: 'last 7 days' },
  { hours: 720, label: 'last 30 days' },
];

/**
 * Page "Releases": every release progressing, waiting for approval or failed within the window,
 * across the namespaces the user may read, with links to the entities' Releases tabs.
 */
export function ReleasesPage() {
  const [windowHours, setWindowHours] = useState(168);
  const [phase, setPhase] = useState<CanaryPhase | 'all'>('all');
  const overview = useReleasesOverview(windowHours);
  const items = overview.value?.items ?? [];
  const shown = phase === 'all' ? items : items.filter(r => r.phase === phase);

  const columns: TableColumn<ReleaseSummary>[] = [
    { title: 'Cluster', field: 'cluster' },
    { title: 'Namespace', field: 'namespace' },
    {
      title: 'Release',
      field: 'name',
      render: r =>
        r.entityRef ? (
          <Link to={entityReleasesLink(r.entityRef)}>{r.name}</Link>
        ) : (
          r.name
        ),
    },
    {
      title: 'Phase',
      field: 'phase',
      render: r => <PhaseLabel phase={r.phase} />,
    },
    {
      title: 'Weight',
      field: 'canaryWeight',
      render: r =>
        `${r.canaryWeight}%${r.maxWeight ? ` of ${r.maxWeight}%` : ''}`,
    },
    {
      title: 'Waiting gate',
      render: r => waitingGate(r)?.type ?? '—',
    },
    {
      title: 'Last transition',
      field: 'lastTransitionTime',
      defaultSort: 'desc',
      render: r => formatTime(r.lastTransitionTime),
    },
  ];

  let body;
  if (overview.loading && !overview.value) body = <Progress />;
  else if (overview.error && !overview.value) {
    body = <ResponseErrorPanel error={overview.error} />;
  } else {
    body = (
      <>
        <ClusterErrorsPanel errors={overview.value?.errors ?? []} />
        {overview.error && (
          <WarningPanel
            severity="warning"
            title="Refreshing the releases failed; showing the last result"
            message={overview.error.message}
          />
        )}
        <Table<ReleaseSummary>
          title={`Releases (${shown.length} of ${items.length})`}
          options={{ paging: shown.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={shown.map(r => ({ ...r, id: keyOf(r) }))}
          emptyContent={
            <Box p={2}>
              <Typography>
                {items.length
                  ? 'No release in this phase.'
                  : 'No release progressing, waiting for approval or failed in this window, in the namespaces you may see.'}
              </Typography>
            </Box>
          }
        />
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Releases"
        subtitle="Canary releases progressing, waiting for approval or failed"
      />
      <Content>
        <ContentHeader title="">
          <Box display="flex">
            <Box mr={2} minWidth={180}>
              <TextField
                select
                label="Phase"
                value={phase}
                onChange={e => setPhase(e.target.value as CanaryPhase | 'all')}
                fullWidth
                SelectProps={{
                  SelectDisplayProps: {
                    'aria-label': 'Filter by phase',
                  } as any,
                }}
              >
                <MenuItem value="all">All phases</MenuItem>
                {ALL_PHASES.map(p => (
                  <MenuItem key={p} value={p}>
                    {p}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
            <Box minWidth={160}>
              <TextField
                select
                label="Window"
                value={windowHours}
                onChange={e => setWindowHours(Number(e.target.value))}
                fullWidth
              >
                {WINDOWS.map(w => (
                  <MenuItem key={w.hours} value={w.hours}>
                    {w.label}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
          </Box>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
}
