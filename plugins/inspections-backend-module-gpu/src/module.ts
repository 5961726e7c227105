import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { inspectionsChecksExtensionPoint } from '@kubemate/plugin-inspections-node';
import { createGpuIdleCheck } from './check';
import { DefaultIdleGpuSource } from './client';

/**
 * Adds the GPU quota capability's check to the inspections: `application.gpu-idle` (GPUs
 * allocated to pods but nearly unused), read from the gpu backend with the inspections plugin's
 * service token.
 */
export const inspectionsModuleGpu = createBackendModule({
  pluginId: 'inspections',
  moduleId: 'gpu',
  register(reg) {
    reg.registerInit({
      deps: {
        inspections: inspectionsChecksExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ inspections, discovery, auth }) {
        inspections.addChecks(
          createGpuIdleCheck(new DefaultIdleGpuSource({ discovery, auth })),
        );
      },
    });
  },
});
