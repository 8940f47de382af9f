//! Tests for the crypto functions: exact Helm 4.1.4 outputs where they are
//! deterministic (derivePassword, decryptAES of Helm's ciphertext, Helm's
//! bcrypt hash verifying), and structural checks of generated certificates
//! (parsed with `x509-cert`, signatures verified) where they are random.

use super::*;
use minijinja::{Environment, context};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use std::time::{Duration, UNIX_EPOCH};
use x509_cert::der::Decode;

/// 2024-03-05T07:08:09Z.
const T0: u64 = 1_709_622_489;

fn env_with(seed: u64) -> Environment<'static> {
    crate::funcs::testing::env(
        Rng::new(Some(seed)),
        Clock::new(Some(UNIX_EPOCH + Duration::from_secs(T0))),
    )
}

fn render(env: &Environment<'_>, tpl: &str) -> String {
    match env.render_str(tpl, context! {}) {
        Ok(s) => s,
        Err(e) => panic!("{tpl}: {e:#}"),
    }
}

fn render_err(env: &Environment<'_>, tpl: &str) -> String {
    match env.render_str(tpl, context! {}) {
        Ok(s) => panic!("{tpl}: expected an error, got {s:?}"),
        Err(e) => format!("{e:#}"),
    }
}

fn der_of(pem: &str) -> Vec<u8> {
    pem_decode(pem).expect("pem").1
}

fn cert_of(pem: &str) -> x509_cert::Certificate {
    x509_cert::Certificate::from_der(&der_of(pem)).expect("certificate parses")
}

fn ext<'a>(c: &'a x509_cert::Certificate, oid: &str) -> Option<&'a x509_cert::ext::Extension> {
    c.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id.to_string() == oid)
}

/// Verifies `cert`'s signature with the RSA public key of `issuer`.
fn verify_rsa(cert: &x509_cert::Certificate, issuer: &x509_cert::Certificate) {
    let spki = issuer
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .expect("spki");
    let key = rsa::RsaPublicKey::from_public_key_der(&spki).expect("rsa key");
    let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
    let tbs = cert.tbs_certificate.to_der().expect("tbs");
    let sig = rsa::pkcs1v15::Signature::try_from(cert.signature.raw_bytes()).expect("sig");
    verifier.verify(&tbs, &sig).expect("signature verifies");
}

