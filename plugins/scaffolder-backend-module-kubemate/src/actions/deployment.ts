import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningDeploymentApplyPermission } from '../permissions';
import { MANAGED_BY, Provisioner, Target } from '../services/Provisioner';
import { changesSchema, provision, QUANTITY, targetsSchema } from './common';

export interface DeploymentInput {
  service: string;
  image: string;
  port: number;
  replicas: number;
  cpu: string;
  memory: string;
  linkerd: boolean;
}

/** The Deployment and Service of a service in one target (labels the portal's tabs select on). */
export function deploymentObjects(input: DeploymentInput, t: Target) {
  const labels = {
    ...MANAGED_BY,
    app: input.service,
    'app.kubernetes.io/name': input.service,
    'backstage.io/kubernetes-id': input.service,
    'kubemate.io/environment': t.environment,
  };
  const selector = { app: input.service };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: input.service, namespace: t.namespace, labels },
      spec: {
        replicas: input.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            annotations: input.linkerd
              ? { 'linkerd.io/inject': 'enabled' }
              : {},
          },
          spec: {
            containers: [
              {
                name: input.service,
                image: input.image,
                ports: [{ name: 'http', containerPort: input.port }],
                resources: {
                  requests: { cpu: input.cpu, memory: input.memory },
                  limits: { cpu: input.cpu, memory: input.memory },
                },
                readinessProbe: {
                  httpGet: { path: '/healthz', port: 'http' },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: input.service, namespace: t.namespace, labels },
      spec: {
        selector,
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    },
  ];
}

export function createDeploymentApplyAction(provisioner: Provisioner) {
  return createTemplateAction({
    id: 'kubemate:deployment:apply',
    description:
      'Applies the Deployment and Service of a service in each target namespace (labels app and backstage.io/kubernetes-id; optional Linkerd proxy injection).',
    supportsDryRun: true,
    schema: {
      input: {
        targets: targetsSchema,
        service: z => z.string(),
        image: z => z.string().min(1).describe('Container image'),
        port: z => z.number().int().min(1).max(65535).default(8080),
        replicas: z => z.number().int().min(0).max(50).default(1),
        cpu: z => z.string().default('100m'),
        memory: z => z.string().default('128Mi'),
        linkerd: z =>
          z
            .boolean()
            .default(true)
            .describe('Annotate pods for Linkerd injection'),
      },
      output: { changes: changesSchema },
    },
    async handler(ctx) {
      // the scaffolder validates inputs against the schema but does not apply its defaults
      const i = ctx.input;
      const input: DeploymentInput & { targets: Target[] } = {
        targets: i.targets,
        service: i.service,
        image: i.image,
        port: i.port ?? 8080,
        replicas: i.replicas ?? 1,
        cpu: i.cpu ?? '100m',
        memory: i.memory ?? '128Mi',
        linkerd: i.linkerd ?? true,
      };
      if (!QUANTITY.test(input.cpu) || !QUANTITY.test(input.memory)) {
        throw new InputError(
          `cpu and memory must be Kubernetes quantities (got "${input.cpu}", "${input.memory}")`,
        );
      }
      if (/\s/.test(input.image)) {
        throw new InputError(
          `image must not contain spaces (got "${input.image}")`,
        );
      }
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:deployment:apply',
        provisioningDeploymentApplyPermission,
        input.targets,
        t => deploymentObjects(input, t) as any,
      );
      ctx.output('changes', changes);
    },
  });
}
