#!/usr/bin/env bash
# One training start of an extracted gateway jar, which leaves a class-data-sharing archive behind
# (docs/operations.md, "Faster start-up"). Used by docker/cds-archive.sh and by the Dockerfile.
#
#   docker/cds-train.sh APP_JAR ARCHIVE
#
# APP_JAR is the extracted jar (its lib/ beside it: an archive names each library jar, so the real
# start must use the same paths). The gateway starts on a throwaway embedded PostgreSQL with the
# development profile, is stopped with SIGTERM once ready, and the JVM writes ARCHIVE as it exits.
# Pass the real start's JVM options in CDS_TRAINING_JAVA_OPTS: some (compressed pointers) must match.
# Bash built-ins only for the readiness check (/dev/tcp), so it also runs in the JRE image.
set -euo pipefail

app=${1:?usage: cds-train.sh APP_JAR ARCHIVE}
archive=${2:?usage: cds-train.sh APP_JAR ARCHIVE}
port=${CDS_TRAINING_PORT:-18099}
work=$(mktemp -d "${TMPDIR:-/tmp}/cds-training.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -f "$archive"

GATEWAY_EMBEDDED_DB_DIR="$work/postgres" java ${CDS_TRAINING_JAVA_OPTS:-} \
  -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$app" --spring.profiles.active=dev --server.port="$port" --management.server.port="$port" \
  > "$work/training.log" 2>&1 &
pid=$!

ready() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /actuator/health/readiness HTTP/1.0\r\n\r\n' >&3
  local status
  read -r status <&3 || return 1
  exec 3<&-
  [[ $status == *' 200 '* ]]
}

for _ in $(seq 1 900); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the training start exited early; its log:" >&2
    tail -n 40 "$work/training.log" >&2
    exit 1
  fi
  if ready 2>/dev/null; then
    break
  fi
  sleep 0.2
done
kill -TERM "$pid"
wait "$pid" || true   # a JVM stopped by SIGTERM exits with 143 after its shutdown hooks ran

if [[ ! -s "$archive" ]]; then
  echo "no archive was written; the training start's log:" >&2
  tail -n 40 "$work/training.log" >&2
  exit 1
fi
echo "archive: $archive ($(du -m "$archive" | cut -f1) MB)"
