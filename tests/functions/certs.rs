//! Certificates and keys (`genCA`, `genSelfSignedCert`, `genSignedCert`,
//! `genPrivateKey`, …) and random draws: random bytes cannot be compared
//! with helm, so `openssl` reads both tools' PEM and what it prints about
//! them (subject, issuer, extensions, key type and size, the signature
//! chain) must be the same. `openssl` missing, the test says so and
//! passes only under `RUDDER_SKIP_OPENSSL=1` (CI installs openssl).

use super::*;

/// Each item: a name and the Go-template expression giving one PEM block
/// (`$ca` is `genCA "fn-ca" 30`; the Jinja form is generated, `ca` there).
const PEMS: &[(&str, &str)] = &[
    ("ca", "(cafn).Cert"),
    ("ca-key", "(cafn).Key"),
    (
        "srv",
        r#"(genSignedCert "srv.example" (list "10.0.0.7") (list "srv.example" "alt.example") 30 (cafn)).Cert"#,
    ),
    (
        "self",
        r#"(genSelfSignedCert "self.example" nil (list "self.example") 30).Cert"#,
    ),
    (
        "ca-ec",
        r#"(genCAWithKey "ec-ca" 30 (genPrivateKey "ecdsa")).Cert"#,
    ),
    (
        "self-ed",
        r#"(genSelfSignedCertWithKey "ed" nil nil 30 (genPrivateKey "ed25519")).Cert"#,
    ),
    ("rsa", r#"genPrivateKey "rsa""#),
    ("ecdsa", r#"genPrivateKey "ecdsa""#),
    ("ed25519", r#"genPrivateKey "ed25519""#),
];

/// The PEMS entries that are private keys.
const KEYS: &[&str] = &["ca-key", "rsa", "ecdsa", "ed25519"];

fn openssl(args: &[&str], input: &Path) -> String {
    let out = Command::new("openssl")
        .args(args)
        .arg("-in")
        .arg(input)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What openssl says about one PEM block, without the random parts.
fn describe(name: &str, file: &Path, ca: &Path) -> String {
    if KEYS.contains(&name) {
        // A private key: its type and size.
        let text = openssl(&["pkey", "-noout", "-text"], file);
        return text.lines().next().unwrap_or_default().to_string();
    }
    let mut s = openssl(
        &[
            "x509",
            "-noout",
            "-subject",
            "-issuer",
            "-ext",
            "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName",
        ],
        file,
    );
    let text = openssl(&["x509", "-noout", "-text"], file);
    for l in text.lines() {
        let l = l.trim();
        if l.starts_with("Public Key Algorithm") || l.starts_with("Signature Algorithm") {
            s.push_str(l);
            s.push('\n');
        }
    }
    if name == "srv" {
        let out = Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(ca)
            .arg(file)
            .output()
            .expect("run openssl verify");
        s.push_str(&format!("verify: {}\n", out.status.success()));
    }
    s
}

fn pems(tool: &Path, jinja: bool, root: &Path, tmp: &Path) -> Vec<(String, PathBuf)> {
    let mut body = String::from(HEAD);
    let dir = tmp.join(if jinja { "jinja" } else { "go" });
    if jinja {
        body.push_str("{% set ca = genCA(\"fn-ca\", 30) %}\n");
    } else {
        body.push_str("{{- $ca := genCA \"fn-ca\" 30 }}\n");
    }
    for (name, go) in PEMS {
        let e = if jinja {
            let g = expr::global(&expr::parse(go).expect("parse"));
            g.replace("cafn()", "ca")
        } else {
            go.replace("(cafn)", "$ca")
        };
        body.push_str(&format!("  {name}: {{{{ {e} | toJson }}}}\n"));
    }
    write_chart(&dir, jinja, &body);
    let out = render(tool, &dir, root, &[]);
    let text = stdout_or_fail(&tool.display().to_string(), &out);
    let mut files = Vec::new();
    for (name, _) in PEMS {
        let key = format!("  {name}: ");
        let line = text
            .lines()
            .find(|l| l.starts_with(&key))
            .unwrap_or_else(|| panic!("{name} missing from {text}"));
        let pem: String = serde_json::from_str(&line[key.len()..]).expect("a JSON string");
        let file = dir.join(format!("{name}.pem"));
        std::fs::write(&file, pem).expect("write pem");
        files.push((name.to_string(), file));
    }
    files
}

#[test]
fn certificates_read_as_helms_with_openssl() {
    let root = workspace_root();
    let Some(helm) = locate_helm(&root, "certificates_read_as_helms_with_openssl") else {
        return;
    };
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(
            std::env::var("RUDDER_SKIP_OPENSSL").is_ok_and(|v| v == "1"),
            "openssl not found: install it (apt-get install openssl) or set RUDDER_SKIP_OPENSSL=1"
        );
        println!("SKIPPED: openssl not found; certificate checks not run");
        return;
    }
    let tmp = TempDir::new("functions-certs");
    let h = pems(&helm, false, &root, &tmp.0);
    let r = pems(&rudder(), true, &root, &tmp.0);
    let ca = |v: &[(String, PathBuf)]| v[0].1.clone();
    let mut bad = Vec::new();
    for ((name, hf), (_, rf)) in h.iter().zip(&r) {
        let (hd, rd) = (describe(name, hf, &ca(&h)), describe(name, rf, &ca(&r)));
        if hd != rd {
            bad.push(format!("{name}:\n  helm:\n{hd}\n  rudder:\n{rd}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// rudder's random functions repeat under `--seed` and change with it
/// (helm has no seed: there they differ on every run).
#[test]
fn random_functions_repeat_under_seed() {
    let root = workspace_root();
    let tmp = TempDir::new("functions-seed");
    let body = format!(
        "{HEAD}  a: {{{{ randAlphaNum(16) }}}}\n  b: {{{{ uuidv4() }}}}\n  c: {{{{ shuffle(\"abcdefgh\") }}}}\n  \
         d: {{{{ randInt(0, 1000000) }}}}\n  e: {{{{ randBytes(12) }}}}\n  f: {{{{ genPrivateKey(\"ecdsa\") | b64enc }}}}\n  \
         g: {{{{ encryptAES(\"k\", \"text\") }}}}\n  h: {{{{ bcrypt(\"pw\") }}}}\n"
    );
    write_chart(&tmp.0, true, &body);
    let run = |seed: &str| {
        stdout_or_fail(
            "rudder --seed",
            &render(&rudder(), &tmp.0, &root, &["--seed", seed]),
        )
    };
    let (a, b, c) = (run("7"), run("7"), run("8"));
    assert_eq!(a, b, "same seed, same output");
    for key in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        let get = |s: &str| {
            s.lines()
                .find(|l| l.starts_with(&format!("  {key}: ")))
                .map(str::to_string)
        };
        assert!(get(&a).is_some(), "{key} missing: {a}");
        if key != "c" {
            assert_ne!(get(&a), get(&c), "{key}: another seed, another value");
        }
    }
}
