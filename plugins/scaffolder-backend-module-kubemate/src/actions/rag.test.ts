import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import type {
  Collection,
  CreateCollectionRequest,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import { createRagCollectionCreateAction } from './rag';
import { DefaultRagClient, RagClient } from './ragClient';

/** The rag backend's collections in memory, with what the action sent and as whom. */
class FakeRagClient implements RagClient {
  readonly collections = new Map<string, Collection>();
  readonly writes: Array<{
    op: 'create' | 'update';
    body: CreateCollectionRequest | UpdateCollectionRequest;
    credentials: BackstageCredentials;
  }> = [];
  readonly reads: BackstageCredentials[] = [];
  /** Set to make the next write fail as the backend's permission check would. */
  deny?: Error;

  async getCollection(
    name: string,
    { credentials }: { credentials: BackstageCredentials },
  ) {
    this.reads.push(credentials);
    return this.collections.get(name);
  }

  async createCollection(
    body: CreateCollectionRequest,
    { credentials }: { credentials: BackstageCredentials },
  ) {
    if (this.deny) throw this.deny;
    this.writes.push({ op: 'create', body, credentials });
    const collection: Collection = {
      name: body.name,
      title: body.title ?? body.name,
      description: body.description ?? '',
      ownerRef: body.ownerRef,
      sharedWith: body.sharedWith ?? [],
      entityRefs: body.entityRefs ?? [],
      version: 1,
      embeddingModel: 'all-minilm-l6-v2',
      createdBy: 'user:default/alice',
      createdAt: '2026-12-01T00:00:00Z',
      updatedAt: '2026-12-01T00:00:00Z',
      stats: { documents: 0, chunks: 0, bytes: 0, inProgress: 0, failed: 0 },
    };
    this.collections.set(body.name, collection);
    return collection;
  }

  async updateCollection(
    name: string,
    body: UpdateCollectionRequest,
    { credentials }: { credentials: BackstageCredentials },
  ) {
    if (this.deny) throw this.deny;
    this.writes.push({ op: 'update', body, credentials });
    const updated = { ...this.collections.get(name)!, ...body };
    this.collections.set(name, updated);
    return updated;
  }
}

const input = {
  name: 'payments-ledger-kb',
  title: 'Ledger knowledge base',
  description: 'Runbooks of the ledger',
  owner: 'group:default/team-payments',
  entityRefs: ['component:default/payments-api'],
};

describe('kubemate:rag:collection:create', () => {
  let rag: FakeRagClient;
  let provisioner: FakeProvisioner;
  beforeEach(() => {
    rag = new FakeRagClient();
    provisioner = new FakeProvisioner();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createRagCollectionCreateAction(rag, provisioner).handler(ctx as any);

  it('creates the collection as the initiating user, audits it, and reports a second run unchanged', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    expect(outputsOf(ctx)).toEqual({
      collection: 'payments-ledger-kb',
      ownerRef: 'group:default/team-payments',
      entityRef: 'resource:default/payments-ledger-kb',
      operation: 'created',
    });
    expect(rag.writes).toEqual([
      {
        op: 'create',
        body: {
          name: 'payments-ledger-kb',
          ownerRef: 'group:default/team-payments',
          title: 'Ledger knowledge base',
          description: 'Runbooks of the ledger',
          sharedWith: [],
          entityRefs: ['component:default/payments-api'],
        },
        credentials: await ctx.getInitiatorCredentials(),
      },
    ]);
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        actor: 'user:default/alice',
        action: 'kubemate:rag:collection:create',
        result: 'success',
        where: { kind: 'KnowledgeBase', name: 'payments-ledger-kb' },
      }),
    ]);

    const again = actionContext(input);
    await run(again);
    expect(outputsOf(again).operation).toBe('unchanged');
    expect(rag.writes).toHaveLength(1);
    expect(provisioner.audit).toHaveLength(1);
  });

  it('normalizes short refs: owner and sharedWith default to groups, linked entities to components', async () => {
    const ctx = actionContext({
      name: 'risk-kb',
      owner: 'team-risk',
      sharedWith: ['team-payments'],
      entityRefs: ['risk-engine', 'resource:dev-cluster'],
    });
    await run(ctx);
    expect(rag.writes[0].body).toEqual({
      name: 'risk-kb',
      ownerRef: 'group:default/team-risk',
      title: 'risk-kb',
      description: '',
      sharedWith: ['group:default/team-payments'],
      entityRefs: [
        'component:default/risk-engine',
        'resource:default/dev-cluster',
      ],
    });
  });

  it('updates only what changed when the answers change', async () => {
    await run(actionContext(input));
    const ctx = actionContext({
      ...input,
      description: 'Ledger and settlement runbooks',
      entityRefs: [
        'component:default/payments-api',
        'resource:default/dev-postgres',
      ],
    });
    await run(ctx);
    expect(outputsOf(ctx).operation).toBe('configured');
    expect(rag.writes[1]).toMatchObject({
      op: 'update',
      body: {
        description: 'Ledger and settlement runbooks',
        entityRefs: [
          'component:default/payments-api',
          'resource:default/dev-postgres',
        ],
      },
    });
    expect(Object.keys(rag.writes[1].body).sort()).toEqual([
      'description',
      'entityRefs',
    ]);
  });

  it("refuses a name another team's collection has, and writes nothing", async () => {
    await run(actionContext({ ...input, owner: 'group:default/team-risk' }));
    await expect(run(actionContext(input))).rejects.toThrow(
      'A knowledge base named payments-ledger-kb already exists, owned by group:default/team-risk',
    );
    expect(rag.writes).toHaveLength(1);
  });

  it('rejects a bad name or owner before calling the knowledge assistant', async () => {
    await expect(
      run(actionContext({ ...input, name: 'Payments KB' })),
    ).rejects.toThrow(/name must be lowercase letters/);
    await expect(
      run(actionContext({ ...input, owner: 'group:default/' })),
    ).rejects.toThrow(/owner: "group:default\/" is not an entity ref/);
    expect(rag.reads).toHaveLength(0);
  });

  it('stores nothing in a dry run', async () => {
    const ctx = actionContext(input, { dryRun: true });
    await run(ctx);
    expect(outputsOf(ctx).operation).toBe('created');
    expect(rag.writes).toHaveLength(0);
    expect(provisioner.audit).toHaveLength(0);
  });

  it("audits and rethrows the knowledge assistant's denial", async () => {
    rag.deny = new NotAllowedError(
      'Knowledge assistant: You are not allowed to rag.collection.create',
    );
    await expect(run(actionContext(input))).rejects.toThrow(NotAllowedError);
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        result: 'failure',
        message: expect.stringContaining('rag.collection.create'),
      }),
    ]);
  });
});

