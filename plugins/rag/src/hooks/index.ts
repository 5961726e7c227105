import { useApi } from '@backstage/core-plugin-api';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import { ragApiRef } from '../api';

export { useAsk, answerState } from './useAsk';
export type { AskState, AnswerPhase } from './useAsk';
export { useResourcePermissions } from './useResourcePermissions';
export type { ResourcePermissions } from './useResourcePermissions';
export { useOwnerTeams } from './useOwnerTeams';
export type { OwnerTeam } from './useOwnerTeams';
export { useIngestion, isFinal } from './useIngestion';
export { useUploads } from './useUploads';
export type { UploadRow, UploadState, FileProblem } from './useUploads';

/** The knowledge bases the user may read. */
export function useCollections() {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.listCollections(), [api]);
}

/** One knowledge base. */
export function useCollection(name: string) {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.getCollection(name), [api, name]);
}

/** A knowledge base's documents, newest first. */
export function useDocuments(collection: string) {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.listDocuments(collection), [api, collection]);
}

/** The upstreams, models and upload limits. */
export function useStatus() {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.status(), [api]);
}

/** The generation models a question may use (read once; Retry re-reads). */
export function useGenerationModels() {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.models(), [api]);
}

/** The user's own answers, newest first. */
export function useHistory() {
  const api = useApi(ragApiRef);
  return usePolledAsync(() => api.history({ limit: 50 }), [api]);
}
