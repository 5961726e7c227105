import { createTestTranslationApi } from '@kubemate/plugin-kubemate-react';
import { gpuTranslationRef, type GpuT } from '../translation';

/** The GPU messages' translate function in English (the defaults), for tests of the helpers. */
export const enT = (
  createTestTranslationApi('en', []).getTranslation(
    gpuTranslationRef as any,
  ) as any
).t as GpuT;
