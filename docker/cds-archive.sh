#!/usr/bin/env bash
# Makes a class-data-sharing archive for the gateway jar, so later starts map the classes they need
# instead of reading, verifying and parsing them from jars (docs/operations.md, "Faster start-up").
#
#   docker/cds-archive.sh server/target/server-0.1.0-SNAPSHOT.jar server/target/cds
#
# It extracts the jar into DIR/app (the layout an archive needs: the archive names each library jar,
# so the classpath must stay the same), then runs one training start on a throwaway embedded
# PostgreSQL until the gateway is ready, stops it with SIGTERM, and the JVM writes DIR/gateway.jsa as
# it exits. Run it again after every build: an archive only fits the jars it was made from.
# Bash built-ins only for the readiness check (/dev/tcp), so it also runs in the JRE image.
set -euo pipefail

jar=${1:?usage: cds-archive.sh JAR DIR}
dir=${2:?usage: cds-archive.sh JAR DIR}
port=${CDS_TRAINING_PORT:-18099}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

java -Djarmode=tools -jar "$jar" extract --force --destination "$dir/app" > "$dir/extract.log"
app="$dir/app/$(basename "$jar")"
rm -rf "$dir/training-postgres" "$dir/gateway.jsa"

GATEWAY_EMBEDDED_DB_DIR="$dir/training-postgres" java ${CDS_TRAINING_JAVA_OPTS:-} \
  -XX:ArchiveClassesAtExit="$dir/gateway.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$app" --spring.profiles.active=dev --server.port="$port" --management.server.port="$port" \
  > "$dir/training.log" 2>&1 &
pid=$!

ready() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /actuator/health/readiness HTTP/1.0\r\n\r\n' >&3
  local status
  read -r status <&3 || return 1
  exec 3<&-
  [[ $status == *' 200 '* ]]
}

for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the training start exited early; see $dir/training.log" >&2
    exit 1
  fi
  if ready 2>/dev/null; then
    break
  fi
  sleep 0.2
done
kill -TERM "$pid"
wait "$pid" || true   # a JVM stopped by SIGTERM exits with 143 after its shutdown hooks ran
rm -rf "$dir/training-postgres"

if [[ ! -s "$dir/gateway.jsa" ]]; then
  echo "no archive was written; see $dir/training.log" >&2
  exit 1
fi
echo "archive: $dir/gateway.jsa ($(du -m "$dir/gateway.jsa" | cut -f1) MB). Start the gateway with:"
echo "  java -XX:SharedArchiveFile=$dir/gateway.jsa -jar $app"
