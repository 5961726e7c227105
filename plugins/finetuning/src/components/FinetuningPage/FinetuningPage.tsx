import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { finetuningTranslationRef } from '../../translation';
import { CompareTab } from '../Compare/CompareTab';
import { DatasetsTab } from '../Datasets/DatasetsTab';
import { JobDetailsPage } from '../JobDetails/JobDetailsPage';
import { JobsTab } from '../Jobs/JobsTab';
import { LaunchTab } from '../Launch/LaunchTab';
import { ModelsTab } from '../Models/ModelsTab';
import { SweepPage, SweepsTab } from '../Sweeps/SweepsTab';
import { useFinetuningBase } from './base';

export const TABS = [
  { id: 'jobs', path: '' },
  { id: 'launch', path: '/launch' },
  { id: 'datasets', path: '/datasets' },
  { id: 'compare', path: '/compare' },
  { id: 'sweeps', path: '/sweeps' },
  { id: 'models', path: '/models' },
] as const;

/** The tab of a path below the page (`/sweeps/x` → Sweeps, `/jobs/x` → Jobs). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    tab => tab.path && (rest === tab.path || rest.startsWith(`${tab.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "Fine-tuning": jobs with queue state (and a job's details with live curves and logs),
 * the launch form, datasets, run comparison, sweeps and served models — each tab its own route.
 */
export function FinetuningPage() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const base = useFinetuningBase();
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
          label: t(`page.tabs.${tab.id}` as const),
        }))}
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
