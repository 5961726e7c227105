export interface Config {
  kubemate?: {
    /** Provisioning by the software templates' kubemate:* actions (scaffolder module). */
    provisioning?: {
      /**
       * The Kubernetes identity the portal impersonates to provision (after checking the
       * initiating user's provisioning.* permission on every namespace). Default
       * `kubemate:provisioner` (no group); it needs create/get/patch on namespaces,
       * resourcequotas, services, deployments, Tekton pipelines and triggers.
       */
      identity?: {
        /** @default kubemate:provisioner */
        user?: string;
        /** @default [] */
        groups?: string[];
      };
      /**
       * Where each environment lives: namespaces are `<service>-<environment>` in that cluster.
       * E.g. `{ dev: { cluster: dev-cluster }, prod: { cluster: prod-cluster } }`.
       */
      environments?: {
        [environment: string]: {
          cluster: string;
        };
      };
      rbac?: {
        /**
         * Permissions a template may grant a team on its own service's namespaces (anything
         * else is refused, so a template cannot hand out administration).
         * @default []
         */
        grantablePermissions?: string[];
        /**
         * Granted when the template names none.
         * @default []
         */
        defaultPermissions?: string[];
      };
      git?: {
        /**
         * A Git host with `/api/repos` (create), `/git/<name>.git` (smart HTTP) and
         * `/raw/<name>/<ref>/<path>` — the dev stack's local Git host.
         */
        baseUrl?: string;
      };
      /** The Flagger canary of kubemate:canary:apply. */
      canary?: {
        /**
         * The canary backend's base URL as Flagger reaches it, for the promotion gate webhook
         * (`<url>/gates/<cluster>/confirm-promotion`). Default: the discovery's URL of the
         * `canary` plugin (`<backend>/api/canary`), right when Flagger runs next to the backend
         * (the dev stack); set it when Flagger runs in the cluster.
         */
        gateBaseUrl?: string;
        /**
         * The Gateway the canary's HTTPRoute attaches to (Flagger's `service.gatewayRefs`); its
         * namespace defaults to the service's namespace.
         */
        gateway?: {
          /** @default kubemate-gateway */
          name?: string;
          namespace?: string;
        };
      };
      triggers?: {
        /**
         * The URL the Git host sends a service's push events to, with `{cluster}`, `{namespace}`
         * and `{name}` (of the EventListener) replaced. Default: the EventListener's in-cluster
         * Service, `http://el-{name}.{namespace}.svc.cluster.local:8080`. The dev stack writes
         * its EventListener gateway's URL.
         * @default http://el-{name}.{namespace}.svc.cluster.local:8080
         */
        listenerUrl?: string;
      };
    };
  };
}
