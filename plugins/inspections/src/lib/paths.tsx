import { createContext, ReactNode, useContext, useMemo } from 'react';

/** Links between the tabs of the Inspections page, below where the page is mounted. */
export interface InspectionsPaths {
  overview: string;
  runs: string;
  run: (id: string) => string;
  compare: (base?: string, head?: string) => string;
  exemptions: string;
  checks: string;
}

export function inspectionsPaths(base: string): InspectionsPaths {
  const b = base.replace(/\/$/, '');
  return {
    overview: b || '/',
    runs: `${b}/runs`,
    run: id => `${b}/runs/${encodeURIComponent(id)}`,
    compare: (baseRun, headRun) => {
      const q = new URLSearchParams();
      if (baseRun) q.set('base', baseRun);
      if (headRun) q.set('head', headRun);
      const s = q.toString();
      return `${b}/compare${s ? `?${s}` : ''}`;
    },
    exemptions: `${b}/exemptions`,
    checks: `${b}/checks`,
  };
}

const PathsContext = createContext<InspectionsPaths>(inspectionsPaths(''));

/** Provides the paths of the page mounted at `base` (e.g. `/inspections`). */
export function InspectionsPathsProvider(props: {
  base: string;
  children: ReactNode;
}) {
  const paths = useMemo(() => inspectionsPaths(props.base), [props.base]);
  return (
    <PathsContext.Provider value={paths}>
      {props.children}
    </PathsContext.Provider>
  );
}

export const useInspectionsPaths = () => useContext(PathsContext);
