import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningPipelineApplyPermission } from '../permissions';
import { MANAGED_BY, Provisioner, Target } from '../services/Provisioner';
import { changesSchema, provision, targetsSchema } from './common';

export interface PipelineInput {
  service: string;
  gitUrl: string;
  image: string;
  runtime: keyof typeof BUILDERS;
}

/** The image the tests of each runtime skeleton run in. */
export const BUILDERS = {
  node: 'node:22',
  go: 'golang:1.26',
  python: 'python:3.13',
} as const;

const step = (name: string, image: string, script: string) => ({
  name,
  image,
  script,
});

/** A pipeline task of one step working on the cloned sources (workspace `source`). */
const onSource = (
  name: string,
  runAfter: string[],
  theStep: ReturnType<typeof step>,
  results?: Array<{ name: string; description: string }>,
) => ({
  name,
  runAfter,
  workspaces: [{ name: 'source', workspace: 'source' }],
  taskSpec: {
    workspaces: [{ name: 'source' }],
    ...(results ? { results } : {}),
    steps: [theStep],
  },
});

/**
 * The service's CI/CD in one environment: a Pipeline (clone → test → dependency scan → build and
 * push the image → deploy to this namespace) and Tekton Triggers objects that start it on a Git
 * push (TriggerBinding of the push payload, TriggerTemplate of the PipelineRun, EventListener).
 */
export function pipelineObjects(input: PipelineInput, t: Target) {
  const name = `${input.service}-ci`;
  const labels = {
    ...MANAGED_BY,
    app: input.service,
    'backstage.io/kubernetes-id': input.service,
    'kubemate.io/environment': t.environment,
  };
  const meta = (n: string) => ({ name: n, namespace: t.namespace, labels });
  const params = [
    {
      name: 'revision',
      type: 'string',
      description: 'Git revision to build',
      default: 'main',
    },
    {
      name: 'image-tag',
      type: 'string',
      description: 'Tag of the pushed image',
      default: 'latest',
    },
  ];
  return [
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: meta(name),
      spec: {
        description: `Build, scan and deploy ${input.service} to ${t.namespace}`,
        params,
        workspaces: [{ name: 'source' }],
        tasks: [
          {
            name: 'clone',
            workspaces: [{ name: 'output', workspace: 'source' }],
            taskSpec: {
              workspaces: [{ name: 'output' }],
              steps: [
                step(
                  'clone',
                  'alpine/git',
                  `git clone ${input.gitUrl} $(workspaces.output.path)/src && cd $(workspaces.output.path)/src && git checkout $(params.revision)`,
                ),
              ],
            },
          },
          onSource(
            'test',
            ['clone'],
            step(
              'test',
              BUILDERS[input.runtime],
              'cd $(workspaces.source.path)/src && make test',
            ),
          ),
          onSource(
            'scan',
            ['clone'],
            step(
              'dependency-scan',
              'aquasec/trivy',
              'trivy fs --exit-code 1 --severity HIGH,CRITICAL $(workspaces.source.path)/src',
            ),
          ),
          onSource(
            'build',
            ['test', 'scan'],
            step(
              'build-and-push',
              'gcr.io/kaniko-project/executor',
              `/kaniko/executor --context $(workspaces.source.path)/src --destination ${input.image}:$(params.image-tag) && printf '%s' ${input.image}:$(params.image-tag) > $(results.image.path)`,
            ),
            [{ name: 'image', description: 'The pushed image' }],
          ),
          {
            name: 'deploy',
            runAfter: ['build'],
            taskSpec: {
              steps: [
                step(
                  'deploy',
                  'bitnami/kubectl',
                  `kubectl -n ${t.namespace} set image deployment/${input.service} ${input.service}=$(tasks.build.results.image)`,
                ),
              ],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerBinding',
      metadata: meta(`${input.service}-push`),
      spec: {
        params: [
          { name: 'revision', value: '$(body.after)' },
          { name: 'image-tag', value: '$(body.after)' },
        ],
      },
    },
    {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerTemplate',
      metadata: meta(`${input.service}-run`),
      spec: {
        params: params.map(({ name: n, default: d }) => ({
          name: n,
          default: d,
        })),
        resourcetemplates: [
          {
            apiVersion: 'tekton.dev/v1',
            kind: 'PipelineRun',
            metadata: {
              generateName: `${name}-run-`,
              labels: { ...labels, 'tekton.dev/pipeline': name },
            },
            spec: {
              pipelineRef: { name },
              params: params.map(p => ({
                name: p.name,
                value: `$(tt.params.${p.name})`,
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
      metadata: meta(`${input.service}-listener`),
      spec: {
        triggers: [
          {
            name: 'on-push',
            bindings: [{ ref: `${input.service}-push` }],
            template: { ref: `${input.service}-run` },
          },
        ],
      },
    },
  ];
}

export function createTektonPipelineAction(provisioner: Provisioner) {
  return createTemplateAction({
    id: 'kubemate:tekton:pipeline',
    description:
      "Applies the service's Tekton Pipeline (clone, test, dependency scan, build and push, deploy) and its trigger resources (TriggerBinding, TriggerTemplate, EventListener) in each target namespace, labelled for the entity's Pipelines tab.",
    supportsDryRun: true,
    schema: {
      input: {
        targets: targetsSchema,
        service: z => z.string(),
        gitUrl: z => z.string().min(1).describe('Clone URL of the repository'),
        image: z =>
          z.string().min(1).describe('Image repository (without tag)'),
        runtime: z =>
          z
            .enum(['node', 'go', 'python'])
            .default('node')
            .describe('Runtime of the skeleton (decides the test image)'),
      },
      output: { changes: changesSchema },
    },
    async handler(ctx) {
      const input: PipelineInput & { targets: Target[] } = {
        ...ctx.input,
        runtime: ctx.input.runtime ?? 'node', // schema defaults are not applied
      };
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:tekton:pipeline',
        provisioningPipelineApplyPermission,
        input.targets,
        t => pipelineObjects(input, t) as any,
      );
      ctx.output('changes', changes);
    },
  });
}
