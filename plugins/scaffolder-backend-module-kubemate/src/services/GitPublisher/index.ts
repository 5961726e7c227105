export * from './types';
export { DefaultGitPublisher } from './DefaultGitPublisher';
export { validateRepository } from './validateRepository';
