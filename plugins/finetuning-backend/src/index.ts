/**
 * Kubemate fine-tuning backend plugin (`/api/finetuning`).
 *
 * @packageDocumentation
 */
export {};
