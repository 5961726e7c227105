import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the Local stack page (`/local-stack`). */
export const localstackRouteRef = createRouteRef();
