import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the Fine-tuning page (`/finetuning`). */
export const finetuningRouteRef = createRouteRef();
