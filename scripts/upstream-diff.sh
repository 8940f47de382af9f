#!/usr/bin/env bash
# Renders public Helm charts with helm and rudder and reports, per chart and
# values variant, whether the outputs are byte-identical.
#
#   scripts/upstream-diff.sh CHARTS_DIR [VARIANTS_FILE]
#
# CHARTS_DIR holds one chart directory per chart (fetched from the charts'
# public repositories; never committed). VARIANTS_FILE has one variant per
# line, `NAME: ARGS` for every chart or `CHART/NAME: ARGS` for one chart
# (ARGS are `helm template` flags, shell-quoted); `default:` alone when no
# file is given. Lines that differ between two helm runs of the same
# variant (random passwords, generated certificates) are masked in all three
# outputs before comparing.
#
# Environment: RUDDER_HELM (default .tools/bin/helm), RUDDER (default
# target/release/rudder, else target/debug/rudder), RELEASE (default rel),
# CONVERT=1 (rudder renders the chart `rudder convert` writes from each
# chart instead of the chart itself: the same bar for converted charts).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
charts="${1:?usage: upstream-diff.sh CHARTS_DIR [VARIANTS_FILE]}"
variants="${2:-}"
helm="${RUDDER_HELM:-$root/.tools/bin/helm}"
rudder="${RUDDER:-}"
if [ -z "$rudder" ]; then
  rudder="$root/target/release/rudder"
  [ -x "$rudder" ] || rudder="$root/target/debug/rudder"
fi
release="${RELEASE:-rel}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

lines=()
if [ -n "$variants" ]; then
  while IFS= read -r l; do
    case "$l" in ''|'#'*) continue ;; esac
    lines+=("$l")
  done < "$variants"
else
  lines=("default:")
fi

identical=0
different=0
for dir in "$charts"/*/; do
  chart="$(basename "$dir")"
  [ -f "$dir/Chart.yaml" ] || continue
  rdir="$dir"
  if [ "${CONVERT:-}" = 1 ]; then
    rdir="$work/converted/$chart"
    "$rudder" convert "$dir" "$rdir" 2> "$work/$chart.convert" || {
      printf '%-16s %-22s %s\n' "$chart" "(convert)" "different: $(head -n 1 "$work/$chart.convert")"
      different=$((different + 1))
      continue
    }
  fi
  for l in "${lines[@]}"; do
    name="${l%%:*}"
    args="${l#*:}"
    case "$name" in
      */*) [ "${name%%/*}" = "$chart" ] || continue; name="${name#*/}" ;;
    esac
    eval "set -- $args"
    out="$work/$chart.$name"
    hc=0; "$helm" template "$release" "$dir" "$@" > "$out.h1" 2> "$out.h1e" || hc=$?
    "$helm" template "$release" "$dir" "$@" > "$out.h2" 2> /dev/null || true
    rc=0; "$rudder" template "$release" "$rdir" "$@" > "$out.r" 2> "$out.re" || rc=$?
    verdict="$(python3 - "$out" "$hc" "$rc" <<'PY'
import os, sys
out, hc, rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
h1 = open(out + ".h1", encoding="utf-8", errors="replace").read().split("\n")
h2 = open(out + ".h2", encoding="utf-8", errors="replace").read().split("\n")
r = open(out + ".r", encoding="utf-8", errors="replace").read().split("\n")
if hc != 0 or rc != 0:
    if (hc == 0) != (rc == 0):
        err = open(out + (".re" if rc else ".h1e"), encoding="utf-8", errors="replace").read().strip().split("\n")[0]
        print(f"different (helm exit {hc}, rudder exit {rc}): {err[:300]}")
    else:
        # rudder reports every problem at once; helm's (first) error must
        # be among them, each of its lines as helm prints it.
        he = open(out + ".h1e", encoding="utf-8", errors="replace").read()
        re_ = open(out + ".re", encoding="utf-8", errors="replace").read()
        lines = [l.strip() for l in he.split("\n") if l.strip()]
        lines = [l[len("Error: "):] if l.startswith("Error: ") else l for l in lines]
        lines = [l for l in lines if not l.startswith(("Use --debug", "level=", "WARNING"))]
        if lines and lines[0].startswith("values don't meet the specifications"):
            # Schema errors are rudder's own words (README): each values
            # path helm names (`- at '/a/b': …`) must be named.
            lines = [l.split("'")[1].strip("/").replace("/", ".") for l in lines if l.startswith("- at '")]
        elif os.environ.get("CONVERT") == "1" and lines:
            # A converted chart is a Jinja chart: its errors are in Jinja's
            # words (README). Helm's reason must be among them.
            lines = [lines[0].rsplit("): ", 1)[-1].rsplit(": ", 1)[-1]]
        missing = [l for l in lines if l not in re_]
        if missing:
            print(f"different (both fail: helm {hc}, rudder {rc}; rudder's error lacks helm's {missing[0][:200]!r})")
        else:
            print(f"identical (both fail: helm {hc}, rudder {rc}, with helm's error)")
    sys.exit()
masked = set()
if len(h1) == len(h2):
    masked = {i for i, (a, b) in enumerate(zip(h1, h2)) if a != b}
for i in range(max(len(h1), len(r))):
    a = h1[i] if i < len(h1) else "<end of output>"
    b = r[i] if i < len(r) else "<end of output>"
    if i in masked:
        continue
    if a != b:
        print(f"different at line {i + 1}:\n    helm:   {a[:200]}\n    rudder: {b[:200]}")
        break
else:
    print("identical" + (f" ({len(masked)} masked lines)" if masked else ""))
PY
)"
    case "$verdict" in identical*) identical=$((identical + 1)) ;; *) different=$((different + 1)) ;; esac
    printf '%-16s %-22s %s\n' "$chart" "$name" "$verdict"
  done
done
echo "identical: $identical, different: $different"
[ "$different" -eq 0 ]
