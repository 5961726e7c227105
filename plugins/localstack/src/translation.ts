import { createTranslationRef } from '@backstage/frontend-plugin-api';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';

/**
 * The messages of the Local stack page and its log dialog. English defaults here; the Simplified
 * Chinese resource in ./translations/zh-Hans.ts. Server titles and ids, stack parts, log paths,
 * log lines and `stack.sh` / `./kubemate` commands stay as they are.
 */
export const localstackTranslationRef = createTranslationRef({
  id: 'kubemate.localstack',
  messages: {
    page: {
      title: 'Local stack',
      subtitle:
        "The servers of this machine's dev stack as they build and start",
      deniedTitle: 'You are not allowed to see the local stack',
      deniedMessage: '{{reason}}. Ask a platform administrator for access.',
    },
    // the servers' titles by id, as stack.sh names them (deploy/dev/servers/*.sh); a server not
    // listed keeps the title stack.sh gives
    serverTitles: {
      kubernetes: 'Kubernetes API',
      postgres: 'PostgreSQL',
      'demo-traffic': 'Demo traffic generator',
      alertmanager: 'Alertmanager',
      prometheus: 'Prometheus',
      thanos: 'Thanos Query',
      'node-exporter': 'Node exporter',
      loki: 'Loki',
      jaeger: 'Jaeger',
      'demo-telemetry': 'Demo telemetry generator',
      'git-server': 'Git host',
      'tekton-pipelines': 'Tekton Pipelines',
      'tekton-triggers': 'Tekton Triggers',
      flagger: 'Flagger',
      kueue: 'Kueue',
      'training-operator': 'Training Operator',
      helm: 'Helm',
      'etcd-backup': 'etcd backup runner',
      'demo-tls': 'Demo TLS endpoint',
      redis: 'Redis',
      minio: 'MinIO',
      milvus: 'Milvus',
      ollama: 'Ollama',
      mlflow: 'MLflow',
    },
    servers: {
      notConfiguredTitle: 'This portal has no local stack',
      notConfiguredDescription:
        "The Local stack page shows the servers ./kubemate start builds and starts on a developer's machine (kubemate.devStack.progressFile). A production portal uses its own servers.",
      notStartedTitle: 'The local stack has not been started',
      notStartedDescription:
        'Run ./kubemate start (or ./kubemate dev up): its servers appear here as they build and start.',
      refresh: 'Refresh',
      server: 'Server',
      state: 'State',
      status: 'Status',
      since: 'Since',
      log: 'Log',
      logAria: 'Log of {{name}}',
      stale: '{{name}} was {{state}} when stack.sh stopped',
      readAgainFailed:
        'The servers could not be read again; showing the last answer',
      working: 'stack.sh is working — refreshing every {{seconds}} s',
      notRunning: 'stack.sh is not running',
      tableTitle: 'Servers ({{total}})',
    },
    states: {
      pending: 'pending',
      building: 'building',
      starting: 'starting',
      up: 'up',
      failed: 'failed',
      stopped: 'stopped',
    },
    describe: {
      building: '{{name}} is still building',
      buildingEta: '{{name}} is still building — {{eta}}',
      starting: '{{name}} is starting',
      startingEta: '{{name}} is starting — {{eta}}',
      up: '{{name}} is up',
      failed: '{{name}} failed to build',
      failedError: '{{name}} failed to build: {{error}}',
      stopped: '{{name}} is stopped',
      waiting: '{{name}} is waiting',
      waitingEta: '{{name}} is waiting ({{eta}})',
      etaAnyMoment: 'should be ready any moment',
      etaUnderMinute: 'less than a minute left',
      etaMinutes: 'about {{minutes}} min left',
      summary: '{{up}} of {{total}} servers up',
      summaryEta: '{{up}} of {{total}} servers up — {{eta}}',
      summaryFailed: '{{up}} of {{total}} servers up, {{failed}} failed',
      summaryFailedEta:
        '{{up}} of {{total}} servers up, {{failed}} failed — {{eta}}',
    },
    log: {
      title: 'Log of {{name}}',
      truncated: '{{path}} — the last {{lines}} lines',
      noLog: 'This server names no log.',
      empty: 'The log is empty (nothing written yet).',
      refresh: 'Refresh',
      close: 'Close',
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});

/** The Local stack plugin's translation function (for helpers outside components). */
export type LocalStackT = TranslationFunction<
  typeof localstackTranslationRef.T
>;
