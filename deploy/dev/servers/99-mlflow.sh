# shellcheck shell=bash
# MLflow tracking server (PyPI `mlflow`): ONE server for every cluster on 127.0.0.1:<MLFLOW_PORT>, the
# REST API 2.0 the portal and the demo trainer use, its UI, and the artifact proxy (--serve-artifacts).
#   backend store  database `mlflow` of the stack's PostgreSQL (servers/20-postgres.sh; user kubemate;
#                  created here when missing; MLflow migrates its schema at start), driver psycopg2
#                  (`postgresql+psycopg2://`: SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3)
#   artifacts      s3://kubemate-finetuning/mlflow in the stack's MinIO (servers/96-minio.sh; root
#                  credentials, dev only; the bucket is created here when missing, it is also the
#                  portal's fine-tuning bucket: datasets/, adapters/)
#   workers        one (uvicorn), no job-execution workers (huey consumers, MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false): memory
#   hosts          --allowed-hosts 127.0.0.1:<port>,localhost:<port> (MLflow 3's Host-header check
#                  against DNS rebinding); CORS only for the same origins
# The connection strings go through the environment (MLFLOW_BACKEND_STORE_URI, AWS_*), never the
# command line. Installed with pip into a virtualenv in the cache (with psycopg2-binary and boto3).
# After MinIO (servers/96-minio.sh) in the start order: `up` creates the bucket before MLflow starts.
#
# The demo trainer (src/demoTrainer.ts, DEMO DATA): one process for every cluster the Training
# Operator is installed in (servers/86-training-operator.sh); for each PyTorchJob labelled
# kubemate.io/finetuning-job whose Master runs it logs a simulated curve to the job's MLflow run, writes
# the pods' log lines (<state>/finetuning/trainer-logs, served by kwok Logs objects) and, when the job
# Succeeds, an UNTRAINED LoRA adapter to its output URI in MinIO. It runs as the ServiceAccount
# kubeflow/kubemate-demo-trainer (seed/finetuning/rbac.yaml).
# Part `finetuning`. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server mlflow finetuning postgres rag gpu
server_info mlflow "MLflow" 54

MLFLOW_VERSION=3.17.2 # the newest whose mlflow-skinny/mlflow-tracing are on the index here (3.18.0's are not)
MLFLOW_PSYCOPG2_VERSION=2.9.13
MLFLOW_BOTO3_VERSION=1.44.8
MLFLOW_VENV="$CACHE_DIR/venv/mlflow-$MLFLOW_VERSION"
MLFLOW_DB=mlflow
FINETUNING_BUCKET=kubemate-finetuning # the portal's kubemate.finetuning.storage.bucket
# the portal's kubemate.finetuning.trainer: the training script's image (templates/lora-finetuning; no
# registry serves it here, kwok runs nothing) and how long kwok keeps a training pod running
FINETUNING_TRAINER_IMAGE="registry.local/kubemate/lora-trainer:0.1.0"
FINETUNING_RUN_DURATION=90s
# the trainer's cpu/memory in the overlay: kwok's pods execute nothing, and small requests keep a sweep
# within payments-dev's compute quota (8 CPUs, 16Gi); a real LoRA job gets the defaults (1 CPU, 2Gi)
FINETUNING_STORAGE_SECRET=kubemate-finetuning-s3 # the portal's kubemate.finetuning.trainer.storageSecretName default
MLFLOW_ARTIFACTS="s3://$FINETUNING_BUCKET/mlflow"
# port: MLFLOW_PORT (deploy/dev/ports.sh)

