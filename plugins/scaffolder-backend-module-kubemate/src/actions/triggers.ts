import { MANAGED_BY, Target } from '../services/Provisioner';

/** What a push to the service's repository starts: its pipeline with these params. */
export const TRIGGER_PARAMS = [
  {
    name: 'revision',
    value: '$(body.after)',
    description: 'The pushed commit',
  },
  {
    name: 'branch',
    value: '$(extensions.branch)',
    description: 'The pushed branch',
  },
  {
    name: 'repo-url',
    value: '$(body.repository.clone_url)',
    description: 'Clone URL of the repository',
  },
  {
    name: 'image-tag',
    value: '$(body.after)',
    description: 'Tag of the pushed image (the commit)',
  },
] as const;

/** Names of a service's trigger objects in each of its namespaces. */
export const triggerNames = (service: string) => ({
  secret: `${service}-webhook`,
  serviceAccount: `${service}-listener`,
  roleBinding: `${service}-listener`,
  binding: `${service}-push`,
  template: `${service}-run`,
  listener: `${service}-listener`,
});

/** Key of the webhook secret in its Secret. */
export const WEBHOOK_SECRET_KEY = 'token';

/** Upstream's ClusterRole with what an EventListener's sink needs in its namespace. */
export const EVENTLISTENER_ROLE = 'tekton-triggers-eventlistener-roles';

/**
 * Tekton Triggers objects that start the service's pipeline on a push to its repository:
 * the webhook Secret, the listener's ServiceAccount bound to upstream's EventListener role, a
 * TriggerBinding of the push payload (GitHub's format), a TriggerTemplate of the PipelineRun and
 * the EventListener — its `github` interceptor accepts only `push` events signed with the
 * secret (X-Hub-Signature-256), its `cel` interceptor keeps branch pushes and extracts the branch.
 */
export function triggerObjects(
  input: { service: string; pipeline: string },
  t: Target,
  webhookSecret: string,
) {
  const n = triggerNames(input.service);
  const labels = {
    ...MANAGED_BY,
    app: input.service,
    'backstage.io/kubernetes-id': input.service,
    'kubemate.io/environment': t.environment,
  };
  const meta = (name: string) => ({ name, namespace: t.namespace, labels });
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(n.secret),
      type: 'Opaque',
      data: {
        [WEBHOOK_SECRET_KEY]: Buffer.from(webhookSecret).toString('base64'),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(n.serviceAccount),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(n.roleBinding),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: EVENTLISTENER_ROLE,
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: n.serviceAccount,
          namespace: t.namespace,
        },
      ],
    },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerBinding',
      metadata: meta(n.binding),
      spec: {
        params: TRIGGER_PARAMS.map(({ name, value }) => ({ name, value })),
      },
    },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerTemplate',
      metadata: meta(n.template),
      spec: {
        params: TRIGGER_PARAMS.map(({ name, description }) => ({
          name,
          description,
        })),
        resourcetemplates: [
          {
            apiVersion: 'tekton.dev/v1',
            kind: 'PipelineRun',
            metadata: {
              generateName: `${input.pipeline}-push-`,
              labels,
            },
            spec: {
              pipelineRef: { name: input.pipeline },
              params: TRIGGER_PARAMS.map(({ name }) => ({
                name,
                value: `$(tt.params.${name})`,
              })),
              workspaces: [{ name: 'source', emptyDir: {} }],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'EventListener',
      metadata: meta(n.listener),
      spec: {
        serviceAccountName: n.serviceAccount,
        triggers: [
          {
            name: 'on-push',
            interceptors: [
              {
                ref: { name: 'github', kind: 'ClusterInterceptor' },
                params: [
                  {
                    name: 'secretRef',
                    value: {
                      secretName: n.secret,
                      secretKey: WEBHOOK_SECRET_KEY,
                    },
                  },
                  { name: 'eventTypes', value: ['push'] },
                ],
              },
              {
                ref: { name: 'cel', kind: 'ClusterInterceptor' },
                params: [
                  {
                    name: 'filter',
                    value:
                      "body.ref.startsWith('refs/heads/') && !body.deleted",
                  },
                  {
                    name: 'overlays',
                    value: [
                      {
                        key: 'branch',
                        expression: "body.ref.replace('refs/heads/', '')",
                      },
                    ],
                  },
                ],
              },
            ],
            bindings: [{ ref: n.binding }],
            template: { ref: n.template },
          },
        ],
        // its pod counts against the namespace's quota, which requires requests and limits
        resources: {
          kubernetesResource: {
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      resources: {
                        requests: { cpu: '50m', memory: '64Mi' },
                        limits: { cpu: '200m', memory: '128Mi' },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
  ];
}

/**
 * The URL the Git host sends a listener's push events to: `kubemate.provisioning.triggers.listenerUrl`
 * with `{cluster}`, `{namespace}` and `{name}` replaced; by default the EventListener's in-cluster
 * Service address (upstream's `el-<name>` on port 8080).
 */
export function listenerUrl(
  template: string | undefined,
  t: Target,
  name: string,
): string {
  return (template ?? 'http://el-{name}.{namespace}.svc.cluster.local:8080')
    .replace(/\{cluster\}/g, encodeURIComponent(t.cluster))
    .replace(/\{namespace\}/g, encodeURIComponent(t.namespace))
    .replace(/\{name\}/g, encodeURIComponent(name));
}
