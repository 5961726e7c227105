import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ClusterErrorsPanel,
  TranslatedErrorPanel,
  useErrorMessage,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
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
import { canaryTranslationRef } from '../../translation';

const WINDOWS = [
  { hours: 24, label: 'last24h' },
  { hours: 168, label: 'last7d' },
  { hours: 720, label: 'last30d' },
] as const;

/**
 * Page "Releases": every release progressing, waiting for approval or failed within the window,
 * across the namespaces the user may read, with links to the entities' Releases tabs.
 */
export function ReleasesPage() {
  const { t } = useTranslationRef(canaryTranslationRef);
  const { dateTime } = useFormatters();
  const errorMessage = useErrorMessage();
  const [windowHours, setWindowHours] = useState(168);
  const [phase, setPhase] = useState<CanaryPhase | 'all'>('all');
  const overview = useReleasesOverview(windowHours);
  const items = overview.value?.items ?? [];
  const shown = phase === 'all' ? items : items.filter(r => r.phase === phase);

  const columns: TableColumn<ReleaseSummary>[] = [
    { title: t('page.columns.cluster'), field: 'cluster' },
    { title: t('page.columns.namespace'), field: 'namespace' },
    {
      title: t('page.columns.release'),
      field: 'name',
      render: r =>
        r.entityRef ? (
          <Link to={entityReleasesLink(r.entityRef)}>{r.name}</Link>
        ) : (
          r.name
        ),
    },
    {
      title: t('page.columns.phase'),
      field: 'phase',
      render: r => <PhaseLabel phase={r.phase} />,
    },
    {
      title: t('page.columns.weight'),
      field: 'canaryWeight',
      render: r =>
        r.maxWeight
          ? t('page.weightOf', {
              weight: String(r.canaryWeight),
              max: String(r.maxWeight),
            })
          : `${r.canaryWeight}%`,
    },
    {
      title: t('page.columns.waitingGate'),
      render: r => waitingGate(r)?.type ?? '—',
    },
    {
      title: t('page.columns.lastTransition'),
      field: 'lastTransitionTime',
      defaultSort: 'desc',
      render: r => formatTime(dateTime, r.lastTransitionTime),
    },
  ];

  let body;
  if (overview.loading && !overview.value) body = <Progress />;
  else if (overview.error && !overview.value) {
    body = <TranslatedErrorPanel error={overview.error} />;
  } else {
    body = (
      <>
        <ClusterErrorsPanel errors={overview.value?.errors ?? []} />
        {overview.error && (
          <WarningPanel
            severity="warning"
            title={t('common.refreshFailed')}
            message={errorMessage(overview.error)}
          />
        )}
        <Table<ReleaseSummary>
          title={t('page.tableTitle', {
            shown: String(shown.length),
            total: String(items.length),
          })}
          options={{ paging: shown.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={shown.map(r => ({ ...r, id: keyOf(r) }))}
          emptyContent={
            <Box p={2}>
              <Typography>
                {items.length ? t('page.noneInPhase') : t('page.none')}
              </Typography>
            </Box>
          }
        />
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <ContentHeader title="">
          <Box display="flex">
            <Box mr={2} minWidth={180}>
              <TextField
                select
                label={t('page.phase')}
                value={phase}
                onChange={e => setPhase(e.target.value as CanaryPhase | 'all')}
                fullWidth
                SelectProps={{
                  SelectDisplayProps: {
                    'aria-label': t('page.filterByPhase'),
                  } as any,
                }}
              >
                <MenuItem value="all">{t('page.allPhases')}</MenuItem>
                {ALL_PHASES.map(p => (
                  <MenuItem key={p} value={p}>
                    {t(`phases.${p}`)}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
            <Box minWidth={160}>
              <TextField
                select
                label={t('page.window')}
                value={windowHours}
                onChange={e => setWindowHours(Number(e.target.value))}
                fullWidth
              >
                {WINDOWS.map(w => (
                  <MenuItem key={w.hours} value={w.hours}>
                    {t(`page.windows.${w.label}`)}
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
