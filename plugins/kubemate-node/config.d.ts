export interface Config {
  kubemate?: {
    kubernetes?: {
      /**
       * How a signed-in Backstage user is presented to Kubernetes when the portal acts on their
       * behalf (impersonation on top of the portal's service account token).
       */
      identity?: {
        /**
         * Prefix of the impersonated user name; `user:default/alice` becomes `<prefix>alice`
         * (users of other catalog namespaces: `<prefix><namespace>/<name>`).
         * @default kubemate:user:
         */
        userPrefix?: string;
        /**
         * Prefix of each impersonated group; every group in the user's ownership refs
         * (`group:default/team-payments`) becomes `<prefix>team-payments`.
         * @default kubemate:group:
         */
        groupPrefix?: string;
        /**
         * Groups added to every impersonated user (for example a cluster-wide viewers group).
         * @default []
         */
        extraGroups?: string[];
      };
    };
  };
}
