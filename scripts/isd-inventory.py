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
  isd-inventory.py scaffold                      write charts/isd's generated
                                                 templates and config files
                                                 from helm's traced renders
                                                 (see `scaffold` below)
  isd-inventory.py coverage [RUDDER]             share of the inventory's
                                                 facts rudder's render has

Needs Python 3.11 and PyYAML (both in .tools/venv).
"""

import base64
import json
import os
import re
from urllib.parse import quote_plus
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
    "gitops-stash-project": [
        "--set", "spinnaker.gitopsHalyard.repo.type=stash",
        "--set", "spinnaker.gitopsHalyard.repo.projectName=OPS",
    ],
    "gitops-stash": ["--set", "spinnaker.gitopsHalyard.repo.type=stash"],
    "no-gitops": ["--set", "spinnaker.gitopsHalyard.enabled=false"],
    "no-ldap": ["--set", "global.installOpenLdap=false"],
    "no-minio": ["--set", "global.minio.enabled=false"],
    "vault": ["--set", "secretStore=vault"],
    "cert-manager": ["--set", "global.certManager.installed=true"],
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
    """Share of each variant's facts in rudder's render: all of them, and
    those not listed under `differences` (what tests/isd_inventory.rs
    requires)."""
    inv = yaml.safe_load(open(os.path.join(ROOT, "charts/isd/inventory.yaml")))
    skip = {(d["id"], d["fact"]) for d in inv.get("differences") or []}
    tot = [0, 0, 0, 0]
    print(f"{'variant':14} {'all facts':>18} {'less differences':>22}")
    for v, args in inv["variants"].items():
        want = expected(inv, v)
        got = facts(rudder_render(rudder, args))
        n = sum(len(x) for x in want.values())
        h = sum(len(x & got.get(o, set())) for o, x in want.items())
        n2 = sum(len({f for f in x if (o, f) not in skip}) for o, x in want.items())
        h2 = sum(len({f for f in x & got.get(o, set()) if (o, f) not in skip}) for o, x in want.items())
        for i, x in enumerate((h, n, h2, n2)):
            tot[i] += x
        print(f"{v:14} {h:5}/{n:5} {100.0 * h / max(n, 1):5.1f}%   {h2:5}/{n2:5} {100.0 * h2 / max(n2, 1):5.1f}%")
    h, n, h2, n2 = tot
    print(f"{'all':14} {h:5}/{n:5} {100.0 * h / max(n, 1):5.1f}%   {h2:5}/{n2:5} {100.0 * h2 / max(n2, 1):5.1f}%")


# ---------------------------------------------------------------- scaffold
# `scaffold` writes charts/isd/templates/generated/*.yaml and
# charts/isd/config/** from helm's render of the reference with the
# release `zzrel` in namespace `zzns`: object fields (names, images,
# ports, commands, env, mounts, labels, RBAC rules) carry over, the release
# and namespace become `{{ Release.Name }}`/`{{ Release.Namespace }}`, and
# each config file is regenerated from its parsed keys and settings
# (yaml/json dumps, no upstream text). Which rendered strings and numbers
# come from which value is traced: the reference is rendered once per
# string, integer or boolean value with that value replaced by a marker, and where
# the marker shows up (and nothing else changed) the template reads the
# value (`{{ Values.a.b }}`), so a user's oes values file takes effect.
# Scripts and other non-config files are not taken: templates read them
# from charts/isd/files/<object>/<key>, written by hand.

# A switch that removes or changes objects: the Jinja test that is true in
# that variant.
SWITCH_ON = {
    "ingress": "Values.global.createIngress",
    "no-forwarder": "not Values.forwarder.enabled",
    "no-saporgate": "not Values.saporgate.enabled",
    "no-ha": "not Values.spinnaker.enableHA",
    "gitops-s3": 'Values.spinnaker.gitopsHalyard.enabled and Values.spinnaker.gitopsHalyard.repo.type == "s3"',
    "gitops-stash-project": 'Values.spinnaker.gitopsHalyard.enabled and Values.spinnaker.gitopsHalyard.repo.type == "stash" and Values.spinnaker.gitopsHalyard.repo.projectName',
    "gitops-stash": 'Values.spinnaker.gitopsHalyard.enabled and Values.spinnaker.gitopsHalyard.repo.type == "stash"',
    "no-gitops": "not Values.spinnaker.gitopsHalyard.enabled",
    "no-ldap": "not Values.global.installOpenLdap",
    "no-minio": "not Values.global.minio.enabled",
    "vault": 'Values.secretStore == "vault"',
    "cert-manager": "Values.global.certManager.installed",
}
# Values traced in the variants that change objects (the defaults trace all).
VARIANT_TRACE = ("spinnaker.gitopsHalyard.", "forwarder.", "global.minio.", "minio.", "vault.")
# Commands that are scripts in the product: ours instead (differences).
OWN_COMMANDS = {
    "db-check": ["sh", "-c", "until nc -z -w 2 oes-db 5432; do echo 'oes-db is not ready yet'; sleep 2; done; echo 'oes-db is ready'"],
}
OWN_COMMANDS["{{ Release.Name }}-redis"] = [
    "/bin/bash",
    "-c",
    "etc=/opt/bitnami/redis/etc; for f in redis.conf master.conf; do "
    "[ -f $etc/$f ] || cp /opt/bitnami/redis/mounted-etc/$f $etc/$f; done; "
    "exec {{ Values.redis.master.command }} --port \"$REDIS_PORT\" --requirepass \"$REDIS_PASSWORD\" --masterauth \"$REDIS_PASSWORD\" "
    "--include $etc/redis.conf --include $etc/master.conf",
]
# Files without a config extension that are YAML all the same.
YAML_FILES = ("configFile", "config")
INT_MARK = "@@INT "


# Marks where a string read from values ends inside `{{ }}`: in a YAML
# single-quoted scalar it becomes a filter that doubles the value's quotes,
# so a password with `'` or `: ` stays one string (a null value prints as
# nothing, as `{{ }}` of it does); elsewhere it is dropped.
SQ = "@@SQ@@"
SQ_FILTER = " | default(\"\") | toString | replace(\"'\", \"''\")"


def _str_presenter(dumper, s):
    if "\n" in s:
        return dumper.represent_scalar("tag:yaml.org,2002:str", s.replace(SQ, ""), style="|")
    if SQ in s:
        # a value read into the string: always quoted, whatever it holds
        # (the filter goes in after dumping, which would double its quotes)
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, _str_presenter)


def dump(v):
    text = yaml.dump(v, Dumper=_Dumper, sort_keys=False, width=100000, default_flow_style=False).replace(SQ, SQ_FILTER)
    # integers read from values: unquoted expressions
    return re.sub(r"'@@INT ([^@']+)@@'", r"{{ \1 }}", text)


def escape(s):
    """Literal text inside a Jinja template, the zz release and namespace as
    expressions."""
    for a, b in (("{{", "\x01"), ("{%", "\x02"), ("{#", "\x03")):
        s = s.replace(a, b)
    s = s.replace("\x01", "{{ '{{' }}").replace("\x02", "{{ '{%' }}").replace("\x03", "{{ '{#' }}")
    return s.replace("zzrel", "{{ Release.Name }}").replace("zzns", "{{ Release.Namespace }}")


def value_expr(path):
    out = "Values"
    for k in path.split("\x00"):
        out += f".{k}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f"[{json.dumps(k)}]"
    return out


def value_leaves(values, prefix=()):
    """(path, value) of every traceable string, integer and boolean value.
    A string holding Go template text (`ldap://{{ .Release.Name }}-openldap`)
    is traced too: where the product passes it through `tpl`, the template
    reads it with rudder's `gotpl`."""
    out = []

    def rec(v, path):
        if isinstance(v, dict):
            for k, x in v.items():
                rec(x, path + [str(k)])
        elif isinstance(v, (bool, int)) or (isinstance(v, str) and "\n" not in v):
            out.append(("\x00".join(path), v))

    rec(values, list(prefix))
    return out


