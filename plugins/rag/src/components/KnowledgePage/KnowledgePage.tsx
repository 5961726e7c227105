import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Content, Header, HeaderTabs, Page } from '@backstage/core-components';
import { DEFAULT_BASE, RagPathsProvider } from '../../lib/paths';
import { ragRouteRef } from '../../routes';
import { AskView } from '../AskView';
import { CollectionDetail } from '../CollectionDetail';
import { CollectionsTab } from '../CollectionsTab';
import { StatusTab } from '../StatusTab';

const TABS = [
  { id: 'ask', label: 'Ask', path: '' },
  { id: 'collections', label: 'Knowledge bases', path: '/collections' },
  { id: 'status', label: 'Status', path: '/status' },
];

/** The tab of a path below the page (`/collections/x` → Knowledge bases). */
export function tabIndexOf(rest: string): number {
  const i = TABS.findIndex(
    t => t.path && (rest === t.path || rest.startsWith(`${t.path}/`)),
  );
  return i < 0 ? 0 : i;
}

/**
 * Page "Knowledge assistant": Ask (streamed answers with their sources, feedback, history), the
 * knowledge bases (documents, uploads with progress, re-index, delete) and the status of the
 * servers it needs — each tab its own route.
 */
export function KnowledgePage() {
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
        <Header
          title="Knowledge assistant"
          subtitle="Answers from your teams' documents, with their sources"
        />
        <HeaderTabs
          tabs={TABS.map(t => ({ id: t.id, label: t.label }))}
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
