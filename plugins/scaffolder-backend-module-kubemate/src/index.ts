/**
 * Scaffolder module of Kubemate's golden paths: the kubemate:* template actions.
 *
 * @packageDocumentation
 */
export { scaffolderModuleKubemate as default } from './module';
export * from './permissions';
