import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import {
  PluginBackendClient,
  responseError,
} from '@kubemate/plugin-kubemate-react';
import type {
  AddSourceRequest,
  Answer,
  Collection,
  CreateCollectionRequest,
  DocumentInfo,
  FeedbackRequest,
  GenerationModels,
  IngestionProgressEvent,
  ListResponse,
  Passage,
  QueryRequest,
  QueryStreamEvent,
  RagStatus,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import {
  HistoryQuery,
  QueryStreamHandlers,
  RagApi,
  UploadOptions,
} from './RagApi';
import { abortError, readEventStream, SseMessage } from './sse';

const PLUGIN_ID = 'rag';
const enc = encodeURIComponent;

/** Said when the answer stream closes before its `done` or `error` event. */
export const STREAM_CUT_SHORT =
  'The answer stream ended before the answer was complete';

/** `?a=1&b=2` of the defined values, '' when none. */
function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const documentPath = (collection: string, documentId: string) =>
  `/collections/${enc(collection)}/documents/${enc(documentId)}`;

/** The headers of an XMLHttpRequest's `getAllResponseHeaders()`. */
function xhrHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const i = line.indexOf(':');
    if (i > 0)
      headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return headers;
}

function parseJson<T>(data: string, what: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new Error(
      `The backend sent ${what} that is not JSON: ${data.slice(0, 200)}`,
    );
  }
}

/** {@link RagApi} over the routes of the rag backend (its OpenAPI spec). */
export class RagClient implements RagApi {
  private readonly backend: PluginBackendClient;
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly identityApi: Pick<IdentityApi, 'getCredentials'>;