# The dependencies oes 4.0.26 enables by default: their own values are keys
# of a user's oes values file too (`minio.persistence.size`), traced under
# the subchart's name where the parent does not set them.
SUBCHARTS = ("openldap", "spinnaker", "minio", "redis")


def all_leaves(values):
    """The parent's leaves and the default-enabled subcharts' own."""
    leaves = value_leaves(values)
    seen = {p for p, _ in leaves}
    for sub in SUBCHARTS:
        with open(os.path.join(REF, "charts", sub, "values.yaml")) as f:
            for p, v in value_leaves(yaml.safe_load(f) or {}, (sub,)):
                if p not in seen:
                    seen.add(p)
                    leaves.append((p, v))
    return leaves


def go_tpl_default(s):
    """A value's Go template text as helm's `tpl` renders it for release
    zzrel in zzns: the two actions the product's values use."""
    s = re.sub(r"\{\{-? *\.Release\.Name *-?\}\}", "zzrel", s)
    return re.sub(r"\{\{-? *\.Release\.Namespace *-?\}\}", "zzns", s)


def config_format(fname):
    if fname in YAML_FILES:
        return "yaml"
    if fname in PROSE or not fname.endswith(CONFIG_EXT):
        return None
    if fname.endswith(".json"):
        return "json"
    if fname.endswith((".properties", ".config")):
        return "properties"
    return "yaml"


