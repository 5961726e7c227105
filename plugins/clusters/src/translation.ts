import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The messages of the cluster ops tab and the cluster overview page. English defaults here; the
 * Simplified Chinese resource in ./translations/zh-Hans.ts. Kubernetes kinds, object names, pod
 * phases and event types are data and stay as the cluster reports them.
 */
export const clustersTranslationRef = createTranslationRef({
  id: 'kubemate.clusters',
  messages: {
    common: {
      cancel: 'Cancel',
      close: 'Close',
      refresh: 'Refresh',
      actions: 'Actions',
    },
    actions: {
      what: '{{name}} in {{cluster}}/{{namespace}}',
      scale: 'Scale',
      scaleAria: 'Scale {{name}}',
      restart: 'Restart',
      restartAria: 'Restart {{name}}',
      yamlAria: 'YAML of {{name}}',
      rollback: 'Roll back',
      rollbackAria: 'Roll back {{name}}',
      logs: 'Logs',
      logsAria: 'Logs of {{name}}',
      delete: 'Delete',
      deleteAria: 'Delete {{name}}',
    },
    dialogs: {
      scale: {
        title: 'Scale {{name}}',
        description:
          '{{cluster}} / {{namespace}}: currently {{replicas}} replica(s).',
        confirm: 'Scale',
        replicas: 'Replicas',
        replicasInvalid: 'A whole number from 0 to 1000',
      },
      restart: {
        title: 'Restart {{name}}?',
        description:
          'A rolling restart replaces every pod of {{name}} in {{cluster}} / {{namespace}}.',
        confirm: 'Restart',
      },
      rollback: {
        title: 'Roll back {{name}}?',
        description:
          'Restores the pod template of an earlier revision (current: {{revision}}).',
        unknownRevision: 'unknown',
        confirm: 'Roll back',
        revision: 'Revision (empty: the previous one)',
        revisionInvalid: 'A revision number',
      },
      deletePod: {
        title: 'Delete pod {{name}}?',
        description:
          "Its controller creates a replacement; the pod's current state and logs are lost.",
        confirm: 'Delete',
      },
    },
    yaml: {
      title: '{{name}} in {{cluster}} / {{namespace}}',
      manifestEditable: 'Manifest (edit, then dry run)',
      manifestReadOnly: 'Manifest (read only)',
      dryRunResult: {
        created: 'Dry run: {{kind}} {{namespace}}/{{name}} would be created',
        configured:
          'Dry run: {{kind}} {{namespace}}/{{name}} would be configured',
        unchanged:
          'Dry run: {{kind}} {{namespace}}/{{name}} would be unchanged',
      },
      applied: {
        created: '{{kind}} {{namespace}}/{{name}} created',
        configured: '{{kind}} {{namespace}}/{{name}} configured',
        unchanged: '{{kind}} {{namespace}}/{{name}} unchanged',
      },
      noChanges: 'No changes.',
      dryRun: 'Dry run',
      apply: 'Apply',
      dryRunFirst: 'Dry-run the current text first',
    },
    ops: {
      labelled: 'Objects labelled {{selector}} on {{clusters}} cluster(s)',
      noWorkloadsTitle: 'No workloads found',
      noWorkloadsDescription:
        'No Kubernetes objects labelled {{selector}} on any cluster the portal knows. Label your workloads (or set the backstage.io/kubernetes-label-selector annotation) to see them here.',
    },
    workloads: {
      title: 'Workloads in {{cluster}} / {{namespace}}',
      columns: {
        workload: 'Workload',
        kind: 'Kind',
        ready: 'Ready',
        health: 'Health',
        revision: 'Revision',
        images: 'Images',
      },
    },
    pods: {
      title: 'Pods ({{total}})',
      columns: {
        pod: 'Pod',
        status: 'Status',
        phase: 'Phase',
        restarts: 'Restarts',
        age: 'Age',
        node: 'Node',
      },
    },
    events: {
      title: 'Recent warning events ({{total}})',
      columns: {
        lastSeen: 'Last seen',
        type: 'Type',
        reason: 'Reason',
        object: 'Object',
        message: 'Message',
        count: 'Count',
      },
    },
    health: {
      CrashLoopBackOff: 'CrashLoopBackOff',
      ImagePullBackOff: 'ImagePullBackOff',
      ErrImagePull: 'ErrImagePull',
      OOMKilled: 'OOMKilled',
      Unschedulable: 'Unschedulable',
      Pending: 'Pending',
      NotReady: 'NotReady',
      Restarting: 'Restarting',
      Failed: 'Failed',
      Progressing: 'Progressing',
      Healthy: 'Healthy',
      Completed: 'Completed',
    },
    logs: {
      title: 'Logs of {{pod}}',
      container: 'Container',
      previous: 'Previous container',
      follow: 'Follow',
      close: 'Close logs',
      empty: '(no log lines)',
    },
    overview: {
      title: 'Clusters',
      subtitle: 'Nodes, capacity against requests, namespaces and pods',
      noClustersTitle: 'No clusters configured',
      noClustersDescription:
        'Add clusters under kubernetes.clusterLocatorMethods in app-config.yaml.',
      clusterError: 'Cluster {{cluster}}',
      summary: '{{nodes}} nodes, {{namespaces}} namespaces',
      ready: 'Ready',
      notReady: 'NotReady',
      columns: {
        node: 'Node',
        ready: 'Ready',
        roles: 'Roles',
        pods: 'Pods',
        cpu: 'CPU requested',
        memory: 'Memory requested',
        gpu: 'GPUs requested',
      },
      usage: {
        requested: '{{percent}} requested',
        amounts: '{{used}} / {{total}} ({{percent}})',
        labelled: '{{label}}: {{used}} / {{total}} ({{percent}})',
      },
      gib: '{{value}} GiB',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});
