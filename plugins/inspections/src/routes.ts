import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Inspections page (`/inspections`). */
export const inspectionsRouteRef = createRouteRef();
