import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the traces plugin (the entity tab "Traces": search, trace list, waterfall,
 * service graph). English defaults here; the Simplified Chinese resource in
 * ./translations/zh-Hans.ts. Service and operation names, span tags and trace IDs are data.
 */
export const tracesTranslationRef = createTranslationRef({
  id: 'kubemate.traces',
  messages: {
    content: {
      title: 'Traces',
      empty: 'No traces match in the namespaces you may read.',
      serviceGraph: 'Service graph',
    },
    search: {
      operation: 'Operation',
      minDuration: 'Min duration',
      maxDuration: 'Max duration',
      tags: 'Tags',
      tagsHelp: 'key=value, separated by spaces',
      lookback: 'Lookback',
      lookbacks: {
        '15m': '15 min',
        '1h': '1 hour',
        '6h': '6 hours',
        '1d': '1 day',
      },
      errorsOnly: 'Errors only',
      submit: 'Search',
    },
    list: {
      label: 'Traces',
      columns: {
        started: 'Started',
        root: 'Root',
        duration: 'Duration',
        spans: 'Spans',
        services: 'Services',
      },
      errors: '{{n}} errors',
    },
    view: {
      title: 'Trace',
      back: 'Back to search',
    },
    waterfall: {
      spans: '{{n}} spans',
      errors: '{{n}} errors',
      logsLink: 'Logs for this trace',
      legend:
        'Bold bars are the critical path (the spans the request waited for). Spans in namespaces you may not read show only service and timing.',
      label: 'Trace waterfall',
      details: 'Span details',
      redacted:
        'This span ran in a namespace you may not read: its tags and logs are hidden.',
      tags: 'Span tags',
      log: 'log +{{offset}}',
    },
    graph: {
      empty: 'No calls recorded in the last hour.',
      label: 'Service graph',
      caller: 'Caller',
      callee: 'Callee',
      calls: 'Calls (1 h)',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
