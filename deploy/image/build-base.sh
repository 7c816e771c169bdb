#!/usr/bin/env bash
# Builds the base image of the `image` profile without a registry: Debian's runtime libraries and a JRE made by
# jlink from the local JDK 17, one layer, saved as target/base-image.tar in the `docker save` format that Jib reads
# as `tar://`. Needs a Debian or Ubuntu host (apt-get download, dpkg-deb) with a JDK 17 that has its jmods
# (openjdk-17-jdk-headless); the libraries come from the host's release, the one its JDK was built against.
# Run from anywhere:   deploy/image/build-base.sh
#                      mvn -Pimage package -Dslimjobs.image.base=tar://target/base-image.tar
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."

OUT=target/base-image.tar
WORK=target/base-image
ROOT=$WORK/rootfs
JDK=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}
# eclipse-temurin's path, so that the image's `java` is at the same place on either base
JAVA_DIR=/opt/java/openjdk
# what the JRE's native code links to (ldd over its bin/ and lib/): glibc, libstdc++ for libjvm, zlib for libzip
PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g)
# `jdeps --print-module-deps --ignore-missing-deps --multi-release 17 --class-path 'target/lib/*' target/slimjobs.jar`
# plus what is only found at run time: jdk.crypto.ec (TLS with EC keys, as API servers' certificates often are)
MODULES=java.base,java.compiler,java.desktop,java.naming,java.rmi,java.security.jgss,java.security.sasl,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec
# the user the image runs as (the pom's <user>, the manifests' runAsUser), with distroless' name and id
USER_ID=65532
# every file dated 1970-01-01, so that the same inputs give the same layer
TAR_FLAGS=(--sort=name --mtime=@0 --numeric-owner --format=gnu)

[[ -x $JDK/bin/jlink && -d $JDK/jmods ]] || { echo "no JDK with jmods at $JDK: set JAVA_HOME to a JDK 17" >&2; exit 1; }
grep -q '^JAVA_VERSION="17[."]' "$JDK/release" || { echo "$JDK is not a JDK 17: set JAVA_HOME to one" >&2; exit 1; }
ARCH=$(dpkg --print-architecture)   # Debian's names for amd64 and arm64 are the OCI ones

rm -rf "$WORK" && mkdir -p "$WORK/debs" "$ROOT"

echo "Downloading ${PACKAGES[*]} (run apt-get update first if apt cannot find them)"
(cd "$WORK/debs" && apt-get download -q "${PACKAGES[@]}" libc-bin)
for package in "${PACKAGES[@]}"; do dpkg-deb -x "$WORK"/debs/"$package"_*.deb "$ROOT"; done
# from libc-bin, only the C.UTF-8 locale: Java 17 takes file.encoding and file names' encoding from the locale
dpkg-deb --fsys-tarfile "$WORK"/debs/libc-bin_*.deb | tar -x -C "$ROOT" ./usr/lib/locale/C.utf8
# documentation, and glibc's iconv modules: Java converts characters itself
rm -rf "$ROOT"/usr/share/{doc,lintian,man,info,gcc,gdb} "$ROOT"/usr/lib/*/gconv

echo "Linking a JRE from $JDK"
mkdir -p "$ROOT/opt/java"
# --generate-cds-archive: the JDK's own class-data sharing archive, which eclipse-temurin's JRE has too (without it
# every JDK class is read from the compressed modules file at each start); the one for heaps above 32 GiB is left out
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive --output "$ROOT$JAVA_DIR"
rm "$ROOT$JAVA_DIR/lib/server/classes_nocoops.jsa"

mkdir -p "$ROOT/etc" "$ROOT/tmp" "$ROOT/home/nonroot"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' \
  "$USER_ID" "$USER_ID" > "$ROOT/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$USER_ID" > "$ROOT/etc/group"
printf 'hosts: files dns\n' > "$ROOT/etc/nsswitch.conf"

# root owns everything but the user's home; tar appends that directory with its own owner
(cd "$ROOT" && tar -c -f ../layer.tar "${TAR_FLAGS[@]}" --owner=0 --group=0 --exclude=./home/nonroot . \
  && tar -r -f ../layer.tar "${TAR_FLAGS[@]}" --owner="$USER_ID" --group="$USER_ID" ./home/nonroot)
DIFF_ID=sha256:$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)

cat > "$WORK/config.json" <<EOF
{"architecture":"$ARCH","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=$JAVA_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$JAVA_DIR","LANG=C.UTF-8"],
  "User":"$USER_ID:$USER_ID","WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/build-base.sh: ${PACKAGES[*]}, jlink $MODULES"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["slimjobs-base:17"],"Layers":["layer.tar"]}]\n' > "$WORK/manifest.json"
tar -c -f "$OUT" "${TAR_FLAGS[@]}" --owner=0 --group=0 -C "$WORK" manifest.json config.json layer.tar
echo "Wrote $OUT ($(du -h "$OUT" | cut -f1)), layer $DIFF_ID"
