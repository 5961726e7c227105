import { randomBytes } from 'node:crypto';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  provisioningPipelineApplyPermission,
  provisioningRepositoryCreatePermission,
} from '../permissions';
import { GitPublisher, validateRepository } from '../services/GitPublisher';
import {
  Change,
  MANAGED_BY,
  Provisioner,
  Target,
} from '../services/Provisioner';
import { actorOf, changesSchema, provision, targetsSchema } from './common';
import {
  listenerUrl,
  triggerNames,
  triggerObjects,
  WEBHOOK_SECRET_KEY,
} from './triggers';

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

/**
 * A step that runs a `script`. Steps always give Tekton what to run (`script` or `command`): for an
 * image-only step the controller looks the image's entrypoint up in its registry, which fails
 * where no registry is reachable (the dev stack) and is slower everywhere.
 */
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
 * push the image → deploy to this namespace); `triggerObjects` start it on a Git push.
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
      name: 'branch',
      type: 'string',
      description: 'Git branch of the revision',
      default: 'main',
    },
    {
      name: 'repo-url',
      type: 'string',
      description: 'Clone URL of the repository',
      default: input.gitUrl,
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
        results: [
          {
            name: 'image',
            description: 'The image built and deployed',
            value: '$(tasks.build.results.image)',
          },
        ],
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
                  'git clone $(params.repo-url) $(workspaces.output.path)/src && cd $(workspaces.output.path)/src && git checkout $(params.revision)',
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
  ];
}

export function createTektonPipelineAction(
  provisioner: Provisioner,
  publisher: GitPublisher,
  options: { listenerUrl?: string },
) {
  return createTemplateAction({
    id: 'kubemate:tekton:pipeline',
    description:
      "Applies the service's Tekton Pipeline (clone, test, dependency scan, build and push, deploy) and what starts it on a Git push in each target namespace: a webhook Secret, the listener's ServiceAccount and RoleBinding, TriggerBinding, TriggerTemplate and EventListener (github interceptor: signed push events only); with repoName, registers the signed push webhook of each listener on the Git host. Labelled for the entity's Pipelines tab.",
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
        repoName: z =>
          z
            .string()
            .optional()
            .describe(
              'Repository on the Git host (kubemate.provisioning.git.baseUrl) whose pushes start the pipeline: its push webhook is registered',
            ),
      },
      output: { changes: changesSchema },
    },
    async handler(ctx) {
      const input: PipelineInput & { targets: Target[] } = {
        ...ctx.input,
        runtime: ctx.input.runtime ?? 'node', // schema defaults are not applied
      };
      const { repoName } = ctx.input;
      const action = 'kubemate:tekton:pipeline';
      const n = triggerNames(input.service);
      if (repoName) {
        validateRepository(repoName, 'main');
        await provisioner.authorizeBasic(
          await ctx.getInitiatorCredentials(),
          provisioningRepositoryCreatePermission,
        );
      }
      // the webhook secret is made once and kept: a second run changes nothing
      const secrets = new Map<string, string>();
      const changes = await provision(
        provisioner,
        ctx,
        action,
        provisioningPipelineApplyPermission,
        input.targets,
        async t => {
          const existing = await provisioner.read(t.cluster, {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: n.secret, namespace: t.namespace },
          });
          const stored = (existing as any)?.data?.[WEBHOOK_SECRET_KEY];
          const secret = stored
            ? Buffer.from(stored, 'base64').toString('utf8')
            : randomBytes(24).toString('hex');
          secrets.set(`${t.cluster}/${t.namespace}`, secret);
          return [
            ...pipelineObjects(input, t),
            ...triggerObjects(
              { service: input.service, pipeline: `${input.service}-ci` },
              t,
              secret,
            ),
          ] as any;
        },
      );
      if (repoName) {
        for (const t of input.targets) {
          const url = listenerUrl(options.listenerUrl, t, n.listener);
          const where = {
            cluster: t.cluster,
            namespace: t.namespace,
            kind: 'Webhook',
            name: repoName,
          };
          if (ctx.isDryRun) {
            ctx.logger.info(
              `dry run: would register the push webhook ${url} on ${repoName}`,
            );
            changes.push({ ...where, operation: 'created' });
            continue;
          }
          let operation: Change['operation'];
          try {
            operation = await publisher.ensureWebhook(repoName, {
              url,
              secret: secrets.get(`${t.cluster}/${t.namespace}`)!,
              events: ['push'],
            });
          } catch (e) {
            await provisioner.record(
              actorOf(ctx),
              action,
              'failure',
              `registering the push webhook ${url} on ${repoName}: ${String(
                e,
              )}`,
              where,
            );
            throw e;
          }
          const change: Change = { ...where, operation };
          changes.push(change);
          if (operation !== 'unchanged') {
            await provisioner.record(
              actorOf(ctx),
              action,
              'success',
              `${operation} the push webhook of ${t.cluster}/${t.namespace}/${n.listener} on repository ${repoName} (${url})`,
              change,
            );
          }
          ctx.logger.info(
            `${operation}: push webhook ${url} on repository ${repoName}`,
          );
        }
      }
      ctx.output('changes', changes);
    },
  });
}
