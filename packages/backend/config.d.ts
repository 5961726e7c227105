export interface Config {
  kubemate?: {
    permissions?: {
      /**
       * Entity refs of groups whose members may do everything until the RBAC plugin's roles take
       * over, e.g. `group:default/platform-admins`.
       */
      adminGroups?: string[];
    };
  };
}
