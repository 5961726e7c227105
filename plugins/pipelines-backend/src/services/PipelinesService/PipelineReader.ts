import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { namespaceInScope } from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  KubeClients,
  requireNamespaceScope,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  PipelineRunsResponse,
  PipelinesResponse,
  pipelinesRunReadPermission,
} from '@kubemate/plugin-pipelines-common';
import {
  authorizeObject,
  getEntity,
  listTekton,
  TektonSelector,
  tektonSelector,
} from './entityTekton';
import { TEKTON, TektonObject, toPipeline, toRun } from './tekton';
import { RunRef } from './types';

/**
 * The read side of pipelines, with the portal identity: an entity's runs and Pipelines in every
 * cluster within the user's `pipelines.run.read` scope, and step logs.
 */
export class PipelineReader {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      catalog: CatalogService;
      clusters: ClusterRegistryService;
    },
  ) {}

  /**
   * The Pipelines the runs reference, one read per distinct Pipeline (a run of a deleted Pipeline
   * still shows, from its own spec).
   */
  private async pipelinesOf(
    clients: KubeClients,
    runs: TektonObject[],
  ): Promise<Map<string, TektonObject>> {
    const refs = new Map<string, { namespace: string; name: string }>();
    for (const r of runs) {
      const name = r.spec?.pipelineRef?.name;
      if (name)
        refs.set(`${r.metadata.namespace}/${name}`, {
          namespace: r.metadata.namespace,
          name,
        });
    }
    const found = await Promise.all(
      [...refs].map(async ([key, ref]) => {
        const p = (await clients.custom
          .getNamespacedCustomObject({ ...TEKTON, ...ref, plural: 'pipelines' })
          .catch(() => undefined)) as TektonObject | undefined;
        return [key, p] as const;
      }),
    );
    return new Map(
      found.filter((e): e is [string, TektonObject] => e[1] !== undefined),
    );
  }

  /**
   * `fn` over every cluster with the entity's selector and the user's `pipelines.run.read` scope
   * (objects outside it are dropped); clusters that fail are reported, not fatal.
   */
  private async perCluster<T extends { namespace: string }>(
    credentials: BackstageCredentials,
    entityRef: string,
    fn: (clients: KubeClients, selector: TektonSelector) => Promise<T[]>,
  ): Promise<{ items: T[]; errors: PipelineRunsResponse['errors'] }> {
    const entity = await getEntity(this.deps.catalog, credentials, entityRef);
    const selector = tektonSelector(entity);
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: pipelinesRunReadPermission,
    });
    const errors: PipelineRunsResponse['errors'] = [];
    const perCluster = await Promise.all(
      this.deps.clusters.listClusters().map(async c => {
        try {
          const items = await fn(
            this.deps.clusters.portalClients(c.name),
            selector,
          );
          return items.filter(
            i =>
              scope.type === 'all' ||
              namespaceInScope(scope.namespaces, i.namespace),
          );
        } catch (e) {
          errors.push({
            cluster: c.name,
            message: toBackstageError(e, c.name).message,
          });
          return [];
        }
      }),
    );
    return { items: perCluster.flat(), errors };
  }

  async runs(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelineRunsResponse> {
    const { items, errors } = await this.perCluster(
      credentials,
      entityRef,
      async (clients, { labelSelector, namespace }) => {
        // One list per kind, not requests per run (2 × 500 runs would meet the apiserver's
        // in-flight limit): Tekton copies a PipelineRun's labels to its TaskRuns.
        const [runs, taskRuns] = await Promise.all([
          listTekton(clients, 'pipelineruns', labelSelector, namespace),
          listTekton(clients, 'taskruns', labelSelector, namespace),
        ]);
        const taskRunsOf = new Map<string, TektonObject[]>();
        for (const tr of taskRuns) {
          const run = tr.metadata.labels?.['tekton.dev/pipelineRun'];
          if (!run) continue;
          const key = `${tr.metadata.namespace}/${run}`;
          taskRunsOf.set(key, [...(taskRunsOf.get(key) ?? []), tr]);
        }
        const pipelines = await this.pipelinesOf(clients, runs);
        return runs.map(r => {
          const ns = r.metadata.namespace;
          return toRun(
            clients.cluster.name,
            r,
            pipelines.get(`${ns}/${r.spec?.pipelineRef?.name}`),
            taskRunsOf.get(`${ns}/${r.metadata.name}`) ?? [],
          );
        });
      },
    );
    const runs = items.sort((a, b) =>
      (b.startTime ?? '').localeCompare(a.startTime ?? ''),
    );
    return { runs, errors };
  }

  async pipelines(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelinesResponse> {
    const { items, errors } = await this.perCluster(
      credentials,
      entityRef,
      async (clients, { labelSelector, namespace }) =>
        (
          await listTekton(clients, 'pipelines', labelSelector, namespace)
        ).map(p => toPipeline(clients.cluster.name, p)),
    );
    const pipelines = items.sort((a, b) =>
      `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(
        `${b.cluster}/${b.namespace}/${b.name}`,
      ),
    );
    return { pipelines, errors };
  }

  /** The log of one step of a TaskRun of the run (through its pod, as the portal). */
  async stepLog(
    credentials: BackstageCredentials,
    ref: RunRef & { taskRun: string; step: string },
  ): Promise<string> {
    await authorizeObject(
      this.deps.permissions,
      credentials,
      pipelinesRunReadPermission,
      {
        cluster: ref.cluster,
        namespace: ref.namespace,
        resource: 'pipelineruns',
        name: ref.name,
      },
    );
    const clients = this.deps.clusters.portalClients(ref.cluster);
    try {
      const tr = (await clients.custom.getNamespacedCustomObject({
        ...TEKTON,
        namespace: ref.namespace,
        plural: 'taskruns',
        name: ref.taskRun,
      })) as TektonObject;
      if (tr.metadata.labels?.['tekton.dev/pipelineRun'] !== ref.name) {
        throw new NotFoundError(
          `TaskRun ${ref.taskRun} does not belong to ${ref.name}`,
        );
      }
      const pod = tr.status?.podName;
      if (!pod)
        throw new NotFoundError(`TaskRun ${ref.taskRun} has no pod (yet)`);
      const step = (tr.status?.steps ?? []).find(
        (s: any) => s.name === ref.step,
      );
      const container = step?.container ?? `step-${ref.step}`;
      return await clients.core.readNamespacedPodLog({
        name: pod,
        namespace: ref.namespace,
        container,
      });
    } catch (e) {
      throw toBackstageError(e, ref.cluster);
    }
  }
}
