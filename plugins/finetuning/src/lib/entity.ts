import type { Entity } from '@backstage/catalog-model';

/** The annotation that opts any entity into the Fine-tuning tab. */
export const FINETUNING_ANNOTATION = 'kubemate.io/finetuning';
/** Component types that are machine-learning components. */
export const ML_COMPONENT_TYPES = ['ml-model', 'ml-service'];

/**
 * The entity tab shows on Components of spec.type `ml-model` or `ml-service`, and on any entity
 * with the annotation `kubemate.io/finetuning`.
 */
export function isFinetuningAvailable(entity: Entity): boolean {
  if (entity.metadata.annotations?.[FINETUNING_ANNOTATION]) return true;
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    ML_COMPONENT_TYPES.includes(String(entity.spec?.type ?? ''))
  );
}
