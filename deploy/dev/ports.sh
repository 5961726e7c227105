# shellcheck shell=bash
# Every port of the dev stack, in one place. Sourced by deploy/dev/stack.sh before the server files
# (servers/*.sh), which use these names and never a number of their own. Everything listens on
# 127.0.0.1 unless said otherwise. The TypeScript side reads the ports from stack.json (the URLs and
# `ports` the server files write there), never from a table of its own.
#
# Changing a value here changes it everywhere; keep deploy/dev/README.md's tables in step.
# shellcheck disable=SC2034 # the variables are read by the server files

# ---------------------------------------------------------------- per cluster (servers/10-kubernetes.sh)
# Read through `cluster_ports <cluster>`, which sets API_PORT, ETCD_PORT, ETCD_PEER_PORT, KCM_PORT,
# SCHED_PORT and KWOK_PORT for that cluster. bench-cluster is the on-demand third cluster of the
# cluster-ops bench (OPTIONAL_CLUSTERS in servers/10-kubernetes.sh).
declare -A CLUSTER_API_PORT=([dev-cluster]=6443 [prod-cluster]=6444 [bench-cluster]=6445)        # kube-apiserver (https)
declare -A CLUSTER_ETCD_PORT=([dev-cluster]=2379 [prod-cluster]=2479 [bench-cluster]=2579)       # etcd client (http)
declare -A CLUSTER_ETCD_PEER_PORT=([dev-cluster]=2380 [prod-cluster]=2480 [bench-cluster]=2580)  # etcd peer (http)
declare -A CLUSTER_KCM_PORT=([dev-cluster]=10257 [prod-cluster]=10357 [bench-cluster]=10457)      # kube-controller-manager (https healthz)
declare -A CLUSTER_SCHED_PORT=([dev-cluster]=10259 [prod-cluster]=10359 [bench-cluster]=10459)    # kube-scheduler (https healthz)
declare -A CLUSTER_KWOK_PORT=([dev-cluster]=10250 [prod-cluster]=10350 [bench-cluster]=10450)     # kwok: kubelet API (logs, healthz, resource metrics)

# ---------------------------------------------------------------- postgres (servers/20-postgres.sh)
PG_PORT="${KUBEMATE_PG_PORT:-5433}" # PostgreSQL

# ---------------------------------------------------------------- metrics (servers/30-33)
DEMO_TRAFFIC_PORT=9464   # demo traffic generator (src/demoTraffic.ts): /metrics
AM_PORT=9093             # Alertmanager (API v2, UI)
PROM0_PORT=9090          # Prometheus replica 0
PROM1_PORT=9091          # Prometheus replica 1
PORTAL_BACKEND_PORT=7007 # the portal backend (not ours: Prometheus scrapes its /metrics when it runs)
SIDECAR0_GRPC=10901      # Thanos sidecar of replica 0: gRPC (StoreAPI, Query's endpoint)
SIDECAR0_HTTP=10902      # Thanos sidecar of replica 0: http (/-/ready, /metrics)
SIDECAR1_GRPC=10911      # Thanos sidecar of replica 1: gRPC
SIDECAR1_HTTP=10912      # Thanos sidecar of replica 1: http
QUERY_GRPC=10903         # Thanos Query: gRPC
QUERY_HTTP=10904         # Thanos Query: http (the portal's kubemate.metrics.thanosQuery.url)
STORE_GRPC=10905         # Thanos Store gateway: gRPC (Query's endpoint)
STORE_HTTP=10906         # Thanos Store gateway: http
COMPACT_HTTP=10907       # Thanos Compactor: http
NODE_EXPORTER_PORT=9100  # Prometheus node exporter (Debian prometheus-node-exporter, servers/34-node-exporter.sh):
                         # this host's metrics + the textfile collector (<state>/metrics/textfile/*.prom)

# ---------------------------------------------------------------- telemetry (servers/40-42)
LOKI_HTTP=3100             # Loki: http (push, query, tail)
LOKI_GRPC=9096             # Loki: gRPC
JAEGER_OTLP_GRPC=4317      # Jaeger: OTLP gRPC receiver
JAEGER_OTLP_HTTP=4318      # Jaeger: OTLP/HTTP receiver
JAEGER_QUERY=16686         # Jaeger: query API and UI (http)
JAEGER_QUERY_GRPC=16685    # Jaeger: query API (gRPC)
JAEGER_HEALTH=13133        # Jaeger: health check (/status)
JAEGER_METRICS=8888        # Jaeger: its own Prometheus metrics
DEMO_TELEMETRY_PORT=9465   # demo telemetry generator (src/demoTelemetry.ts): /status

# ---------------------------------------------------------------- git (servers/50-git-server.sh)
GIT_PORT="${KUBEMATE_GIT_PORT:-8929}" # the local Git host (src/gitServer.ts)

# ---------------------------------------------------------------- Tekton Pipelines (servers/60-tekton-pipelines.sh)
# Per cluster, read through `tekton_pipelines_ports <cluster>` (TEKTON_*_PORT). Probes and profiling
# listen on every address, as upstream binds them.
declare -A CLUSTER_TEKTON_PROBES_PORT=([dev-cluster]=9170 [prod-cluster]=9173)    # controller probes (/health, /readiness)
declare -A CLUSTER_TEKTON_METRICS_PORT=([dev-cluster]=9171 [prod-cluster]=9174)   # controller Prometheus /metrics
declare -A CLUSTER_TEKTON_PROFILING_PORT=([dev-cluster]=9172 [prod-cluster]=9175) # controller pprof (disabled, the listener exists)

