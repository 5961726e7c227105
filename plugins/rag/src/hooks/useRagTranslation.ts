import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import { ragTranslationRef } from '../translation';

/** The translation function of the knowledge assistant's messages. */
export type RagT = TranslationFunction<typeof ragTranslationRef.T>;

/** `t` of the knowledge assistant's messages in the app's language. */
export function useRagTranslation(): { t: RagT } {
  return useTranslationRef(ragTranslationRef);
}
