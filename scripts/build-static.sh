#!/usr/bin/env bash
# Builds the release `rudder` binary linked statically (glibc, static-pie)
# where the host is x86_64/aarch64 Linux with glibc, and prints its path;
# elsewhere it builds the ordinary release binary and prints that path.
#
# Why: a dynamically linked rudder spends about 0.6 ms of every run in the
# dynamic loader (mapping libc, libm and libgcc_s, symbol lookups): a
# fifth of a small `rudder template` on the development VM. CI pipelines
# that render many charts pay it per run. Static-pie keeps the binary's
# address randomization.
#
# `cargo build --release` cannot do this on its own: `crt-static` in the
# target's rustflags would also apply to proc-macros, which cannot be
# linked statically; with `--target`, host artifacts keep the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
host="$(rustc -vV | sed -n 's/^host: //p')"
case "$host" in
  x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu)
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
      cargo build --release -q -p rudder-cli --target "$host" --target-dir target/static
    echo "target/static/$host/release/rudder"
    ;;
  *)
    cargo build --release -q -p rudder-cli
    echo "target/release/rudder"
    ;;
esac