# ---------------------------------------------------------------- Tekton Triggers (servers/70-tekton-triggers.sh)
# Per cluster, read through `tekton_triggers_ports <cluster>` (TRIGGERS_*_PORT).
declare -A CLUSTER_TRIGGERS_PROBES_PORT=([dev-cluster]=9176 [prod-cluster]=9180)       # controller probes (/readiness)
declare -A CLUSTER_TRIGGERS_METRICS_PORT=([dev-cluster]=9177 [prod-cluster]=9181)      # controller Prometheus /metrics
declare -A CLUSTER_TRIGGERS_PROFILING_PORT=([dev-cluster]=9178 [prod-cluster]=9182)    # controller profiling (knative always opens it)
declare -A CLUSTER_TRIGGERS_INTERCEPTORS_PORT=([dev-cluster]=9179 [prod-cluster]=9183) # core interceptors (HTTPS)
TRIGGERS_GATEWAY_PORT="${KUBEMATE_TRIGGERS_GATEWAY_PORT:-9190}"  # EventListener gateway (src/listenerGateway.ts), every cluster
TRIGGERS_SINK_PORTS="${KUBEMATE_TRIGGERS_SINK_PORTS:-9200-9299}" # the gateway's eventlistenersink processes (every address), one each
TRIGGERS_EL_CONTAINER_PORT=8080 # the port in the EventListener Deployments the controller writes (-el-port;
                                # no host listens on it: the gateway gives each sink a port of TRIGGERS_SINK_PORTS)

# ---------------------------------------------------------------- canary releases (servers/80-flagger.sh)
declare -A CLUSTER_FLAGGER_PORT=([dev-cluster]=9300 [prod-cluster]=9301) # Flagger: /healthz, /metrics (binds every address, as upstream)
DEMO_MESH_PORT=9466 # demo mesh exporter (src/demoMesh.ts): Linkerd-proxy series on /metrics

# ---------------------------------------------------------------- GPU quotas (servers/85-kueue.sh, part `gpu`)
# Per cluster, read through `kueue_ports <cluster>` (KUEUE_*_PORT). All on 127.0.0.1.
declare -A CLUSTER_KUEUE_WEBHOOK_PORT=([dev-cluster]=9310 [prod-cluster]=9313) # Kueue: admission webhooks (HTTPS, local CA)
declare -A CLUSTER_KUEUE_HEALTH_PORT=([dev-cluster]=9311 [prod-cluster]=9314)  # Kueue: /healthz, /readyz
declare -A CLUSTER_KUEUE_METRICS_PORT=([dev-cluster]=9312 [prod-cluster]=9315) # Kueue: /metrics (HTTPS, bearer token checked by the apiserver)
DEMO_DCGM_PORT=9469 # demo DCGM exporter (src/demoDcgm.ts): per-GPU DCGM series on /metrics

# ---------------------------------------------------------------- inspections (servers/90-etcd-backup.sh, 91-demo-tls.sh)
ETCD_BACKUP_PORT=9468 # the host cron runner (src/etcdBackup.ts): etcd snapshots + demo cron jobs, GET /status
DEMO_TLS_PORT=9467    # demo TLS endpoint `payments-gateway` (src/demoTls.ts): a certificate that expires within 30 days

# ---------------------------------------------------------------- knowledge assistant (servers/95-98, part `rag`)
REDIS_PORT="${KUBEMATE_REDIS_PORT:-6380}"                   # Redis (Debian redis-server): the answer cache
MINIO_PORT="${KUBEMATE_MINIO_PORT:-9400}"                   # MinIO: S3 API (the uploaded originals)
MINIO_CONSOLE_PORT="${KUBEMATE_MINIO_CONSOLE_PORT:-9401}"   # MinIO: console (reserved: MINIO_BROWSER=off, nothing listens)
MILVUS_PORT="${KUBEMATE_MILVUS_PORT:-19530}"                # milvus-lite server: Milvus gRPC API (the vectors)
OLLAMA_PORT="${KUBEMATE_OLLAMA_PORT:-11434}"                # Ollama: HTTP API (embeddings, answers)

# ---------------------------------------------------------------- fine-tuning (servers/86-88, part `finetuning`)
# Per cluster, read through `training_operator_ports <cluster>` (TO_*_PORT). The webhook server binds
# every address (upstream's cmd/training-operator.v1 has no flag for its host); the rest 127.0.0.1.
declare -A CLUSTER_TO_WEBHOOK_PORT=([dev-cluster]=9320 [prod-cluster]=9323) # Training Operator: validating webhook (HTTPS, local CA)
declare -A CLUSTER_TO_HEALTH_PORT=([dev-cluster]=9321 [prod-cluster]=9324)  # Training Operator: /healthz, /readyz
declare -A CLUSTER_TO_METRICS_PORT=([dev-cluster]=9322 [prod-cluster]=9325) # Training Operator: /metrics (http)
MLFLOW_PORT="${KUBEMATE_MLFLOW_PORT:-9330}" # MLflow tracking server (REST API, UI, artifact proxy)
DEMO_TRAINER_PORT=9331                      # demo trainer (src/demoTrainer.ts): GET /status, /healthz
