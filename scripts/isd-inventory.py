#!/usr/bin/env python3
"""Facts of a rendered ISD release, for charts/isd/inventory.yaml.

A "fact" is one checkable line about one object: that it exists, an image,
a command, a port, an env name, a mount, a config key, a Service port or
selector, an RBAC rule, a hook. Text (scripts, prose, comments, the values
of config keys) is not a fact; the keys of YAML, JSON and .properties files
inside ConfigMaps and Secrets are.

  isd-inventory.py facts [-n NS] < stream        one fact a line, sorted
  isd-inventory.py build                         helm-render the reference
                                                 for every variant, write
                                                 charts/isd/inventory.yaml
  isd-inventory.py coverage [RUDDER]             share of the inventory's
                                                 facts rudder's render has

Needs Python 3.11 and PyYAML (both in .tools/venv).
"""

import base64
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, ".tools/upstream/isd/charts/oes")
REPO = "OpsMx/enterprise-spinnaker"
TAG = "oes-4.0.26"
COMMIT = "01050eb688c084ef9fec3762eece30d5a2bbd005"
NS = "opsmx"

# The switches of issue 17, as `helm template` / `rudder template` flags.
VARIANTS = {
    "defaults": [],
    "ingress": ["--set", "global.createIngress=true"],
    "no-forwarder": ["--set", "forwarder.enabled=false"],
    "no-saporgate": ["--set", "saporgate.enabled=false"],
    "no-ha": ["--set", "spinnaker.enableHA=false"],
    "gitops-s3": ["--set", "spinnaker.gitopsHalyard.repo.type=s3"],
    "gitops-stash": ["--set", "spinnaker.gitopsHalyard.repo.type=stash"],
    "no-gitops": ["--set", "spinnaker.gitopsHalyard.enabled=false"],
    "no-ldap": ["--set", "global.installOpenLdap=false"],
    "no-minio": ["--set", "global.minio.enabled=false"],
}

CONFIG_EXT = (".yml", ".yaml", ".json", ".properties", ".config")
# Files of prose keyed by UI element (tooltips): their keys are not settings
# and the text is the product's; only the file itself is a fact.
PROSE = ("help-text.json",)


