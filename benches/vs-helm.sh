#!/usr/bin/env bash
# Side by side: whole-process time (median of N runs) and peak memory of
# `rudder template` against `helm template` (helm 4.1.4 from
# scripts/install-helm.sh), on the same machine in one run, as ratios.
# Run on demand: benches/vs-helm.sh [RUNS] [public]   (default 11 runs)
# With `public`, only the public Helm charts fetched into
# .tools/upstream/pub/ (see README: "Public Helm charts"), default values.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
only="${2:-}"
helm="$(scripts/install-helm.sh)"
# The binary as shipped for speed: statically linked where the host
# allows (see the script).
rudder="$(scripts/build-static.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure CMD... -> "median_ms peak_kib": wall time from Python's monotonic
# clock (millisecond resolution matters: rudder runs take a few ms), peak
# memory from one extra run under /usr/bin/time.
measure() {
  python3 - "$runs" "$work/out" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(runs):
    with open(out, "wb") as f:
        t = time.perf_counter()
        subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
peak = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                      stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
print(f"{statistics.median(times) * 1000:.1f} {peak}")
PY
}

row() { # label, then helm command and rudder command separated by --
  local label="$1"; shift
  local hcmd=() rcmd=()
  while [ "$1" != "--" ]; do hcmd+=("$1"); shift; done; shift
  rcmd=("$@")
  read -r ht hm < <(measure "${hcmd[@]}")
  local bytes docs
  bytes=$(wc -c < "$work/out"); docs=$(grep -c '^# Source:' "$work/out" || true)
  read -r rt rm < <(measure "${rcmd[@]}")
  printf '%-44s %9s ms %8s KiB | %8s ms %7s KiB | %6.1fx faster %5.1fx less memory | %8s B %4s docs\n' \
    "$label" "$ht" "$hm" "$rt" "$rm" "$(awk -v a="$ht" -v b="$rt" 'BEGIN {print (b>0)?a/b:0}')" \
    "$(awk -v a="$hm" -v b="$rm" 'BEGIN {print (b>0)?a/b:0}')" "$bytes" "$docs"
}

chart() { # dir, template text
  mkdir -p "$1/templates"
  printf 'apiVersion: v2\nname: bench\nversion: 0.1.0\n' > "$1/Chart.yaml"
  printf '%s\n' "$2" > "$1/templates/cm.yaml"
}
plain='apiVersion: v1
kind: ConfigMap
metadata:
  name: bench'
chart "$work/trivial" "$plain"
chart "$work/echo-go" "$plain
data:
  values: |
    {{- toYaml .Values | nindent 4 }}"
chart "$work/echo-jinja" "$plain
data:
  values: |
    {{- Values | toYaml | nindent(4) }}"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
for label, size in (("1mb", 1 << 20), ("10mb", 10 << 20), ("100mb", 100 << 20)):
    out, i = [], 0
    total = 0
    while total < size:
        s = (f"service{i}:\n  enabled: true\n  replicas: {i}\n  image:\n    repository: quay.io/opsmxpublic/svc{i}\n"
             f"    tag: \"1.{i}.0\"\n  args:\n  - --port=80{i}\n  config: |\n    line one {i}\n    line two\n")
        out.append(s); total += len(s); i += 1
    open(f"{work}/values-{label}.yaml", "w").write("".join(out))
PY

printf '%-44s %23s | %22s |\n' "" "helm template" "rudder template"
# Public Go-template charts, unmodified, on both sides (never committed;
# fetched by hand, so the rows appear only where they are).
for c in .tools/upstream/pub/*/; do
  [ -f "$c/Chart.yaml" ] || continue
  row "public chart: $(basename "$c")" "$helm" template rel "$c" -- "$rudder" template rel "$c"
done
[ "$only" = public ] && exit 0
row "trivial chart (process floor)" "$helm" template b "$work/trivial" -- "$rudder" template b "$work/trivial"
for s in 1mb 10mb; do
  row "trivial chart, $s values file" "$helm" template b "$work/trivial" -f "$work/values-$s.yaml" -- \
    "$rudder" template b "$work/trivial" -f "$work/values-$s.yaml"
  row "values echoed through toYaml, $s" "$helm" template b "$work/echo-go" -f "$work/values-$s.yaml" -- \
    "$rudder" template b "$work/echo-jinja" -f "$work/values-$s.yaml"
done
for case in tests/render/*/; do
  name=$(basename "$case")
  [ -d "$case/go" ] || continue
  row "differential chart: $name" "$helm" template rel "$case/go" -- "$rudder" template rel "$case/jinja"
done
# The product charts have no Go twin; helm renders a chart of the same
# output (the rendered manifests as static templates) for scale.
for spec in "dispatch charts/dispatch dispatch" "isd charts/isd opsmx"; do
  set -- $spec
  [ -f "$2/Chart.yaml" ] || continue
  mkdir -p "$work/static-$1/templates"
  printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' "$1" > "$work/static-$1/Chart.yaml"
  "$rudder" template "$1" "$2" -n "$3" --seed 1 > "$work/static-$1/templates/all.yaml"
  row "$1 chart (helm: same output, static)" "$helm" template "$1" "$work/static-$1" -n "$3" -- \
    "$rudder" template "$1" "$2" -n "$3" --seed 1
done

# Linearity (rudder only: helm needs minutes and gigabytes at 100 MB):
# time and peak memory per MB of values, loaded and echoed through toYaml.
echo
printf '%-44s %18s %18s %18s\n' "rudder, per MB of values" "1 MB" "10 MB" "100 MB"
for chart in trivial echo-jinja; do
  line=""
  for s in 1mb 10mb 100mb; do
    read -r t m < <(measure "$rudder" template b "$work/$chart" -f "$work/values-$s.yaml")
    mb=${s%mb}
    line="$line $(awk -v t="$t" -v m="$m" -v n="$mb" 'BEGIN {printf "%5.1f ms %4.0f MiB", t/n, m/1024/n}')"
  done
  printf '%-44s %s\n' "$chart" "$line"
done
