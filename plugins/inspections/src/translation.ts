import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the Inspections page and the entity card "Inspection findings". English
 * defaults here; the Simplified Chinese resource in ./translations/zh-Hans.ts. Check titles,
 * finding messages, evidence and the reasons of a diff come from the backend and are shown as
 * sent.
 */
export const inspectionsTranslationRef = createTranslationRef({
  id: 'kubemate.inspections',
  messages: {
    common: {
      all: 'all',
      cancel: 'Cancel',
      global: 'global',
    },
    /** Category titles (cards, score rows, the Run now checkboxes). */
    categories: {
      cluster: 'Cluster',
      host: 'Host',
      application: 'Application',
      database: 'Database',
      security: 'Security',
    },
    /** Category names in running text (scopes, filters). */
    categoryNames: {
      cluster: 'cluster',
      host: 'host',
      application: 'application',
      database: 'database',
      security: 'security',
    },
    severities: {
      critical: 'critical',
      high: 'high',
      medium: 'medium',
      low: 'low',
      info: 'info',
    },
    severityCount: '{{n}} {{severity}}',
    noFindings: 'No findings',
    runStatuses: {
      running: 'running…',
      succeeded: 'succeeded',
      failed: 'failed',
    },
    triggers: {
      schedule: 'schedule',
      user: 'user',
    },
    checkStatuses: {
      error: 'error',
      skipped: 'skipped',
    },
    exemptionStatuses: {
      pending: 'pending',
      active: 'active',
      expired: 'expired',
      rejected: 'rejected',
      revoked: 'revoked',
    },
    scope: {
      allClusters: 'all clusters',
      allNamespaces: 'all namespaces',
      allCategories: 'all categories',
    },
    expiry: {
      inDays_one: 'expires in {{count}} day',
      inDays_other: 'expires in {{count}} days',
      today: 'expires today',
      expiredToday: 'expired today',
      expiredDaysAgo_one: 'expired {{count}} day ago',
      expiredDaysAgo_other: 'expired {{count}} days ago',
    },
    grade: {
      label: 'Grade {{grade}}',
      none: 'No grade',
      outOf: '{{score}} / 100',
    },
    sparkline: {
      label_one: 'Score trend over {{count}} run: {{first}} to {{last}}',
      label_other: 'Score trend over {{count}} runs: {{first}} to {{last}}',
    },
    page: {
      title: 'Inspections',
      subtitle:
        'Cluster, host, application, database and security checks: scores, history, diffs and exemptions',
      tabs: {
        overview: 'Overview',
        runs: 'Runs',
        compare: 'Compare',
        exemptions: 'Exemptions',
        checks: 'Checks',
      },
    },
    overview: {
      emptyTitle: 'No cluster to inspect',
      emptyDescription:
        'The portal has no Kubernetes cluster configured (kubernetes.clusterLocatorMethods); host and database checks still run with Run now.',
      refreshFailed: 'Refreshing the clusters failed; showing the last result',
    },
    clusterCard: {
      neverInspected: 'Never inspected',
      noInspection: 'No inspection yet',
      lastRun: 'Last run',
      findingsOfCluster: 'Findings on this cluster in its latest run',
      findingsOfRun:
        'Findings of the latest run (all its clusters and global checks)',
    },
    runNow: {
      button: 'Run now',
      title: 'Run an inspection now',
      clusters: 'Clusters',
      clustersHelp:
        'Host and database checks run once per run, whatever the clusters.',
      namespaces: 'Namespaces',
      namespacesHelp:
        'Optional: names or prefix patterns, comma separated (payments-*, ai-platform). Empty: all namespaces.',
      invalidNamespace:
        '{{namespace}} is not a namespace name or a prefix pattern like payments-*',
      categories: 'Categories',
      pickCluster: 'Pick at least one cluster',
      pickCategory: 'Pick at least one category',
      start: 'Start inspection',
    },
    runs: {
      columns: {
        started: 'Started',
        trigger: 'Trigger',
        by: 'By',
        scope: 'Scope',
        status: 'Status',
        grade: 'Grade',
        findings: 'Findings',
        duration: 'Duration',
      },
      scheduler: 'scheduler',
      refreshFailed: 'Refreshing the runs failed; showing the last result',
      compare: 'Compare',
      selectTwo: 'Select two runs to compare them',
      titleAll: 'Runs ({{total}})',
      titleLatest: 'Runs (the latest {{shown}} of {{total}})',
      empty: 'No inspection has run yet: start one with Run now.',
    },
    run: {
      title: 'Inspection of {{time}}',
      subheaderScheduled: 'Scheduled · {{scope}}',
      subheaderUser: 'Started by {{user}} · {{scope}}',
      progress: 'Run progress',
      coverage:
        'Coverage: {{executed}} of {{planned}} check executions · Duration {{duration}}',
      coverageErrored:
        'Coverage: {{executed}} of {{planned}} check executions, {{errors}} errored · Duration {{duration}}',
      coverageSkipped:
        'Coverage: {{executed}} of {{planned}} check executions, {{skipped}} skipped · Duration {{duration}}',
      coverageErroredSkipped:
        'Coverage: {{executed}} of {{planned}} check executions, {{errors}} errored, {{skipped}} skipped · Duration {{duration}}',
      ruleset: 'Ruleset {{hash}}',
      compareWithPrevious: 'Compare with previous',
      compareNotFinished: 'The run has not finished',
      compareLooking: 'Looking for the previous run…',
      compareReadFailed: 'Could not read the runs: {{message}}',
      compareNoPrevious: 'There is no earlier finished run',
      exemptionRequested:
        'Exemption requested for {{object}}: it applies once another approver approves it (Exemptions tab).',
      requestExemption: 'Request exemption',
      requestExemptionFor: 'Request exemption for {{object}}',
      refreshFailed: 'Refreshing the run failed; showing the last result',
      scoresByCategory: 'Scores by category',
      scoresByCluster: 'Scores by cluster',
      scores: {
        grade: 'Grade',
        score: 'Score',
        passed: 'Passed',
        failed: 'Failed',
        errors: 'Errors',
        skipped: 'Skipped',
      },
      hiddenFindings_one:
        '{{count}} finding is outside your namespaces and not shown.',
      hiddenFindings_other:
        '{{count}} findings are outside your namespaces and not shown.',
      catalogueFailed:
        'The check catalogue could not be read: remediations are not shown',
      findings: 'Findings',
      noFindingsFinished: 'No findings: every check that ran passed.',
      noFindingsRunning: 'No findings so far; the run is still going.',
      categoryTitle: '{{category}} ({{n}})',
      problemsTitle: 'Checks that errored or were skipped ({{n}})',
      problems: {
        check: 'Check',
        cluster: 'Cluster',
        status: 'Status',
        message: 'Message',
      },
    },
    export: {
      button: 'Export',
      exporting: 'Exporting {{format}}…',
      html: 'HTML report',
      pdf: 'PDF report',
    },
    findings: {
      severity: 'Severity',
      object: 'Object',
      entity: 'Entity',
      message: 'Message',
      showEvidence: 'Show evidence of {{object}}',
      hideEvidence: 'Hide evidence of {{object}}',
      exempted: 'exempted',
      exemptedUntil:
        'Exempted until {{date}} ({{ticket}}: {{reason}}), requested by {{requester}}, approved by {{approver}}.',
      exemptedById: 'Exempted (exemption {{id}}).',
      exemptedUnknown: 'Exempted (exemption unknown).',
      evidence: 'Evidence',
      measured: 'Measured:',
      expected: 'Expected:',
      check: 'Check {{id}} v{{version}}',
      checkWithOwner: 'Check {{id}} v{{version}} · owner {{owner}}',
      remediation: 'Remediation',
      checkGone: 'The check {{id}} is not in the catalogue any more.',
    },
    compare: {
      sections: {
        new: 'New',
        resolved: 'Resolved',
        unchanged: 'Unchanged',
        notComparable: 'Not comparable',
      },
      help: {
        new: 'In the head run, not in the base run.',
        resolved:
          'In the base run, not in the head run, and the head ran that check there without error.',
        unchanged: 'In both runs.',
        notComparable:
          'In the base run, but the head run did not run that check there, or it errored.',
      },
      sectionTitle: '{{title}} ({{n}})',
      run: 'Run {{id}}',
      runDetails:
        '{{scope}} · ruleset {{hash}} · {{executed}}/{{planned}} executions',
      base: 'Base',
      head: 'Head',
      baseRun: 'Base run',
      headRun: 'Head run',
      pickRuns:
        'Pick a base run and a head run to see what changed between them.',
      notComparable: 'These runs are not fully comparable',
      none: 'None.',
    },
    exemptions: {
      filterLabel: 'Status',
      filterByStatus: 'Filter by status',
      columns: {
        status: 'Status',
        object: 'Object',
        check: 'Check',
        reason: 'Reason',
        ticket: 'Ticket',
        requested: 'Requested',
        expires: 'Expires',
        decided: 'Decided',
        actions: 'Actions',
      },
      ownRequest: 'Your own request: someone else must approve it',
      actions: {
        approve: 'Approve',
        reject: 'Reject',
        revoke: 'Revoke',
      },
      actionFor: {
        approve: 'Approve exemption of {{object}}',
        reject: 'Reject exemption of {{object}}',
        revoke: 'Revoke exemption of {{object}}',
      },
      done: {
        approve: 'Exemption of {{object}} approved.',
        reject: 'Exemption of {{object}} rejected.',
        revoke: 'Exemption of {{object}} revoked.',
      },
      title: 'Exemptions ({{n}})',
      emptyAll:
        'No exemption has been requested. Request one from a finding of a run.',
      empty: {
        pending: 'No pending exemption.',
        active: 'No active exemption.',
        expired: 'No expired exemption.',
        rejected: 'No rejected exemption.',
        revoked: 'No revoked exemption.',
      },
      decisionTitles: {
        approve: 'Approve the exemption',
        reject: 'Reject the exemption',
        revoke: 'Revoke the exemption',
      },
      decisionSummary: '{{check}} on {{object}} ({{ticket}}): {{reason}}',
    },
    exemptionRequest: {
      title: 'Request an exemption',
      intro:
        '{{title}}: {{object}}. While an approved exemption lasts the finding does not count; when it expires the finding fails again.',
      reason: 'Reason',
      reasonHelp: 'Why the risk is accepted for now',
      ticket: 'Ticket',
      ticketHelp: 'The change or risk ticket, e.g. CHG-1234',
      expires: 'Expires on',
      expiresHelp: 'Mandatory; by default in {{days}} days',
      submit: 'Request exemption',
      problems: {
        reasonShort:
          'Say why this finding is accepted (at least 10 characters)',
        ticketRequired: 'A change or risk ticket is required (e.g. CHG-1234)',
        ticketSpaces: 'A ticket id has no spaces',
        expiresRequired: 'An expiry date is required',
        expiresPast: 'The expiry must be in the future',
      },
    },
    checks: {
      whatItChecks: 'What it checks',
      remediation: 'Remediation',
      references: 'References',
      none: 'None',
      versionCluster: 'Version {{version}} · runs once per cluster',
      versionRun: 'Version {{version}} · runs once per run',
      versionClusterOff:
        'Version {{version}} · runs once per cluster · switched off in the configuration',
      versionRunOff:
        'Version {{version}} · runs once per run · switched off in the configuration',
      columns: {
        check: 'Check',
        id: 'Id',
        category: 'Category',
        severity: 'Severity',
        dataSource: 'Data source',
        thresholds: 'Thresholds',
        enabled: 'Enabled',
      },
      yes: 'yes',
      no: 'no',
      category: 'Category',
      severity: 'Severity',
      filterByCategory: 'Filter by category',
      filterBySeverity: 'Filter by severity',
      title: 'Checks ({{shown}} of {{total}})',
      ruleset: 'Ruleset {{hash}}',
      empty: 'No check matches.',
    },
    entityCard: {
      title: 'Inspection findings',
      notAllowed: 'You may not see inspection findings for this component',
      notInspected: 'Not inspected yet',
      notInspectedDescription:
        "No finished inspection has covered this component's clusters yet.",
      inspections: 'Inspections',
      exempted: '· {{n}} exempted',
      latestRuns_one: 'Latest run:',
      latestRuns_other: 'Latest runs:',
      noFindings: 'No findings: every check passed for this component.',
      openRun: 'Open the run',
      more: "{{n}} more in the runs' reports.",
      refreshFailed: 'Refreshing the findings failed; showing the last result',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