mlflow_build() {
  local marker="$MLFLOW_VENV/.kubemate-complete" buildlog="$LOG_ROOT/build-mlflow-$MLFLOW_VERSION.log" t0=$SECONDS
  if [[ -f $marker ]]; then log "mlflow $MLFLOW_VERSION: cached ($MLFLOW_VENV)"; return 0; fi
  ensure_python3_pip
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "mlflow needs Python >= 3.10 (python3 is $(python3 --version))"
  python3 -c 'import ensurepip, venv' 2>/dev/null || install_debian_package python3-venv "python3 -m venv not available"
  log "mlflow $MLFLOW_VERSION: installing into $MLFLOW_VENV (first time only, ~2-4 min; log: $buildlog)"
  mkdir -p "$LOG_ROOT"
  # a virtualenv is not relocatable: built in place, marked complete at the end
  rm -rf "$MLFLOW_VENV"
  { python3 -m venv "$MLFLOW_VENV" &&
    build_nice "$MLFLOW_VENV/bin/python" -m pip install --no-input "mlflow==$MLFLOW_VERSION" \
      "psycopg2-binary==$MLFLOW_PSYCOPG2_VERSION" "boto3==$MLFLOW_BOTO3_VERSION"; } \
    >"$buildlog" 2>&1 || { tail -n 20 "$buildlog" >&2; die "installing mlflow $MLFLOW_VERSION failed — see $buildlog"; }
  touch "$marker"
  echo "INSTALLED in $((SECONDS - t0))s" >>"$buildlog"
  log "  installed mlflow $MLFLOW_VERSION + psycopg2-binary + boto3 in $((SECONDS - t0))s"
}

# database `mlflow` in the stack's PostgreSQL (idempotent)
mlflow_database() {
  local bindir pw; bindir="$(pg_bindir)"; pw="$(cat "$PG_DIR/password")"
  if ! PGPASSWORD="$pw" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres -tAc \
    "select 1 from pg_database where datname='$MLFLOW_DB'" | grep -q 1; then
    PGPASSWORD="$pw" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres -qc "create database $MLFLOW_DB" >/dev/null \
      || die "mlflow: creating database $MLFLOW_DB in the stack's PostgreSQL failed"
    log "finetuning: created database $MLFLOW_DB"
  fi
}

# bucket kubemate-finetuning in MinIO (idempotent; boto3 of the venv, the credentials from the environment)
mlflow_bucket() {
  AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" AWS_SECRET_ACCESS_KEY="$(cat "$MINIO_PASSWORD_FILE")" \
    timeout 30 "$MLFLOW_VENV/bin/python" - "http://127.0.0.1:$MINIO_PORT" "$FINETUNING_BUCKET" <<'EOP' ||
import sys, boto3, botocore
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
try:
    s3.head_bucket(Bucket=sys.argv[2])
except botocore.exceptions.ClientError:
    s3.create_bucket(Bucket=sys.argv[2])
    print(f"created bucket {sys.argv[2]}")
EOP
    die "mlflow: creating the MinIO bucket $FINETUNING_BUCKET failed"
}

mlflow_up() {
  local fd="$STATE/finetuning" pw
  mkdir -p "$fd/logs"
  mlflow_database
  mlflow_bucket
  if is_ours mlflow "$MLFLOW_VENV/bin/mlflow" >/dev/null; then log "finetuning: MLflow already running"; else
    assert_port_free mlflow "$MLFLOW_PORT"
    pw="$(cat "$PG_DIR/password")"
    local origins="http://127.0.0.1:$MLFLOW_PORT,http://localhost:$MLFLOW_PORT"
    PYTHONUNBUFFERED=1 MLFLOW_BACKEND_STORE_URI="postgresql+psycopg2://kubemate:$pw@127.0.0.1:$PG_PORT/$MLFLOW_DB" \
      MLFLOW_S3_ENDPOINT_URL="http://127.0.0.1:$MINIO_PORT" AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" \
      AWS_SECRET_ACCESS_KEY="$(cat "$MINIO_PASSWORD_FILE")" AWS_DEFAULT_REGION=us-east-1 \
      MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false \
      start_proc mlflow "$fd/logs/mlflow.log" "$MLFLOW_VENV/bin/mlflow" server \
      --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
      --artifacts-destination "$MLFLOW_ARTIFACTS" --serve-artifacts \
      --allowed-hosts "127.0.0.1:$MLFLOW_PORT,localhost:$MLFLOW_PORT" --cors-allowed-origins "$origins"
  fi
  # the first start migrates the empty database (~30-60 s)
  wait_proc_ready mlflow "$MLFLOW_VENV/bin/mlflow" "$READY_TIMEOUT" MLflow "$fd/logs/mlflow.log" mlflow_ready mlflow "$MLFLOW_PORT"
  log "finetuning: MLflow http://127.0.0.1:$MLFLOW_PORT (backend postgres db $MLFLOW_DB, artifacts $MLFLOW_ARTIFACTS)"
  mlflow_storage_secrets
  mlflow_up_trainer
}

