/**
 * Knowledge assistant (RAG): permissions on the team-owned `rag-collection` resource type, the
 * entity annotation and the API types shared by the rag plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './uploads';
