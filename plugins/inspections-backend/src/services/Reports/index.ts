export * from './types';
export { DefaultReportRenderer } from './DefaultReportRenderer';
export type { DefaultReportRendererOptions } from './DefaultReportRenderer';
export { PDF_MAX_FINDINGS } from './pdf';
