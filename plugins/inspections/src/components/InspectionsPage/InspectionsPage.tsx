import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Content,
  ContentHeader,
  Header,
  HeaderTabs,
  Page,
} from '@backstage/core-components';
import { useClusters } from '../../hooks';
import { InspectionsPathsProvider } from '../../lib/paths';
import { inspectionsRouteRef } from '../../routes';
import { inspectionsTranslationRef } from '../../translation';
import { ChecksTab } from '../ChecksTab';
import { CompareTab } from '../CompareTab';
import { ExemptionsTab } from '../ExemptionsTab';
import { OverviewTab } from '../OverviewTab';
import { RunDetail } from '../RunDetail';
import { RunNowButton } from '../RunNowDialog';
import { RunsTab } from '../RunsTab';

/** Where the page is mounted when the app does not say (e.g. rendered alone). */
export const DEFAULT_BASE = '/inspections';

/** The tabs (their labels in the translation ref, `page.tabs.<id>`). */
const TABS = [
  { id: 'overview', path: '' },
  { id: 'runs', path: '/runs' },
  { id: 'compare', path: '/compare' },
  { id: 'exemptions', path: '/exemptions' },
  { id: 'checks', path: '/checks' },
] as const;

/** The tab of a path below the page (`/runs/r1` → Runs). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    t => t.path && (rest === t.path || rest.startsWith(`${t.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "Inspections": cluster cards with grade and trend, runs, a run's report, comparing two
 * runs, the exemption register and the check catalogue — each tab its own route — with Run now.
 */
export function InspectionsPage() {
  const base = (useRouteRef(inspectionsRouteRef)?.() ?? DEFAULT_BASE).replace(
    /\/$/,
    '',
  );
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const location = useLocation();
  const navigate = useNavigate();
  const clusters = useClusters();
  const names = (clusters.value?.clusters ?? []).map(c => c.cluster);
  const rest = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  const selected = tabIndexOf(rest);

  return (
    <InspectionsPathsProvider base={base}>
      <Page themeId="tool">
        <Header title={t('page.title')} subtitle={t('page.subtitle')} />
        <HeaderTabs
          tabs={TABS.map(tab => ({
            id: tab.id,
            label: t(`page.tabs.${tab.id}`),
          }))}
          selectedIndex={selected}
          onChange={i => navigate(`${base}${TABS[i].path}` || '/')}
        />
        <Content>
          <ContentHeader title={t(`page.tabs.${TABS[selected].id}`)}>
            <RunNowButton clusters={names} />
          </ContentHeader>
          <Routes>
            <Route path="/" element={<OverviewTab clusters={clusters} />} />
            <Route path="/runs" element={<RunsTab />} />
            <Route path="/runs/:id" element={<RunDetail />} />
            <Route path="/compare" element={<CompareTab />} />
            <Route path="/exemptions" element={<ExemptionsTab />} />
            <Route path="/checks" element={<ChecksTab />} />
            <Route path="*" element={<OverviewTab clusters={clusters} />} />
          </Routes>
        </Content>
      </Page>
    </InspectionsPathsProvider>
  );
}
