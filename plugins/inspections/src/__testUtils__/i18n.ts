import { createTestTranslationApi } from '@kubemate/plugin-kubemate-react';
import { inspectionsTranslationRef } from '../translation';
import type { InspectionsT } from '../lib/format';
import zhHans from '../translations/zh-Hans';

/** The plugin's translation function in English (the ref's defaults), for helper tests. */
export const englishT = createTestTranslationApi('en', []).getTranslation(
  inspectionsTranslationRef,
) as unknown as { t: InspectionsT };

/** The plugin's translation function in Simplified Chinese, for helper tests. */
export const chineseT = createTestTranslationApi('zh-Hans', [
  zhHans,
]).getTranslation(inspectionsTranslationRef) as unknown as { t: InspectionsT };
