import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * The messages of the shared Kubemate components (permission reasons, the time range controls,
 * the decision dialog, per-cluster errors, query syntax errors) and the common error messages
 * the UI shows for a backend error code (see `useErrorMessage`). English defaults here; the
 * Simplified Chinese resource in ./translations/zh-Hans.ts.
 */
export const kubemateReactTranslationRef = createTranslationRef({
  id: 'kubemate.react',
  messages: {
    permission: {
      checking: 'Checking your permissions…',
      denied: 'You do not have the permission {{permission}}',
      deniedOn: 'You do not have the permission {{permission}} on {{on}}',
      checkFailed: 'Could not check the permission {{permission}}: {{message}}',
    },
    timeRange: {
      label: 'Time range',
      autoRefresh: 'Auto-refresh',
      refreshNow: 'Refresh now',
      loading: 'Loading…',
      until: 'Until {{time}}',
      ranges: {
        '15m': 'Last 15 minutes',
        '1h': 'Last hour',
        '6h': 'Last 6 hours',
        '24h': 'Last 24 hours',
        '7d': 'Last 7 days',
        '30d': 'Last 30 days',
      },
      refresh: {
        off: 'Off',
        '15s': '15 s',
        '30s': '30 s',
        '1m': '1 min',
      },
    },
    decisionDialog: {
      comment: 'Comment',
      commentRequired: 'Required: tell the requester why',
      commentOptional: 'Optional',
      cancel: 'Cancel',
    },
    clusterErrors: {
      title: 'Cluster {{cluster}} could not be read',
    },
    syntax: {
      empty: 'Enter a {{what}}',
      errorNear:
        'Syntax error at line {{line}}, column {{column}} near "{{near}}"',
      errorAtEnd:
        'Syntax error at line {{line}}, column {{column}} (the query ends too early)',
      query: 'query',
    },
    errors: {
      upstreamUnavailable: '{{upstream}} is unavailable: {{detail}}',
      upstreamTimeout: '{{upstream}} did not answer within {{seconds}} s',
      notAllowed: 'You are not allowed to do this: {{detail}}',
      notFound: 'Not found: {{detail}}',
      invalidInput: 'Invalid input: {{detail}}',
      conflict: 'Conflict: {{detail}}',
      unknown: '{{detail}}',
    },
    duration: {
      ms: '{{value}} ms',
      s: '{{value}} s',
      min: '{{value}} min',
      h: '{{value}} h',
      d: '{{value}} d',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