def parse_config(fmt, text):
    if fmt == "json":
        return json.loads(text)
    if fmt == "properties":
        out = {}
        for line in text.splitlines():
            s = line.strip()
            if not s or s[0] in "#!":
                continue
            for sep in ("=", ":"):
                if sep in s:
                    k, v = s.split(sep, 1)
                    out[k.strip()] = v.strip()
                    break
        return out
    return [d for d in yaml.safe_load_all(text) if d is not None]


def write_config(fmt, tree):
    if fmt == "json":
        return re.sub(r'"@@INT ([^@"]+)@@"', r"{{ \1 }}", json.dumps(tree, indent=2)).replace(SQ, "") + "\n"
    if fmt == "properties":
        return "".join(f"{k}={v}\n" for k, v in tree.items()).replace(SQ, "")
    return "---\n".join(dump(d) for d in tree)


def normalize(doc):
    """A copy with Secret data decoded and config files parsed, under
    `__files__`: {key: {"fmt", "tree"} or {"text"}}."""
    doc = json.loads(json.dumps(doc))
    if doc["kind"] in ("ConfigMap", "Secret"):
        files = {}
        for k, v in (doc.pop("data", None) or {}).items():
            if doc["kind"] == "Secret":
                v = base64.b64decode(v or "").decode("utf-8")
            files[k] = "" if v is None else str(v)
        for k, v in (doc.pop("stringData", None) or {}).items():
            files[k] = "" if v is None else str(v)
        out = {}
        for k, v in files.items():
            fmt = config_format(k)
            tree = None
            if fmt:
                try:
                    tree = parse_config(fmt, v)
                except Exception:
                    tree = None
            out[k] = {"fmt": fmt, "tree": tree} if tree is not None else {"text": v}
        doc["__files__"] = out
    return doc


