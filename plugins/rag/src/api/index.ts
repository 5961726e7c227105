export { ragApiRef } from './RagApi';
export type {
  RagApi,
  HistoryQuery,
  QueryStreamHandlers,
  UploadOptions,
} from './RagApi';
export { RagClient, STREAM_CUT_SHORT } from './RagClient';
export { SseParser, readEventStream, abortError, isAbortError } from './sse';
export type { SseMessage } from './sse';
