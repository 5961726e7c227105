/**
 * Shared frontend pieces of the Kubemate plugins: permission-gated buttons and content that say
 * why an action is not available, the per-cluster error panel, the approve/reject dialog, the time range / auto-refresh
 * controls, and a polled read (`usePolledAsync`).
 *
 * @packageDocumentation
 */
export {
  usePermissionGate,
  permissionDeniedReason,
  CHECKING_PERMISSIONS,
} from './hooks/usePermissionGate';
export type {
  PermissionGateResult,
  PermissionGateOptions,
} from './hooks/usePermissionGate';
export * from './components/PermissionButton';
export * from './components/PermissionGate';
export * from './components/ClusterErrorsPanel';
export * from './components/CommentDecisionDialog';
export * from './components/TimeRangeControls';
export * from './hooks/useTimeRange';
export { usePolledAsync } from './hooks/usePolledAsync';
export type { PolledAsync } from './hooks/usePolledAsync';
export { responseError } from './errors';
export { PluginBackendClient, entityPath } from './backendClient';
export type { BackendCallInit } from './backendClient';
export {
  describeSyntaxError,
  syntaxProblemOf,
  useDescribeSyntaxError,
} from './syntax';
export type { SyntaxProblem } from './syntax';
export { kubemateReactTranslationRef } from './translation';
export {
  KUBEMATE_LANGUAGES,
  useAppLanguage,
  useFormatters,
  formattersFor,
} from './i18n/format';
export type { Formatters } from './i18n/format';
export { useErrorMessage, TranslatedErrorPanel } from './i18n/errors';
export { slot, withNodes } from './i18n/richText';
export type { CodedError } from './i18n/errors';
export {
  createTestTranslationApi,
  createTestLanguageApi,
  translationTestApis,
} from './i18n/testing';
export { default as kubemateReactZhHans } from './translations/zh-Hans';
