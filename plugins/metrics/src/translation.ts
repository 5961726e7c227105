import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the metrics plugin (the entity tab "Metrics", the page "Alerts", the silence
 * dialog, the PromQL explorer). English defaults here; the Simplified Chinese resource in
 * ./translations/zh-Hans.ts. PromQL, metric names, label keys and values, signal titles sent by
 * the backend and alert names are data, not messages.
 */
export const metricsTranslationRef = createTranslationRef({
  id: 'kubemate.metrics',
  messages: {
    content: {
      tabs: {
        golden: 'Golden signals',
        explore: 'Explore (PromQL)',
      },
      // the golden signals' titles by signal (the API sends the English one)
      signals: {
        latency: 'Latency',
        traffic: 'Traffic',
        errors: 'Errors (5xx share)',
        saturation: 'Saturation (requests in flight)',
      },
      explorerTitle: 'PromQL explorer',
      fromAnnotation: 'Query from the entity annotation',
      couldNotLoad: '{{title}} could not be loaded',
      incomplete: '{{title}}: incomplete',
      cpuTitle: 'CPU usage vs requests/limits',
      memoryTitle: 'Memory usage vs requests/limits',
      resolution:
        'step {{step}}s · {{resolution}} · {{scope}} · selector {{selector}}',
      rawSamples: 'raw samples',
      downsampled: '{{resolution}} downsampled',
      allNamespaces: 'all namespaces',
      yourNamespaces: 'your namespaces {{namespaces}}',
      thresholds: {
        requestIsLimit: 'request = limit {{key}}',
        request: 'request {{key}}',
        limit: 'limit {{key}}',
      },
    },
    chart: {
      noData: 'No data in this time range',
      noDataLabel: '{{title}}: no data',
      label: '{{title}}: {{series}} series, {{points}} points',
    },
    explorer: {
      queryName: 'PromQL query',
      valid: 'Valid PromQL — Ctrl+Enter runs it',
      run: 'Run query',
      dedup: 'Deduplicate Prometheus replicas',
      sentToThanos: 'Sent to Thanos:',
      stepResolution: 'step {{step}}s · resolution {{resolution}}',
      raw: 'raw',
      scopedTo: 'scoped to {{namespaces}}',
      result: 'Query result',
    },
    alertsCard: {
      title: 'Alerts',
      fromAlertmanager: 'From Alertmanager · {{scope}}',
      allNamespaces: 'all namespaces',
      namespaces: 'namespaces {{namespaces}}',
    },
    alertsTable: {
      emptyTitle: 'No alerts firing',
      emptyDescription:
        'Alertmanager has no firing, pending or silenced alerts here that you may see.',
      label: 'Alerts',
      columns: {
        severity: 'Severity',
        alert: 'Alert',
        namespace: 'Namespace',
        since: 'Since',
        state: 'State',
        labels: 'Labels',
        actions: 'Actions',
      },
      severity: {
        none: 'none',
        critical: 'critical',
        error: 'error',
        warning: 'warning',
        info: 'info',
      },
      runbook: 'Runbook',
      silenced: 'silenced',
      inhibited: 'inhibited',
      firing: 'firing',
      expiring: 'Expiring…',
      expireSilence: 'Expire silence',
      silence: 'Silence',
      what: 'namespace {{namespace}}',
      noNamespace: '(none)',
      since: {
        s: '{{n}} s ago',
        min: '{{n}} min ago',
        h: '{{n}} h ago',
        d: '{{n}} d ago',
      },
    },
    silenceDialog: {
      title: 'Silence {{name}}',
      matchLabels: 'Match alerts with these labels',
      duration: 'Duration',
      durations: {
        '30': '30 minutes',
        '60': '1 hour',
        '120': '2 hours',
        '240': '4 hours',
        '1440': '1 day',
        '10080': '7 days',
      },
      comment: 'Comment (why)',
      commentTooShort: 'Say why in at least 3 characters',
      commentHelper:
        'Recorded in Alertmanager and the audit log with your name',
      cancel: 'Cancel',
      creating: 'Creating…',
      create: 'Create silence',
    },
    alertsPage: {
      title: 'Alerts',
      subtitle:
        'Alertmanager alerts and silences in the namespaces you may see',
      silences: {
        title: 'Silences',
        empty: 'No active or pending silences.',
        label: 'Silences',
        columns: {
          matchers: 'Matchers',
          comment: 'Comment',
          createdBy: 'Created by',
          ends: 'Ends',
          actions: 'Actions',
        },
        expire: 'Expire',
        what: 'namespace {{namespace}}',
        noNamespace: '(none)',
      },
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