def flat(value, prefix=""):
    """Key paths of a parsed config document (list items as `[]`)."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{prefix}.{k}" if prefix else str(k)
            out.add(p)
            out |= flat(v, p)
    elif isinstance(value, list):
        for v in value:
            out |= flat(v, prefix + "[]")
    return out


def properties(text):
    keys = set()
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "#!":
            continue
        for sep in ("=", ":"):
            if sep in s:
                keys.add(s.split(sep, 1)[0].strip())
                break
    return keys


def config_keys(fname, text):
    """Keys of a config file, or None when it is not one we read."""
    if not fname.endswith(CONFIG_EXT) or fname in PROSE:
        return None
    try:
        if fname.endswith(".json"):
            return flat(json.loads(text))
        if fname.endswith((".properties", ".config")):
            return properties(text)
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except Exception:
        return {"<unparsable>"}
    keys = set()
    for d in docs:
        keys |= flat(d)
    return keys


def pod_spec(doc):
    spec = doc.get("spec") or {}
    kind = doc["kind"]
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {}
    return (spec.get("template") or {}).get("spec") or {}


def j(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True)


def object_facts(doc, ns):
    kind = doc["kind"]
    md = doc.get("metadata") or {}
    name = md.get("name")
    obj_ns = md.get("namespace") or ns
    oid = f"{kind}/{name}" if obj_ns == ns else f"{kind}/{obj_ns}/{name}"
    facts = {oid: ["object"]}
    out = facts[oid]
    ann = md.get("annotations") or {}
    if "helm.sh/hook" in ann:
        out.append("hook " + ",".join(sorted(str(ann["helm.sh/hook"]).replace(" ", "").split(","))))
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"):
        ps = pod_spec(doc)
        if kind != "Job" and kind != "Pod":
            out.append("replicas " + str((doc.get("spec") or {}).get("replicas", 1)))
        sa = ps.get("serviceAccountName")
        if sa:
            out.append("serviceAccount " + sa)
        for v in ps.get("volumes") or []:
            for src, key in (("configMap", "name"), ("secret", "secretName"), ("persistentVolumeClaim", "claimName")):
                if src in v:
                    out.append(f"volume {v['name']} {src} {v[src].get(key)}")
            if "emptyDir" in v:
                out.append(f"volume {v['name']} emptyDir")
        for vct in (doc.get("spec") or {}).get("volumeClaimTemplates") or []:
            out.append("volumeClaimTemplate " + vct["metadata"]["name"])
        for group in ("initContainers", "containers"):
            for c in ps.get(group) or []:
                cn = f"{group[:-1]} {c['name']}"
                out.append(cn)
                out.append(f"{cn} image {c.get('image')}")
                if "command" in c:
                    out.append(f"{cn} command {j(c['command'])}")
                if "args" in c:
                    out.append(f"{cn} args {j(c['args'])}")
                for p in c.get("ports") or []:
                    out.append(f"{cn} port {p.get('containerPort')}/{p.get('protocol', 'TCP')}")
                for e in c.get("env") or []:
                    out.append(f"{cn} env {e['name']}")
                for e in c.get("envFrom") or []:
                    for src in ("configMapRef", "secretRef"):
                        if src in e:
                            out.append(f"{cn} envFrom {src} {e[src]['name']}")
                for m in c.get("volumeMounts") or []:
                    sub = f" [{m['subPath']}]" if m.get("subPath") else ""
                    out.append(f"{cn} mount {m['mountPath']}{sub} <- {m['name']}")
    elif kind == "Service":
        spec = doc.get("spec") or {}
        out.append("type " + str(spec.get("type") or "ClusterIP"))
        for p in spec.get("ports") or []:
            out.append(f"port {p.get('port')}/{p.get('protocol', 'TCP')} -> {p.get('targetPort', p.get('port'))}")
        for k, v in sorted((spec.get("selector") or {}).items()):
            out.append(f"selector {k}={v}")
    elif kind in ("Role", "ClusterRole"):
        for r in doc.get("rules") or []:
            norm = {k: sorted(v) if isinstance(v, list) else v for k, v in r.items()}
            out.append("rule " + j(norm))
    elif kind in ("RoleBinding", "ClusterRoleBinding"):
        rr = doc.get("roleRef") or {}
        out.append(f"roleRef {rr.get('kind')}/{rr.get('name')}")
        for s in doc.get("subjects") or []:
            out.append(f"subject {s.get('kind')}/{s.get('name')}")
    elif kind in ("ConfigMap", "Secret"):
        data = {}
        for k, v in (doc.get("data") or {}).items():
            if kind == "Secret":
                try:
                    v = base64.b64decode(v or "").decode("utf-8")
                except Exception:
                    v = ""
            data[k] = v if isinstance(v, str) else str(v)
        for k, v in (doc.get("stringData") or {}).items():
            data[k] = v if isinstance(v, str) else str(v)
        for k, v in sorted(data.items()):
            out.append("key " + k)
            for ck in sorted(config_keys(k, v) or ()):
                out.append(f"config {k}: {ck}")
    elif kind == "Ingress":
        for rule in (doc.get("spec") or {}).get("rules") or []:
            for p in ((rule.get("http") or {}).get("paths")) or []:
                b = p.get("backend") or {}
                svc = b.get("service") or {}
                port = (svc.get("port") or {}).get("number") or (svc.get("port") or {}).get("name") or b.get("servicePort")
                out.append(f"backend {p.get('path', '/')} -> {svc.get('name') or b.get('serviceName')}:{port}")
    elif kind == "PersistentVolumeClaim":
        spec = doc.get("spec") or {}
        out.append("accessModes " + ",".join(spec.get("accessModes") or []))
    return facts


def facts(stream, ns=NS):
    """{object id: [fact, …]} of a manifest stream."""
    result = {}
    for doc in yaml.safe_load_all(stream):
        if not isinstance(doc, dict) or "kind" not in doc:
            continue
        for oid, fs in object_facts(doc, ns).items():
            result.setdefault(oid, set()).update(fs)
    return result


def helm_render(args):
    helm = os.path.join(ROOT, ".tools/bin/helm")
    cmd = [helm, "template", "isd", REF, "-n", NS] + args
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def build():
    per = {name: facts(helm_render(args)) for name, args in VARIANTS.items()}
    names = list(VARIANTS)
    ids = sorted({oid for f in per.values() for oid in f})
    objects = []
    for oid in ids:
        have = {v: per[v].get(oid) for v in names}
        in_variants = [v for v in names if have[v] is not None]
        allf = sorted({f for fs in have.values() if fs for f in fs})
        entry = {"id": oid}
        if len(in_variants) != len(names):
            entry["only"] = in_variants
        plain, scoped = [], {}
        for f in allf:
            vs = [v for v in in_variants if f in have[v]]
            if vs == in_variants:
                plain.append(f)
            else:
                scoped.setdefault(tuple(vs), []).append(f)
        entry["facts"] = plain
        if scoped:
            entry["variant_facts"] = [{"only": list(k), "facts": v} for k, v in scoped.items()]
        objects.append(entry)
    total = sum(len(per["defaults"].get(o, ())) for o in per["defaults"])
    header = (
        "# oes 4.0.26's facts, extracted by scripts/isd-inventory.py from\n"
        f"# `helm template isd charts/oes -n {NS} ARGS` (helm 4.1.4) of\n"
        f"# {REPO} at tag {TAG}, commit {COMMIT}.\n"
        "# Regenerate: scripts/isd-inventory.py build (the chart fetched into\n"
        "# .tools/upstream/isd/, never committed). tests/isd_inventory.rs checks\n"
        "# rudder's render against every fact not listed under `differences`\n"
        "# (deliberate changes, each explained in charts/isd/README.md).\n"
    )
    doc = {
        "source": {"repo": REPO, "tag": TAG, "commit": COMMIT, "path": "charts/oes", "release": "isd", "namespace": NS},
        "variants": VARIANTS,
        "counts": {v: sum(len(x) for x in per[v].values()) for v in names},
        "objects": objects,
    }
    out = os.path.join(ROOT, "charts/isd/inventory.yaml")
    diffs = None
    if os.path.exists(out):
        old = yaml.safe_load(open(out)) or {}
        diffs = old.get("differences")
    if diffs is not None:
        doc["differences"] = diffs
    with open(out, "w") as f:
        f.write(header)
        yaml.safe_dump(doc, f, sort_keys=False, width=1000, default_flow_style=False)
    print(f"wrote {out}: {len(ids)} objects, {total} facts for the defaults")


def expected(inv, variant):
    """The inventory's facts for one variant: {object id: set}."""
    want = {}
    for o in inv["objects"]:
        if "only" in o and variant not in o["only"]:
            continue
        fs = set(o["facts"])
        for vf in o.get("variant_facts") or []:
            if variant in vf["only"]:
                fs |= set(vf["facts"])
        want[o["id"]] = fs
    return want


