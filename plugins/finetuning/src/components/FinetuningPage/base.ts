import { useRouteRef } from '@backstage/frontend-plugin-api';
import { finetuningRouteRef } from '../../routes';

/** Where the page is mounted when the route ref cannot be resolved (tests, entity tab). */
export const DEFAULT_BASE = '/finetuning';

/** The page's mount path without a trailing slash (`/finetuning`). */
export function useFinetuningBase(): string {
  return (useRouteRef(finetuningRouteRef)?.() ?? DEFAULT_BASE).replace(
    /\/$/,
    '',
  );
}
