import type { Severity } from '@kubemate/plugin-inspections-common';
import type {
  CheckContext,
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import type { V1Container } from '@kubernetes/client-node';
import { clusterOf } from './format';
import { containersOf, podTemplates, type PodTemplate } from './workloads';

/** One problem of one container of a pod template. */
export interface ContainerProblem {
  message: string;
  measured: string;
  expected: string;
  severity?: Severity;
}

/** The path of a workload (for the evidence's query). */
export function workloadPath(t: PodTemplate): string {
  const plural: Record<PodTemplate['kind'], string> = {
    Deployment: 'apis/apps/v1/namespaces/{ns}/deployments',
    StatefulSet: 'apis/apps/v1/namespaces/{ns}/statefulsets',
    DaemonSet: 'apis/apps/v1/namespaces/{ns}/daemonsets',
    CronJob: 'apis/batch/v1/namespaces/{ns}/cronjobs',
    Job: 'apis/batch/v1/namespaces/{ns}/jobs',
    Pod: 'api/v1/namespaces/{ns}/pods',
  };
  return `/${plural[t.kind].replace('{ns}', t.namespace)}/${t.name}`;
}

/**
 * A check of every container of every pod template (Deployments, StatefulSets, DaemonSets,
 * CronJobs, Jobs, bare pods): one finding per workload and container.
 */
export function containerCheck(
  check: Omit<InspectionCheck, 'run' | 'scope' | 'dataSource' | 'version'> & {
    version?: number;
    /** Which templates the check applies to (default all). */
    applies?: (t: PodTemplate) => boolean;
    inspect(
      container: V1Container,
      template: PodTemplate,
      init: boolean,
    ): ContainerProblem | undefined;
    /** Whether init containers are inspected too (default true). */
    initContainers?: boolean;
  },
): InspectionCheck {
  const { inspect, applies, initContainers = true, ...info } = check;
  return {
    version: 1,
    ...info,
    dataSource: 'kubernetes',
    scope: 'cluster',
    async run(ctx: CheckContext) {
      const cluster = clusterOf(ctx);
      const templates = await podTemplates(ctx, cluster);
      const findings: FindingDraft[] = [];
      let evaluated = 0;
      for (const t of templates) {
        if (applies && !applies(t)) continue;
        for (const { container, init } of containersOf(t.spec)) {
          if (init && !initContainers) continue;
          evaluated++;
          const problem = inspect(container, t, init);
          if (!problem) continue;
          findings.push({
            object: {
              cluster,
              namespace: t.namespace,
              kind: t.kind,
              name: t.name,
              part: container.name,
            },
            message: `${t.kind} ${t.name}, container ${container.name}: ${problem.message}`,
            severity: problem.severity,
            labels: t.labels,
            evidence: {
              measured: problem.measured,
              expected: problem.expected,
              query: `GET ${workloadPath(t)}`,
            },
          });
        }
      }
      return { findings, evaluated };
    },
  };
}

/** A template check (pod-level settings): one finding per workload. */
export function templateCheck(
  check: Omit<InspectionCheck, 'run' | 'scope' | 'dataSource' | 'version'> & {
    inspect(t: PodTemplate): ContainerProblem | undefined;
  },
): InspectionCheck {
  const { inspect, ...info } = check;
  return {
    version: 1,
    ...info,
    dataSource: 'kubernetes',
    scope: 'cluster',
    async run(ctx: CheckContext) {
      const cluster = clusterOf(ctx);
      const templates = await podTemplates(ctx, cluster);
      const findings: FindingDraft[] = [];
      for (const t of templates) {
        const problem = inspect(t);
        if (!problem) continue;
        findings.push({
          object: {
            cluster,
            namespace: t.namespace,
            kind: t.kind,
            name: t.name,
          },
          message: `${t.kind} ${t.name}: ${problem.message}`,
          severity: problem.severity,
          labels: t.labels,
          evidence: {
            measured: problem.measured,
            expected: problem.expected,
            query: `GET ${workloadPath(t)}`,
          },
        });
      }
      return { findings, evaluated: templates.length };
    },
  };
}
