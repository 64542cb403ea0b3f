#!/usr/bin/env bash
# Packs what a GPU machine without Java or network needs to run dcgan4j's CUDA checks into .gpu/ (git-ignored), for
# the device tool's `carry` (64 MiB in all): a jlink'd JDK 25 runtime as tar.xz, the CLI and its libraries, the
# engine's and kernels' test classes with JUnit's console launcher, JCuda's driver library, and the shared/ files
# the checks read. scripts/gpu-check.sh runs them there.
#
#   scripts/gpu-bundle.sh            MNIST and the PyTorch reference: the op tests, the MNIST tests, timings
#   scripts/gpu-bundle.sh --golden   into .gpu-golden/, the golden tensors instead of MNIST: the golden step on
#                                    CUDA (both sets do not fit in one carry beside the runtime)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
find_jdk

golden=false
case "${1:-}" in
    --golden) golden=true ;;
    "") ;;
    *) echo "usage: scripts/gpu-bundle.sh [--golden]" >&2; exit 2 ;;
esac
shared=$(realpath -m "${DCGAN4J_SHARED_DIR:-../shared}")
[ -d "$shared" ] || { echo "error: no shared/ folder at $shared (set DCGAN4J_SHARED_DIR)" >&2; exit 1; }

mvn -B -ntp -q -DskipTests package
out=.gpu
$golden && out=.gpu-golden
rm -rf "$out"
mkdir -p "$out/lib" "$out/native" "$out/tests" "$out/shared/reference"

# JUnit's console launcher at the platform version of the build's JUnit 5.x.y (platform 1.x.y).
junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)
mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:1.${junit#5.}" \
    -DoutputDirectory="$out/tests"

# The golden set leaves no room for the CLI's image and plotting libraries: that bundle carries the engine's own
# dependencies and a runtime without java.desktop, which the golden test never touches.
modules=java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector
$golden || modules=$modules,java.desktop,java.net.http
cp cli/target/dcgan4j.jar "$out/"
for jar in cli/target/lib/*.jar; do
    case "$(basename "$jar")" in
        jcuda-natives-*) unzip -q -j -o "$jar" '*JCudaDriver*.so' -d "$out/native" ;;
        jcuda-*|jackson-*|dcgan4j-*) cp "$jar" "$out/lib/" ;;
        *) $golden || cp "$jar" "$out/lib/" ;;
    esac
done
jar --create --file "$out/tests/engine-tests.jar" -C engine/target/test-classes .
jar --create --file "$out/tests/kernels-tests.jar" -C kernels/target/test-classes .

"$JAVA_HOME/bin/jlink" --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --output "$out/jre"
# Uncompressed by jlink, so that xz finds the redundancy: about 21 MB instead of 35.
XZ_OPT=-9 tar -C "$out" -cJf "$out/jre.tar.xz" jre
rm -rf "$out/jre"

cp -r "$shared/reference/pytorch" "$out/shared/reference/"
rm -rf "$out/shared/reference/pytorch/__pycache__" "$out/shared/reference/pytorch/train_out"
if $golden; then
    mkdir -p "$out/shared/reference/golden"
    find "$shared/reference/golden" -maxdepth 1 -type f -exec cp {} "$out/shared/reference/golden/" \;
else
    mkdir -p "$out/shared/data/mnist"
    cp "$shared"/data/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$out/shared/data/mnist/"
fi

size=$(du -sm "$out" | cut -f1)
echo "$out: $size MiB ($(ls "$out/lib" | wc -l) libraries, golden: $golden)"
if [ "$size" -gt 62 ]; then
    echo "error: $out is $size MiB; the device tool carries 64 MiB with the working tree" >&2
    exit 1
fi
