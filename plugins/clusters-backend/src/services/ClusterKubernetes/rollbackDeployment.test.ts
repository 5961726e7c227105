import { V1ReplicaSet } from '@kubernetes/client-node';
import { pickRollbackRevision } from './rollbackDeployment';

const deployment = {
  metadata: {
    uid: 'd',
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  },
};

const rs = (revision: number, ownerUid = 'd'): V1ReplicaSet => ({
  metadata: {
    name: `rs-${revision}-${ownerUid}`,
    annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'x',
        uid: ownerUid,
        controller: true,
      },
    ],
  },
});

describe('pickRollbackRevision', () => {
  const replicasets = [rs(1), rs(3), rs(2), rs(2, 'other')];

  it('takes the newest revision older than the current one when none is requested', () => {
    expect(
      pickRollbackRevision(deployment, replicasets, undefined)?.rs.metadata
        ?.name,
    ).toBe('rs-2-d');
  });

  it("takes the requested revision of the Deployment's own ReplicaSets", () => {
    expect(pickRollbackRevision(deployment, replicasets, 1)?.revision).toBe(1);
    expect(pickRollbackRevision(deployment, replicasets, 3)?.revision).toBe(3);
    expect(pickRollbackRevision(deployment, replicasets, 7)).toBeUndefined();
  });

  it('finds nothing without an older revision', () => {
    expect(
      pickRollbackRevision(deployment, [rs(3)], undefined),
    ).toBeUndefined();
  });
});
