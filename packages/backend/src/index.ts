/*
 * Kubemate Portal backend (new backend system).
 *
 * Kubemate's own capability plugins are added below as they land; each is a
 * `plugins/<cap>-backend` package registered with `backend.add(import(...))`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { canaryRbacModule } from '@kubemate/plugin-canary-backend';
import { clustersRbacModule } from '@kubemate/plugin-clusters-backend';
import { gpuRbacModule } from '@kubemate/plugin-gpu-backend';
import { finetuningRbacModule } from '@kubemate/plugin-finetuning-backend';
import { inspectionsRbacModule } from '@kubemate/plugin-inspections-backend';
import { localstackRbacModule } from '@kubemate/plugin-localstack-backend';
import { logsRbacModule } from '@kubemate/plugin-logs-backend';
import { metricsRbacModule } from '@kubemate/plugin-metrics-backend';
import { pipelinesRbacModule } from '@kubemate/plugin-pipelines-backend';
import { ragRbacModule } from '@kubemate/plugin-rag-backend';
import { tracesRbacModule } from '@kubemate/plugin-traces-backend';

const backend = createBackend();

// The root logger: Backstage's, plus redaction of credentials that are not config values (URLs
// with credentials, bearer tokens, JWTs) in every line (docs/security.md)
backend.add(import('./modules/rootLogger'));

// The default root HTTP router plus the backend's own request metrics at GET /metrics
// (prom-client; kubemate.backendMetrics.enabled, default true)
backend.add(import('./modules/rootHttpRouter'));

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: the demo user picker (development only) and OIDC (production).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/demoAuthProvider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// Catalog and software templates
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
// kubemate:* template actions of the golden paths (namespaces, quota, RBAC, Tekton, deployment, Git)
backend.add(import('@kubemate/plugin-scaffolder-backend-module-kubemate'));

// Permissions: deny by default; the role-based policy, roles API and Kubernetes RBAC sync of
// @kubemate/plugin-rbac-backend (plugin + permission policy module)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@kubemate/plugin-rbac-backend'));
// Each capability contributes its permissions and their Kubernetes RBAC rules to RBAC
// administration through the rbac plugin's capabilities extension point (a module per capability)
backend.add(clustersRbacModule);
backend.add(metricsRbacModule);
backend.add(logsRbacModule);
backend.add(tracesRbacModule);
backend.add(pipelinesRbacModule);
backend.add(canaryRbacModule);
backend.add(inspectionsRbacModule);
backend.add(ragRbacModule);
backend.add(gpuRbacModule);
backend.add(finetuningRbacModule);
backend.add(localstackRbacModule);

// Search (Postgres engine in production, in-memory Lunr on SQLite)
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// The upstream Kubernetes plugin, on the same cluster configuration Kubemate's plugins use
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Kubemate cluster ops: entity workloads, logs and audited mutations as the signed-in user
backend.add(import('@kubemate/plugin-clusters-backend'));

// Kubemate metrics and alerts: PromQL over Thanos Query scoped to the user's namespaces, golden
// signals per entity, Alertmanager alerts and silences
backend.add(import('@kubemate/plugin-metrics-backend'));

// Kubemate logs: LogQL over Loki scoped to the user's namespaces, volume, live tail, context
backend.add(import('@kubemate/plugin-logs-backend'));

// Kubemate traces: Jaeger search, waterfall with critical path and service graph, scoped the same way
backend.add(import('@kubemate/plugin-traces-backend'));

// Kubemate pipelines: Tekton runs and Pipelines of an entity; start, re-run, cancel as the user
backend.add(import('@kubemate/plugin-pipelines-backend'));

// Kubemate canary and gray releases: Flagger Canaries and HTTPRoute splits of an entity, the
// checks with measured values, history, gates Flagger's webhooks ask; actions as the user
backend.add(import('@kubemate/plugin-canary-backend'));

// Kubemate inspections: scheduled and on-demand cluster, host, application and database checks
// with scores, history, diffs, expiring exemptions, notifications, metrics and reports
backend.add(import('@kubemate/plugin-inspections-backend'));

// Kubemate knowledge assistant: team knowledge bases (uploads to MinIO, Ollama embeddings in
// Milvus, resumable ingestion), answers streamed with citations from the collections the user may
// query, Redis answer cache, history, feedback and metrics
backend.add(import('@kubemate/plugin-rag-backend'));

// Kubemate GPU quotas: GPU capacity per cluster and model, per-team Kueue queues (quota, usage,
// borrowing, pending reasons and positions), quota requests approved into ClusterQueues as the
// approver and given back at expiry, utilization and idle GPUs; idle GPUs are also an inspection
// check (the inspections module of the gpu capability)
backend.add(import('@kubemate/plugin-gpu-backend'));
backend.add(import('@kubemate/plugin-inspections-backend-module-gpu'));
// Kubemate fine-tuning: datasets validated into MinIO, LoRA jobs as Kubeflow PyTorchJobs queued by
// Kueue (created as the user), sweeps, MLflow metrics and comparisons, adapters served by Ollama
backend.add(import('@kubemate/plugin-finetuning-backend'));

// Kubemate local stack: the dev stack's servers (building, starting, up, failed) and their logs
// from its progress file (kubemate.devStack.progressFile, set by the dev overlay); production has
// none and the page says so
backend.add(import('@kubemate/plugin-localstack-backend'));

// The events bus: on PostgreSQL (several replicas) events published on one replica reach the
// subscribers of every replica, so signals (live settings, notifications) get to a user whose
// browser is connected to another replica; on SQLite it stays in-process
backend.add(import('@backstage/plugin-events-backend'));
// User settings, pushed live to the browser through signals
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// Notifications (inspections: new critical findings, grade drops, expiring exemptions)
backend.add(import('@backstage/plugin-notifications-backend'));

backend.start();