def diff_leaves(a, b, path=()):
    """(path, a leaf, b leaf) where two documents of the same shape differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return
        for k in a:
            yield from diff_leaves(a[k], b[k], path + (k,))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diff_leaves(x, y, path + (i,))
    elif a != b:
        yield path, a, b


def trace(base, per_value):
    """{(object, path): [(start, end, value path)]} from the renders with one
    value replaced by its marker."""
    spans = {}
    for (vpath, default, marker), docs in per_value:
        for key, doc in base.items():
            other = docs.get(key)
            if other is None:
                continue
            hits = []
            for path, a, b in diff_leaves(doc, other):
                if len(path) >= 2 and path[-2] == "annotations" and str(path[-1]).startswith("checksum/"):
                    # a hash of the config the value reached; rudder's
                    # checksums hash its own files (README)
                    continue
                if isinstance(default, bool):
                    if type(a) is bool and a == default and b == marker:
                        hits.append((path, None))
                        continue
                    hits = None  # the switch changed more than one field
                    break
                if type(default) is int and type(a) is int and a == default and b == marker:
                    hits.append((path, None))
                elif isinstance(a, str) and isinstance(b, str) and str(marker) in b:
                    # read as it is, or escaped as the product's `urlquery`
                    alts = [(str(default), None), (quote_plus(str(default)), "urlquery")]
                    if isinstance(default, str) and "{{" in default:
                        alts.append((go_tpl_default(default), "gotpl"))
                    for shown, filt in alts:
                        if b.replace(str(marker), shown) == a:
                            break
                    else:
                        hits = None
                        break
                    parts, pos, iv = b.split(str(marker)), 0, []
                    for part in parts[:-1]:
                        pos += len(part)
                        iv.append((pos, pos + len(shown), filt))
                        pos += len(shown)
                    hits.append((path, iv))
                else:
                    hits = None  # something else changed: not a plain read
                    break
            for path, iv in hits or ():
                spans.setdefault((key, path), []).append((vpath, default, iv))
    return spans


def found_default(found, vpath):
    """The default of the traced value `vpath` among `found`."""
    return next((d for p, d, _ in found or () if p == vpath), None)


def templated(s, found, path_value):
    """A string (or integer) as Jinja text with the traced values read."""
    if found and found[0][2] is None:
        if type(s) is type(found[0][1]) and s == found[0][1]:
            return f"{INT_MARK}{value_expr(found[0][0])}@@"
        return s
    if not isinstance(s, str):
        return s
    iv = []
    for vpath, default, spans in found or ():
        if spans is None:
            continue
        for a, b, filt in spans:
            shown = go_tpl_default(default) if filt == "gotpl" else quote_plus(str(default)) if filt else str(default)
            if s[a:b] != shown or any(a < y and x < b or (a == b == x) for x, y, _, _ in iv):
                continue
            iv.append((a, b, vpath, filt))
    iv.sort()
    out, pos = "", 0
    for a, b, vpath, filt in iv:
        # only a string default can hold quotes (and `replace` takes strings)
        sq = SQ if isinstance(found_default(found, vpath), str) else ""
        expr = {
            None: value_expr(vpath) + sq,
            "urlquery": f'include("isd.urlquery", {value_expr(vpath)})',
            "gotpl": f"gotpl({value_expr(vpath)}, ctx){SQ}",
        }[filt]
        out += escape(s[pos:a]) + "{{ " + expr + " }}"
        pos = b
    return out + escape(s[pos:])


def apply(v, key, spans, path=()):
    if isinstance(v, dict):
        return {escape(str(k)) if isinstance(k, str) else k: apply(x, key, spans, path + (k,)) for k, x in v.items()}
    if isinstance(v, list):
        return [apply(x, key, spans, path + (i,)) for i, x in enumerate(v)]
    found = spans.get((key, path))
    if isinstance(v, str) or found:
        return templated(v, found, None)
    return v


def image_keys(values):
    """{"repo:tag": "values.path"} for every image dict of the values."""
    out = {}

    def rec(v, path):
        if isinstance(v, dict):
            if isinstance(v.get("repository"), str) and "tag" in v:
                out.setdefault(f"{v['repository']}:{v['tag']}", path)
            for k, x in v.items():
                rec(x, f"{path}.{k}" if path else k)

    rec(values, "")
    return out


def file_exprs(doc):
    """Jinja expressions of the files of a normalized ConfigMap or Secret."""
    d = doc["metadata"]["name"].replace("zzrel", "release")
    out = []
    for k, f in (doc.get("__files__") or {}).items():
        if "tree" in f:
            out.append(f'tpl(Files.Get("config/{d}/{k}"), ctx)')
        elif "\n" in f["text"] or k.endswith((".sh", ".ldif", ".conf", ".csv", ".json")) or k == "initialize":
            out.append(f'tpl(Files.Get("files/{d}/{k}"), ctx)')
    return out


def pod_refs(doc):
    """Names of the ConfigMaps and Secrets a workload's pods read."""
    ps = doc["spec"]["template"]["spec"]
    names = []
    for v in ps.get("volumes") or []:
        if "configMap" in v:
            names.append(("ConfigMap", v["configMap"].get("name")))
        if "secret" in v:
            names.append(("Secret", v["secret"].get("secretName")))
    for group in ("initContainers", "containers"):
        for c in ps.get(group) or []:
            for e in c.get("envFrom") or []:
                for src, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    if src in e:
                        names.append((kind, e[src].get("name")))
            for e in c.get("env") or []:
                for src, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    ref = (e.get("valueFrom") or {}).get(src)
                    if ref:
                        names.append((kind, ref.get("name")))
    return list(dict.fromkeys(names))


