import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the canary plugin (the entity tab "Releases", the page "Releases", the gray
 * release editor, the start dialog). English defaults here; the Simplified Chinese resource in
 * ./translations/zh-Hans.ts. Flagger's phase names, gate types (confirm-promotion …), Kubernetes
 * kinds and user data are parameters, not messages.
 */
export const canaryTranslationRef = createTranslationRef({
  id: 'kubemate.canary',
  messages: {
    phases: {
      Initializing: 'Initializing',
      Initialized: 'Initialized',
      Waiting: 'Waiting',
      Progressing: 'Progressing',
      WaitingPromotion: 'WaitingPromotion',
      Promoting: 'Promoting',
      Finalising: 'Finalising',
      Succeeded: 'Succeeded',
      Failed: 'Failed',
      Terminating: 'Terminating',
      Terminated: 'Terminated',
    },
    common: {
      refreshFailed: 'Refreshing the releases failed; showing the last result',
      cancel: 'Cancel',
      startCanary: 'Start canary',
    },
    content: {
      emptyTitle: 'No releases for this entity',
      emptyDescription:
        "No Flagger Canary targets a Deployment of this entity, and no HTTPRoute splits its traffic, in a namespace you may see. Add a Canary (flagger.app/v1beta1) over the entity's Deployment with a service port and analysis — a service created from the Kubemate service template has one when its canary option is checked — or create a gray release by pointing an HTTPRoute at several of its Services.",
      releaseTitle: 'Release {{name}}',
      detailsFailed: 'The details of {{name}} could not be read',
      weightTitle: 'Canary weight over time',
      weightSubheader:
        'With the success rate and p99 latency of primary vs canary (Linkerd, inbound)',
      checksTitle: 'Analysis checks',
      checksSubheader:
        'Flagger checks every {{interval}}; the portal re-runs each query over the same window',
      grayReleases: 'Gray releases',
      approved: 'Approved the {{gate}} gate of {{name}}',
      approveFailed:
        'Approved the {{gate}} gate of {{name}} failed: {{message}}',
      holding: 'Holding the {{gate}} gate of {{name}}',
      holdFailed: 'Holding the {{gate}} gate of {{name}} failed: {{message}}',
      promoteRequested: 'Promotion of {{name}} requested',
      promoteFailed: 'Promotion of {{name}} requested failed: {{message}}',
      rollbackRequested: 'Rollback of {{name}} requested',
      rollbackFailed: 'Rollback of {{name}} requested failed: {{message}}',
      started: 'Canary of {{image}} started',
      startFailed: 'Canary of {{image}} started failed: {{message}}',
    },
    picker: {
      label: 'Canaries',
    },
    progress: {
      placement:
        '{{cluster}}/{{namespace}} · target {{target}} · since {{time}}',
      weight: 'Canary weight {{weight}}% of max {{max}}%',
      weightStep: 'Canary weight {{weight}}% of max {{max}}% (step {{step}}%)',
      iterations: 'Iterations: {{iterations}}',
      failedChecks: 'Failed checks: {{failed}}',
      failedChecksOf: 'Failed checks: {{failed}} of {{threshold}} allowed',
      abMatch: 'A/B: requests with {{conditions}}',
      matchAnd: '{{left}} and {{right}}',
      gateOpen: '{{gate}}: open',
      gateOpenBy: '{{gate}}: open (by {{user}})',
      gateClosed: '{{gate}}: closed',
      gateClosedWaiting: '{{gate}}: closed, Flagger is waiting',
      canaryRevision: 'Canary (rolling out)',
      primaryRevision: 'Primary (serving)',
      ciRevision: 'CI revision: {{revision}}',
      ciRevisionNone: 'CI revision: not annotated',
      notReported: 'not reported yet',
    },
    weightBar: {
      label: 'Canary weight',
      valueText: '{{weight}}% of the traffic to the canary (max {{max}}%)',
      valueTextSteps:
        '{{weight}}% of the traffic to the canary (max {{max}}%, steps of {{step}}%)',
      maxWeight: 'max weight {{max}}%',
    },
    actions: {
      startRunning:
        'A release of {{name}} is running ({{phase}}): wait for it or abort it',
      approve: {
        'confirm-rollout': 'Approve rollout',
        'confirm-promotion': 'Approve promotion',
      },
      hold: {
        'confirm-rollout': 'Hold rollout',
        'confirm-promotion': 'Hold promotion',
      },
      promoteNow: 'Promote now',
      promoteUnavailable: '{{name}} is {{phase}}: there is no analysis to skip',
      abort: 'Abort',
      abortNoWebhook:
        '{{name}} declares no rollback webhook pointing at the portal ({{path}}): add one to abort from here',
      abortPhase:
        '{{name}} is {{phase}}: Flagger rolls back only a release that is Progressing or WaitingPromotion',
      confirmPromoteTitle: 'Promote {{name}}?',
      confirmAbortTitle: 'Abort {{name}}?',
      confirmPromoteText:
        'Flagger skips the rest of the analysis and promotes the canary at its next check.',
      confirmAbortText:
        'Flagger rolls the canary back at its next check: all traffic returns to the primary.',
      abortAndRollBack: 'Abort and roll back',
    },
    checks: {
      pass: 'pass',
      fail: 'fail',
      notMeasured: 'not measured',
      rowLabel: 'Check {{name}}',
      hideQuery: 'Hide the query',
      showQuery: 'Show the query',
      queryOf: 'Query of {{name}}',
      promqlOf: 'PromQL of {{name}}',
      errors: {
        'no-values': 'no values found',
        builtin: 'builtin check: not measured',
        'no-metrics-server':
          'no metrics server configured (kubemate.canary.prometheus)',
        'template-no-query': 'MetricTemplate {{template}} has no query',
      },
      none: "This Canary's analysis has no metric checks: Flagger advances on the steps (and gates) only.",
      tableLabel: 'Analysis checks',
      columns: {
        check: 'Check',
        window: 'Window',
        threshold: 'Threshold',
        measured: 'Measured',
        result: 'Result',
        error: 'Error',
      },
    },
    history: {
      title: 'History ({{total}})',
      when: 'When',
      source: 'Source',
      reason: 'Reason',
      message: 'Message',
      portal: 'portal',
      portalActor: 'portal: {{actor}}',
      flagger: 'Flagger',
      empty: 'No event recorded for this release yet.',
    },
    chart: {
      noWeight:
        'No weight observed yet: the portal records the weight while a release runs.',
      weightSummary:
        'Canary weight over time: {{observations}} observations from {{from}} to {{to}}, peak {{peak}}%, now {{now}}% ({{phase}})',
      pointTitle: '{{time}}: {{weight}}% ({{phase}})',
      seriesFailed: 'Success rate and latency could not be read',
      seriesLoading: 'Reading success rate and latency…',
      seriesNone: 'No success rate or latency to show.',
      noRequests:
        "No requests recorded for the primary or the canary in this window (Linkerd's inbound response_total).",
      successRate: 'Success rate',
      p99Latency: 'p99 latency',
      primary: 'primary',
      canary: 'canary',
      noData: 'no data',
      metricSummary:
        '{{title}} over time: primary {{primary}}, canary {{canary}} (latest)',
      lineTitle: '{{side}}: {{value}}',
    },
    gray: {
      title: 'Gray release {{name}}',
      subheader: '{{cluster}}/{{namespace}} · HTTPRoute {{name}}',
      managed:
        'This route is managed by {{owner}}: Flagger sets its weights, so it is read-only here.',
      relative:
        "The route's weights are relative (they sum to {{sum}} now, so each backend gets its weight / {{sum}} of the requests); the portal writes them as percentages summing to 100.",
      deployment: 'Deployment {{name}}',
      deploymentUnknown: 'Deployment unknown',
      sliderOf: 'Slider of {{service}}',
      weightOf: 'Weight of {{service}}',
      sumLabel: 'Sum of the weights',
      sum: 'Sum: {{sum}} / 100',
      headerRules: 'Header rules',
      noRule: 'No rule: every request is split by the weights.',
      addRule: 'Add header rule',
      nothingChanged: 'Nothing changed',
      working: 'Working…',
      previewDiff: 'Preview diff',
      previewFirst: 'Preview the diff first',
      applied: 'Applied to {{what}}',
      apply: 'Apply',
      reset: 'Reset',
      diff: 'Diff',
      noChange: 'No change.',
      rule: {
        label: 'Rule {{rule}}',
        header: 'Header',
        headerAria: 'Rule {{rule}} header {{match}}',
        match: 'Match',
        equals: 'equals',
        regex: 'matches regex',
        value: 'Value',
        valueAria: 'Rule {{rule}} value {{match}}',
        removeMatch: 'Remove match {{match}} of rule {{rule}}',
        allTo: '→ all to',
        service: 'Service',
        andHeader: 'And header',
        remove: 'Remove rule',
      },
      problems: {
        noBackend: 'A gray release needs at least one backend',
        weight:
          'The weight of {{service}} must be a whole number from 0 to 100',
        sum: 'The weights must sum to 100 (now {{sum}})',
        noMatch: 'Rule {{rule}} has no header match',
        headerMissing: 'Rule {{rule}}: a header name is missing',
        valueMissing: 'Rule {{rule}}: the value of {{header}} is missing',
        notRegex: 'Rule {{rule}}: {{value}} is not a regular expression',
        notBackend:
          'Rule {{rule}} routes to {{service}}, which is not a backend',
        noService: 'Rule {{rule}} routes to no service, which is not a backend',
      },
    },
    start: {
      title: 'Start a canary of {{target}}',
      intro:
        'The new revision is rolled out to the Deployment {{target}} in {{cluster}}/{{namespace}} as you; Flagger then shifts traffic to it step by step while the checks pass.',
      image: 'Image',
      container: 'Container',
      containerHelp: 'The first container when empty',
      revision: 'CI revision',
      revisionHelp:
        'Recorded as the {{annotation}} annotation of the pod template',
      now: 'Now: {{image}}',
      nowUnknown: 'Now: unknown',
      imageRequired: 'An image is required',
      notImage: '{{image}} is not an image reference',
      sameImage:
        'This is the image already rolled out: change it (or set a new CI revision)',
    },
    page: {
      title: 'Releases',
      subtitle: 'Canary releases progressing, waiting for approval or failed',
      phase: 'Phase',
      filterByPhase: 'Filter by phase',
      allPhases: 'All phases',
      window: 'Window',
      windows: {
        last24h: 'last 24 hours',
        last7d: 'last 7 days',
        last30d: 'last 30 days',
      },
      tableTitle: 'Releases ({{shown}} of {{total}})',
      noneInPhase: 'No release in this phase.',
      none: 'No release progressing, waiting for approval or failed in this window, in the namespaces you may see.',
      columns: {
        cluster: 'Cluster',
        namespace: 'Namespace',
        release: 'Release',
        phase: 'Phase',
        weight: 'Weight',
        waitingGate: 'Waiting gate',
        lastTransition: 'Last transition',
      },
      weightOf: '{{weight}}% of {{max}}%',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
