import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { testPermissions } from '@kubemate/dev-stack';
import { AuditRecord, ClustersObject } from '@kubemate/plugin-kubemate-common';
import {
  AuditEntry,
  ClusterAuditService,
} from '@kubemate/plugin-kubemate-node';
import { ClusterKubernetesService } from '../ClusterKubernetes';
import { AuthorizedClusterOpsService } from './AuthorizedClusterOpsService';

const ALICE = 'user:default/alice'; // clusters-object permissions in payments-*
const ADMIN = 'user:default/admin'; // everything
const MALLORY = 'user:default/mallory'; // nothing
const ENTITY_REF = 'component:default/payments-api';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const scope = {
  entityRef: ENTITY_REF,
  selector: {
    labelSelector: 'backstage.io/kubernetes-id=payments-api',
    labels: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
};

const target = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  resource: 'deployments' as const,
  name: 'payments-api',
};

/** IS_IN_NAMESPACE of the demo decisions, as the plugin's condition authorizer applies it. */
function authorizeConditions(d: PolicyDecision, o: ClustersObject): boolean {
  if (d.result !== AuthorizeResult.CONDITIONAL) {
    return d.result === AuthorizeResult.ALLOW;
  }
  const patterns = (d.conditions as any).params.namespaces as string[];
  return patterns.some(p =>
    p.endsWith('*')
      ? o.namespace.startsWith(p.slice(0, -1))
      : p === o.namespace,
  );
}

function setup() {
  const kubernetes: jest.Mocked<ClusterKubernetesService> = {
    listEntityWorkloads: jest.fn(),
    getPodLogs: jest.fn(),
    getWorkloadManifest: jest.fn(),
    scale: jest.fn(async (_c, _s, t, replicas) => ({
      ...t,
      kind: 'Deployment',
      message: `scaled Deployment ${t.namespace}/${t.name} from 2 to ${replicas} replicas`,
    })),
    restart: jest.fn(),
    rollback: jest.fn(),
    deletePod: jest.fn(),
    apply: jest.fn(),
    listClusters: jest.fn(() => ({ clusters: [] })),
    getClusterOverview: jest.fn(),
  };
  const audit: jest.Mocked<ClusterAuditService> = {
    record: jest.fn(async (_entry: AuditEntry) => {}),
    query: jest.fn(async () => []),
  };
  const service = new AuthorizedClusterOpsService({
    kubernetes,
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions.mock(testPermissions()),
    audit,
    logger: mockServices.logger.mock(),
    authorizeConditions,
  });
  return { service, kubernetes, audit };
}

const as = (user: string) => mockCredentials.user(user);

