import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import type {
  CheckCategory,
  Finding,
  FindingObject,
} from '@kubemate/plugin-inspections-common';
import { CHECK_CATEGORIES } from '@kubemate/plugin-inspections-common';
import { severityRank } from './format';

/**
 * Stands for the namespace (or cluster) of an object that has none: nodes, the control plane,
 * hosts, databases. It is no namespace name, so no namespace-scoped role matches it: only an
 * unconditional decision allows exempting such findings (as the permission's doc says).
 */
export const NO_NAMESPACE = '_';

/** `Deployment` → `deployments`, `Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`. */
export function resourceOfKind(kind: string): string {
  const k = kind.toLocaleLowerCase('en-US');
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The `clusters-object` resource ref an exemption of the object is checked on. */
export function findingResourceRef(o: FindingObject): string {
  return clustersObjectRef({
    cluster: o.cluster || NO_NAMESPACE,
    namespace: o.namespace || NO_NAMESPACE,
    resource: resourceOfKind(o.kind),
    name: o.name,
  });
}

/** Most severe first, failed before exempted, then by message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      Number(a.status === 'exempted') - Number(b.status === 'exempted') ||
      a.message.localeCompare(b.message),
  );
}

/** Findings per category, in the catalogue's category order, each sorted; empty ones left out. */
export function findingsByCategory(
  findings: Finding[],
): Array<[CheckCategory, Finding[]]> {
  return CHECK_CATEGORIES.map(
    c =>
      [c, sortFindings(findings.filter(f => f.category === c))] as [
        CheckCategory,
        Finding[],
      ],
  ).filter(([, fs]) => fs.length > 0);
}
