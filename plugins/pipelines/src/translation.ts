import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the entity tab "Pipelines". English defaults here; the Simplified Chinese
 * resource in ./translations/zh-Hans.ts. Tekton kinds (Pipeline, PipelineRun, TaskRun), the names
 * of pipelines, runs, tasks, steps and params, environments (dev, staging, prod) and Tekton's
 * reasons and messages are data and stay as they are.
 */
export const pipelinesTranslationRef = createTranslationRef({
  id: 'kubemate.pipelines',
  messages: {
    status: {
      Succeeded: 'Succeeded',
      Failed: 'Failed',
      Running: 'Running',
      Pending: 'Pending',
      Cancelled: 'Cancelled',
    },
    statusWithReason: '{{status}} ({{reason}})',
    duration: {
      hoursMinutes: '{{hours}}h {{minutes}}m',
      minutesSeconds: '{{minutes}}m {{seconds}}s',
      seconds: '{{seconds}}s',
    },
    content: {
      emptyTitle: 'No Tekton pipelines for this entity',
      emptyDescription:
        "No Pipeline or PipelineRun carries this entity's labels in a namespace you may see. Label them with the entity's Kubernetes selector, or set the {{annotation}} annotation; a service created from the Kubemate service template has its pipeline already.",
      refreshFailed: 'Refreshing the runs failed; showing the last result',
      pipelinesFailed:
        "The entity's Pipelines could not be read: starting a run is unavailable",
      durationsTitle: 'Run durations',
    },
    actions: {
      runStarted: 'Run started: {{run}}',
      rerunStarted: 'Re-run started: {{run}}',
      rerunFailed: 'Re-run started failed: {{message}}',
      cancelled: 'Cancelled: {{run}}',
      cancelFailed: 'Cancelled failed: {{message}}',
    },
    start: {
      noPipeline: 'This entity has no Pipeline you may see',
      checking: 'Checking your permissions…',
      denied:
        "You do not have the permission {{permission}} in the namespaces of this entity's Pipelines",
    },
    card: {
      title: 'Pipelines',
      pipeline: '{{name}} — {{cluster}}/{{namespace}} ({{params}} params)',
      startRun: 'Start run',
    },
    lanes: {
      environment: 'Environment {{env}}',
      deployed: 'Deployed: {{run}}',
      finished: '{{cluster}}/{{namespace}} · finished {{time}}',
      nothingDeployed: 'Nothing deployed by a pipeline yet',
      latest: 'Latest: {{run}}',
    },
    chart: {
      empty: 'No runs with a duration yet.',
      duration: 'duration',
      tooltipLabel: '{{run}} ({{status}})',
      summary: '{{runs}} runs · {{succeeded}} succeeded',
      summaryWithAverage:
        '{{runs}} runs · {{succeeded}} succeeded · average successful run {{average}}',
    },
    filters: {
      status: 'Status',
      environment: 'Environment',
      cluster: 'Cluster',
      all: 'all',
      refresh: 'Refresh',
    },
    runs: {
      title: 'Pipeline runs ({{shown}} of {{total}})',
      columns: {
        run: 'Run',
        pipeline: 'Pipeline',
        status: 'Status',
        env: 'Env',
        where: 'Where',
        started: 'Started',
        duration: 'Duration',
        actions: 'Actions',
      },
      rerun: 'Re-run',
      rerunAria: 'Re-run {{run}}',
      cancel: 'Cancel',
      cancelAria: 'Cancel {{run}}',
      finished: '{{run}} has finished ({{status}})',
      noMatch: 'No run matches the filters.',
      noRuns: 'No runs yet: start one.',
    },
    cancelDialog: {
      title: 'Cancel {{run}}?',
      body: "Tekton stops the run's tasks; the run ends as Cancelled and cannot be resumed (re-run it to start again).",
      keep: 'Keep running',
      confirm: 'Cancel run',
    },
    startDialog: {
      title: 'Start a pipeline run',
      noneStartable:
        "You may not start runs of any of this entity's Pipelines.",
      pipeline: 'Pipeline',
      environment: 'Environment',
      noEnvironment: 'none',
      noParams: 'This Pipeline takes no params.',
      paramDefault: 'default: {{value}}',
      required: 'Required: {{params}}',
      close: 'Close',
      start: 'Start',
      starting: 'Starting…',
    },
    details: {
      title: 'Run {{run}}',
      noPipeline: 'no pipeline',
      rerunOf: 're-run of {{run}}',
      timing: 'started {{time}} · duration {{duration}}',
      showLog: 'Show its log',
      failedAt: 'Failed at step {{step}} of task {{task}}',
      failedAtExit:
        'Failed at step {{step}} of task {{task}} (exit code {{exitCode}})',
      failedAtMessage: 'Failed at step {{step}} of task {{task}}: {{message}}',
      failedAtExitMessage:
        'Failed at step {{step}} of task {{task}} (exit code {{exitCode}}): {{message}}',
      params: 'Params',
      results: 'Results',
      none: 'none',
      taskRuns: 'Task runs',
      noTaskRuns:
        "No TaskRuns yet: the Tekton controller has not started this run's tasks.",
      columns: {
        task: 'Task',
        status: 'Status',
        started: 'Started',
        steps: 'Steps (click for the log)',
      },
      noSteps: 'no steps reported',
      noPod: 'The TaskRun has no pod yet',
      step: '{{step}} · {{status}}',
    },
    stepLog: {
      title: 'Log of {{taskRun}} · step {{step}}',
      follow: 'Follow',
      followFinished: 'Follow (step finished)',
      readFailed: 'The step log could not be read',
      ariaLabel: 'Log of step {{step}}',
      empty: '(the step wrote nothing)',
    },
    graph: {
      empty:
        'The Pipeline of this run declares no tasks (or could not be read).',
      ariaLabel: 'Task graph of {{run}}',
      task: '{{name}}: {{status}}',
      after: '{{status}} · after {{tasks}}',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
