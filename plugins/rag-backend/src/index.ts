/**
 * Kubemate knowledge assistant backend plugin (`/api/rag`): team knowledge bases ingested into
 * Milvus through Ollama embeddings, questions answered from the collections the user may query.
 *
 * @packageDocumentation
 */
export { ragPlugin as default, ragRbacModule } from './plugin';
export { createServices } from './services/createServices';
export type { RagServiceDeps, RagServices } from './services/createServices';
