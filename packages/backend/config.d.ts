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
  auth?: {
    providers?: {
      /** Development-only demo sign-in, keyed by auth environment. */
      demo?: {
        [authEnvironment: string]: {
          /**
           * Names of catalog User entities a person may sign in as (shown by the sign-in page).
           * @visibility frontend
           */
          users: string[];
        };
      };
    };
  };
}
