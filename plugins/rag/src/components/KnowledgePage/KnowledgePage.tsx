import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { DEFAULT_BASE, RagPathsProvider } from '../../lib/paths';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { ragRouteRef } from '../../routes';
import { AskView } from '../AskView';
import { CollectionDetail } from '../CollectionDetail';
import { CollectionsTab } from '../CollectionsTab';
import { StatusTab } from '../StatusTab';

const TABS = [
  { id: 'ask', path: '' },
  { id: 'collections', path: '/collections' },
  { id: 'status', path: '/status' },
] as const;

/** The tab of a path below the page (`/collections/x` → Knowledge bases). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    tab => tab.path && (rest === tab.path || rest.startsWith(`${tab.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "Knowledge assistant": Ask (streamed answers with their sources, feedback, history), the
 * knowledge bases (documents, uploads with progress, re-index, delete) and the status of the
 * servers it needs — each tab its own route.
 */
export function KnowledgePage() {
  const { t } = useRagTranslation();
  const base = (useRouteRef(ragRouteRef)?.() ?? DEFAULT_BASE).replace(
    /\/$/,
    '',
  );
  const location = useLocation();
  const navigate = useNavigate();
  const rest = location.pathname.startsWith(base)
    ? location.pathname.slice(base.length)
    : location.pathname;
  const selected = tabIndexOf(rest);

  return (
    <RagPathsProvider base={base}>
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
          <Routes>
            <Route path="/" element={<AskView />} />
            <Route path="/collections" element={<CollectionsTab />} />
            <Route path="/collections/:name" element={<CollectionDetail />} />
            <Route path="/status" element={<StatusTab />} />
            <Route path="*" element={<AskView />} />
          </Routes>
        </Content>
      </Page>
    </RagPathsProvider>
  );
}
