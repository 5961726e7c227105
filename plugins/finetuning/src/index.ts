/**
 * Kubemate fine-tuning frontend plugin.
 *
 * @packageDocumentation
 */
export {};