#[test]
fn derive_password_matches_helm() {
    // helm template: {{ derivePassword 1 "long" "password" "user" "example.com" }} etc.
    let env = env_with(1);
    for (tpl, want) in [
        (
            r#"{{ derivePassword(1, "long", "password", "user", "example.com") }}"#,
            "ZedaFaxcZaso9*",
        ),
        (
            r#"{{ derivePassword(3, "maximum", "pässword", "üser", "site") }}"#,
            "m5])PEypj5jh2YRFqmMv",
        ),
        (r#"{{ derivePassword(0, "pin", "", "", "") }}"#, "2847"),
        (
            r#"{{ derivePassword(1, "basic", "p", "u", "s") }}"#,
            "tGf1NEr0",
        ),
        (
            r#"{{ derivePassword(1, "medium", "p", "u", "s") }}"#,
            "Rud1@Nel",
        ),
        (r#"{{ derivePassword(1, "short", "p", "u", "s") }}"#, "Rud1"),
        (
            r#"{{ derivePassword(1, "bogus", "p", "u", "s") }}"#,
            "cannot find password template bogus",
        ),
    ] {
        assert_eq!(render(&env, tpl), want, "{tpl}");
    }
    assert!(
        render_err(&env, r#"{{ derivePassword(-1, "pin", "", "", "") }}"#)
            .contains("derivePassword: counter -1 is out of range")
    );
    assert!(
        render_err(&env, r#"{{ derivePassword(1, "pin", 1, "", "") }}"#)
            .contains("derivePassword: expected a string password")
    );
}

#[test]
fn htpasswd_and_bcrypt() {
    let env = env_with(1);
    let out = render(&env, r#"{{ htpasswd("admin", "secret") }}"#);
    let hash = out.strip_prefix("admin:").expect("user prefix");
    assert!(hash.starts_with("$2a$10$") && hash.len() == 60, "{hash}");
    assert!(bcrypt::verify("secret", hash).expect("valid hash"));
    assert!(!bcrypt::verify("wrong", hash).expect("valid hash"));
    // Helm's own output for htpasswd "admin" "secret" verifies the same way.
    let helm = "$2a$10$wtjknIgwZw4bUhbTnzwEVODrmC7qKrFtT9pcB9SWR0nEFyZNSpj4a";
    assert!(bcrypt::verify("secret", helm).expect("helm hash"));
    assert_eq!(
        render(&env, r#"{{ htpasswd("a:b", "secret") }}"#),
        "invalid username: a:b"
    );
    let piped = render(&env, r#"{{ "secret" | htpasswd("bob") }}"#);
    assert!(bcrypt::verify("secret", piped.trim_start_matches("bob:")).expect("hash"));
    let b = render(&env, r#"{{ "x" | bcrypt }}"#);
    assert!(b.starts_with("$2a$10$") && bcrypt::verify("x", &b).expect("hash"));
    assert_eq!(
        render(&env, &format!(r#"{{{{ bcrypt("{}") }}}}"#, "a".repeat(73))),
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    );
    // Same seed, same salt.
    assert_eq!(
        render(&env_with(5), r#"{{ bcrypt("x") }}"#),
        render(&env_with(5), r#"{{ bcrypt("x") }}"#)
    );
}

#[test]
fn aes_round_trip_and_helm_ciphertext() {
    let env = env_with(1);
    // helm: encryptAES "secretkey" "plaintext"
    assert_eq!(
        render(
            &env,
            r#"{{ decryptAES("secretkey", "wfFMg4qtSo5PWs65o7qH30WKWnB+IGa7+LtfiPL5LKY=") }}"#
        ),
        "plaintext"
    );
    assert_eq!(
        render(
            &env,
            r#"{{ "P22pEdEo3uJ/SsdH8XXC0l+DfvrEkW9/TpfgyvZuP611RpOl2hkU8Vzfs4QPRD86" | decryptAES("a-very-long-password-longer-than-32-bytes!") }}"#
        ),
        "exactly16bytes!!"
    );
    assert_eq!(
        render(
            &env,
            r#"{{ "hello wörld" | encryptAES("k") | decryptAES("k") }}"#
        ),
        "hello wörld"
    );
    assert_eq!(
        render(
            &env,
            r#"{{ encryptAES("k", "") }}|{{ decryptAES("k", "") }}"#
        ),
        "|"
    );
    assert!(render_err(&env, r#"{{ decryptAES("k", "AAAA") }}"#).contains("decryptAES:"));
    assert!(render_err(&env, r#"{{ decryptAES("k", "!!") }}"#).contains("decryptAES:"));
    assert_eq!(render(&env, r#"{{ randBytes(5) | b64dec | length }}"#), "5");
    assert!(render_err(&env, r#"{{ randBytes(-1) }}"#).contains("randBytes: count -1"));
}

#[test]
fn private_keys() {
    let env = env_with(1);
    let ec = render(&env, r#"{{ genPrivateKey("ecdsa") }}"#);
    assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{ec}");
    assert!(matches!(parse_private_key_pem(&ec), Ok(PrivKey::Ec(_))));
    // Go's MarshalECPrivateKey: SEQUENCE { 1, OCTET STRING(32), [0] OID, [1] BIT STRING }.
    let der = der_of(&ec);
    assert_eq!(der.len(), 121);
    assert_eq!(&der[..7], &[0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]);
    let ed = render(&env, r#"{{ "ed25519" | genPrivateKey }}"#);
    assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{ed}");
    let der = der_of(&ed);
    assert_eq!(der.len(), 48);
    assert!(matches!(parse_private_key_pem(&ed), Ok(PrivKey::Ed(_))));
    let rsa_pem = render(&env, r#"{{ genPrivateKey("rsa") }}"#);
    assert!(rsa_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    match parse_private_key_pem(&rsa_pem) {
        Ok(PrivKey::Rsa(k)) => {
            use rsa::traits::PublicKeyParts;
            assert_eq!(k.size() * 8, 4096);
            assert_eq!(k.e(), &rsa::BigUint::from(65537u32));
        }
        _ => panic!("not an rsa key"),
    }
    assert!(rsa_pem.lines().all(|l| l.len() <= 64));
    assert_eq!(
        render(&env, r#"{{ genPrivateKey("foo") }}"#),
        "Unknown type foo"
    );
    assert!(
        render_err(&env, r#"{{ genPrivateKey("dsa") }}"#)
            .contains("genPrivateKey: dsa keys are not supported")
    );
    // Same seed, same key.
    assert_eq!(
        render(&env_with(9), r#"{{ genPrivateKey("ecdsa") }}"#),
        render(&env_with(9), r#"{{ genPrivateKey("ecdsa") }}"#)
    );
}

#[test]
fn ca_and_signed_cert() {
    let env = env_with(42);
    let tpl = r#"{% set ca = genCA("my-ca", 365) %}{{ ca.Cert }}@{{ ca.Key }}@{% set c = genSignedCert("foo.example.com", ["10.0.0.1", "::1"], ["foo.example.com", "*.bar"], 30, ca) %}{{ c.Cert }}@{{ c.Key }}"#;
    let out = render(&env, tpl);
    let parts: Vec<&str> = out.split('@').collect();
    let [ca_pem, ca_key, crt_pem, crt_key] = parts[..] else {
        panic!("{out}")
    };
    assert!(ca_key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert!(crt_key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let ca = cert_of(ca_pem);
    let crt = cert_of(crt_pem);
    let tbs = &ca.tbs_certificate;
    assert_eq!(tbs.version, x509_cert::Version::V3);
    assert_eq!(tbs.subject.to_string(), "CN=my-ca");
    assert_eq!(tbs.issuer.to_string(), "CN=my-ca");
    assert_eq!(
        crt.tbs_certificate.subject.to_string(),
        "CN=foo.example.com"
    );
    assert_eq!(crt.tbs_certificate.issuer.to_string(), "CN=my-ca");
    // Validity: now .. now + days, from the pinned clock.
    let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs();
    assert_eq!(secs(tbs.validity.not_before), T0);
    assert_eq!(secs(tbs.validity.not_after), T0 + 365 * 86_400);
    assert_eq!(
        secs(crt.tbs_certificate.validity.not_after),
        T0 + 30 * 86_400
    );
    // Serial: positive, below 2^128.
    let serial = tbs.serial_number.as_bytes();
    assert!(serial.len() <= 17 && serial[0] & 0x80 == 0);
    // Extensions in Go's order, with Go's exact encodings.
    let ids = |c: &x509_cert::Certificate| -> Vec<String> {
        c.tbs_certificate
            .extensions
            .iter()
            .flatten()
            .map(|e| e.extn_id.to_string())
            .collect()
    };
    assert_eq!(
        ids(&ca),
        ["2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.14"]
    );
    assert_eq!(
        ids(&crt),
        [
            "2.5.29.15",
            "2.5.29.37",
            "2.5.29.19",
            "2.5.29.35",
            "2.5.29.17"
        ]
    );
    let val = |c: &x509_cert::Certificate, oid: &str| {
        let e = ext(c, oid).expect("extension");
        (e.critical, e.extn_value.as_bytes().to_vec())
    };
    assert_eq!(val(&ca, "2.5.29.15"), (true, vec![0x03, 0x02, 0x02, 0xa4]));
    assert_eq!(val(&crt, "2.5.29.15"), (true, vec![0x03, 0x02, 0x05, 0xa0]));
    assert_eq!(
        val(&ca, "2.5.29.19"),
        (true, vec![0x30, 0x03, 0x01, 0x01, 0xff])
    );
    assert_eq!(val(&crt, "2.5.29.19"), (true, vec![0x30, 0x00]));
    let eku = hex("301406082B0601050507030106082B06010505070302");
    assert_eq!(val(&ca, "2.5.29.37"), (false, eku));
    // SKID = SHA-256(subjectPublicKey)[..20]; the signed cert's AKID names it.
    let (_, skid) = val(&ca, "2.5.29.14");
    let pk = tbs.subject_public_key_info.subject_public_key.raw_bytes();
    assert_eq!(&skid[2..], &Sha256::digest(pk)[..20]);
    let (_, akid) = val(&crt, "2.5.29.35");
    assert_eq!(&akid[4..], &skid[2..]);
    let (crit, san) = val(&crt, "2.5.29.17");
    assert!(!crit);
    assert_eq!(
        san,
        hex(
            "3030820F666F6F2E6578616D706C652E636F6D82052A2E62617287040A000001871000000000000000000000000000000001"
        )
    );
    // 2048-bit RSA keys, SHA256WithRSA, chain verifies.
    assert_eq!(
        tbs.subject_public_key_info
            .subject_public_key
            .raw_bytes()
            .len(),
        270
    );
    assert_eq!(
        ca.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    verify_rsa(&ca, &ca);
    verify_rsa(&crt, &ca);
    // Same seed, same PEMs.
    assert_eq!(render(&env_with(42), tpl), out);
    assert_ne!(render(&env_with(43), tpl), out);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn self_signed_and_with_key() {
    let env = env_with(7);
    // Empty CN: empty subject and issuer, no SAN without names.
    let ss = render(&env, r#"{{ genSelfSignedCert("", none, none, 10).Cert }}"#);
    let c = cert_of(&ss);
    assert_eq!(c.tbs_certificate.subject.0.len(), 0);
    assert_eq!(c.tbs_certificate.issuer.0.len(), 0);
    assert!(ext(&c, "2.5.29.17").is_none() && ext(&c, "2.5.29.14").is_none());
    verify_rsa(&c, &c);
    // Empty subject with names: SAN is critical (RFC 5280).
    let ss = render(
        &env,
        r#"{{ genSelfSignedCert("", [], ["a.example"], 1).Cert }}"#,
    );
    assert!(ext(&cert_of(&ss), "2.5.29.17").expect("san").critical);

    // ECDSA and Ed25519 keys sign with ECDSA-SHA256 and Ed25519.
    let ec = render(
        &env,
        r#"{% set k = genPrivateKey("ecdsa") %}{% set c = genSelfSignedCertWithKey("ec", ["1.2.3.4"], [], 5, k) %}{{ c.Cert }}@{{ c.Key == k }}"#,
    );
    let (pem, same) = ec.split_once('@').expect("two parts");
    assert_eq!(same, "true");
    let c = cert_of(pem);
    assert_eq!(c.signature_algorithm.oid.to_string(), "1.2.840.10045.4.3.2");
    assert!(c.signature_algorithm.parameters.is_none());
    let spki = c
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .expect("spki");
    let vk = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).expect("ec key");
    let sig = p256::ecdsa::Signature::from_der(c.signature.raw_bytes()).expect("sig");
    vk.verify(&c.tbs_certificate.to_der().expect("tbs"), &sig)
        .expect("ecdsa signature verifies");

    let ed = render(
        &env,
        r#"{{ (genPrivateKey("ed25519") | genCAWithKey("ed-ca", 5)).Cert }}"#,
    );
    let c = cert_of(&ed);
    assert_eq!(c.signature_algorithm.oid.to_string(), "1.3.101.112");
    let pk: [u8; 32] = c
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes()
        .try_into()
        .expect("32 bytes");
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&pk).expect("ed key");
    let sig = ed25519_dalek::Signature::from_slice(c.signature.raw_bytes()).expect("sig");
    vk.verify_strict(&c.tbs_certificate.to_der().expect("tbs"), &sig)
        .expect("ed25519 signature verifies");

    // genSignedCertWithKey: an EC leaf signed by an RSA CA; piped key form.
    let out = render(
        &env,
        r#"{% set ca = genCA("ca", 3) %}{% set c = genPrivateKey("ecdsa") | genSignedCertWithKey("leaf", none, ["x"], 3, ca) %}{{ ca.Cert }}@{{ c.Cert }}@{{ genSignedCertWithKey("l2", none, none, 1, ca, c.Key).Key == c.Key }}"#,
    );
    let parts: Vec<&str> = out.split('@').collect();
    let ca = cert_of(parts[0]);
    let leaf = cert_of(parts[1]);
    assert_eq!(
        leaf.tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid
            .to_string(),
        "1.2.840.10045.2.1"
    );
    verify_rsa(&leaf, &ca);
    assert_eq!(parts[2], "true");
}

#[test]
fn custom_cert_and_errors() {
    let env = env_with(3);
    let out = render(
        &env,
        r#"{% set ca = genCA("x", 1) %}{% set c = buildCustomCert(ca.Cert | b64enc, ca.Key | b64enc) %}{{ c.Cert == ca.Cert and c.Key == ca.Key }} {{ c | toJson | fromJson | list | first | keys | sortAlpha | join(",") }}"#,
    );
    assert_eq!(out, "true Cert,Key");
    for (tpl, want) in [
        (
            r#"{{ buildCustomCert("!!", "") }}"#,
            "buildCustomCert: unable to decode base64 certificate",
        ),
        (
            r#"{{ buildCustomCert("aGk=", "aGk=") }}"#,
            "buildCustomCert: unable to decode certificate",
        ),
        (
            r#"{{ genCA("x", "365") }}"#,
            "genCA: expected an integer days",
        ),
        (
            r#"{{ genCA(1, 365) }}"#,
            "genCA: expected a string common name",
        ),
        (
            r#"{{ genSelfSignedCert("x", ["1.2.3"], none, 1) }}"#,
            "genSelfSignedCert: error parsing ip: 1.2.3",
        ),
        (
            r#"{{ genSelfSignedCert("x", [1], none, 1) }}"#,
            "error parsing ip: 1 is not a string",
        ),
        (
            r#"{{ genSelfSignedCert("x", none, [1], 1) }}"#,
            "error processing alternate dns name: 1 is not a string",
        ),
        (
            r#"{{ genSelfSignedCert("x", "1.2.3.4", none, 1) }}"#,
            "genSelfSignedCert: expected a list of ips",
        ),
        (
            r#"{{ genSignedCert("x", none, none, 1, "ca") }}"#,
            "genSignedCert: expected a certificate",
        ),
        (
            r#"{{ genSignedCert("x", none, none, 1, {"Cert": "x", "Key": "y"}) }}"#,
            "genSignedCert: unable to decode certificate",
        ),
        (
            r#"{{ genCAWithKey("x", 1, "nope") }}"#,
            "genCAWithKey: parsing private key: no PEM data in input",
        ),
        (
            r#"{{ genCAWithKey("x", 1, "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n") }}"#,
            "no private key data in PEM block of type CERTIFICATE",
        ),
        (
            r#"{{ genCA("x", 99999999999999) }}"#,
            "genCA: days 99999999999999 is out of range",
        ),
        (
            r#"{{ genCA("x", 3000000) }}"#,
            "genCA: days 3000000 is out of range",
        ),
    ] {
        let e = render_err(&env, tpl);
        assert!(e.contains(want), "{tpl}: {e}");
    }
    // Mismatched CA key: Go's CreateCertificate rejects it.
    let e = render_err(
        &env,
        r#"{% set a = genCA("a", 1) %}{% set b = genCA("b", 1) %}{{ genSignedCert("x", none, none, 1, {"Cert": a.Cert, "Key": b.Key}) }}"#,
    );
    assert!(
        e.contains("provided PrivateKey doesn't match parent's PublicKey"),
        "{e}"
    );
}

#[test]
fn name_strings_and_times() {
    use x509_cert::der::{Encode as _, Tag, Tagged as _};
    // Go: PrintableString unless '*', '&' or non-ASCII; UTF8String then.
    let tag = |s: &str| name_string(s).expect("encodes").tag();
    assert_eq!(tag("my-ca"), Tag::PrintableString);
    assert_eq!(tag("*.example.com"), Tag::Utf8String);
    assert_eq!(tag("a&b"), Tag::Utf8String);
    assert_eq!(tag("é"), Tag::Utf8String);
    // Go: UTCTime through 2049, GeneralizedTime from 2050.
    let t = |s: i64| {
        let time = cert_time(jiff::Timestamp::from_second(s).expect("ts")).expect("time");
        time.to_der().expect("der")
    };
    assert_eq!(t(0), b"\x17\x0d700101000000Z");
    assert_eq!(t(2_524_608_000), b"\x18\x0f20500101000000Z");
    // Before 1970 the der crate has no time; an error, not a wrong date.
    let e = cert_time(jiff::Timestamp::from_second(-1).expect("ts")).expect_err("1969");
    assert!(format!("{e:#}").contains("1969-12-31"), "{e:#}");
}

#[test]
fn a_dns_name_outside_ascii_is_gos_ia5_error() {
    // helm 4.1.4: `error calling genSelfSignedCert: error creating
    // certificate: x509: "ü.com" cannot be encoded as an IA5String`.
    let env = env_with(1);
    let e = render_err(
        &env,
        r#"{{ genSelfSignedCert("x", none, ["ü.com"], 1).Cert }}"#,
    );
    assert!(
        e.contains(
            r#"error creating certificate: x509: "ü.com" cannot be encoded as an IA5String"#
        ),
        "{e}"
    );
}

/// Keys `helm template` generated (`genPrivateKey "ecdsa"`, `genPrivateKey
/// "ed25519"`, and a `genCA` key).
const HELM_EC: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEILEY2Fg+Ys4HrwFrjFEWUXhfiZEm2ck8+Dp8bcGkEw7OoAoGCCqGSM49\nAwEHoUQDQgAECMP2EU9UuILzewktT58eN6N/dibaq5IKc51Aet+qMggshvsjqHdH\nE6W4obRr1xpUpJSS3X69yDU5zqmVn8O8Bg==\n-----END EC PRIVATE KEY-----\n";
const HELM_ED: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGAyLR8Hqn2KQWirIfy/aVT8Dr7hR51CI8gghHix7ntR\n-----END PRIVATE KEY-----\n";
const HELM_RSA: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAqhpjBjsdzSX+vFNp0HiY4S+WxjaUcFx5PlgHRzn06JLh/y+h\naZ4IZGw8QGDXqMMeLogmpYVAUFdgQPTZetM02re6N+MqMAbUAera9/g8CVsNqAr6\nd0Ha2yuKW4fnPzrdlWfucZjaG7C/H/kXHwy/TQps8/Zim8VopvMnXzm3LKvtqZlO\nopED39iX1J+u4SG8xYxhv+CbZnV2GmKF81UTsD4TIB4sdcKIAR133QXMdHMcEHl/\n9j6HKmG3Hz75Y0TzW878sJYuvdsLbMnmnGX67wqpqf+Yg/NuvU1WKmuWX6+8aP1X\n19ZDkucvs/G1P9ImXLD5yENUxqrkH7UMji7fNwIDAQABAoIBACS/WpEoCEIfaS6q\nHnvo8a4EJ+BePicf8xlizv+2J5Bu2t/UHFzCxTFcqI+H3E8bB9QpmZ+8b65rkeG2\ng50jL5HoixQzwRNrBjX71J4pRF8JCqQ46u8EjRE4EMXBUFW6k9AJCdwEl2nP/xob\nJ8GPcWxlSjBSE+9u8DLQ6LqLr2S4zXjk4pPRH4T+m/zohth90zWUPajWadOWXaJx\nl/acf8Y+veoJ8W3xVqM2iK1yRducOz0dQZ+oPuvSHOMytzOwEd0Z4wy20bO5siFu\nNTcyptx6Pyx23i3DhOeMNvhYNuVDSQz3ner2kgNDfq4STBB/SH2xTQLXvWVT4V+v\nTdpvjUECgYEA2hXC88q0cYlVPi5363D9aZatD06tRRHS/qJCy9FuvJ8vhCNStGHe\nXsZFOZFHqANaQdmJJNI2FhRRlPJ2Qo2wv6e+ifamSrsvwSN5g/Vv3OgQTfyquIn9\nSbDERp3nRWM//OqsZJzkl8KnwaqTSwhUZEKEjRbCGPJrOlhvhYgGBMcCgYEAx60b\n6AxXCFYvbv5+Mrrznk4XWk5o/dbIaoIVMjoe7b7ib7pwDs7zOwxjzKvPuvSfE0GG\nmedacxwxLIe0rCiowDZ5PyWGd5U/9cneUIuNUKKtVirahdiWltXomEWwDTB45ERV\nmWPfPxLMEeZ9XkS9InW05GQskjQz+EK4iPtJAhECgYAVYjDdarDKuSaMlE3Z3hha\n9BU//PzsWtUPdqWKCp0LDajBEh2X5kjBjjtXa7FU/g8picTywVHgVFmzexqxZ+c+\nw5nhOTgQ98206F+P2s7/IBoJK48pzQ3y3cxBCFaW7SZnDDOfIesgHkwIp0sN/mEX\n+5W3p9WcUJjG/cjhlPbSHQKBgQC92bH26AS4QHnJJuAGjAqmMcmya2sYLudPnW9Z\n2jkeA6h4YuO4sLxDIHyjVZilQYEeZeb83iP53oxCsqTuK5qHZ0PQ7nTzrkyp/c4K\n9yTdzk7Q5t3u9Qf5UllcrqW9ZKENKIva1EKnTdAKFQSOZP0Pjqr3nOdj+46ONaIP\nXB0GgQKBgDpMzXtdSvlyCSDMVwimLcio62EXJIAy8Wr3To8B+8xSPB4Ca1xBk/lF\nB6Y/avJ95TELMOCMVyi85HHVCJH836PBFDmAwEiJS9SGYFG5tjkvt6zmRh+tHhDz\nPjLNq7WWotG5Yei5VtS2N2rH6IJfThlzMq16NPjRQAUvWK59yKEi\n-----END RSA PRIVATE KEY-----\n";

#[test]
fn helm_keys_parse_and_reencode_identically() {
    for pem in [HELM_EC, HELM_ED, HELM_RSA] {
        let key = parse_private_key_pem(pem).expect("helm key parses");
        assert_eq!(key.to_pem().expect("pem"), pem);
    }
    // The *WithKey functions return the key re-encoded like Sprig.
    let env = env_with(1);
    for pem in [HELM_EC, HELM_ED, HELM_RSA] {
        let out = env
            .render_str(
                r#"{{ genSelfSignedCertWithKey("k", none, none, 1, key).Key }}"#,
                context! { key => pem },
            )
            .expect("renders");
        assert_eq!(out, pem);
    }
}