# The Secret the portal's training pods take the store's credentials from (kubemate.finetuning.trainer
# .storageSecretName, default kubemate-finetuning-s3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) in every
# team namespace (label kubemate.io/team) with a Kueue LocalQueue (seed/gpu), with MinIO's root user (dev only).
# kwok does not resolve it; a real kubelet would.
mlflow_storage_secrets() {
  local c ns pw logf="$STATE/finetuning/logs/storage-secrets.log"
  pw="$(cat "$MINIO_PASSWORD_FILE")"
  : >"$logf"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/training-operator/install.stamp ]] || continue
    # team namespaces (label kubemate.io/team) with a LocalQueue; not the tests' scratch namespaces
    for ns in $(comm -12 <(kubectl_c "$c" get localqueues.kueue.x-k8s.io -A -o jsonpath='{range .items[*]}{.metadata.namespace}{"\n"}{end}' 2>>"$logf" | sort -u) \
      <(kubectl_c "$c" get namespaces -l kubemate.io/team -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>>"$logf" | sort -u)); do
      kubectl_c "$c" -n "$ns" create secret generic "$FINETUNING_STORAGE_SECRET" --dry-run=client -o yaml \
        --from-literal=AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" --from-file=AWS_SECRET_ACCESS_KEY=<(printf '%s' "$pw") |
        kubectl_c "$c" label --local -f - kubemate.io/dev-stack=true -o yaml |
        kubectl_c "$c" apply --server-side --force-conflicts -f - >>"$logf" 2>&1 && continue
      # a test's namespace deleted (or being deleted) meanwhile is not a failure
      [[ "$(kubectl_c "$c" get namespace "$ns" -o jsonpath='{.status.phase}' 2>/dev/null)" == Active ]] ||
        { echo "$ns: gone or terminating, skipped" >>"$logf"; continue; }
      die "$c: the Secret $ns/$FINETUNING_STORAGE_SECRET failed — see $logf"
    done
  done
}

# The demo trainer: restarted when the set of clusters changed.
mlflow_up_trainer() {
  local fd="$STATE/finetuning" c kc clusters=()
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/training-operator/install.stamp ]] || continue
    kc="$STATE/$c/training-operator/demo-trainer.kubeconfig"
    if [[ ! -s $kc ]]; then
      cluster_ports "$c"
      write_sa_kubeconfig "$kc" "$c" "https://127.0.0.1:$API_PORT" "$STATE/$c/pki/ca.crt" kubeflow kubemate-demo-trainer kubectl_c "$c" \
        >>"$fd/logs/demo-trainer.log" 2>&1 || die "$c: the demo trainer's kubeconfig (ServiceAccount kubeflow/kubemate-demo-trainer) failed — see $fd/logs/demo-trainer.log"
    fi
    clusters+=(--cluster "$c=$kc")
  done
  local args=(--port "$DEMO_TRAINER_PORT" --mlflow "http://127.0.0.1:$MLFLOW_PORT" --s3-endpoint "http://127.0.0.1:$MINIO_PORT"
    --state-dir "$fd/trainer-logs" "${clusters[@]}")
  if is_ours demo-trainer demoTrainer.ts >/dev/null && [[ $(cat "$fd/demo-trainer.args" 2>/dev/null) != "${args[*]}" ]]; then
    log "finetuning: the clusters changed: restarting the demo trainer"
    stop_proc demo-trainer demoTrainer.ts
  fi
  if is_ours demo-trainer demoTrainer.ts >/dev/null; then log "finetuning: demo trainer already running"; else
    assert_port_free "demo trainer" "$DEMO_TRAINER_PORT"
    echo "${args[*]}" >"$fd/demo-trainer.args"
    S3_ACCESS_KEY="$MINIO_ROOT_USER" S3_SECRET_KEY="$(cat "$MINIO_PASSWORD_FILE")" \
      start_proc demo-trainer "$fd/logs/demo-trainer.log" "$(node22 @kubernetes/client-node)" \
      --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/demoTrainer.ts" "${args[@]}"
  fi
  wait_proc_ready demo-trainer demoTrainer.ts "$READY_TIMEOUT" "demo trainer" "$fd/logs/demo-trainer.log" \
    mlflow_ready demo-trainer "$DEMO_TRAINER_PORT"
}

