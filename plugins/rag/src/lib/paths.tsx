import { createContext, ReactNode, useContext, useMemo } from 'react';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { ragRouteRef } from '../routes';

/** Where the page is mounted when the app does not say (e.g. rendered alone). */
export const DEFAULT_BASE = '/knowledge';

/** The scaffolder template that creates a knowledge base (templates/rag-knowledge-base). */
export const TEMPLATE_PATH = '/create/templates/default/rag-knowledge-base';

/** Links between the tabs of the Knowledge assistant page, below where it is mounted. */
export interface RagPaths {
  ask: string;
  /** the Ask tab showing one answer of the history */
  answer: (id: string) => string;
  collections: string;
  /** the Knowledge bases tab with the New knowledge base dialog open */
  newCollection: string;
  collection: (name: string) => string;
  status: string;
}

export function ragPaths(base: string): RagPaths {
  const b = base.replace(/\/$/, '');
  return {
    ask: b || '/',
    answer: id => `${b || ''}?answer=${encodeURIComponent(id)}`,
    collections: `${b}/collections`,
    newCollection: `${b}/collections?new=1`,
    collection: name => `${b}/collections/${encodeURIComponent(name)}`,
    status: `${b}/status`,
  };
}

const PathsContext = createContext<RagPaths | undefined>(undefined);

/** Provides the paths of the page mounted at `base`. */
export function RagPathsProvider(props: { base: string; children: ReactNode }) {
  const paths = useMemo(() => ragPaths(props.base), [props.base]);
  return (
    <PathsContext.Provider value={paths}>
      {props.children}
    </PathsContext.Provider>
  );
}

/** The page's paths: from the provider, else from the plugin's route (e.g. in the entity tab). */
export function useRagPaths(): RagPaths {
  const provided = useContext(PathsContext);
  const mounted = useRouteRef(ragRouteRef)?.();
  return useMemo(
    () => provided ?? ragPaths(mounted ?? DEFAULT_BASE),
    [provided, mounted],
  );
}
