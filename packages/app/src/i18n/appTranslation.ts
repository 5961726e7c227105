import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The app's own text: the sidebar (and the titles of the pages it links to, which Backstage
 * takes as plain strings from each page extension) and the development sign-in page.
 */
export const appTranslationRef = createTranslationRef({
  id: 'kubemate.app',
  messages: {
    sidebar: {
      home: 'Home',
      search: 'Search',
      menu: 'Menu',
      settings: 'Settings',
    },
    // sidebar links by the page's extension name (page:<name>): what the pages call themselves
    pages: {
      catalog: 'Catalog',
      scaffolder: 'Create...',
      'api-docs': 'APIs',
      search: 'Search',
      'user-settings': 'Settings',
      'catalog-graph': 'Catalog Graph',
      notifications: 'Notifications',
      clusters: 'Clusters',
      metrics: 'Alerts',
      logs: 'Logs',
      traces: 'Traces',
      pipelines: 'Pipelines',
      canary: 'Releases',
      inspections: 'Inspections',
      rag: 'Knowledge assistant',
      gpu: 'GPUs',
      finetuning: 'Fine-tuning',
      localstack: 'Local stack',
      rbac: 'RBAC',
    },
    // page headers and sub-page tabs Backstage titles with plain strings (the scaffolder's)
    pageHeaders: {
      create: 'Create',
      templates: 'Templates',
      tasks: 'Tasks',
      actions: 'Actions',
      editor: 'Template Editor',
      templatingExtensions: 'Templating Extensions',
    },
    // entity page tabs, by their (English) title: Backstage takes them as plain strings
    entityTabs: {
      overview: 'Overview',
      kubernetes: 'Kubernetes',
      clusterOps: 'Cluster Ops',
      metrics: 'Metrics',
      logs: 'Logs',
      traces: 'Traces',
      pipelines: 'Pipelines',
      releases: 'Releases',
      inspections: 'Inspections',
      gpu: 'GPU',
      docsQa: 'Docs Q&A',
      finetuning: 'Fine-tuning',
      api: 'API',
      dependencies: 'Dependencies',
      docs: 'Docs',
    },
    signIn: {
      title: 'Kubemate Portal',
      subtitle: 'Development sign-in',
      choose: 'Choose a demo user',
      signInAs: 'Sign in as',
      signInAsUser: 'Sign in as {{user}}',
      signIn: 'Sign in',
      explanation:
        'Local development only: each demo user belongs to a different team, so permissions and ownership differ (see catalog/org.yaml). Production signs in with OpenID Connect.',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
