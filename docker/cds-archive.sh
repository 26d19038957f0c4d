#!/usr/bin/env bash
# Makes a class-data-sharing archive for the gateway jar, so later starts map the classes they need
# instead of reading, verifying and parsing them from jars (docs/operations.md, "Faster start-up").
#
#   docker/cds-archive.sh server/target/server-0.1.0-SNAPSHOT.jar server/target/cds
#
# It extracts the jar into DIR/app (the layout an archive needs: the archive names each library jar,
# so the classpath must stay the same), then makes DIR/gateway.jsa with one training start
# (docker/cds-train.sh). Run it again after every build: an archive only fits the jars it was made from.
set -euo pipefail

jar=${1:?usage: cds-archive.sh JAR DIR}
dir=${2:?usage: cds-archive.sh JAR DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

java -Djarmode=tools -jar "$jar" extract --force --destination "$dir/app" > "$dir/extract.log"
app="$dir/app/$(basename "$jar")"
"$(dirname "$0")/cds-train.sh" "$app" "$dir/gateway.jsa"
echo "Start the gateway with:"
echo "  java -XX:SharedArchiveFile=$dir/gateway.jsa -jar $app"
