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
# xmllint (Debian's libxml2-utils) validates `rudder unittest`'s JUnit
# report against the JUnit schema (tests/unittest.rs); openssl parses the
# certificates and keys the gen* functions make. Installed from Debian's
# packages where missing and we may (root, as on CI).
need=()
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ "${#need[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >&2 || true
fi
echo "$bin"
