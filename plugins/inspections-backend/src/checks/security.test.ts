import { ConfigReader } from '@backstage/config';
import { builtinChecks, createBuiltinChecks } from '.';
import {
  createSecurityChecks,
  imageAllowed,
  imageRegistry,
  imageTag,
} from './security';
import { byId, runCheck } from './__testUtils__/fakeContext';

const checks = createSecurityChecks({
  allowedImageRegistries: ['registry.example.com/', 'ghcr.io/kubemate'],
  hostSelector: 'job="node"',
});
const check = (id: string) => byId(checks, id);

/** A Deployment whose pod template has the given containers and pod-level spec. */
function deployment(
  name: string,
  containers: any[],
  spec: any = {},
  namespace = 'risk-dev',
) {
  return {
    metadata: { namespace, name },
    spec: {
      replicas: 1,
      template: {
        metadata: { labels: { app: name } },
        spec: { containers, ...spec },
      },
    },
  };
}

const hardened = {
  name: 'app',
  image: 'registry.example.com/risk/app:1.2.3',
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000,
    allowPrivilegeEscalation: false,
  },
};

describe('image references', () => {
  it('reads tags, digests and registries', () => {
    expect(imageTag('nginx')).toEqual({ digest: false, tag: undefined });
    expect(imageTag('localhost:5000/app')).toEqual({
      digest: false,
      tag: undefined,
    });
    expect(imageTag('localhost:5000/app:1.0')).toEqual({
      digest: false,
      tag: '1.0',
    });
    expect(imageTag('app:latest@sha256:abc')).toEqual({
      digest: true,
      tag: 'latest',
    });
    expect(imageRegistry('nginx')).toBe('docker.io');
    expect(imageRegistry('team/app:1')).toBe('docker.io');
    expect(imageRegistry('ghcr.io/x/y:1')).toBe('ghcr.io');
    expect(imageAllowed('ghcr.io/kubemate/app:1', ['ghcr.io/kubemate'])).toBe(
      true,
    );
    expect(
      imageAllowed('ghcr.io/kubemate-evil/app:1', ['ghcr.io/kubemate']),
    ).toBe(false);
    expect(imageAllowed('nginx:1', ['docker.io/library'])).toBe(true);
  });
});

describe('container checks', () => {
  const objects = {
    deployments: [
      deployment('risk-report', [
        {
          name: 'report',
          image: 'registry.example.com/risk/report:latest',
          securityContext: { privileged: true, runAsUser: 0 },
        },
      ]),
      deployment('hardened', [hardened]),
      deployment('untagged', [
        { ...hardened, image: 'docker.io/library/busybox' },
      ]),
    ],
    cronjobs: [
      {
        metadata: { namespace: 'risk-dev', name: 'nightly' },
        spec: {
          jobTemplate: {
            spec: {
              template: {
                metadata: { labels: { app: 'nightly' } },
                spec: { containers: [{ ...hardened, image: 'quay.io/x/y:2' }] },
              },
            },
          },
        },
      },
    ],
    pods: [
      // a bare pod is inspected, a pod owned by a ReplicaSet is not (its Deployment is)
      {
        metadata: {
          namespace: 'risk-dev',
          name: 'debug',
          labels: { run: 'debug' },
        },
        spec: { containers: [hardened], hostNetwork: true, hostPID: true },
      },
      {
        metadata: {
          namespace: 'risk-dev',
          name: 'hardened-abc-1',
          ownerReferences: [
            { kind: 'ReplicaSet', name: 'hardened-abc', controller: true },
          ],
        },
        spec: { containers: [{ ...hardened, image: 'x:latest' }] },
      },
    ],
  };

  it('image-latest: latest and untagged, per workload and container', async () => {
    const out = await runCheck(check('security.image-latest'), { objects });
    expect(out.evaluated).toBe(5);
    expect(
      out.findings.map(f => [
        f.object.kind,
        f.object.name,
        f.object.part,
        f.evidence.measured,
      ]),
    ).toEqual([
      [
        'Deployment',
        'risk-report',
        'report',
        'registry.example.com/risk/report:latest',
      ],
      ['Deployment', 'untagged', 'app', 'docker.io/library/busybox'],
    ]);
    expect(out.findings[0]).toMatchObject({
      labels: { app: 'risk-report' },
      evidence: {
        query: 'GET /apis/apps/v1/namespaces/risk-dev/deployments/risk-report',
      },
    });
  });

  it('image-registry: outside the allow-list; skipped without one', async () => {
    const out = await runCheck(check('security.image-registry'), { objects });
    expect(out.findings.map(f => f.object.name)).toEqual([
      'untagged',
      'nightly',
    ]);
    expect(out.findings[1].evidence.measured).toBe(
      'quay.io/x/y:2 (registry quay.io)',
    );
    const open = createSecurityChecks({
      allowedImageRegistries: [],
      hostSelector: '',
    });
    const skipped = await runCheck(byId(open, 'security.image-registry'), {
      objects,
    });
    expect(skipped.skipped).toMatch(/allowedImageRegistries is empty/);
  });

  it('privileged', async () => {
    const out = await runCheck(check('security.privileged'), { objects });
    expect(out.findings.map(f => f.object.name)).toEqual(['risk-report']);
    expect(out.findings[0].evidence.measured).toBe(
      'securityContext.privileged=true',
    );
  });

  it('run-as-root: explicit root is high, unset is medium, pod-level settings count', async () => {
    const out = await runCheck(check('security.run-as-root'), {
      objects: {
        deployments: [
          ...objects.deployments,
          deployment('unset', [
            { name: 'c', image: 'registry.example.com/a:1' },
          ]),
          deployment(
            'pod-level',
            [{ name: 'c', image: 'registry.example.com/a:1' }],
            { securityContext: { runAsNonRoot: true } },
          ),
        ],
      },
    });
    expect(out.findings.map(f => [f.object.name, f.severity])).toEqual([
      ['risk-report', undefined],
      ['unset', 'medium'],
    ]);
  });

  it('privilege-escalation: anything but an explicit false', async () => {
    const out = await runCheck(check('security.privilege-escalation'), {
      objects,
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['risk-report']);
  });

  it('host-namespaces: one finding per workload naming the shared namespaces', async () => {
    const out = await runCheck(check('security.host-namespaces'), { objects });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Pod', name: 'debug' },
      labels: { run: 'debug' },
      evidence: { measured: 'hostNetwork=true, hostPID=true' },
    });
  });

  it('default-service-account: default SA with a mounted token', async () => {
    const out = await runCheck(check('security.default-service-account'), {
      objects: {
        deployments: [
          deployment('a', [hardened]),
          deployment('b', [hardened], { serviceAccountName: 'b' }),
          deployment('c', [hardened], { automountServiceAccountToken: false }),
        ],
      },
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['a']);
  });
});