def rudder_render(rudder, args):
    cmd = [rudder, "template", "isd", os.path.join(ROOT, "charts/isd"), "-n", NS, "--seed", "1"] + args
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def coverage(rudder):
    inv = yaml.safe_load(open(os.path.join(ROOT, "charts/isd/inventory.yaml")))
    grand_have = grand_all = 0
    for v, args in inv["variants"].items():
        want = expected(inv, v)
        got = facts(rudder_render(rudder, args))
        n = sum(len(x) for x in want.values())
        h = sum(len(x & got.get(o, set())) for o, x in want.items())
        grand_have += h
        grand_all += n
        print(f"{v:14} {h:5}/{n:5} {100.0 * h / max(n, 1):5.1f}%")
    print(f"{'all':14} {grand_have:5}/{grand_all:5} {100.0 * grand_have / max(grand_all, 1):5.1f}%")


def main():
    argv = sys.argv[1:]
    if not argv or argv[0] == "facts":
        ns = NS
        if "-n" in argv:
            ns = argv[argv.index("-n") + 1]
        f = facts(sys.stdin.read(), ns)
        json.dump({k: sorted(v) for k, v in sorted(f.items())}, sys.stdout, indent=1)
        print()
    elif argv[0] == "build":
        build()
    elif argv[0] == "coverage":
        coverage(argv[1] if len(argv) > 1 else os.path.join(ROOT, "target/debug/rudder"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
