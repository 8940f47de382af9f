#!/usr/bin/env python3
"""Which of the product's values reach rudder's ISD render as they reach helm's.

For every scalar string leaf of oes 4.0.26's values.yaml, both tools render
the chart with that value replaced by a marker (`--set-string PATH=MARKER`);
a value is *wired* when the marker reaches the same objects, and the same
data keys (scripts, config files) of ConfigMaps and Secrets, in both
renders, comment lines aside. Prints one line per value that is not, with
the places only one side has, and a summary; a marker rudder's values schema refuses (an enum such as
`k8sServiceType`) is counted apart, as checked rather than wired. Needs the product fetched into .tools/upstream/isd/ (see
scripts/isd-inventory.py) and .tools/venv's PyYAML.

  isd-values-wiring.py [RUDDER] [--jobs N]
"""

import base64
import concurrent.futures
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, ".tools/upstream/isd/charts/oes")
HELM = os.path.join(ROOT, ".tools/bin/helm")
# The dependencies oes 4.0.26 enables by default.
SUBCHARTS = ("openldap", "spinnaker", "minio", "redis")


def leaves(value, path=()):
    """(path, value) of every non-empty string leaf that --set can address."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k and all(c not in k for c in ".,=[]\\"):
                yield from leaves(v, path + (k,))
    elif isinstance(value, str) and value and path:
        yield ".".join(path), value


def live(text, marker):
    """Whether `marker` is on a line of `text` that is not a comment (`#`
    first: the product's commented-out script lines and properties are dead
    text, a value that reaches only them is not used)."""
    return any(marker in line and not line.lstrip().startswith("#") for line in text.splitlines())


def places(cmd, marker):
    """Where `marker` reaches the render: `Kind/name` of each object, with
    `:key` for a ConfigMap's or Secret's data key (a script or config file).
    None when the tool refuses the input. Places, not counts: rudder's
    scripts are its own and read a value as often as they need it."""
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return None
    found = set()
    for doc in yaml.safe_load_all(run.stdout):
        if not isinstance(doc, dict):
            continue
        name = f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        rest = dict(doc)
        for field in ("data", "stringData"):
            for key, text in (rest.pop(field, None) or {}).items():
                if field == "data" and doc.get("kind") == "Secret" and isinstance(text, str):
                    text = base64.b64decode(text).decode("utf-8", "replace")
                if isinstance(text, str) and live(text, marker):
                    found.add(f"{name}:{key}")
        if live(yaml.safe_dump(rest, width=1 << 30), marker):
            found.add(name)
    return found


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
    # The subcharts' own values are keys of a user's oes values file too
    # (`minio.persistence.size`): those helm's defaults render are tried
    # under the subchart's name.
    seen = {path for path, _ in todo}
    for sub in SUBCHARTS:
        with open(os.path.join(REF, "charts", sub, "values.yaml")) as f:
            for path, v in leaves(yaml.safe_load(f), (sub,)):
                if path not in seen:
                    seen.add(path)
                    todo.append((path, v))

    def check(item):
        i, (path, _) = item
        marker = f"zzmark{i}zz"
        flag = ["--set-string", f"{path}={marker}"]
        base = ["template", "isd"]
        h = places([HELM, *base, REF, "-n", "opsmx", *flag], marker)
        r = places([rudder, *base, os.path.join(ROOT, "charts/isd"), "-n", "opsmx", *flag], marker)
        return path, h, r

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(check, enumerate(todo)))
    used = [x for x in results if x[1]]
    refused = [x for x in used if x[2] is None]
    wired = [x for x in used if x[2] == x[1]]
    for path, h, r in sorted(used):
        if r is not None and r != h:
            missing = ", ".join(sorted(h - r)) or "-"
            extra = ", ".join(sorted(r - h)) or "-"
            print(f"{path}: not in rudder's {missing}; only in rudder's {extra}")
    for path, _, _ in sorted(refused):
        print(f"{path}: refused by rudder's schema")
    print(f"{len(wired)} of {len(used)} values helm's render uses reach the same objects and files in rudder's; "
          f"{len(refused)} markers refused by rudder's schema ({len(results)} string values tried)")


if __name__ == "__main__":
    main()
