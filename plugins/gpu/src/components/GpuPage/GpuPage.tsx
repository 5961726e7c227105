import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { gpuRouteRef } from '../../routes';
import { ApprovalsInbox } from '../ApprovalsInbox';
import { RequestsTab } from '../Requests';
import { UtilizationTab } from '../Utilization';
import { QueueTab } from '../Workloads';
import { OverviewTab } from './OverviewTab';

/** Where the page is mounted when the route ref cannot be resolved (tests). */
export const DEFAULT_BASE = '/gpus';

export const TABS = [
  { id: 'overview', label: 'Quotas & capacity', path: '' },
  { id: 'queue', label: 'Queue', path: '/queue' },
  { id: 'utilization', label: 'Utilization', path: '/utilization' },
  { id: 'requests', label: 'Requests', path: '/requests' },
  { id: 'approvals', label: 'Approvals', path: '/approvals' },
];

/** The tab of a path below the page (`/approvals` → Approvals). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    t => t.path && (rest === t.path || rest.startsWith(`${t.path}/`)),
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
  const location = useLocation();
  const navigate = useNavigate();
  const rest = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  return (
    <Page themeId="tool">
      <Header
        title="GPUs"
        subtitle="GPU quotas per team (Kueue), the queue, utilization and quota requests"
      />
      <HeaderTabs
        tabs={TABS.map(t => ({ id: t.id, label: t.label }))}
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
