import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { KubernetesPolicyRule } from '@kubemate/plugin-kubemate-common';

/*
 * Knowledge-assistant permissions. Knowledge bases (collections) belong to a team: every
 * permission is a resource permission on the team-owned resource type `rag-collection` (see the
 * base's TEAM_OWNED_RULE). A role of scope `all` reaches every collection; a role scoped to
 * namespaces reaches the collections owned by (or shared with) the user or one of its groups.
 * The backend resolves that scope once per request and applies it in its own queries and in the
 * Milvus filter: never the UI.
 */

/** The team-owned resource type of knowledge bases. */
export const RESOURCE_TYPE_RAG_COLLECTION = 'rag-collection';

/** A collection's resource ref for `authorize` / `usePermission`: `rag-collection:<name>`. */
export const ragCollectionResourceRef = (name: string) =>
  `${RESOURCE_TYPE_RAG_COLLECTION}:${name}`;

/**
 * The resource ref of a collection to be created, owned by `ownerRef`:
 * `rag-collection:new:<ownerRef>` (a name never holds a `:`), so that `authorize` /
 * `usePermission` of rag.collection.create can be asked per owner team before the collection
 * exists. The backend's `getResources` resolves it to `{ ownerRefs: [ownerRef] }`.
 */
export const ragNewCollectionResourceRef = (ownerRef: string) =>
  `${RESOURCE_TYPE_RAG_COLLECTION}:new:${ownerRef}`;

/** What a `rag-collection:` resource ref names: an existing collection or one to be created; undefined when it is neither. */
export function parseRagCollectionResourceRef(
  resourceRef: string,
): { name: string } | { newOwnerRef: string } | undefined {
  const prefix = `${RESOURCE_TYPE_RAG_COLLECTION}:`;
  if (!resourceRef.startsWith(prefix)) return undefined;
  const rest = resourceRef.slice(prefix.length);
  if (rest.startsWith('new:')) {
    const ownerRef = rest.slice('new:'.length);
    return ownerRef ? { newOwnerRef: ownerRef } : undefined;
  }
  return rest && !rest.includes(':') ? { name: rest } : undefined;
}

const collectionPermission = (
  name: string,
  action: 'create' | 'read' | 'update' | 'delete',
): ResourcePermission<typeof RESOURCE_TYPE_RAG_COLLECTION> =>
  createPermission({
    name,
    attributes: { action },
    resourceType: RESOURCE_TYPE_RAG_COLLECTION,
  });

/** See a collection, its documents, passages and ingestion progress. */
export const ragCollectionReadPermission = collectionPermission(
  'rag.collection.read',
  'read',
);
/** Create a collection (checked against the collection to be: its owning team). */
export const ragCollectionCreatePermission = collectionPermission(
  'rag.collection.create',
  'create',
);
/** Change a collection's title, description, sharing and linked entities; re-index it. */
export const ragCollectionUpdatePermission = collectionPermission(
  'rag.collection.update',
  'update',
);
/** Delete a collection with its documents, vectors and originals. */
export const ragCollectionDeletePermission = collectionPermission(
  'rag.collection.delete',
  'delete',
);
/** Upload documents into a collection (and add catalog/TechDocs sources). */
export const ragDocumentUploadPermission = collectionPermission(
  'rag.document.upload',
  'create',
);
/** Delete a document (its vectors and original). */
export const ragDocumentDeletePermission = collectionPermission(
  'rag.document.delete',
  'delete',
);
/** Ask questions answered from a collection. */
export const ragQueryRunPermission = collectionPermission(
  'rag.query.run',
  'read',
);

/** Every permission of the rag plugin. */
export const ragPermissions = [
  ragCollectionReadPermission,
  ragCollectionCreatePermission,
  ragCollectionUpdatePermission,
  ragCollectionDeletePermission,
  ragDocumentUploadPermission,
  ragDocumentDeletePermission,
  ragQueryRunPermission,
];

/** Nothing in Kubernetes: the knowledge assistant never acts in a cluster as the user. */
export const ragKubernetesRules: Record<string, KubernetesPolicyRule[]> = {};
