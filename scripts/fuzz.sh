#!/usr/bin/env bash
# Fuzzes rudder's hostile-input surfaces with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh TARGET SECONDS   one target for SECONDS
#   scripts/fuzz.sh all SECONDS      every target, SECONDS each
#   scripts/fuzz.sh --smoke          every target briefly (CI): build, replay
#                                    the regression inputs, fuzz
#                                    $RUDDER_FUZZ_SMOKE_SECONDS (default 15) each,
#                                    with a fixed seed ($RUDDER_FUZZ_SEED, default 1)
#   scripts/fuzz.sh --list           the targets
#
# Targets (code in fuzz/src/harness.rs): set_flags, values_yaml, coalesce,
# chart_load, tpl, gotmpl.
#
# Works on a fresh machine with only the stable toolchain: installs
# cargo-fuzz from crates.io if missing, and sets RUSTC_BOOTSTRAP=1 because
# cargo-fuzz passes nightly-only flags. No sanitizer by default (rudder's
# crates forbid unsafe code, and ASan doubles the build); set
# RUDDER_FUZZ_SANITIZER=address for one.
#
# Each run starts from fuzz/corpus/TARGET (kept between runs, not in git),
# seeded from the fixtures and from fixtures/hostile/TARGET. A crash, hang
# (-timeout, seconds per input) or memory blow-up (-rss_limit_mb) stops the
# run and leaves its input in fuzz/artifacts/TARGET/; copy it to
# fixtures/hostile/TARGET/ and `cargo test -p rudder-render --test hostile`
# replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

TARGETS=(set_flags values_yaml coalesce chart_load tpl gotmpl)
CARGO_FUZZ_VERSION=0.13.2
SANITIZER=${RUDDER_FUZZ_SANITIZER:-none}
TIMEOUT=${RUDDER_FUZZ_TIMEOUT:-10}
RSS_MB=${RUDDER_FUZZ_RSS_MB:-2048}
MAX_LEN=${RUDDER_FUZZ_MAX_LEN:-}
SEED=${RUDDER_FUZZ_SEED:-}

usage() {
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

ensure_cargo_fuzz() {
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION (crates.io)" >&2
        cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" >&2
    fi
}

build() {
    ensure_cargo_fuzz
    echo "== building fuzz targets (sanitizer: $SANITIZER)" >&2
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer "$SANITIZER" >&2)
}

bin() {
    echo "$root/fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release/$1"
}

# A chart directory as chart_load input: mode byte, then NUL-separated
# `name SOH data` records.
chart_entries() {
    local dir=$1 mode=$2 f
    printf "\\x$mode"
    (cd "$dir" && find . -type f | sort | sed 's|^\./||') | while read -r f; do
        printf '%s\x01' "$f"
        cat "$dir/$f"
        printf '\x00'
    done
}

seed() {
    local t=$1 c="$root/fuzz/corpus/$1" f
    mkdir -p "$c"
    if [[ -d "fixtures/hostile/$t" ]]; then
        cp -f fixtures/hostile/"$t"/* "$c"/ 2>/dev/null || true
    fi
    [[ -e "$c/.seeded" ]] && return 0
    case $t in
    set_flags)
        printf 'sa.b[0]=1,c={x,y},d=null\x1eSname=007\x1ejk={"a":[1,{"b":2}]}\x1ef\x1ea:\n  b: [1, 2]\n\x1eFfile=0\x1ela.b=c,d\x1esx[2].y=1,x[0]=3' >"$c/seed-1"
        printf 'ja=[1,2]\x1es"a\\,b"=1\x1esz=\x1es{a,b}' >"$c/seed-2"
        ;;
    values_yaml)
        for f in fixtures/values/*.yaml; do cp "$f" "$c/seed-$(basename "$f")"; done
        ;;
    coalesce)
        printf 'sub:\n  enabled: true\n  a: null\nglobal: {g: 1}\ntags: {a: false}\n\x1esub: {enabled: true, x: {y: {k: 1}}}\nz: {q: 1}\nsub2: {on: false}\n\x1eenabled: false\nexports: {data: {e: 1}}\nx: {y: {k: 2, j: 3}}\n\x1eon: true\nglobal: {g: 2}\n' >"$c/seed-1"
        ;;
    chart_load)
        for f in fixtures/charts/*/; do
            n=$(basename "$f")
            chart_entries "$f" 00 >"$c/seed-$n-files"
            chart_entries "$f" 01 >"$c/seed-$n-tgz"
            { printf '\x02'; tar -czf - -C fixtures/charts "$n"; } >"$c/seed-$n-raw"
            chart_entries "$f" 03 >"$c/seed-$n-dir"
        done
        ;;
    tpl)
        for f in fixtures/charts/*/templates/* fixtures/render-errors/*/templates/*; do
            [[ -f "$f" ]] && cp "$f" "$c/seed-$(echo "$f" | tr / _)"
        done
        ;;
    gotmpl)
        # The Go-template test charts: every template and helper file.
        find tests/go_templates -type f \( -name '*.yaml' -o -name '*.tpl' -o -name '*.txt' \) -path '*/templates/*' |
            while read -r f; do cp "$f" "$c/seed-$(echo "$f" | tr / _)"; done
        ;;
    esac
    touch "$c/.seeded"
}

run() {
    local t=$1 secs=$2 dict=() out len=${MAX_LEN}
    [[ -n $len ]] || { [[ $t == chart_load ]] && len=65536 || len=8192; }
    seed "$t"
    if [[ -f "fuzz/dict/$t.dict" ]]; then
        dict=("-dict=$root/fuzz/dict/$t.dict")
    fi
    mkdir -p "fuzz/artifacts/$t"
    echo "== fuzz $t for ${secs}s" >&2
    out=$(mktemp)
    set +e
    (cd "fuzz/corpus/$t" && "$(bin "$t")" . ${dict[@]+"${dict[@]}"} \
        -max_total_time="$secs" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
        -max_len="$len" -print_final_stats=1 ${SEED:+-seed="$SEED"} \
        -artifact_prefix="$root/fuzz/artifacts/$t/") >"$out" 2>&1
    local rc=$?
    set -e
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$out" | sed "s/^/$t: /" >&2 || true
    if [[ $rc -ne 0 ]]; then
        tail -n 40 "$out" >&2
        echo "fuzz $t FAILED (exit $rc); input saved under fuzz/artifacts/$t/" >&2
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
}

[[ $# -ge 1 ]] || usage
case $1 in
--list)
    printf '%s\n' "${TARGETS[@]}"
    ;;
--smoke)
    secs=${RUDDER_FUZZ_SMOKE_SECONDS:-15}
    # CI replays the same input sequence every time (a crash found by a
    # long run becomes a fixture, not a flaky CI failure).
    SEED=${RUDDER_FUZZ_SEED:-1}
    build
    failed=0
    for t in "${TARGETS[@]}"; do run "$t" "$secs" || failed=1; done
    exit $failed
    ;;
all)
    [[ $# -eq 2 ]] || usage
    build
    failed=0
    for t in "${TARGETS[@]}"; do run "$t" "$2" || failed=1; done
    exit $failed
    ;;
*)
    [[ $# -eq 2 ]] || usage
    [[ " ${TARGETS[*]} " == *" $1 "* ]] || { echo "unknown target $1; one of: ${TARGETS[*]}" >&2; exit 2; }
    build
    run "$1" "$2"
    ;;
esac
