import type {
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import type {
  V1ClusterRoleBinding,
  V1RoleBinding,
  RbacV1Subject,
} from '@kubernetes/client-node';
import { clusterOf, skipped } from './format';
import type { BuiltinChecksOptions } from './options';
import { containerCheck, templateCheck } from './podTemplateChecks';
import { listFromApi } from './workloads';

/** The tag of an image reference (`undefined` when untagged); digests pin the image. */
export function imageTag(image: string): { tag?: string; digest: boolean } {
  const at = image.indexOf('@');
  if (at >= 0) return { digest: true, tag: imageTag(image.slice(0, at)).tag };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return {
    digest: false,
    tag: colon >= 0 ? image.slice(colon + 1) : undefined,
  };
}

/** The registry host of an image reference (`docker.io` when the first part is no host). */
export function imageRegistry(image: string): string {
  const first = image.split('/')[0];
  const isHost =
    image.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

/** Whether an image is allowed by a registry prefix (`registry.example.com/team/`, `ghcr.io`). */
export function imageAllowed(image: string, allowed: string[]): boolean {
  const normalized =
    imageRegistry(image) === 'docker.io' && !image.startsWith('docker.io/')
      ? `docker.io/${image.includes('/') ? image : `library/${image}`}`
      : image;
  return allowed.some(prefix => {
    const p = prefix.replace(/\/+$/, '');
    return (
      normalized === p ||
      normalized.startsWith(`${p}/`) ||
      normalized.startsWith(`${p}:`) ||
      normalized.startsWith(`${p}@`)
    );
  });
}

const imageLatest = containerCheck({
  id: 'security.image-latest',
  title: 'Images are pinned (no latest or missing tag)',
  category: 'security',
  severity: 'medium',
  description:
    'Containers whose image has no tag or the `latest` tag (and no digest). What runs then depends on when each node pulled the image: rollbacks do not roll back, two pods of one Deployment may run different code, and a compromised `latest` is deployed silently.',
  remediation:
    'Reference an immutable version: a release tag (`registry/app:1.4.2`) or, better, a digest (`registry/app@sha256:...`). Let CI write the tag into the manifest.',
  references: [
    { source: 'Polaris', id: 'tagNotSpecified' },
    { source: 'Popeye', id: 'POP-100' },
    { source: 'Popeye', id: 'POP-101' },
    { source: 'Kubescape', id: 'C-0075' },
  ],
  inspect(c) {
    const image = c.image ?? '';
    const { tag, digest } = imageTag(image);
    if (digest) return undefined;
    if (tag === undefined || tag === 'latest') {
      return {
        message: `image ${image} is ${tag ? 'tagged latest' : 'untagged'}.`,
        measured: image,
        expected: 'a version tag or a digest',
      };
    }
    return undefined;
  },
});

function imageRegistryCheck(allowed: string[]): InspectionCheck {
  const base = containerCheck({
    id: 'security.image-registry',
    title: 'Images come from allowed registries',
    category: 'security',
    severity: 'high',
    description:
      "Containers whose image is not under one of `kubemate.inspections.allowedImageRegistries`. Images from unvetted registries bypass the organisation's scanning, signing and mirroring (and break offline installs).",
    remediation:
      'Mirror the image into an allowed registry (after its scan) and reference it there; if the registry is legitimate, add it to `kubemate.inspections.allowedImageRegistries`. Admission policies (Kyverno, Gatekeeper, ValidatingAdmissionPolicy) can enforce the same list.',
    references: [
      { source: 'Popeye', id: 'POP-113' },
      { source: 'Kubescape', id: 'C-0078' },
    ],
    inspect(c) {
      const image = c.image ?? '';
      if (imageAllowed(image, allowed)) return undefined;
      return {
        message: `image ${image} is not from an allowed registry.`,
        measured: `${image} (registry ${imageRegistry(image)})`,
        expected: `under ${allowed.join(', ')}`,
      };
    },
  });
  return {
    ...base,
    async run(ctx) {
      if (allowed.length === 0) {
        return skipped(
          'kubemate.inspections.allowedImageRegistries is empty (every registry allowed)',
        );
      }
      return base.run(ctx);
    },
  };
}

const privileged = containerCheck({
  id: 'security.privileged',
  title: 'No privileged containers',
  category: 'security',
  severity: 'critical',
  description:
    "Containers with `securityContext.privileged: true` have every capability and the host's devices: a compromise of the container is a compromise of the node (and of every pod on it).",
  remediation:
    'Remove `privileged: true`. Grant only the capabilities really needed (`capabilities.add`, e.g. `NET_BIND_SERVICE`) and drop the rest (`capabilities.drop: [ALL]`); node agents that truly need it belong in a dedicated, audited namespace (and an exemption with an expiry here).',
  references: [
    { source: 'Polaris', id: 'runAsPrivileged' },
    { source: 'Kubescape', id: 'C-0057' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.2' },
  ],
  inspect(c) {
    if (c.securityContext?.privileged !== true) return undefined;
    return {
      message: 'runs privileged.',
      measured: 'securityContext.privileged=true',
      expected: 'privileged unset or false',
    };
  },
});

const runAsRoot = containerCheck({
  id: 'security.run-as-root',
  title: 'Containers do not run as root',
  category: 'security',
  severity: 'high',
  description:
    "Containers that run as root: `runAsUser: 0` (high), or neither `runAsNonRoot: true` nor a non-zero `runAsUser` at the container or pod level, so the image's user decides and is often root (medium). Root in a container makes every escape and every writable host mount worse.",
  remediation:
    'Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` (pod level applies to every container), and build the image with a non-root `USER`.',
  references: [
    { source: 'Polaris', id: 'runAsRootAllowed' },
    { source: 'Popeye', id: 'POP-302' },
    { source: 'Popeye', id: 'POP-306' },
    { source: 'Kubescape', id: 'C-0013' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.7' },
  ],
  inspect(c, t) {
    const pod = t.spec.securityContext;
    const user = c.securityContext?.runAsUser ?? pod?.runAsUser;
    const nonRoot = c.securityContext?.runAsNonRoot ?? pod?.runAsNonRoot;
    if (user === 0) {
      return {
        message: 'runs as root (runAsUser 0).',
        measured: 'runAsUser=0',
        expected: 'runAsNonRoot=true and runAsUser > 0',
      };
    }
    if (user === undefined && nonRoot !== true) {
      return {
        message: 'may run as root (neither runAsNonRoot nor runAsUser set).',
        measured: `runAsNonRoot=${nonRoot ?? 'unset'}, runAsUser unset`,
        expected: 'runAsNonRoot=true and runAsUser > 0',
        severity: 'medium',
      };
    }
    return undefined;
  },
});

const privilegeEscalation = containerCheck({
  id: 'security.privilege-escalation',
  title: 'Privilege escalation is disabled',
  category: 'security',
  severity: 'medium',
  description:
    'Containers without `allowPrivilegeEscalation: false`: a process can gain more privileges than its parent (setuid binaries, file capabilities). The default is to allow it.',
  remediation:
    'Set `securityContext.allowPrivilegeEscalation: false` on every container (together with `capabilities.drop: [ALL]` and `runAsNonRoot: true`, the `restricted` Pod Security Standard).',
  references: [
    { source: 'Polaris', id: 'privilegeEscalationAllowed' },
    { source: 'Kubescape', id: 'C-0016' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.6' },
  ],
  inspect(c) {
    if (c.securityContext?.allowPrivilegeEscalation === false) return undefined;
    return {
      message: 'allows privilege escalation.',
      measured: `allowPrivilegeEscalation=${
        c.securityContext?.allowPrivilegeEscalation ?? 'unset (true)'
      }`,
      expected: 'allowPrivilegeEscalation=false',
    };
  },
});

const hostNamespaces = templateCheck({
  id: 'security.host-namespaces',
  title: "Pods do not share the host's namespaces",
  category: 'security',
  severity: 'high',
  description:
    "Pods with `hostNetwork`, `hostPID` or `hostIPC`: they see (and can reach) the node's network interfaces, processes or shared memory, bypassing NetworkPolicies and process isolation.",
  remediation:
    'Remove `hostNetwork` / `hostPID` / `hostIPC`. Expose ports through a Service instead of the host network; node agents that need them belong in a dedicated, audited namespace.',
  references: [
    { source: 'Polaris', id: 'hostNetworkSet' },
    { source: 'Polaris', id: 'hostPIDSet' },
    { source: 'Polaris', id: 'hostIPCSet' },
    { source: 'Kubescape', id: 'C-0038' },
    { source: 'Kubescape', id: 'C-0041' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.3' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.4' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.2.5' },
  ],
  inspect(t) {
    const shared = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter(
      k => t.spec[k] === true,
    );
    if (shared.length === 0) return undefined;
    return {
      message: `shares the host's ${shared.join(', ')}.`,
      measured: shared.map(s => `${s}=true`).join(', '),
      expected: 'hostNetwork, hostPID, hostIPC unset',
    };
  },
});

const defaultServiceAccount = templateCheck({
  id: 'security.default-service-account',
  title: "Pods do not mount the default service account's token",
  category: 'security',
  severity: 'low',
  description:
    "Pods running as the namespace's `default` ServiceAccount with its token mounted: every workload of the namespace shares one identity, and any RoleBinding to `default` grants them all. Most applications never call the Kubernetes API and need no token at all.",
  remediation:
    'Give the workload its own ServiceAccount (with only the Roles it needs), or set `automountServiceAccountToken: false` on the pod (or on the `default` ServiceAccount).',
  references: [
    { source: 'Popeye', id: 'POP-300' },
    { source: 'Popeye', id: 'POP-301' },
    { source: 'Polaris', id: 'automountServiceAccountToken' },
    { source: 'Kubescape', id: 'C-0034' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.1.5' },
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.1.6' },
  ],
  inspect(t) {
    const sa = t.spec.serviceAccountName ?? 'default';
    if (sa !== 'default' || t.spec.automountServiceAccountToken === false)
      return undefined;
    return {
      message: 'runs as the default ServiceAccount with its token mounted.',
      measured:
        'serviceAccountName=default, automountServiceAccountToken unset',
      expected:
        'a dedicated ServiceAccount or automountServiceAccountToken=false',
    };
  },
});

function subjectText(s: RbacV1Subject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

const clusterAdminBindings: InspectionCheck = {
  id: 'security.cluster-admin-bindings',
  version: 1,
  title: 'cluster-admin is bound only where required',
  category: 'security',
  severity: 'high',
  description:
    "ClusterRoleBindings (and RoleBindings) that grant the `cluster-admin` ClusterRole to users, groups or service accounts, except the control plane's own `system:` bindings and subjects. cluster-admin can do anything, everywhere; every such binding should be known, owned and reviewed.",
  remediation: [
    '- Replace the binding by Roles/ClusterRoles with only the verbs and resources the subject needs (`kubectl auth can-i --list --as=<subject>` helps to see what it uses).',
    '- For CI systems, bind a deploy role per target namespace instead of cluster-admin.',
    '- Keep the few legitimate ones (break-glass admin group) and exempt them here with an owner and an expiry so they are reviewed.',
  ].join('\n'),
  references: [
    { source: 'CIS Kubernetes Benchmark v1.8', id: '5.1.1' },
    { source: 'Polaris', id: 'clusterrolebindingClusterAdmin' },
    { source: 'Polaris', id: 'rolebindingClusterAdminClusterRole' },
    { source: 'Kubescape', id: 'C-0035' },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const crbPath = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
    const rbPath = '/apis/rbac.authorization.k8s.io/v1/rolebindings';
    const [crbs, rbs] = await Promise.all([
      listFromApi<V1ClusterRoleBinding>(ctx, cluster, crbPath),
      listFromApi<V1RoleBinding>(ctx, cluster, rbPath),
    ]);
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    const inspect = (
      b: V1ClusterRoleBinding | V1RoleBinding,
      kind: string,
      path: string,
    ) => {
      evaluated++;
      const name = b.metadata?.name ?? '';
      if (
        b.roleRef?.kind !== 'ClusterRole' ||
        b.roleRef.name !== 'cluster-admin' ||
        name.startsWith('system:')
      )
        return;
      const subjects = (b.subjects ?? []).filter(
        s => !s.name.startsWith('system:'),
      );
      if (subjects.length === 0) return;
      const namespace = b.metadata?.namespace;
      findings.push({
        object: { cluster, namespace, kind, name },
        message: `${kind} ${name} grants cluster-admin${
          namespace ? ` in ${namespace}` : ''
        } to ${subjects.map(subjectText).join(', ')}.`,
        severity: namespace ? 'medium' : undefined,
        labels: b.metadata?.labels,
        evidence: {
          measured: `roleRef ClusterRole/cluster-admin → ${subjects
            .map(subjectText)
            .join(', ')}`,
          expected: 'no cluster-admin outside system: bindings',
          query: `GET ${path}/${name}`,
        },
      });
    };
    for (const b of crbs) inspect(b, 'ClusterRoleBinding', crbPath);
    for (const b of rbs) {
      if (ctx.namespaceInScope(b.metadata?.namespace ?? ''))
        inspect(b, 'RoleBinding', rbPath);
    }
    return { findings, evaluated };
  },
};

export function createSecurityChecks(
  options: BuiltinChecksOptions,
): InspectionCheck[] {
  return [
    imageLatest,
    imageRegistryCheck(options.allowedImageRegistries),
    privileged,
    runAsRoot,
    privilegeEscalation,
    hostNamespaces,
    clusterAdminBindings,
    defaultServiceAccount,
  ];
}