describe('security.cluster-admin-bindings', () => {
  it('reports cluster-admin bindings outside system:', async () => {
    const crb = (name: string, subjects: any[], role = 'cluster-admin') => ({
      metadata: { name },
      roleRef: { kind: 'ClusterRole', name: role },
      subjects,
    });
    const out = await runCheck(check('security.cluster-admin-bindings'), {
      api: {
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': [
          crb('cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
          crb('system:controller', [{ kind: 'User', name: 'x' }]),
          crb('legacy-ci-admin', [
            { kind: 'ServiceAccount', namespace: 'ci', name: 'legacy-ci' },
          ]),
          crb('viewers', [{ kind: 'Group', name: 'everyone' }], 'view'),
        ],
        '/apis/rbac.authorization.k8s.io/v1/rolebindings': [
          {
            metadata: { namespace: 'risk-dev', name: 'ns-admin' },
            roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
            subjects: [{ kind: 'User', name: 'bob' }],
          },
        ],
      },
    });
    expect(out.evaluated).toBe(5);
    expect(
      out.findings.map(f => [f.object.kind, f.object.name, f.severity]),
    ).toEqual([
      ['ClusterRoleBinding', 'legacy-ci-admin', undefined],
      ['RoleBinding', 'ns-admin', 'medium'],
    ]);
    expect(out.findings[0].evidence.measured).toBe(
      'roleRef ClusterRole/cluster-admin → ServiceAccount ci/legacy-ci',
    );
  });
});

describe('the built-in list', () => {
  it('has at least 30 checks with unique ids, complete metadata and numeric thresholds', () => {
    expect(builtinChecks.length).toBeGreaterThanOrEqual(30);
    const ids = builtinChecks.map(c => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of builtinChecks) {
      expect(c.id).toMatch(new RegExp(`^${c.category}\\.[a-z0-9-]+$`));
      expect(c.version).toBe(1);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(40);
      for (const v of Object.values(c.thresholds ?? {}))
        expect(Number.isFinite(v)).toBe(true);
    }
    for (const category of [
      'cluster',
      'host',
      'application',
      'database',
      'security',
    ]) {
      expect(
        builtinChecks.filter(c => c.category === category).length,
      ).toBeGreaterThanOrEqual(5);
    }
  });

  it('reads the registries and the host selector from config', async () => {
    const configured = createBuiltinChecks(
      new ConfigReader({
        kubemate: {
          inspections: {
            allowedImageRegistries: ['registry.example.com'],
            hostSelector: 'job="hosts"',
          },
        },
      }),
    );
    const queries: string[] = [];
    await runCheck(byId(configured, 'host.exporter-up'), {
      prometheus: q => {
        queries.push(q);
        return [];
      },
    });
    expect(queries).toEqual(['up{job="hosts"}']);
    const out = await runCheck(byId(configured, 'security.image-registry'), {
      objects: {
        deployments: [deployment('x', [{ ...hardened, image: 'quay.io/a:1' }])],
      },
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['x']);
  });
});
