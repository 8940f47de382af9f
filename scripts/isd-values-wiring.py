#!/usr/bin/env python3
"""Which of the product's values reach rudder's ISD render as they reach helm's.

For every scalar string leaf of oes 4.0.26's values.yaml, both tools render
the chart with that value replaced by a marker (`--set-string PATH=MARKER`);
a value is *wired* when the marker appears in rudder's render wherever it
appears in helm's (same number of times). Prints one line per value that is
not, and a summary; a marker rudder's values schema refuses (an enum such as
`k8sServiceType`) is counted apart, as checked rather than wired. Needs the product fetched into .tools/upstream/isd/ (see
scripts/isd-inventory.py) and .tools/venv's PyYAML.

  isd-values-wiring.py [RUDDER] [--jobs N]
"""

import concurrent.futures
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, ".tools/upstream/isd/charts/oes")
HELM = os.path.join(ROOT, ".tools/bin/helm")


def leaves(value, path=()):
    """(path, value) of every non-empty string leaf that --set can address."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k and all(c not in k for c in ".,=[]\\"):
                yield from leaves(v, path + (k,))
    elif isinstance(value, str) and value and path:
        yield ".".join(path), value


def count(cmd, marker):
    """How often `marker` is in the render, or None when the tool refuses."""
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return run.stdout.count(marker) if run.returncode == 0 else None


def main():
    args = sys.argv[1:]
    jobs = 2
    if "--jobs" in args:
        i = args.index("--jobs")
        jobs = int(args[i + 1])
        del args[i : i + 2]
    rudder = args[0] if args else os.path.join(ROOT, "target/release/rudder")
    with open(os.path.join(REF, "values.yaml")) as f:
        values = yaml.safe_load(f)
    todo = list(leaves(values))

    def check(item):
        i, (path, _) = item
        marker = f"zzmark{i}zz"
        flag = ["--set-string", f"{path}={marker}"]
        base = ["template", "isd"]
        h = count([HELM, *base, REF, "-n", "opsmx", *flag], marker)
        r = count([rudder, *base, os.path.join(ROOT, "charts/isd"), "-n", "opsmx", *flag], marker)
        return path, h, r

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(check, enumerate(todo)))
    used = [x for x in results if x[1]]
    refused = [x for x in used if x[2] is None]
    wired = [x for x in used if x[2] == x[1]]
    for path, h, r in sorted(used):
        if r is not None and r != h:
            print(f"{path}: helm {h}, rudder {r}")
    print(f"{len(wired)} of {len(used)} values helm's render uses reach rudder's render as often; "
          f"{len(refused)} markers refused by rudder's schema ({len(results)} string values tried)")


if __name__ == "__main__":
    main()
