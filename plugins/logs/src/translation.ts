import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the logs plugin (the entity tab "Logs": query builder and raw LogQL, volume,
 * virtualized lines, live tail, line details). English defaults here; the Simplified Chinese
 * resource in ./translations/zh-Hans.ts. LogQL, label keys and values and log lines are data.
 */
export const logsTranslationRef = createTranslationRef({
  id: 'kubemate.logs',
  messages: {
    content: {
      title: 'Logs',
      sentToLoki: 'Sent to Loki: {{query}}',
      liveTail: 'Live tail · {{n}} lines',
      liveTailNote: 'Live tail · {{n}} lines · {{note}}',
      lines: '{{n}} lines',
      linesLimited:
        '{{n}} lines (the limit: narrow the query or the time range)',
    },
    tail: {
      waiting: 'Waiting for new lines…',
      dropped: '{{n}} lines were dropped (too fast to show)',
      ended: 'Live tail ended: {{reason}}',
    },
    toolbar: {
      raw: 'Raw LogQL',
      run: 'Run query',
      liveTail: 'Live tail',
      download: 'Download',
      scoped: "Scoped to this entity's namespaces by the backend",
      queryName: 'LogQL query',
    },
    builder: {
      level: 'Level',
      levels: {
        all: 'all',
        error: 'error',
        warn: 'warn',
        info: 'info',
        debug: 'debug',
      },
      lineFilter: 'Line filter',
      ops: {
        contains: 'contains |=',
        notContains: 'does not contain !=',
        matches: 'matches regex |~',
        notMatches: 'does not match !~',
      },
      text: 'Text',
      parser: 'Parser',
      parsers: {
        none: 'none',
        logfmt: 'logfmt',
        json: 'json',
      },
    },
    list: {
      empty: 'No log lines in this time range for this query.',
      label: 'Log lines ({{n}})',
      hasTrace: 'This line has a trace',
      trace: '⧉ trace',
    },
    details: {
      label: 'Log line',
      title: 'Log line · {{time}}',
      close: 'Close',
      viewTrace: 'View trace {{id}}…',
      fields: 'Parsed fields',
      context: 'Context (same stream)',
    },
    volume: {
      noData: 'No log volume in this time range',
      noDataLabel: 'Log volume: no data',
      label: 'Log volume: {{lines}} lines in {{buckets}} buckets',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
