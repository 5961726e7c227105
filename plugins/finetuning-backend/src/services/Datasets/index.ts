export * from './types';
export * from './DefaultDatasetsService';