describe('AuthorizedClusterOpsService', () => {
  describe('mutations', () => {
    it('audits a denied scale as a failure and never calls the Kubernetes side', async () => {
      const { service, kubernetes, audit } = setup();
      await expect(
        service.scale(as(MALLORY), ENTITY_REF, target, 3),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: `${MALLORY} is not allowed clusters.workload.scale on dev-cluster/payments-dev/deployments/payments-api`,
      });
      expect(kubernetes.scale).not.toHaveBeenCalled();
      expect(audit.record).toHaveBeenCalledTimes(1);
      expect(audit.record).toHaveBeenCalledWith({
        actor: MALLORY,
        action: 'scale',
        entityRef: ENTITY_REF,
        ...target,
        kind: 'Deployment',
        result: 'failure',
        message: `NotAllowedError: ${MALLORY} is not allowed clusters.workload.scale on dev-cluster/payments-dev/deployments/payments-api`,
      });
    });

    it('denies outside the conditional namespaces too (alice in payments-*)', async () => {
      const { service, kubernetes, audit } = setup();
      await expect(
        service.scale(
          as(ALICE),
          ENTITY_REF,
          { ...target, namespace: 'risk-dev' },
          3,
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(kubernetes.scale).not.toHaveBeenCalled();
      expect(audit.record.mock.calls[0][0].result).toBe('failure');
    });

    it('runs an allowed scale on the Kubernetes side with the entity scope and audits it as a success', async () => {
      const { service, kubernetes, audit } = setup();
      const credentials = as(ALICE);
      const result = await service.scale(credentials, ENTITY_REF, target, 3);
      expect(result.message).toBe(
        'scaled Deployment payments-dev/payments-api from 2 to 3 replicas',
      );
      expect(kubernetes.scale).toHaveBeenCalledWith(
        credentials,
        scope,
        target,
        3,
      );
      expect(audit.record).toHaveBeenCalledWith({
        actor: ALICE,
        action: 'scale',
        entityRef: ENTITY_REF,
        ...target,
        kind: 'Deployment',
        result: 'success',
        message: result.message,
      });
    });

    it('audits a Kubernetes failure with the error and rethrows it', async () => {
      const { service, kubernetes, audit } = setup();
      const forbidden = Object.assign(new Error('cannot patch resource'), {
        name: 'NotAllowedError',
      });
      kubernetes.restart.mockRejectedValue(forbidden);
      await expect(service.restart(as(ADMIN), ENTITY_REF, target)).rejects.toBe(
        forbidden,
      );
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'restart',
          result: 'failure',
          message: 'NotAllowedError: cannot patch resource',
        }),
      );
    });

    it('audits an unknown entity as a failure (NotFoundError) without touching the cluster', async () => {
      const { service, kubernetes, audit } = setup();
      await expect(
        service.deletePod(as(ADMIN), 'component:default/nope', {
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          pod: 'p-1',
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(kubernetes.deletePod).not.toHaveBeenCalled();
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'delete-pod',
          entityRef: 'component:default/nope',
          kind: 'Pod',
          resource: 'pods',
          name: 'p-1',
          result: 'failure',
        }),
      );
    });

    it("apply: hands the parsed manifest over and checks the permission on every object's namespace", async () => {
      const { service, kubernetes, audit } = setup();
      kubernetes.apply.mockImplementation(async (_c, _s, request) => {
        await request.authorizeNamespace('payments-dev');
        await request.authorizeNamespace('risk-dev'); // outside alice's payments-*
        return { dryRun: true, objects: [] };
      });
      const manifest =
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: payments-dev\n---\n' +
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: risk-dev\n';
      await expect(
        service.apply(as(ALICE), ENTITY_REF, {
          cluster: 'dev-cluster',
          manifest,
          dryRun: true,
        }),
      ).rejects.toMatchObject({
        message: `${ALICE} is not allowed clusters.workload.apply on dev-cluster/risk-dev`,
      });
      const request = kubernetes.apply.mock.calls[0][2];
      expect(request.manifest.objects.map(o => o.metadata?.name)).toEqual([
        'a',
        'b',
      ]);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'apply-dry-run',
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          kind: 'ConfigMap',
          name: 'a (+1)',
          result: 'failure',
        }),
      );
    });
  });

  describe('reads', () => {
    it("filters the entity's workloads to the namespaces the user may read", async () => {
      const { service, kubernetes } = setup();
      const ns = (namespace: string) => ({
        namespace,
        workloads: [],
        services: [],
        otherPods: [],
      });
      kubernetes.listEntityWorkloads.mockResolvedValue([
        {
          cluster: 'dev-cluster',
          namespaces: [ns('payments-dev'), ns('risk-dev')],
        },
        { cluster: 'prod-cluster', error: 'unreachable', namespaces: [] },
      ]);
      const res = await service.getEntityWorkloads(as(ALICE), ENTITY_REF);
      expect(kubernetes.listEntityWorkloads).toHaveBeenCalledWith(
        scope.selector,
      );
      expect(res).toEqual({
        entityRef: ENTITY_REF,
        labelSelector: scope.selector.labelSelector,
        clusters: [
          { cluster: 'dev-cluster', namespaces: [ns('payments-dev')] },
          { cluster: 'prod-cluster', error: 'unreachable', namespaces: [] },
        ],
      });
      await expect(
        service.getEntityWorkloads(as(MALLORY), ENTITY_REF),
      ).rejects.toMatchObject({
        message: `${MALLORY} is not allowed clusters.resources.read in any namespace`,
      });
    });

    it('leaves audit records about unreadable namespaces out', async () => {
      const { service, audit } = setup();
      const record = (id: number, namespace?: string): AuditRecord => ({
        id,
        actor: ADMIN,
        action: 'scale',
        entityRef: ENTITY_REF,
        cluster: namespace ? 'dev-cluster' : undefined,
        namespace,
        result: 'success',
        createdAt: new Date(0).toISOString(),
      });
      audit.query.mockResolvedValue([
        record(1, 'payments-dev'),
        record(2, 'risk-dev'),
        record(3),
      ]);
      const items = await service.getAudit(as(ALICE), ENTITY_REF, 5);
      expect(audit.query).toHaveBeenCalledWith({
        entityRef: ENTITY_REF,
        limit: 5,
      });
      expect(items.map(i => i.id)).toEqual([1, 3]);
    });

    it('checks the basic overview permission before listing clusters', async () => {
      const { service, kubernetes } = setup();
      await expect(service.listClusters(as(MALLORY))).rejects.toMatchObject({
        message: `${MALLORY} is not allowed clusters.overview.read`,
      });
      expect(kubernetes.listClusters).not.toHaveBeenCalled();
      await expect(service.listClusters(as(ADMIN))).resolves.toEqual({
        clusters: [],
      });
    });
  });
});
