/*
 * Access rules with permission decisions shaped as the RBAC plugin gives them for the
 * team-owned rag-collection type: admin unconditional, alice narrowed to her user and team,
 * mallory denied, and a reader who may read but not upload.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { testPermissions } from '@kubemate/dev-stack';
import { TEAM_OWNED_RULE } from '@kubemate/plugin-kubemate-common';
import {
  ragCollectionCreatePermission,
  ragCollectionReadPermission,
  ragDocumentUploadPermission,
  ragQueryRunPermission,
  RESOURCE_TYPE_RAG_COLLECTION,
  type Collection,
} from '@kubemate/plugin-rag-common';
import { DefaultCollectionAccess } from './DefaultCollectionAccess';
import type { CollectionStore } from './types';

const ADMIN = 'user:default/admin';
const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';
const READER = 'user:default/reader';
const PAYMENTS = 'group:default/team-payments';
const RISK = 'group:default/team-risk';

const teams = (claims: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'rag',
  resourceType: RESOURCE_TYPE_RAG_COLLECTION,
  conditions: {
    rule: TEAM_OWNED_RULE,
    resourceType: RESOURCE_TYPE_RAG_COLLECTION,
    params: { claims },
  },
});

const collection = (
  name: string,
  ownerRef: string,
  sharedWith: string[] = [],
) => ({ name, ownerRef, sharedWith } as unknown as Collection);
const COLLECTIONS = [
  collection('pay-docs', PAYMENTS),
  collection('risk-docs', RISK),
  collection('shared-docs', RISK, [PAYMENTS]),
];

/** The store's team-scope filter, as the database store applies it. */
const store = {
  async getCollection(name: string) {
    return COLLECTIONS.find(c => c.name === name);
  },
  async listCollections(scope: any) {
    return COLLECTIONS.filter(
      c =>
        scope.type === 'all' ||
        [c.ownerRef, ...c.sharedWith].some(r => scope.claims.includes(r)),
    );
  },
} as unknown as CollectionStore;

const access = new DefaultCollectionAccess({
  store,
  permissions: testPermissions((user, request) => {
    if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
    if (user === ALICE) return teams([ALICE, PAYMENTS]);
    if (user === READER) {
      return request.permission.name === ragCollectionReadPermission.name
        ? teams([READER, PAYMENTS])
        : { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.DENY };
  }) as any,
});
const as = (user: string) => mockCredentials.user(user);

describe('DefaultCollectionAccess', () => {
  it('lists the collections a permission reaches', async () => {
    const names = async (user: string) =>
      (await access.reachable(as(user), ragQueryRunPermission)).map(
        c => c.name,
      );
    expect(await names(ADMIN)).toEqual([
      'pay-docs',
      'risk-docs',
      'shared-docs',
    ]);
    expect(await names(ALICE)).toEqual(['pay-docs', 'shared-docs']);
    await expect(names(MALLORY)).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('answers an unreachable name as not found, never as forbidden', async () => {
    await expect(
      access.reachable(as(ALICE), ragQueryRunPermission, [
        'pay-docs',
        'risk-docs',
      ]),
    ).rejects.toThrow(new NotFoundError('No knowledge base named risk-docs'));
    expect(
      (
        await access.reachable(as(ALICE), ragQueryRunPermission, [
          'shared-docs',
        ])
      ).map(c => c.name),
    ).toEqual(['shared-docs']);
    for (const user of [ALICE, MALLORY, READER]) {
      await expect(
        access.require(as(user), ragDocumentUploadPermission, 'risk-docs'),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        access.require(as(user), ragCollectionReadPermission, 'nope-docs'),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('answers a readable collection without the action as 403', async () => {
    expect(
      (
        await access.require(
          as(READER),
          ragCollectionReadPermission,
          'pay-docs',
        )
      ).name,
    ).toBe('pay-docs');
    await expect(
      access.require(as(READER), ragDocumentUploadPermission, 'pay-docs'),
    ).rejects.toBeInstanceOf(NotAllowedError);
    // alice uploads to her team's collection; admin anywhere
    expect(
      (await access.require(as(ALICE), ragDocumentUploadPermission, 'pay-docs'))
        .name,
    ).toBe('pay-docs');
    expect(
      (
        await access.require(
          as(ADMIN),
          ragDocumentUploadPermission,
          'risk-docs',
        )
      ).name,
    ).toBe('risk-docs');
  });

  it('authorizes a collection to be created against its owner', async () => {
    await expect(
      access.requireNew(as(ALICE), ragCollectionCreatePermission, {
        ownerRefs: [PAYMENTS],
      }),
    ).resolves.toBeUndefined();
    await expect(
      access.requireNew(as(ALICE), ragCollectionCreatePermission, {
        ownerRefs: [RISK],
      }),
    ).rejects.toThrow(
      'user:default/alice is not allowed rag.collection.create for group:default/team-risk: only for the teams you belong to',
    );
    await expect(
      access.requireNew(as(MALLORY), ragCollectionCreatePermission, {
        ownerRefs: [PAYMENTS],
      }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      access.requireNew(as(ADMIN), ragCollectionCreatePermission, {
        ownerRefs: [RISK],
      }),
    ).resolves.toBeUndefined();
  });
});
