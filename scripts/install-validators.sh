#!/usr/bin/env bash
# Installs kubernetes-validate (PyPI) into a project virtualenv for the
# chart tests: rendered manifests must pass it in strict mode. Prints the
# path of the kubernetes-validate command.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${RUDDER_TOOLS:-$root/.tools}/venv"
bin="$venv/bin/kubernetes-validate"
if [ ! -x "$bin" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.0" >&2
fi
echo "$bin"