describe('DefaultRagClient', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{
    method?: string;
    url?: string;
    auth?: string;
    body: string;
  }> = [];
  /** What the stand-in rag backend answers next: status and body, or hang. */
  let answer: { status: number; body?: unknown } | 'hang';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        requests.push({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          body,
        });
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/rag`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  const client = (timeoutMs?: number) =>
    new DefaultRagClient({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
      timeoutMs,
    });
  const credentials = mockCredentials.user('user:default/alice');

  it("posts as the user (an on-behalf-of token for the rag plugin) and returns the backend's collection", async () => {
    answer = { status: 201, body: { name: 'kb-one' } };
    const created = await client().createCollection(
      { name: 'kb-one', ownerRef: 'group:default/team-payments' },
      { credentials },
    );
    expect(created).toEqual({ name: 'kb-one' });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/rag/collections',
      body: JSON.stringify({
        name: 'kb-one',
        ownerRef: 'group:default/team-payments',
      }),
    });
    expect(requests[0].auth).toBe(
      `Bearer ${mockCredentials.service.token({
        onBehalfOf: credentials,
        targetPluginId: 'rag',
      })}`,
    );
  });

  it('maps 404 to undefined and the errors to Backstage errors carrying the message', async () => {
    answer = { status: 404, body: { error: { message: 'no such' } } };
    await expect(
      client().getCollection('kb one', { credentials }),
    ).resolves.toBeUndefined();
    expect(requests[0].url).toBe('/api/rag/collections/kb%20one');

    answer = { status: 409, body: { error: { message: 'kb-one exists' } } };
    await expect(
      client().createCollection(
        { name: 'kb-one', ownerRef: 'group:default/team-risk' },
        { credentials },
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Knowledge assistant: kb-one exists',
    });

    answer = { status: 403, body: { error: { message: 'denied' } } };
    await expect(
      client().updateCollection('kb-one', { title: 'x' }, { credentials }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });

    answer = { status: 400, body: { error: { message: 'bad name' } } };
    await expect(
      client().createCollection(
        { name: '-', ownerRef: 'group:default/team-risk' },
        { credentials },
      ),
    ).rejects.toMatchObject({ name: 'InputError' });

    answer = { status: 503, body: { error: { message: 'Milvus down' } } };
    await expect(
      client().getCollection('kb-one', { credentials }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'The knowledge assistant answered 503: Milvus down',
    });
  });

  it('gives up on a hanging backend within its timeout', async () => {
    answer = 'hang';
    const started = Date.now();
    await expect(
      client(200).getCollection('kb-one', { credentials }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('did not answer within 200 ms'),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
