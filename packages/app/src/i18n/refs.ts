import type { TranslationRef } from '@backstage/frontend-plugin-api';
import { canaryTranslationRef } from '@kubemate/plugin-canary';
import { clustersTranslationRef } from '@kubemate/plugin-clusters';
import { finetuningTranslationRef } from '@kubemate/plugin-finetuning';
import { gpuTranslationRef } from '@kubemate/plugin-gpu';
import { inspectionsTranslationRef } from '@kubemate/plugin-inspections';
import { kubemateReactTranslationRef } from '@kubemate/plugin-kubemate-react';
import { localstackTranslationRef } from '@kubemate/plugin-localstack';
import { logsTranslationRef } from '@kubemate/plugin-logs';
import { metricsTranslationRef } from '@kubemate/plugin-metrics';
import { pipelinesTranslationRef } from '@kubemate/plugin-pipelines';
import { ragTranslationRef } from '@kubemate/plugin-rag';
import { rbacTranslationRef } from '@kubemate/plugin-rbac';
import { tracesTranslationRef } from '@kubemate/plugin-traces';
import { appTranslationRef } from './appTranslation';

/** The translation refs of Kubemate's frontend: one per plugin, the shared components, the app. */
export const KUBEMATE_TRANSLATION_REFS: TranslationRef[] = [
  appTranslationRef,
  kubemateReactTranslationRef,
  clustersTranslationRef,
  rbacTranslationRef,
  metricsTranslationRef,
  logsTranslationRef,
  tracesTranslationRef,
  pipelinesTranslationRef,
  canaryTranslationRef,
  inspectionsTranslationRef,
  ragTranslationRef,
  gpuTranslationRef,
  finetuningTranslationRef,
  localstackTranslationRef,
] as TranslationRef[];
