import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef, useTranslationRef } from '@backstage/frontend-plugin-api';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { gpuRouteRef } from '../../routes';
import { gpuTranslationRef } from '../../translation';
import { ApprovalsInbox } from '../ApprovalsInbox';
import { RequestsTab } from '../Requests';
import { UtilizationTab } from '../Utilization';
import { QueueTab } from '../Workloads';
import { OverviewTab } from './OverviewTab';

/** Where the page is mounted when the route ref cannot be resolved (tests). */
export const DEFAULT_BASE = '/gpus';

/** The tabs (their labels: `page.tabs.<id>`). */
export const TABS = [
  { id: 'overview', path: '' },
  { id: 'queue', path: '/queue' },
  { id: 'utilization', path: '/utilization' },
  { id: 'requests', path: '/requests' },
  { id: 'approvals', path: '/approvals' },
] as const;

/** The tab of a path below the page (`/approvals` → Approvals). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    tab => tab.path && (rest === tab.path || rest.startsWith(`${tab.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "GPUs": team quotas against usage with the borrowed share and capacity by model; the queue
 * with Kueue's pending reasons and positions; utilization over time and idle GPUs; quota requests;
 * the approvals inbox — each tab its own route.
 */
export function GpuPage() {
  const base = (useRouteRef(gpuRouteRef)?.() ?? DEFAULT_BASE).replace(
    /\/$/,
    '',
  );
  const { t } = useTranslationRef(gpuTranslationRef);
  const location = useLocation();
  const navigate = useNavigate();
  const rest = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <HeaderTabs
        tabs={TABS.map(tab => ({
          id: tab.id,
          label: t(`page.tabs.${tab.id}`),
        }))}
        selectedIndex={tabIndexOf(rest)}
        onChange={i => navigate(`${base}${TABS[i].path}` || '/')}
      />
      <Content>
        <Routes>
          <Route path="/" element={<OverviewTab />} />
          <Route path="/queue" element={<QueueTab />} />
          <Route path="/utilization" element={<UtilizationTab />} />
          <Route path="/requests" element={<RequestsTab />} />
          <Route path="/approvals" element={<ApprovalsInbox />} />
          <Route path="*" element={<OverviewTab />} />
        </Routes>
      </Content>
    </Page>
  );
}
