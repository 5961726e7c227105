import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the GPUs page (`/gpus`). */
export const gpuRouteRef = createRouteRef();
