import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { CompareTab } from '../Compare/CompareTab';
import { DatasetsTab } from '../Datasets/DatasetsTab';
import { JobDetailsPage } from '../JobDetails/JobDetailsPage';
import { JobsTab } from '../Jobs/JobsTab';
import { LaunchTab } from '../Launch/LaunchTab';
import { ModelsTab } from '../Models/ModelsTab';
import { SweepPage, SweepsTab } from '../Sweeps/SweepsTab';
import { useFinetuningBase } from './base';

export const TABS = [
  { id: 'jobs', label: 'Jobs', path: '' },
  { id: 'launch', label: 'Launch', path: '/launch' },
  { id: 'datasets', label: 'Datasets', path: '/datasets' },
  { id: 'compare', label: 'Compare', path: '/compare' },
  { id: 'sweeps', label: 'Sweeps', path: '/sweeps' },
  { id: 'models', label: 'Models', path: '/models' },
];

/** The tab of a path below the page (`/sweeps/x` → Sweeps, `/jobs/x` → Jobs). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    t => t.path && (rest === t.path || rest.startsWith(`${t.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "Fine-tuning": jobs with queue state (and a job's details with live curves and logs),
 * the launch form, datasets, run comparison, sweeps and served models — each tab its own route.
 */
export function FinetuningPage() {
  const base = useFinetuningBase();
  const location = useLocation();
  const navigate = useNavigate();
  const rest = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  return (
    <Page themeId="tool">
      <Header
        title="Fine-tuning"
        subtitle="LoRA jobs on Kubeflow, queued by Kueue, tracked in MLflow, served through Ollama"
      />
      <HeaderTabs
        tabs={TABS.map(t => ({ id: t.id, label: t.label }))}
        selectedIndex={tabIndexOf(rest)}
        onChange={i => navigate(`${base}${TABS[i].path}` || '/')}
      />
      <Content>
        <Routes>
          <Route path="/" element={<JobsTab />} />
          <Route path="/jobs/:id" element={<JobDetailsPage />} />
          <Route path="/launch" element={<LaunchTab />} />
          <Route path="/datasets" element={<DatasetsTab />} />
          <Route path="/compare" element={<CompareTab />} />
          <Route path="/sweeps" element={<SweepsTab />} />
          <Route path="/sweeps/:id" element={<SweepPage />} />
          <Route path="/models" element={<ModelsTab />} />
          <Route path="*" element={<JobsTab />} />
        </Routes>
      </Content>
    </Page>
  );
}
