import {
  createTranslationResource,
  type ExtensionDefinition,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import { catalogTranslationRef } from '@backstage/plugin-catalog/alpha';
import { catalogReactTranslationRef } from '@backstage/plugin-catalog-react/alpha';
import { catalogGraphTranslationRef } from '@backstage/plugin-catalog-graph/alpha';
import { orgTranslationRef } from '@backstage/plugin-org/alpha';
import { searchTranslationRef } from '@backstage/plugin-search/alpha';
import { userSettingsTranslationRef } from '@backstage/plugin-user-settings/alpha';
import { scaffolderTranslationRef } from '@backstage/plugin-scaffolder/alpha';
import { scaffolderReactTranslationRef } from '@backstage/plugin-scaffolder-react/alpha';
import { kubernetesTranslationRef } from '@backstage/plugin-kubernetes/alpha';
import { kubernetesReactTranslationRef } from '@backstage/plugin-kubernetes-react/alpha';

/**
 * The zh-Hans messages of Backstage's own translation refs that the portal's pages show (core
 * components, catalog, catalog components, catalog graph, org cards, search, scaffolder, the upstream
 * Kubernetes tab, settings), loaded only when the language is Chinese.
 */
export const BACKSTAGE_ZH_HANS = [
  {
    name: 'core-components',
    ref: coreComponentsTranslationRef,
    load: () => import('./backstage/coreComponents'),
  },
  {
    name: 'catalog',
    ref: catalogTranslationRef,
    load: () => import('./backstage/catalog'),
  },
  {
    name: 'catalog-react',
    ref: catalogReactTranslationRef,
    load: () => import('./backstage/catalogReact'),
  },
  {
    name: 'catalog-graph',
    ref: catalogGraphTranslationRef,
    load: () => import('./backstage/catalogGraph'),
  },
  {
    name: 'org',
    ref: orgTranslationRef,
    load: () => import('./backstage/org'),
  },
  {
    name: 'search',
    ref: searchTranslationRef,
    load: () =>
      import('./backstage/search').then(m => ({ default: m.searchZhHans })),
  },
  {
    name: 'scaffolder',
    ref: scaffolderTranslationRef,
    load: () => import('./backstage/scaffolder'),
  },
  {
    name: 'scaffolder-react',
    ref: scaffolderReactTranslationRef,
    load: () => import('./backstage/scaffolderReact'),
  },
  {
    name: 'kubernetes',
    ref: kubernetesTranslationRef,
    load: () => import('./backstage/kubernetes'),
  },
  {
    name: 'kubernetes-react',
    ref: kubernetesReactTranslationRef,
    load: () => import('./backstage/kubernetesReact'),
  },
  {
    name: 'user-settings',
    ref: userSettingsTranslationRef,
    load: () => import('./backstage/userSettings'),
  },
] as const;

export const backstageTranslations: ExtensionDefinition[] =
  BACKSTAGE_ZH_HANS.map(({ name, ref, load }) =>
    TranslationBlueprint.make({
      name: `zh-hans-${name}`,
      params: {
        resource: createTranslationResource({
          ref: ref as any,
          translations: { 'zh-Hans': load as any },
        }),
      },
    }),
  );
