import {
  createBackendModule,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import { RbacCapability } from '@kubemate/plugin-kubemate-common';

/**
 * How capabilities extend RBAC administration without the rbac plugin knowing them: each one
 * contributes its backend plugin id (whose permission metadata the permission catalogue reads),
 * its permissions and their Kubernetes RBAC rules (what the RBAC sync grants in a role's
 * namespaces). Registered by the rbac backend plugin.
 */
export interface RbacCapabilitiesExtensionPoint {
  addCapability(capability: RbacCapability): void;
}

export const rbacCapabilitiesExtensionPoint =
  createExtensionPoint<RbacCapabilitiesExtensionPoint>({
    id: 'rbac.capabilities',
  });

/**
 * A backend module of the rbac plugin contributing one capability — what a capability backend
 * exports (e.g. `clustersRbacModule`) and the backend adds next to the capability's plugin.
 */
export function createRbacCapabilityModule(capability: RbacCapability) {
  return createBackendModule({
    pluginId: 'rbac',
    moduleId: `${capability.pluginId}-capability`,
    register(reg) {
      reg.registerInit({
        deps: { rbac: rbacCapabilitiesExtensionPoint },
        async init({ rbac }) {
          rbac.addCapability(capability);
        },
      });
    },
  });
}
