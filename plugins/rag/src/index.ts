/**
 * Kubemate knowledge assistant: the page "Knowledge assistant" — Ask (collection picker, streamed
 * answers with citations that open the source passage, feedback, history), the knowledge bases
 * (uploads with a progress bar per file, documents with status and chunk counts, re-index,
 * delete) and the status of its servers — and the entity tab "Docs Q&A".
 *
 * @packageDocumentation
 */
export { ragPlugin as default } from './plugin';
export { ragRouteRef } from './routes';
export { ragApiRef, RagClient } from './api';
export type {
  RagApi,
  HistoryQuery,
  QueryStreamHandlers,
  UploadOptions,
} from './api';
export { ragTranslationRef } from './translation';
