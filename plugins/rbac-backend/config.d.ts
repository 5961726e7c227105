export interface Config {
  kubemate?: {
    rbac?: {
      /**
       * Bootstrap administrators: the read-only role `bootstrap-admin` (every permission, all
       * namespaces) is granted to these users and groups. Keep at least one group here so the portal
       * can never be locked out.
       */
      admins?: {
        /**
         * Group refs, e.g. group:default/platform-admins
         * @default []
         */
        groups?: string[];
        /**
         * User refs
         * @default []
         */
        users?: string[];
      };
      /**
       * Role files (GitOps), relative to the backend's working directory. Roles declared in them
       * are read-only in the UI; a file that does not validate keeps the last valid version in force.
       * @default []
       */
      roleFiles?: string[];
      /**
       * Backend plugins whose registered permissions make up the permission catalogue.
       * @default catalog, scaffolder, kubernetes, rbac and the plugin of every registered RBAC capability (clusters, metrics, logs, traces, pipelines)
       */
      permissionSources?: string[];
      kubernetes?: {
        /**
         * Run the Kubernetes RBAC sync (default true when credentials are configured).
         * @default true when `credentials` has an entry, else false
         */
        enabled?: boolean;
        /**
         * Seconds between scheduled reconciliations (default 60).
         * @default 60
         */
        reconcileIntervalSeconds?: number;
        /**
         * Name of this portal instance (default kubemate): Kubernetes objects are named
         * `<instance>:<role>` and labelled with it, so two portals (or a test run) sharing a
         * cluster never touch each other's objects.
         * @default kubemate
         */
        instance?: string;
        /**
         * Namespace of the per-user ServiceAccounts (default kubemate-users).
         * @default kubemate-users
         */
        serviceAccountNamespace?: string;
        /**
         * Per cluster: the token of an identity allowed to manage RBAC objects and
         * ServiceAccounts (it needs the `bind` and `escalate` verbs). Clusters without one are
         * reported as not configured.
         * @default []
         */
        credentials?: Array<{
          cluster: string;
          /** @visibility secret */
          serviceAccountToken: string;
        }>;
      };
    };
  };
}
