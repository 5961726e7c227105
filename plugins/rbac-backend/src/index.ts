/**
 * Kubemate RBAC backend: the portal's role-based permission policy (a permission backend
 * module), the roles REST API, the audit log and the Kubernetes RBAC sync.
 *
 * `backend.add(import('@kubemate/plugin-rbac-backend'))` installs both the plugin and the policy.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { rbacPlugin } from './plugin';
import { rbacPolicyModule } from './policy';

export { rbacPlugin } from './plugin';
export { rbacPolicyModule, RbacPermissionPolicy } from './policy';
export { DefaultRbacEngine } from './services/RbacEngine';
export type { RbacEngine, RbacUser, Evaluation } from './services/RbacEngine';
export {
  kubernetesRulesFor,
  serviceAccountName,
  kubernetesRoleName,
} from './services/KubernetesRbacSync';

export default createBackendFeatureLoader({
  *loader() {
    yield rbacPlugin;
    yield rbacPolicyModule;
  },
});