  constructor(deps: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    identityApi: Pick<IdentityApi, 'getCredentials'>;
  }) {
    this.discoveryApi = deps.discoveryApi;
    this.fetchApi = deps.fetchApi;
    this.identityApi = deps.identityApi;
    this.backend = new PluginBackendClient(deps, PLUGIN_ID);
  }

  status() {
    return this.backend.json<RagStatus>('/status');
  }
  models() {
    return this.backend.json<GenerationModels>('/models');
  }
  async metrics() {
    return (await this.backend.fetch('/metrics')).text();
  }

  async listCollections() {
    return (await this.backend.json<ListResponse<Collection>>('/collections'))
      .items;
  }
  getCollection(name: string) {
    return this.backend.json<Collection>(`/collections/${enc(name)}`);
  }
  createCollection(body: CreateCollectionRequest) {
    return this.backend.json<Collection>('/collections', {
      method: 'POST',
      body,
    });
  }
  updateCollection(name: string, body: UpdateCollectionRequest) {
    return this.backend.json<Collection>(`/collections/${enc(name)}`, {
      method: 'PATCH',
      body,
    });
  }
  async deleteCollection(name: string) {
    await this.backend.fetch(`/collections/${enc(name)}`, { method: 'DELETE' });
  }
  async reindexCollection(name: string) {
    return (
      await this.backend.json<ListResponse<DocumentInfo>>(
        `/collections/${enc(name)}/reindex`,
        { method: 'POST' },
      )
    ).items;
  }
  async addSource(name: string, body: AddSourceRequest) {
    return (
      await this.backend.json<ListResponse<DocumentInfo>>(
        `/collections/${enc(name)}/sources`,
        { method: 'POST', body },
      )
    ).items;
  }

  async listDocuments(collection: string) {
    return (
      await this.backend.json<ListResponse<DocumentInfo>>(
        `/collections/${enc(collection)}/documents`,
      )
    ).items;
  }
  getDocument(collection: string, documentId: string) {
    return this.backend.json<DocumentInfo>(
      documentPath(collection, documentId),
    );
  }
  async deleteDocument(collection: string, documentId: string) {
    await this.backend.fetch(documentPath(collection, documentId), {
      method: 'DELETE',
    });
  }
  reindexDocument(collection: string, documentId: string) {
    return this.backend.json<DocumentInfo>(
      `${documentPath(collection, documentId)}/reindex`,
      { method: 'POST' },
    );
  }
  async downloadOriginal(collection: string, documentId: string) {
    // fetchApi adds the user's token: a plain link to the backend would be unauthenticated
    const res = await this.backend.fetch(
      `${documentPath(collection, documentId)}/original`,
    );
    return res.blob();
  }
  getPassage(collection: string, documentId: string, chunkIndex: number) {
    return this.backend.json<Passage>(
      `${documentPath(collection, documentId)}/passages/${chunkIndex}`,
    );
  }

  async uploadDocument(
    collection: string,
    file: File,
    options: UploadOptions = {},
  ): Promise<DocumentInfo> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError();
    const base = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const { token } = await this.identityApi.getCredentials();
    const url = `${base}/collections/${enc(collection)}/documents${query({
      filename: file.name,
    })}`;
    // XMLHttpRequest, not fetch: only it reports the bytes sent (upload.onprogress)
    return new Promise<DocumentInfo>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const settle = (fn: () => void) => {
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      xhr.open('POST', url);
      xhr.setRequestHeader(
        'Content-Type',
        file.type || 'application/octet-stream',
      );
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = e =>
        onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onload = () => {
        const text = xhr.responseText;
        if (xhr.status >= 200 && xhr.status < 300) {
          settle(() => {
            try {
              onProgress?.(file.size, file.size);
              resolve(parseJson<DocumentInfo>(text, 'an upload answer'));
            } catch (e) {
              reject(e);
            }
          });
          return;
        }
        const res = new Response(text || null, {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: xhrHeaders(xhr.getAllResponseHeaders()),
        });
        responseError(res).then(
          e => settle(() => reject(e)),
          e => settle(() => reject(e)),
        );
      };
      xhr.onerror = () =>
        settle(() =>
          reject(
            new Error(
              `Uploading ${file.name} failed: the backend could not be reached`,
            ),
          ),
        );
      xhr.onabort = () => settle(() => reject(abortError()));
      signal?.addEventListener('abort', onAbort);
      xhr.send(file);
    });
  }

  async watchIngestion(
    collection: string,
    onEvent: (event: IngestionProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const res = await this.eventStream(
      `/collections/${enc(collection)}/events`,
      { method: 'GET' },
      signal,
    );
    await readEventStream(
      res.body!,
      m => {
        if (m.event === 'progress') {
          onEvent(
            parseJson<IngestionProgressEvent>(m.data, 'a progress event'),
          );
        } else if (m.event === 'error') {
          // the backend could not follow the ingestion any further: the stream ends with it
          const { message } = parseJson<{ message: string }>(
            m.data,
            'an error event',
          );
          throw new Error(message);
        }
      },
      signal,
    );
  }

  query(request: QueryRequest) {
    return this.backend.json<Answer>('/query', {
      method: 'POST',
      body: request,
    });
  }

  async streamQuery(
    request: QueryRequest,
    handlers: QueryStreamHandlers,
    signal?: AbortSignal,
  ): Promise<Answer | undefined> {
    const res = await this.eventStream(
      '/query',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
      signal,
    );
    if (res.headers.get('Content-Type')?.startsWith('application/json')) {
      // a backend that answered the whole answer at once: the same callbacks, in order
      const whole = (await res.json()) as Answer;
      handlers.onMeta?.({
        id: whole.id,
        collections: whole.collections,
        cached: whole.cached,
      });
      handlers.onCitations?.({
        citations: whole.citations,
        notFound: whole.notFound,
      });
      if (whole.answer) handlers.onToken?.(whole.answer);
      handlers.onDone?.(whole);
      return whole;
    }
    let answer: Answer | undefined;
    let failed = false;
    await readEventStream(
      res.body!,
      (m: SseMessage) => {
        const event = {
          event: m.event,
          data: parseJson(m.data, `the ${m.event} event`),
        } as QueryStreamEvent;
        switch (event.event) {
          case 'meta':
            handlers.onMeta?.(event.data);
            break;
          case 'citations':
            handlers.onCitations?.(event.data);
            break;
          case 'token':
            handlers.onToken?.(event.data.text);
            break;
          case 'done':
            answer = event.data;
            handlers.onDone?.(event.data);
            break;
          case 'error':
            failed = true;
            handlers.onError?.(event.data);
            break;
          default: // events of a newer backend are ignored
        }
      },
      signal,
    );
    if (!answer && !failed) handlers.onError?.({ message: STREAM_CUT_SHORT });
    return answer;
  }

  async history(q: HistoryQuery = {}) {
    return (
      await this.backend.json<ListResponse<Answer>>(
        `/history${query({ limit: q.limit, collection: q.collection })}`,
      )
    ).items;
  }
  getAnswer(answerId: string) {
    return this.backend.json<Answer>(`/history/${enc(answerId)}`);
  }
  putFeedback(answerId: string, body: FeedbackRequest) {
    return this.backend.json<Answer>(`/history/${enc(answerId)}/feedback`, {
      method: 'PUT',
      body,
    });
  }

  /** A text/event-stream response of the backend (its error JSON's message when not 2xx). */
  private async eventStream(
    path: string,
    init: RequestInit,
    signal?: AbortSignal,
  ): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const res = await this.fetchApi.fetch(`${base}${path}`, {
      ...init,
      headers: { ...(init.headers as object), Accept: 'text/event-stream' },
      signal,
    });
    if (!res.ok) throw await responseError(res);
    if (!res.body) {
      throw new Error(`The backend sent no event stream for ${path}`);
    }
    return res;
  }
}
