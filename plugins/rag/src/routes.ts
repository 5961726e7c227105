import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Knowledge assistant page (`/knowledge`). */
export const ragRouteRef = createRouteRef();