SOURCES = {}


def object_body(doc, key, spans, obj_dir, rel_files, variant=None):
    """One object as Jinja text (config files written under config/; an
    alternative's own version of a file under config/<object>/<variant>/).
    Checksum annotations are a hash of the files the pods read."""
    sums = None
    if doc["kind"] in ("Deployment", "StatefulSet", "Job", "DaemonSet"):
        exprs = [e for ref in pod_refs(doc) for e in SOURCES.get(ref, [])]
        sums = "{{ (" + (" ~ ".join(exprs) if exprs else '""') + ") | sha256sum }}"
    doc = apply(doc, key, spans)
    if sums is not None:
        ann = (doc["spec"]["template"].get("metadata") or {}).get("annotations") or {}
        for k in ann:
            if k.startswith("checksum/"):
                ann[k] = sums
    kind = doc["kind"]
    files = doc.pop("__files__", None)
    if files is not None:
        out = {}
        for k, f in files.items():
            if "tree" in f:
                path = f"config/{obj_dir}/{k}"
                text = write_config(f["fmt"], f["tree"])
                full = os.path.join(ROOT, "charts/isd", path)
                if variant is not None and (not os.path.exists(full) or open(full).read() != text):
                    path = f"config/{obj_dir}/{variant}/{k}"
                    full = os.path.join(ROOT, "charts/isd", path)
                if variant is None or not os.path.exists(full) or open(full).read() != text:
                    os.makedirs(os.path.dirname(full), exist_ok=True)
                    with open(full, "w") as fh:
                        fh.write(text)
                out[k] = f"@@FILE {path}@@"
            elif "\n" in f["text"] or k.endswith((".sh", ".ldif", ".conf", ".csv", ".json")) or k == "initialize":
                path = f"files/{obj_dir}/{k}"
                rel_files.append(path)
                out[k] = f"@@FILE {path}@@"
            else:
                out[k] = f["text"]
        if out:
            doc["data" if kind == "ConfigMap" else "stringData"] = out
    if kind in ("Deployment", "StatefulSet", "Job", "DaemonSet"):
        ps = doc["spec"]["template"]["spec"]
        for group in ("initContainers", "containers"):
            for c in ps.get(group) or []:
                if c["name"] in OWN_COMMANDS:
                    c["command"] = OWN_COMMANDS[c["name"]]
                for fld in ("command", "args"):
                    # one command line (vault-sync's loop) is a fact; more is a script
                    if any(len(a.strip().splitlines()) > 1 for a in c.get(fld) or []):
                        sys.exit(f"{c['name']}: {fld} is a script; give it one of our own in OWN_COMMANDS")
    lines = []
    for line in dump(doc).splitlines():
        s = line.lstrip()
        if "@@FILE " in s:
            ind = len(line) - len(s)
            k, ref = s.split(": ", 1)
            path = ref.strip("'\"").replace("@@FILE ", "").replace("@@", "")
            lines.append(f"{' ' * ind}{k}: {{{{ tpl(Files.Get(\"{path}\"), ctx) | toJson }}}}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def zz_render(args, extra=None):
    cmd = [os.path.join(ROOT, ".tools/bin/helm"), "template", "zzrel", REF, "-n", "zzns"] + args
    tmp = None
    if extra is not None:
        import tempfile

        tmp = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        json.dump(extra, tmp)
        tmp.close()
        cmd += ["-f", tmp.name]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        if tmp:
            os.unlink(tmp.name)
    if out.returncode != 0:
        return None
    docs = {}
    for d in yaml.safe_load_all(out.stdout):
        if isinstance(d, dict) and "kind" in d:
            docs[(d["kind"], d["metadata"]["name"])] = normalize(d)
    return docs


def nested(path, v):
    out = v
    for k in reversed(path.split("\x00")):
        out = {k: out}
    return out


def traced(args, leaves):
    """The spans of one variant's render, tracing `leaves`."""
    from concurrent.futures import ThreadPoolExecutor

    base = zz_render(args)
    jobs = []
    for i, (vpath, default) in enumerate(leaves):
        if isinstance(default, bool):
            marker = not default
        elif isinstance(default, int):
            # below 1e6: helm prints a values number with Go's %v of a
            # float64, which switches to 7e+06 notation from a million
            marker = 900000 + i
        else:
            marker = f"zzv{i}q"
        jobs.append((vpath, default, marker))
    with ThreadPoolExecutor(2) as ex:
        renders = list(ex.map(lambda jb: zz_render(args, nested(jb[0], jb[2])), jobs))
    return base, trace(base, [(jb, r) for jb, r in zip(jobs, renders) if r is not None])


# Objects written by hand (templates/ingress.yaml): the scaffold skips them.
HAND = {("Ingress", "oes-ui-ingress")}


def scaffold():
    values = yaml.safe_load(open(os.path.join(REF, "values.yaml")))
    leaves = all_leaves(values)
    per, spans = {}, {}
    for v, args in VARIANTS.items():
        per[v] = zz_render(args)
    base, spans["defaults"] = traced([], leaves)
    for v in VARIANTS:
        for (kind, name), d in per[v].items():
            if kind in ("ConfigMap", "Secret"):
                SOURCES.setdefault((kind, name), file_exprs(d))
    print(f"traced {len(leaves)} values: {len(spans['defaults'])} fields read them")
    order = list(per["defaults"])
    for v in VARIANTS:
        for k in per[v]:
            if k not in order:
                order.append(k)
    gen = os.path.join(ROOT, "charts/isd/templates/generated")
    os.makedirs(gen, exist_ok=True)
    rel_files = []
    for kind, name in order:
        key = (kind, name)
        if key in HAND:
            continue
        present = [v for v in VARIANTS if key in per[v]]
        slug = f"{kind.lower()}-{name.replace('zzrel', 'release').replace('zzns', 'namespace')}"
        obj_dir = name.replace("zzrel", "release")
        if "defaults" in present:
            tests = [f"not ({SWITCH_ON[v]})" for v in VARIANTS if v not in present]
        else:
            tests = [" or ".join(f"({SWITCH_ON[v]})" for v in present)]
        basedoc = per["defaults"].get(key) or per[present[0]][key]
        alts = []
        for v in present:
            d = per[v][key]
            if v == "defaults" or d == basedoc:
                continue
            for i, (vs, a) in enumerate(alts):
                if a == d:
                    alts[i] = (vs + [v], a)
                    break
            else:
                alts.append(([v], d))

        def spans_for(variant, doc):
            if variant == "defaults" or key not in per["defaults"]:
                sp = dict(spans["defaults"]) if variant == "defaults" else {}
            else:
                sp = {}
            if variant != "defaults":
                if variant not in spans:
                    sub = [(p, d) for p, d in leaves if p.replace("\x00", ".").startswith(VARIANT_TRACE)]
                    spans[variant] = traced(VARIANTS[variant], sub)[1]
                    # the defaults' reads hold where the variant's text is the same
                    for (k2, path), found in spans["defaults"].items():
                        spans[variant].setdefault((k2, path), found)
                sp = spans[variant]
            return sp

        parts = []
        if alts:
            default_body = object_body(basedoc, key, spans_for("defaults", basedoc), obj_dir, rel_files)
            # a variant whose text is ours (a script) may come out the same
            bodies = []
            for vs, d in alts:
                b = object_body(d, key, spans_for(vs[0], d), obj_dir, rel_files, vs[0])
                if b == default_body:
                    continue
                for i, (vs2, b2) in enumerate(bodies):
                    if b2 == b:
                        bodies[i] = (vs2 + vs, b2)
                        break
                else:
                    bodies.append((vs, b))
            for i, (vs, b) in enumerate(bodies):
                cond = " or ".join(f"({SWITCH_ON[x]})" for x in vs)
                parts.append(("{% if " if i == 0 else "{% elif ") + cond + " %}\n" + b)
            parts.append(("{% else %}\n" if bodies else "") + default_body + ("{% endif %}\n" if bodies else ""))
        else:
            v0 = "defaults" if "defaults" in present else present[0]
            parts.append(object_body(basedoc, key, spans_for(v0, basedoc), obj_dir, rel_files))
        body = "".join(parts)
        if tests:
            body = "{% if " + " and ".join(tests) + " %}\n" + body + "{% endif %}\n"
        with open(os.path.join(gen, slug + ".yaml"), "w") as f:
            f.write("{#- generated by scripts/isd-inventory.py scaffold: object fields of oes 4.0.26 -#}\n" + body.replace(SQ, ""))
    missing = sorted({p for p in rel_files if not os.path.exists(os.path.join(ROOT, "charts/isd", p))})
    print(f"wrote {len(order)} objects; files to write by hand: {len(missing)}")
    for p in missing:
        print("  " + p)


def subchart_values():
    """Adds to charts/isd/values.yaml each subchart value the templates read
    and the file lacks, with the subchart's default (Helm coalesces a
    subchart's values.yaml under its name; rudder's chart has no subcharts,
    so those defaults live in the parent's values)."""
    path = os.path.join(ROOT, "charts/isd/values.yaml")
    with open(path) as f:
        text = f.read()
    head = "".join(line for line in text.splitlines(True) if line.startswith("#"))
    ours = yaml.safe_load(text)
    read = set()
    for top in ("templates", "config", "files"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, "charts/isd", top)):
            for n in names:
                with open(os.path.join(dirpath, n)) as f:
                    for m in re.finditer(r"Values\.((?:%s)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)" % "|".join(SUBCHARTS), f.read()):
                        read.add(m.group(1))
    added = []
    for sub in SUBCHARTS:
        with open(os.path.join(REF, "charts", sub, "values.yaml")) as f:
            defaults = {sub: yaml.safe_load(f) or {}}
        for dotted in sorted(p for p in read if p.split(".")[0] == sub):
            keys = dotted.split(".")
            src, dst = defaults, ours
            for k in keys[:-1]:
                if not isinstance(src, dict) or not isinstance(src.get(k), dict):
                    src = None
                    break
                src = src[k]
                dst = dst.setdefault(k, {})
            if src is None or keys[-1] not in src or keys[-1] in dst:
                continue
            dst[keys[-1]] = src[keys[-1]]
            added.append(dotted)
    with open(path, "w") as f:
        f.write(head + dump(ours))
    print(f"values.yaml: {len(added)} subchart defaults added")
    for a in added:
        print("  " + a)


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
    elif argv[0] == "scaffold":
        scaffold()
        subchart_values()
    elif argv[0] == "coverage":
        coverage(argv[1] if len(argv) > 1 else os.path.join(ROOT, "target/debug/rudder"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
