import {
  createTranslationRef,
  type TranslationFunction,
} from '@backstage/frontend-plugin-api';

/**
 * The messages of the GPUs page and the entity tab "GPU". English defaults here; the Simplified
 * Chinese resource in ./translations/zh-Hans.ts. Kubernetes and Kueue names (ClusterQueue,
 * LocalQueue, ResourceQuota, nvidia.com/gpu, flavor names) stay as they are.
 */
export const gpuTranslationRef = createTranslationRef({
  id: 'kubemate.gpu',
  messages: {
    page: {
      title: 'GPUs',
      subtitle:
        'GPU quotas per team (Kueue), the queue, utilization and quota requests',
      tabs: {
        overview: 'Quotas & capacity',
        queue: 'Queue',
        utilization: 'Utilization',
        requests: 'Requests',
        approvals: 'Approvals',
      },
    },
    common: {
      gpus_one: '{{count}} GPU',
      gpus_other: '{{count}} GPUs',
      separator: ', ',
    },
    duration: {
      seconds: '{{s}} s',
      minutes: '{{m}} min',
      hours: '{{h}} h',
      hoursMinutes: '{{h}} h {{m}} min',
      days: '{{d}} d',
      daysHours: '{{d}} d {{h}} h',
    },
    permission: {
      checking: 'Checking your permissions…',
      deniedOn: 'You do not have the permission {{permission}} on {{on}}',
      checkFailed: 'Could not check the permission {{permission}}: {{message}}',
    },
    loaded: {
      refreshFailed: 'Refreshing {{what}} failed; showing the last result',
      prometheusFailed: 'Prometheus could not be read: utilization is missing',
      what: {
        queues: 'the queues',
        capacity: 'the capacity',
        workloads: 'the workloads',
        gpuWorkloads: 'the GPU workloads',
        utilization: 'the utilization',
        idleGpus: 'the idle GPUs',
        requests: 'the requests',
      },
    },
    overview: {
      teamQuotas: 'Team quotas',
      capacity: 'Capacity',
    },
    quota: {
      ariaLabel: 'GPU quota of {{flavor}}',
      nominalMark: 'Nominal: {{nominal}}',
      limitMark: 'Borrowing limit: nominal + {{limit}}',
      summary: {
        used: '{{used}} of {{nominal}} nominal GPUs used',
        borrowed: '{{borrowed}} borrowed from the cohort',
        mayBorrow: 'may borrow up to {{limit}}',
        unlimited: 'borrowing unlimited',
        reserved: '{{reserved}} reserved',
      },
      legend: {
        used: 'used within nominal',
        borrowed: 'borrowed from the cohort',
        nominal: 'nominal quota',
        limit: 'borrowing limit',
      },
    },
    queues: {
      emptyTitle: 'No GPU queues visible to you',
      emptyDescription:
        'Team GPU queues (Kueue ClusterQueues) show here when one of their LocalQueues is in a namespace you may read.',
      team: 'team {{team}}',
      cohort: 'cohort {{cohort}}',
      noCohort: 'no cohort',
      usedOfNominal_one: '{{count}} GPU used of {{nominal}} nominal',
      usedOfNominal_other: '{{count}} GPUs used of {{nominal}} nominal',
      borrowed: '{{n}} borrowed',
      pending: '{{n}} pending',
      admitted: '{{n}} admitted',
      held: 'Held: admits nothing new',
      inactive: 'Inactive',
      inactiveReason: 'Inactive: {{reason}}',
      noGpuQuota: 'No nvidia.com/gpu quota in this queue.',
      lends_one: 'Lends at most {{count}} GPU of its nominal quota',
      lends_other: 'Lends at most {{count}} GPUs of its nominal quota',
      localQueues: 'LocalQueues: {{list}}',
      localQueuesNone: 'LocalQueues: none',
      preemption: 'Preemption: {{list}}',
      listSeparator: ', ',
      /** Kueue's ClusterQueue preemption rules and policies, by their API names. */
      preemptionRule: {
        withinClusterQueue: 'within the queue {{policy}}',
        reclaimWithinCohort: 'reclaim in the cohort {{policy}}',
        borrowWithinCohort: 'borrow in the cohort {{policy}}',
      },
      preemptionPolicy: {
        Never: 'never',
        LowerPriority: 'from lower priority',
        LowerOrNewerEqualPriority: 'from lower or newer equal priority',
        Any: 'from any priority',
      },
      resourceQuota:
        'ResourceQuota {{namespace}}/{{name}}: {{used}} of {{hard}} requests.nvidia.com/gpu',
      noQuotaToEdit: 'This queue has no nvidia.com/gpu quota to edit',
      noLocalQueue: 'No LocalQueue points at this queue',
      edit: 'Edit quota',
    },
    editQueue: {
      title: 'Edit {{name}} ({{cluster}})',
      intro:
        'Changes the ClusterQueue as you. Kueue does not stop admitted workloads when a quota shrinks; new ones wait for it.',
      nominal: 'Nominal GPUs',
      nominalHelp: 'Guaranteed to the team',
      nominalError: 'A whole number of GPUs, 0 or more',
      borrowingLimit: 'Borrowing limit',
      borrowingLimitHelp: 'GPUs above nominal from the cohort; empty: no limit',
      borrowingLimitError: 'A whole number of GPUs, or empty for no limit',
      holdAria: 'Hold the queue',
      hold: 'Hold: admit nothing new (admitted workloads keep running)',
      cancel: 'Cancel',
      save: 'Save',
    },
    capacity: {
      emptyTitle: 'No GPU nodes',
      emptyDescription:
        'No node of the clusters advertises nvidia.com/gpu (GPU feature discovery labels).',
      byModel: 'Capacity by model',
      nodesTitle: 'GPU nodes ({{n}})',
      tile_one: '{{cluster}} · {{count}} node · {{memory}} each',
      tile_other: '{{cluster}} · {{count}} nodes · {{memory}} each',
      free: '{{free}} free',
      ofTotal: 'of {{gpus}}',
      allocated: '{{allocated}} allocated',
      allocatedUnavailable:
        '{{allocated}} allocated · {{unavailable}} unavailable',
      flavor: 'flavor {{flavor}}',
      allocatedOf: '{{allocated}} of {{gpus}}',
      simulated: 'simulated',
      columns: {
        cluster: 'Cluster',
        model: 'Model',
        memory: 'Memory / GPU',
        nodes: 'Nodes',
        gpus: 'GPUs',
        allocated: 'Allocated',
        free: 'Free',
        unavailable: 'Unavailable',
        node: 'Node',
        flavor: 'Flavor',
        state: 'State',
      },
      nodeState: {
        notReady: 'not ready',
        ready: 'ready',
        cordoned: 'cordoned',
      },
    },
    idle: {
      title:
        'Idle GPUs ({{n}}): allocated, below {{threshold}} % on average over {{minutes}} min',
      empty:
        'No idle GPUs: every allocated GPU you may see was used above {{threshold}} % on average in the last {{minutes}} minutes.',
      gpuOnNode: '{{node}} · GPU {{gpu}}',
      columns: {
        pod: 'Pod',
        team: 'Team',
        gpu: 'GPU',
        average: 'Average',
        highest: 'Highest',
      },
    },
    utilization: {
      groupBy: 'Group by',
      timeRange: 'Time range',
      refreshNow: 'Refresh now',
      groups: {
        team: 'Team',
        workload: 'Workload',
        model: 'GPU model',
      },
      ranges: {
        last15m: 'Last 15 minutes',
        last1h: 'Last hour',
        last6h: 'Last 6 hours',
        last24h: 'Last 24 hours',
        last7d: 'Last 7 days',
      },
      chartTitle: {
        team: 'GPU utilization by team',
        workload: 'GPU utilization by workload',
        model: 'GPU utilization by model',
      },
      noDataLabel: '{{title}}: no data',
      chartLabel: '{{title}}: {{series}} series, {{points}} points',
      noSamples:
        'No GPU utilization samples in this time range for the workloads you may see.',
      demoData: 'demo data',
      demoTooltip:
        'The samples come from the dev stack\'s simulated DCGM exporter (kubemate_demo="true"), not from real GPUs',
    },
    workloads: {
      title: 'Workloads ({{n}}, {{pending}} pending)',
      entityTitle: 'GPU workloads ({{n}}; {{gpus}} GPUs allocated)',
      noPending: 'No pending workloads.',
      noMatch: 'No workload matches these filters.',
      nothingQueued:
        'No pending workloads: no GPU workload in the queues you may see.',
      noReason: 'Kueue has not given a reason yet',
      priority: 'priority {{priority}}',
      positionIn: '#{{position}} in {{queue}}',
      positionInQueue: '#{{position}} in the queue',
      flavor: 'flavor {{flavor}}',
      flavorAdmitted: 'flavor {{flavor}} · admitted {{time}}',
      admitted: '— · admitted {{time}}',
      evicted: 'Evicted {{n}}× · last {{time}}: {{reason}}',
      columns: {
        workload: 'Workload',
        queue: 'Queue',
        gpus: 'GPUs',
        state: 'State',
        reason: 'Reason / admission',
        waited: 'Waited',
        utilization: 'Util. (15 min)',
      },
      filters: {
        cluster: 'Cluster',
        clusterAria: 'Filter by cluster',
        allClusters: 'All clusters',
        namespace: 'Namespace',
        namespaceAria: 'Filter by namespace',
        allNamespaces: 'All namespaces',
        state: 'State',
        stateAria: 'Filter by state',
        allStates: 'All states',
      },
      states: {
        pending: 'pending',
        reserved: 'reserved',
        admitted: 'admitted',
        finished: 'finished',
        evicted: 'evicted',
        inadmissible: 'inadmissible',
      },
    },
    entity: {
      emptyTitle: 'No GPU workloads',
      emptyDescription:
        'No Kueue workload of {{name}} in the namespaces you may see: a Job labelled kueue.x-k8s.io/queue-name and backstage.io/kubernetes-id shows here.',
      utilization: 'Utilization',
      timeRange: 'Time range',
      teamQueues: 'Team queues',
    },
    requests: {
      summary_one:
        '{{count}} GPU of {{flavor}} for {{namespace}} ({{cluster}}, queue {{queue}})',
      summary_other:
        '{{count}} GPUs of {{flavor}} for {{namespace}} ({{cluster}}, queue {{queue}})',
      granted: 'Granted: {{summary}}, within the self-service limit.',
      requested:
        "Requested {{summary}}: it waits for a platform admin's approval.",
      other: 'Request {{summary}}: {{status}}.',
      otherWithError: 'Request {{summary}}: {{status}} ({{error}}).',
      cancelled: 'Cancelled {{summary}}.',
      onlyMine: 'Only my requests',
      myTitle: 'My requests ({{n}})',
      allTitle: 'Requests ({{n}})',
      myEmpty: 'You have not requested GPU quota yet.',
      allEmpty: 'No GPU quota request in the namespaces you may see.',
      cancel: 'Cancel',
      until: 'until {{time}}',
      ends: 'ends {{time}}',
      fromTemplate: 'from a template',
      columns: {
        status: 'Status',
        request: 'Request',
        reason: 'Reason',
        requested: 'Requested',
        decision: 'Decision',
        actions: 'Actions',
      },
      status: {
        pending: 'pending',
        active: 'active',
        rejected: 'rejected',
        expired: 'expired',
        cancelled: 'cancelled',
        failed: 'failed',
      },
    },
    form: {
      title: 'Request GPUs',
      submit: 'Request GPUs',
      sending: 'Sending…',
      emptyTitle: 'No GPU queues visible to you',
      emptyDescription:
        'A quota request is for a team namespace that has a GPU LocalQueue. None of the namespaces you may read has one.',
      selfService:
        "Requests of up to {{selfService}} are granted at once (self-service); larger ones wait for a platform admin's approval. At most {{max}} for up to {{hours}} hours per request.",
      noSelfService:
        "Every request waits for a platform admin's approval (no self-service limit is configured). At most {{max}} for up to {{hours}} hours per request.",
      intro:
        "{{limits}} An approved request adds the GPUs to the nominal quota of the namespace's team queue until it expires.",
      cluster: 'Cluster',
      namespace: 'Team namespace',
      flavor: 'GPU flavor',
      gpus: 'GPUs',
      hours: 'Hours',
      reason: 'Reason',
      queue: 'Queue {{queue}}',
      nominalNow_one: 'Nominal quota now: {{count}} GPU',
      nominalNow_other: 'Nominal quota now: {{count}} GPUs',
      gpusRange: '1 to {{max}}',
      aboveLimit: 'Above the self-service limit: waits for approval',
      withinLimit: 'Within the self-service limit: granted at once',
      hoursHelp: 'Given back after this many hours (at most {{max}})',
      reasonHelp: 'What the GPUs are for; the approver reads it',
      fixFields: 'Fix the marked fields: {{fields}}',
      permissionTarget: '{{namespace}} in {{cluster}}',
      errors: {
        chooseCluster: 'Choose a cluster',
        noQueueInCluster: 'No team queue you can see in {{cluster}}',
        chooseNamespace: 'Choose a team namespace',
        noLocalQueue:
          '{{namespace}} has no GPU queue (LocalQueue) in {{cluster}}',
        chooseFlavor: 'Choose a GPU flavor',
        notAFlavor: '{{flavor}} is not a flavor of {{queue}}',
        howManyGpus: 'How many GPUs?',
        wholeGpus: 'A whole number of GPUs, at least 1',
        maxGpus: 'At most {{max}} GPUs per request',
        howManyHours: 'For how many hours?',
        hoursAboveZero: 'A number of hours above 0',
        maxHours: 'At most {{max}} hours ({{days}} days)',
        reason: 'Say what the GPUs are for (the approver reads it)',
      },
    },
    approvals: {
      anyNamespace: 'any team namespace you can see',
      deniedTitle: 'Approvals are for platform admins',
      deniedDescription:
        '{{reason}}. Quota requests are approved by users with gpu.request.approve; yours are in the Requests tab.',
      cannotDecide: 'The backend does not let you decide this request',
      changeAdd_one:
        'the nominal quota of {{queue}} / {{flavor}} ({{cluster}}): + {{count}} GPU',
      changeAdd_other:
        'the nominal quota of {{queue}} / {{flavor}} ({{cluster}}): + {{count}} GPUs',
      changeFromTo_one:
        'the nominal quota of {{queue}} / {{flavor}} ({{cluster}}): {{before}} → {{count}} GPU',
      changeFromTo_other:
        'the nominal quota of {{queue}} / {{flavor}} ({{cluster}}): {{before}} → {{count}} GPUs',
      approvedNotice: 'Approved {{summary}}: now {{status}}.',
      rejectedNotice: 'Rejected {{summary}}: now {{status}}.',
      failedNotice: 'Approving {{summary}} failed: {{error}}',
      noReasonGiven: 'no reason given',
      waitingTitle: 'Waiting for approval ({{n}})',
      empty: 'No request waits for approval.',
      changeColumn: 'Approving changes',
      approve: 'Approve',
      reject: 'Reject',
      approveAria: 'Approve {{summary}}',
      rejectAria: 'Reject {{summary}}',
      approveTitle: 'Approve the GPU request',
      rejectTitle: 'Reject the GPU request',
      askedBy: '{{summary}}, asked by {{requester}}: {{reason}}',
      approvingChanges:
        'Approving changes {{change}}, as you, until the request expires.',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});

/** The translate function of the GPU messages, for helpers outside components. */
export type GpuT = TranslationFunction<typeof gpuTranslationRef.T>;
