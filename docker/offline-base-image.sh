#!/usr/bin/env bash
# Makes a minimal Java 17 base image tarball (docker-archive format) from this machine's JDK, so that
# the Jib image build can be checked where no container registry is reachable:
#
#   docker/offline-base-image.sh                               # -> target/offline-base/jre17-base.tar
#   mvn -B -Pimage -pl server -am package -DskipTests -Dimage.base=tar://$PWD/target/offline-base/jre17-base.tar
#
# FOR VERIFYING THE BUILD ONLY. The image it yields runs (a jlink'd JRE plus the host's glibc), but it
# has no package manager and gets no security updates: production images use eclipse-temurin:17-jre
# (the default), pulled from Docker Hub or your registry mirror, or a `docker save` of it (tar://).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/offline-base/jre17-base.tar}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/opt/java" "$root/tmp" "$root/etc" "$root/app" "$(dirname "$out")"
chmod 1777 "$root/tmp"

# A JRE with every module of the JDK (the app and its libraries use many of them).
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules ALL-MODULE-PATH \
  --strip-debug --no-man-pages --no-header-files --output "$root/opt/java/openjdk"

# bash for the health check, and every shared library the JRE and bash load, with the loader.
mkdir -p "$root/bin" "$root/usr/bin"
cp -L /bin/bash "$root/bin/bash"
{ find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \); echo "$root/bin/bash"; } \
  | xargs -r ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' \
  | grep -v "^$root" | sort -u | while read -r lib; do
      cp -L --parents "$lib" "$root"
    done
ln -s /opt/java/openjdk/bin/java "$root/usr/bin/java"
printf 'root:x:0:0:root:/root:/bin/bash\ngateway:x:1000:1000:gateway:/app:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\ngateway:x:1000:\n' > "$root/etc/group"

# docker-archive layout: one layer, its config and the manifest.
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/layer.tar" .
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk"],"WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["local/jre17-base:offline"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "$out ($(du -h "$out" | cut -f1)), layer $diff_id"
