import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ClusterAuditService } from '@kubemate/plugin-kubemate-node';
import {
  ragCollectionCreatePermission,
  ragCollectionReadPermission,
  ragCollectionUpdatePermission,
  RAG_COLLECTION_NAME_PATTERN,
  type Collection,
  type CreateCollectionRequest,
  type DocumentInfo,
  type Passage,
  type UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import { audited } from '../../lib/audit';
import { CONTENT_TYPE_OF } from '../../lib/formats';
import type { ObjectStore } from '../ObjectStore/types';
import type {
  CollectionAdminAccess,
  CollectionsService,
  CollectionStore,
  IngestionJobStore,
  PassageStore,
} from './types';

export interface CollectionsServiceOptions {
  store: CollectionStore &
    PassageStore &
    Pick<IngestionJobStore, 'objectKeyOf'>;
  access: CollectionAdminAccess;
  objects: ObjectStore;
  audit: ClusterAuditService;
  logger: LoggerService;
  /** the embedding model new collections are made with */
  embeddingModel: string;
}

const ENTITY_REF = /^[a-z]+:[a-z0-9._-]+\/[A-Za-z0-9._-]+$/;

function checkRefs(field: string, refs: string[] | undefined) {
  for (const ref of refs ?? []) {
    if (!ENTITY_REF.test(ref)) {
      throw new InputError(
        `${field}: ${JSON.stringify(
          ref,
        )} is not an entity ref such as group:default/team-payments`,
      );
    }
  }
}

/** {@link CollectionsService}: every call checks its own permission; changes are audited. */
export class DefaultCollectionsService implements CollectionsService {
  constructor(private readonly options: CollectionsServiceOptions) {}

  async list(credentials: BackstageCredentials): Promise<Collection[]> {
    return this.options.access.reachable(
      credentials,
      ragCollectionReadPermission,
    );
  }

  get(credentials: BackstageCredentials, name: string): Promise<Collection> {
    return this.options.access.require(
      credentials,
      ragCollectionReadPermission,
      name,
    );
  }

  create(
    credentials: BackstageCredentials,
    request: CreateCollectionRequest,
  ): Promise<Collection> {
    const { access, store } = this.options;
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.collection.create',
        target: { kind: 'rag-collection', name: String(request.name) },
      },
      async () => {
        if (!RAG_COLLECTION_NAME_PATTERN.test(request.name ?? '')) {
          throw new InputError(
            `${JSON.stringify(
              request.name,
            )} is not a knowledge base name: 3–63 lowercase letters, digits and dashes, starting with a letter`,
          );
        }
        checkRefs('ownerRef', [request.ownerRef]);
        checkRefs('sharedWith', request.sharedWith);
        checkRefs('entityRefs', request.entityRefs);
        await access.requireNew(credentials, ragCollectionCreatePermission, {
          ownerRefs: [request.ownerRef],
        });
        const createdBy =
          (credentials.principal as { userEntityRef?: string }).userEntityRef ??
          'unknown';
        return store.createCollection({
          ...request,
          createdBy,
          embeddingModel: this.options.embeddingModel,
        });
      },
      c =>
        `created knowledge base ${c.name} owned by ${c.ownerRef}${
          c.sharedWith.length ? `, shared with ${c.sharedWith.join(', ')}` : ''
        }`,
    );
  }

  update(
    credentials: BackstageCredentials,
    name: string,
    patch: UpdateCollectionRequest,
  ): Promise<Collection> {
    const { access, store } = this.options;
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.collection.update',
        target: { kind: 'rag-collection', name },
      },
      async () => {
        checkRefs('sharedWith', patch.sharedWith);
        checkRefs('entityRefs', patch.entityRefs);
        await access.require(credentials, ragCollectionUpdatePermission, name);
        return store.updateCollection(name, patch);
      },
      c =>
        `updated knowledge base ${name}: ${
          Object.keys(patch).join(', ') || 'nothing'
        }${
          patch.sharedWith
            ? ` (shared with ${c.sharedWith.join(', ') || 'nobody'})`
            : ''
        }`,
    );
  }

  async listDocuments(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<DocumentInfo[]> {
    await this.get(credentials, collection);
    return this.options.store.listDocuments(collection);
  }

  async getDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo> {
    await this.get(credentials, collection);
    const doc = await this.options.store.getDocument(collection, documentId);
    if (!doc) {
      throw new NotFoundError(
        `Knowledge base ${collection} has no document ${documentId}`,
      );
    }
    return doc;
  }

  async passage(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
    chunkIndex: number,
  ): Promise<Passage> {
    const doc = await this.getDocument(credentials, collection, documentId);
    const window = await this.options.store.chunkWindow(
      collection,
      documentId,
      chunkIndex,
    );
    if (!window) {
      throw new NotFoundError(
        `${doc.name} has no passage ${chunkIndex} (it has ${
          doc.chunksTotal ?? 0
        })`,
      );
    }
    return {
      collection,
      documentId,
      documentName: doc.name,
      chunkIndex,
      chunksTotal: window.chunksTotal,
      ...(window.chunk.section ? { section: window.chunk.section } : {}),
      text: window.chunk.text,
      ...(window.previous ? { previous: window.previous.text } : {}),
      ...(window.next ? { next: window.next.text } : {}),
    };
  }

  async original(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<{ filename: string; contentType: string; body: Buffer }> {
    const doc = await this.getDocument(credentials, collection, documentId);
    const key = await this.options.store.objectKeyOf(collection, documentId);
    if (!key) {
      throw new NotFoundError(`${doc.name} has no stored original`);
    }
    const body = await this.options.objects.get(key);
    return {
      filename: key.replace(/^.*\//, ''),
      contentType: CONTENT_TYPE_OF[doc.format],
      body,
    };
  }
}