mlflow_servers() {
  echo "mlflow|$MLFLOW_VENV/bin/mlflow|$MLFLOW_PORT|70"
  echo "demo-trainer|demoTrainer.ts|$DEMO_TRAINER_PORT|70"
}

# MLflow: GET /health; the demo trainer: /healthz once it has read every cluster
mlflow_ready() { # name port
  case "$1" in
    demo-trainer) curl -sf --max-time 2 "http://127.0.0.1:$2/healthz" >/dev/null ;;
    *) curl -sf --max-time 2 "http://127.0.0.1:$2/health" >/dev/null ;;
  esac
}

# stack.json: finetuning.{mlflow, storage, demoTrainer}; app-config: kubemate.finetuning (MLflow, the store,
# Ollama, the base model, the trainer image and kwok's run duration of the simulated training)
mlflow_details() {
  [[ -f $STATE/finetuning/logs/mlflow.log && -s $MINIO_PASSWORD_FILE ]] || return 0
  jq -n --arg url "http://127.0.0.1:$MLFLOW_PORT" --arg v "$MLFLOW_VERSION" --arg db "$MLFLOW_DB" \
    --arg artifacts "$MLFLOW_ARTIFACTS" --arg venv "$MLFLOW_VENV" --arg log "$STATE/finetuning/logs/mlflow.log" \
    --argjson port "$MINIO_PORT" --arg user "$MINIO_ROOT_USER" --arg pw "$(cat "$MINIO_PASSWORD_FILE")" \
    --arg bucket "$FINETUNING_BUCKET" --arg ollama "http://127.0.0.1:$OLLAMA_PORT" \
    --arg trainer "http://127.0.0.1:$DEMO_TRAINER_PORT" --arg tlog "$STATE/finetuning/logs/demo-trainer.log" \
    --arg tlogs "$STATE/finetuning/trainer-logs" --arg image "$FINETUNING_TRAINER_IMAGE" --arg duration "$FINETUNING_RUN_DURATION" \
    '{stack: {finetuning: {mlflow: {url: $url, version: $v, database: $db, artifacts: $artifacts, venv: $venv, log: $log},
        storage: {endPoint: "127.0.0.1", port: $port, accessKey: $user, secretKey: $pw, bucket: $bucket},
        demoTrainer: {url: $trainer, log: $tlog, podLogsDir: $tlogs}}},
      appConfig: {kubemate: {finetuning: {
        mlflow: {url: $url},
        storage: {endPoint: "127.0.0.1", port: $port, useSSL: false, accessKey: $user, secretKey: $pw, bucket: $bucket},
        ollama: {baseUrl: $ollama},
        baseModels: [{name: "smollm2-135m-instruct", title: "SmolLM2 135M Instruct",
          hfModel: "HuggingFaceTB/SmolLM2-135M-Instruct", ollamaModel: "smollm2-135m", parameters: "135M"}],
        trainer: {image: $image, cpu: "250m", memory: "512Mi",
          podAnnotations: {"kwok.kubemate.io/run-duration": $duration}}}}}}'
}
