//! Sprig's crypto functions (Sprig v3.3.0 `crypto.go`, as Helm 4.1.4 ships
//! it): private keys, X.509 certificates, `derivePassword`, `htpasswd`,
//! `bcrypt`, `encryptAES`/`decryptAES` and `randBytes`.
//!
//! Every random byte (keys, serial numbers, salts, IVs) comes from the
//! environment's [`Rng`], so a seeded environment gives the same PEMs, and
//! certificate validity starts at the environment's [`Clock`]; with neither
//! pinned the output is as random as Helm's.
//!
//! Certificates are built like Go's `x509.CreateCertificate` on Sprig's
//! template: v3, a random positive serial below 2^128, subject `CN=<cn>`
//! (no subject when `cn` is empty), NotBefore = now, NotAfter = now + days,
//! extensions in Go's order: key usage (critical; digital signature, key
//! encipherment, plus cert sign for `genCA`), extended key usage (server and
//! client auth), basic constraints (critical; `CA:TRUE` for `genCA`), subject
//! key id (CAs: the first 20 bytes of the SHA-256 of the public key, Go
//! 1.25), authority key id (the issuer's subject key id, when issuer and
//! subject differ) and subject alternative names (DNS names, then IPs).
//! RSA keys sign with SHA256WithRSA, P-256 keys with ECDSA-SHA256 (RFC 6979
//! deterministic signatures, where Go's are randomised), Ed25519 keys with
//! Ed25519.
//!
//! Differences from Helm: `genPrivateKey "dsa"` is an error (Go's DSA is
//! deprecated, Go cannot sign certificates with it, and generating 2048-bit
//! DSA parameters takes seconds); EC keys other than P-256 are rejected when
//! parsed.

use super::time::Clock;
use super::{Rng, describe, fail, int_arg, seq_items, str_arg};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use minijinja::Error;
use minijinja::value::{Enumerator, Object, ObjectRepr, Rest, Value};
use rand::{RngCore as _, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use x509_cert::der::{Decode, Encode};

/// RSA size of `genPrivateKey "rsa"` (Sprig: "good enough for government
/// work").
const RSA_KEY_BITS: usize = 4096;
/// RSA size of the keys `genCA`, `genSelfSignedCert` and `genSignedCert`
/// create.
const CERT_RSA_BITS: usize = 2048;
/// Go's `bcrypt.DefaultCost`.
const BCRYPT_COST: u32 = 10;
/// Largest `randBytes` count accepted.
const MAX_RAND_BYTES: i64 = 1 << 20;

// ---------------------------------------------------------------------------
// Randomness

/// A `rand_core` 0.6 generator (what the RustCrypto crates take) seeded from
/// the environment's [`Rng`].
struct KeyRng(ChaCha20Rng);

impl KeyRng {
    fn new(rng: &Rng) -> KeyRng {
        let mut seed = [0u8; 32];
        seed[..16].copy_from_slice(&rng.bytes16());
        seed[16..].copy_from_slice(&rng.bytes16());
        KeyRng(ChaCha20Rng::from_seed(seed))
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut b = vec![0u8; n];
        self.0.fill_bytes(&mut b);
        b
    }
}

impl rsa::rand_core::RngCore for KeyRng {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for KeyRng {}

// ---------------------------------------------------------------------------
// DER and PEM

/// A DER TLV.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A DER INTEGER holding the unsigned big-endian `bytes`.
fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(&trimmed);
    tlv(0x02, &content)
}

/// A DER BIT STRING of whole bytes.
fn der_bits(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0u8];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

const OID_SHA256_RSA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
];
const OID_ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
const OID_CN: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
const OID_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x25];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];
const OID_SKID: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0e];
const OID_AKID: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x23];
const OID_SAN: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x11];
const OID_SERVER_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const OID_CLIENT_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
/// The PKCS#8 algorithm OIDs of the key types Sprig parses.
const OID_STR_RSA: &str = "1.2.840.113549.1.1.1";
const OID_STR_EC: &str = "1.2.840.10045.2.1";
const OID_STR_ED25519: &str = "1.3.101.112";

/// Go's `pem.EncodeToMemory`: 64-column base64 between BEGIN/END lines.
fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Go's `pem.Decode` for the first block of `input` (headers skipped):
/// its type and DER bytes.
fn pem_decode(input: &str) -> Option<(String, Vec<u8>)> {
    let start = input.find("-----BEGIN ")?;
    let rest = &input[start + 11..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    if label.contains('\n') {
        return None;
    }
    let body = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body.find(&end_marker)?;
    let b64: String = body[..end]
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = B64.decode(b64).ok()?;
    Some((label.to_string(), der))
}

// ---------------------------------------------------------------------------
// Keys

/// A private key of a type Sprig generates and signs certificates with.
enum PrivKey {
    Rsa(Box<RsaPrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
}

impl PrivKey {
    fn generate_rsa(rng: &mut KeyRng, bits: usize, func: &str) -> Result<PrivKey, Error> {
        RsaPrivateKey::new(rng, bits)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| fail(format!("{func}: error generating rsa key: {e}")))
    }

    /// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for EC, PKCS#8 for
    /// Ed25519.
    fn to_pem(&self) -> Result<String, Error> {
        let err = |e: &dyn fmt::Display| fail(format!("error pem-encoding key: {e}"));
        Ok(match self {
            PrivKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| err(&e))?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivKey::Ec(k) => {
                // Go's MarshalECPrivateKey: version 1, the 32-byte scalar,
                // [0] the curve OID, [1] the uncompressed public point.
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                let der = seq(&[
                    &[0x02, 0x01, 0x01],
                    &tlv(0x04, &k.to_bytes()),
                    &tlv(0xa0, OID_P256),
                    &tlv(0xa1, &der_bits(point.as_bytes())),
                ]);
                pem_encode("EC PRIVATE KEY", &der)
            }
            PrivKey::Ed(k) => {
                // Go's MarshalPKCS8PrivateKey: version 0, no public key.
                let inner = tlv(0x04, k.as_bytes());
                let der = seq(&[
                    &[0x02, 0x01, 0x00],
                    &seq(&[OID_ED25519]),
                    &tlv(0x04, &inner),
                ]);
                pem_encode("PRIVATE KEY", &der)
            }
        })
    }

    /// The DER SubjectPublicKeyInfo.
    fn spki(&self) -> Result<Vec<u8>, Error> {
        let err = |e: &dyn fmt::Display| fail(format!("error encoding public key: {e}"));
        match self {
            PrivKey::Rsa(k) => RsaPublicKey::from(k.as_ref())
                .to_public_key_der()
                .map(|d| d.into_vec())
                .map_err(|e| err(&e)),
            PrivKey::Ec(k) => k
                .public_key()
                .to_public_key_der()
                .map(|d| d.into_vec())
                .map_err(|e| err(&e)),
            PrivKey::Ed(k) => Ok(seq(&[
                &seq(&[OID_ED25519]),
                &der_bits(k.verifying_key().as_bytes()),
            ])),
        }
    }

    /// The signature AlgorithmIdentifier Go picks for this key.
    fn sig_alg(&self) -> Vec<u8> {
        match self {
            PrivKey::Rsa(_) => seq(&[OID_SHA256_RSA, &[0x05, 0x00]]),
            PrivKey::Ec(_) => seq(&[OID_ECDSA_SHA256]),
            PrivKey::Ed(_) => seq(&[OID_ED25519]),
        }
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            PrivKey::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(k.as_ref().clone());
                let sig = signer
                    .try_sign(msg)
                    .map_err(|e| fail(format!("error creating certificate: {e}")))?;
                Ok(sig.to_vec())
            }
            PrivKey::Ec(k) => {
                let signer = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::Signature = signer.sign(msg);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivKey::Ed(k) => {
                use ed25519_dalek::Signer as _;
                Ok(k.sign(msg).to_bytes().to_vec())
            }
        }
    }
}

/// Sprig's `parsePrivateKeyPEM`: PKCS#8 (`PRIVATE KEY`), PKCS#1
/// (`RSA PRIVATE KEY`) or SEC 1 (`EC PRIVATE KEY`).
fn parse_private_key_pem(pem: &str) -> Result<PrivKey, String> {
    let (label, der) = pem_decode(pem).ok_or("no PEM data in input")?;
    if label == "PRIVATE KEY" {
        let info = rsa::pkcs8::PrivateKeyInfo::try_from(der.as_slice())
            .map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?;
        let oid = info.algorithm.oid.to_string();
        return match oid.as_str() {
            OID_STR_RSA => RsaPrivateKey::from_pkcs8_der(&der)
                .map(|k| PrivKey::Rsa(Box::new(k)))
                .map_err(|e| format!("decoding PEM as PKCS#8: {e}")),
            OID_STR_EC => p256::SecretKey::from_pkcs8_der(&der)
                .map(PrivKey::Ec)
                .map_err(|e| format!("decoding PEM as PKCS#8: unsupported EC key: {e}")),
            OID_STR_ED25519 => {
                // CurvePrivateKey ::= OCTET STRING (32 bytes)
                match info.private_key {
                    [0x04, 0x20, seed @ ..] if seed.len() == 32 => {
                        let mut b = [0u8; 32];
                        b.copy_from_slice(seed);
                        Ok(PrivKey::Ed(ed25519_dalek::SigningKey::from_bytes(&b)))
                    }
                    _ => Err("decoding PEM as PKCS#8: invalid Ed25519 private key".into()),
                }
            }
            other => Err(format!(
                "decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: {other}"
            )),
        };
    }
    let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {label}"));
    };
    match kind {
        "RSA" => RsaPrivateKey::from_pkcs1_der(&der)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC" => p256::SecretKey::from_sec1_der(&der)
            .map(PrivKey::Ec)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => Err("parsing DSA private key from PEM: dsa keys are not supported".into()),
        _ => Err(format!("invalid private key type {label}")),
    }
}

// ---------------------------------------------------------------------------
// Certificates

/// Sprig's `certificate` struct: `.Cert` and `.Key` hold PEM text. It
/// behaves as a map with those two keys (so `toJson` and `keys` work).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The PEM `CERTIFICATE` block.
    pub cert: String,
    /// The PEM private key block.
    pub key: String,
}

impl Object for Certificate {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "Cert" => Some(Value::from(self.cert.clone())),
            "Key" => Some(Value::from(self.key.clone())),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["Cert", "Key"])
    }
}

/// The parts of a signing certificate that a signed certificate needs.
struct Issuer {
    subject: Vec<u8>,
    skid: Option<Vec<u8>>,
    spki: Vec<u8>,
}

fn parse_cert(der: &[u8]) -> Result<x509_cert::Certificate, String> {
    x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())
}

fn issuer_of(cert: &x509_cert::Certificate) -> Result<Issuer, String> {
    let tbs = &cert.tbs_certificate;
    let subject = tbs.subject.to_der().map_err(|e| e.to_string())?;
    let spki = tbs
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())?;
    let skid = tbs.extensions.as_ref().and_then(|exts| {
        exts.iter()
            .find(|e| e.extn_id.to_string() == "2.5.29.14")
            .and_then(|e| match e.extn_value.as_bytes() {
                [0x04, n, id @ ..] if usize::from(*n) == id.len() && !id.is_empty() => {
                    Some(id.to_vec())
                }
                _ => None,
            })
    });
    Ok(Issuer {
        subject,
        skid,
        spki,
    })
}

/// Go's `asn1.Marshal` of a time: UTCTime for 1950..2049, else
/// GeneralizedTime (seconds, `Z`).
fn der_time(ts: jiff::Timestamp) -> Result<Vec<u8>, Error> {
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let year = dt.year();
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if (1950..2050).contains(&year) {
        Ok(tlv(0x17, format!("{:02}{rest}", year % 100).as_bytes()))
    } else if (0..=9999).contains(&year) {
        Ok(tlv(0x18, format!("{year:04}{rest}").as_bytes()))
    } else {
        Err(fail("cannot represent time as GeneralizedTime"))
    }
}

/// Go's `asn1` string choice for a name attribute: PrintableString when
/// every character allows it (no `*` or `&`), else UTF8String.
fn der_name_string(s: &str) -> Vec<u8> {
    let printable = s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
            )
    });
    tlv(if printable { 0x13 } else { 0x0c }, s.as_bytes())
}

/// Go's `x509` KeyUsage BIT STRING: bit 0 is the most significant bit,
/// trailing zero bits are dropped.
fn key_usage_bits(byte: u8) -> Vec<u8> {
    let unused = byte.trailing_zeros().min(7) as u8;
    tlv(0x03, &[unused, byte])
}

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let crit: &[u8] = if critical { &[0x01, 0x01, 0xff] } else { &[] };
    seq(&[oid, crit, &tlv(0x04, value)])
}

/// Sprig's `getBaseCertTemplate` plus Go's `x509.CreateCertificate`.
struct Template {
    cn: String,
    ips: Vec<IpAddr>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

fn create_certificate(
    func: &str,
    tpl: &Template,
    subject_key: &PrivKey,
    issuer: Option<(&Issuer, &PrivKey)>,
    rng: &mut KeyRng,
    clock: &Clock,
) -> Result<Certificate, Error> {
    let wrap = |e: Error| fail(format!("{func}: {}", e.detail().unwrap_or_default()));
    // Serial: rand.Int(rand.Reader, 2^128).
    let serial = der_uint(&rng.bytes(16));
    let subject = if tpl.cn.is_empty() {
        seq(&[])
    } else {
        let atv = seq(&[OID_CN, &der_name_string(&tpl.cn)]);
        seq(&[&tlv(0x31, &atv)])
    };
    let spki = subject_key.spki().map_err(wrap)?;
    let (issuer_name, signer, parent_skid) = match issuer {
        Some((iss, key)) => {
            if key.spki().map_err(wrap)? != iss.spki {
                return Err(fail(format!(
                    "{func}: error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
                )));
            }
            (iss.subject.clone(), key, iss.skid.clone())
        }
        None => (subject.clone(), subject_key, None),
    };
    let now = clock.now();
    let secs = tpl
        .days
        .checked_mul(86_400)
        .ok_or_else(|| fail(format!("{func}: days {} is out of range", tpl.days)))?;
    let not_after = jiff::SignedDuration::from_secs(secs);
    let not_after = now
        .checked_add(not_after)
        .map_err(|_| fail(format!("{func}: days {} is out of range", tpl.days)))?;
    let validity = seq(&[
        &der_time(now).map_err(wrap)?,
        &der_time(not_after).map_err(wrap)?,
    ]);

    let mut exts: Vec<Vec<u8>> = Vec::new();
    let ku: u8 = if tpl.is_ca { 0xa4 } else { 0xa0 };
    exts.push(extension(OID_KEY_USAGE, true, &key_usage_bits(ku)));
    exts.push(extension(
        OID_EXT_KEY_USAGE,
        false,
        &seq(&[OID_SERVER_AUTH, OID_CLIENT_AUTH]),
    ));
    let bc: Vec<u8> = if tpl.is_ca {
        seq(&[&[0x01, 0x01, 0xff]])
    } else {
        seq(&[])
    };
    exts.push(extension(OID_BASIC_CONSTRAINTS, true, &bc));
    if tpl.is_ca {
        // Go 1.25: RFC 7093 method 1, the leftmost 160 bits of the SHA-256
        // of the subjectPublicKey bits.
        let info = rsa::pkcs8::spki::SubjectPublicKeyInfoRef::from_der(&spki)
            .map_err(|e| fail(format!("{func}: error encoding public key: {e}")))?;
        let hash = Sha256::digest(info.subject_public_key.raw_bytes());
        exts.push(extension(OID_SKID, false, &tlv(0x04, &hash[..20])));
    }
    if issuer_name != subject
        && let Some(skid) = parent_skid
    {
        exts.push(extension(OID_AKID, false, &seq(&[&tlv(0x80, &skid)])));
    }
    if !tpl.dns.is_empty() || !tpl.ips.is_empty() {
        let mut names = Vec::new();
        for d in &tpl.dns {
            names.extend(tlv(0x82, d.as_bytes()));
        }
        for ip in &tpl.ips {
            let bytes = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.extend(tlv(0x87, &bytes));
        }
        // RFC 5280: critical when the subject is empty.
        exts.push(extension(OID_SAN, tpl.cn.is_empty(), &tlv(0x30, &names)));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    let extensions = tlv(0xa3, &seq(&ext_refs));

    let sig_alg = signer.sig_alg();
    let tbs = seq(&[
        &[0xa0, 0x03, 0x02, 0x01, 0x02],
        &serial,
        &sig_alg,
        &issuer_name,
        &validity,
        &subject,
        &spki,
        &extensions,
    ]);
    let signature = signer.sign(&tbs).map_err(wrap)?;
    let der = seq(&[&tbs, &sig_alg, &der_bits(&signature)]);
    Ok(Certificate {
        cert: pem_encode("CERTIFICATE", &der),
        key: subject_key.to_pem().map_err(wrap)?,
    })
}

/// Sprig's `getNetIPs`: every item a string Go's `net.ParseIP` accepts.
fn ip_list(func: &str, v: &Value) -> Result<Vec<IpAddr>, Error> {
    string_list(func, "ip", v)?
        .into_iter()
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| fail(format!("{func}: error parsing ip: {s}")))
        })
        .collect()
}

/// A list of strings (nil is empty), as Sprig's `[]interface{}` arguments.
fn string_list(func: &str, what: &str, v: &Value) -> Result<Vec<String>, Error> {
    if super::is_nil(v) {
        return Ok(Vec::new());
    }
    let items = seq_items(v).ok_or_else(|| {
        fail(format!(
            "{func}: expected a list of {what}s, got {}",
            describe(v)
        ))
    })?;
    items
        .iter()
        .map(|item| {
            item.as_str().map(str::to_string).ok_or_else(|| {
                let what = if what == "ip" {
                    "error parsing ip"
                } else {
                    "error processing alternate dns name"
                };
                fail(format!(
                    "{func}: {what}: {} is not a string",
                    super::gofmt::format_value(item)
                ))
            })
        })
        .collect()
}

/// A `certificate` argument: any value with string `Cert` and `Key`.
fn cert_arg(func: &str, v: &Value) -> Result<(String, String), Error> {
    let field = |name: &str| {
        v.get_attr(name)
            .ok()
            .and_then(|f| f.as_str().map(str::to_string))
    };
    match (field("Cert"), field("Key")) {
        (Some(c), Some(k)) => Ok((c, k)),
        _ => Err(fail(format!(
            "{func}: expected a certificate (with Cert and Key), got {}",
            describe(v)
        ))),
    }
}

/// The crypto functions' shared state.
struct Crypto {
    rng: Arc<Rng>,
    clock: Arc<Clock>,
}

impl Crypto {
    fn template(
        &self,
        func: &str,
        cn: &Value,
        ips: &Value,
        dns: &Value,
        days: &Value,
        is_ca: bool,
    ) -> Result<Template, Error> {
        Ok(Template {
            cn: str_arg(func, "common name", cn)?.to_string(),
            ips: ip_list(func, ips)?,
            dns: string_list(func, "dns name", dns)?,
            days: int_arg(func, "days", days)?,
            is_ca,
        })
    }

    fn key_from_pem(&self, func: &str, key: &Value) -> Result<PrivKey, Error> {
        let pem = str_arg(func, "private key", key)?;
        parse_private_key_pem(pem).map_err(|e| fail(format!("{func}: parsing private key: {e}")))
    }

    /// `genCA` / `genCAWithKey`.
    fn ca(
        &self,
        func: &str,
        cn: &Value,
        days: &Value,
        key: Option<&Value>,
    ) -> Result<Certificate, Error> {
        let nil = Value::from(());
        let tpl = self.template(func, cn, &nil, &nil, days, true)?;
        let mut rng = KeyRng::new(&self.rng);
        let key = match key {
            Some(k) => self.key_from_pem(func, k)?,
            None => PrivKey::generate_rsa(&mut rng, CERT_RSA_BITS, func)?,
        };
        create_certificate(func, &tpl, &key, None, &mut rng, &self.clock)
    }

    /// `genSelfSignedCert` / `genSelfSignedCertWithKey`.
    fn self_signed(
        &self,
        func: &str,
        args: [&Value; 4],
        key: Option<&Value>,
    ) -> Result<Certificate, Error> {
        let [cn, ips, dns, days] = args;
        let tpl = self.template(func, cn, ips, dns, days, false)?;
        let mut rng = KeyRng::new(&self.rng);
        let key = match key {
            Some(k) => self.key_from_pem(func, k)?,
            None => PrivKey::generate_rsa(&mut rng, CERT_RSA_BITS, func)?,
        };
        create_certificate(func, &tpl, &key, None, &mut rng, &self.clock)
    }

    /// `genSignedCert` / `genSignedCertWithKey`.
    fn signed(
        &self,
        func: &str,
        args: [&Value; 4],
        ca: &Value,
        key: Option<&Value>,
    ) -> Result<Certificate, Error> {
        let [cn, ips, dns, days] = args;
        let tpl = self.template(func, cn, ips, dns, days, false)?;
        let (ca_cert, ca_key) = cert_arg(func, ca)?;
        let (_, der) = pem_decode(&ca_cert)
            .ok_or_else(|| fail(format!("{func}: unable to decode certificate")))?;
        let parsed = parse_cert(&der).map_err(|e| {
            fail(format!(
                "{func}: error parsing certificate: decodedSignerCert.Bytes: {e}"
            ))
        })?;
        let issuer = issuer_of(&parsed).map_err(|e| {
            fail(format!(
                "{func}: error parsing certificate: decodedSignerCert.Bytes: {e}"
            ))
        })?;
        let signer_key = parse_private_key_pem(&ca_key)
            .map_err(|e| fail(format!("{func}: error parsing private key: {e}")))?;
        let mut rng = KeyRng::new(&self.rng);
        let key = match key {
            Some(k) => self.key_from_pem(func, k)?,
            None => PrivKey::generate_rsa(&mut rng, CERT_RSA_BITS, func)?,
        };
        create_certificate(
            func,
            &tpl,
            &key,
            Some((&issuer, &signer_key)),
            &mut rng,
            &self.clock,
        )
    }
}

/// Helm `genPrivateKey "ecdsa"`: `{{ genPrivateKey("ecdsa") }}` or
/// `{{ "ed25519" | genPrivateKey }}`. `"rsa"` (or `""`) is a 4096-bit RSA
/// key (`RSA PRIVATE KEY`), `"ecdsa"` a P-256 key (`EC PRIVATE KEY`),
/// `"ed25519"` a PKCS#8 `PRIVATE KEY`. Like Sprig, an unknown type gives the
/// text `Unknown type <typ>`; `"dsa"` is an error in rudder.
pub fn gen_private_key(rng: &Rng, typ: &str) -> Result<String, Error> {
    let mut rng = KeyRng::new(rng);
    let key = match typ {
        "" | "rsa" => PrivKey::generate_rsa(&mut rng, RSA_KEY_BITS, "genPrivateKey")?,
        "ecdsa" => PrivKey::Ec(p256::SecretKey::random(&mut rng)),
        "ed25519" => {
            let mut seed = [0u8; 32];
            seed.copy_from_slice(&rng.bytes(32));
            PrivKey::Ed(ed25519_dalek::SigningKey::from_bytes(&seed))
        }
        "dsa" => {
            return Err(fail(
                "genPrivateKey: dsa keys are not supported (use rsa, ecdsa or ed25519)",
            ));
        }
        other => return Ok(format!("Unknown type {other}")),
    };
    key.to_pem()
        .map_err(|e| fail(format!("genPrivateKey: {}", e.detail().unwrap_or_default())))
}

/// Helm `buildCustomCert "<b64 cert>" "<b64 key>"`:
/// `{{ buildCustomCert(Values.crt, Values.key).Cert }}`. Both arguments are
/// base64 of PEM text; the certificate must parse and the key must be a
/// private key Sprig can parse.
pub fn build_custom_cert(cert_b64: &str, key_b64: &str) -> Result<Certificate, Error> {
    let f = "buildCustomCert";
    let cert = B64
        .decode(cert_b64)
        .map_err(|_| fail(format!("{f}: unable to decode base64 certificate")))?;
    let key = B64
        .decode(key_b64)
        .map_err(|_| fail(format!("{f}: unable to decode base64 private key")))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, der) =
        pem_decode(&cert).ok_or_else(|| fail(format!("{f}: unable to decode certificate")))?;
    parse_cert(&der).map_err(|e| {
        fail(format!(
            "{f}: error parsing certificate: decodedCert.Bytes: {e}"
        ))
    })?;
    parse_private_key_pem(&key)
        .map_err(|e| fail(format!("{f}: error parsing private key: {e}")))?;
    Ok(Certificate { cert, key })
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Helm `derivePassword 1 "long" "password" "user" "example.com"`:
/// `{{ derivePassword(1, "long", "password", "user", "example.com") }}`.
/// Sprig's Master Password algorithm (scrypt N=32768, r=8, p=2, then
/// HMAC-SHA256 over the site); gives Helm's exact output. An unknown type
/// gives the text `cannot find password template <type>`, like Sprig.
pub fn derive_password(
    counter: u32,
    password_type: &str,
    password: &str,
    user: &str,
    site: &str,
) -> Result<String, Error> {
    use hmac::Mac as _;
    let Some(templates) = password_templates(password_type) else {
        return Ok(format!("cannot find password template {password_type}"));
    };
    let len32 = |s: &str| u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes();
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&len32(user));
    salt.extend_from_slice(user.as_bytes());
    let params = scrypt::Params::new(15, 8, 2, 64)
        .map_err(|e| fail(format!("derivePassword: failed to derive password: {e}")))?;
    let mut key = [0u8; 64];
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key)
        .map_err(|e| fail(format!("derivePassword: failed to derive password: {e}")))?;
    let mut msg = MASTER_PASSWORD_SEED.to_vec();
    msg.extend_from_slice(&len32(site));
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|e| fail(format!("derivePassword: failed to derive password: {e}")))?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let first = usize::from(seed.first().copied().unwrap_or(0));
    let template = templates
        .get(first % templates.len().max(1))
        .copied()
        .unwrap_or_default();
    Ok(template
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_chars(c);
            let n = usize::from(seed.get(i + 1).copied().unwrap_or(0));
            char::from(chars.get(n % chars.len()).copied().unwrap_or(b'?'))
        })
        .collect())
}

/// Helm `bcrypt "secret"`: `{{ "secret" | bcrypt }}`. A `$2a$10$` bcrypt
/// hash with a salt from the environment's random source. Like Sprig, a
/// password over 72 bytes gives the text `failed to encrypt string with
/// bcrypt: bcrypt: password length exceeds 72 bytes`.
pub fn bcrypt_hash(rng: &Rng, input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_string();
    }
    match bcrypt::hash_with_salt(input, BCRYPT_COST, rng.bytes16()) {
        Ok(parts) => parts.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// Helm `htpasswd "user" "secret"`: `{{ htpasswd("user", "secret") }}` or
/// `{{ Values.password | htpasswd("user") }}`. `user:<bcrypt hash>`; a user
/// name with `:` gives the text `invalid username: <user>`, like Sprig.
pub fn htpasswd(rng: &Rng, user: &str, password: &str) -> String {
    if user.contains(':') {
        return format!("invalid username: {user}");
    }
    format!("{user}:{}", bcrypt_hash(rng, password))
}

fn aes_key(password: &str) -> aes::Aes256 {
    use aes::cipher::KeyInit as _;
    // Go: key := make([]byte, 32); copy(key, []byte(password))
    let mut key = [0u8; 32];
    for (k, b) in key.iter_mut().zip(password.bytes()) {
        *k = b;
    }
    aes::Aes256::new(&key.into())
}

/// Helm `encryptAES "key" "text"`: `{{ "text" | encryptAES("key") }}`.
/// AES-256-CBC with the password zero-padded to 32 bytes, PKCS#7 padding
/// and a random IV in front, base64-encoded; `""` stays `""`.
pub fn encrypt_aes(rng: &Rng, password: &str, plaintext: &str) -> String {
    use aes::cipher::BlockEncrypt as _;
    if plaintext.is_empty() {
        return String::new();
    }
    let cipher = aes_key(password);
    let mut content = plaintext.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let iv = rng.bytes16();
    let mut out = iv.to_vec();
    let mut prev = iv;
    for chunk in content.chunks(16) {
        let mut block = [0u8; 16];
        for (i, b) in block.iter_mut().enumerate() {
            *b = chunk.get(i).copied().unwrap_or(0) ^ prev[i];
        }
        let mut ga = block.into();
        cipher.encrypt_block(&mut ga);
        prev = ga.into();
        out.extend_from_slice(&prev);
    }
    B64.encode(out)
}

/// Helm `decryptAES "key" "<base64>"`: `{{ Values.secret | decryptAES("key")
/// }}`. The inverse of [`encrypt_aes`]; `""` stays `""`.
pub fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, Error> {
    use aes::cipher::BlockDecrypt as _;
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = B64
        .decode(crypt64)
        .map_err(|e| fail(format!("decryptAES: {e}")))?;
    if crypt.len() < 16 {
        return Err(fail("decryptAES: ciphertext is shorter than the iv"));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(fail("decryptAES: crypto/cipher: input not full blocks"));
    }
    let cipher = aes_key(password);
    let mut prev: [u8; 16] = [0; 16];
    prev.copy_from_slice(iv);
    let mut out = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut ga = aes::Block::clone_from_slice(chunk);
        cipher.decrypt_block(&mut ga);
        for (i, b) in ga.iter().enumerate() {
            out.push(b ^ prev[i]);
        }
        prev.copy_from_slice(chunk);
    }
    // Go: decrypted[:len(decrypted)-int(decrypted[len(decrypted)-1])]
    let pad = usize::from(out.last().copied().unwrap_or(0));
    if pad > out.len() {
        return Err(fail("decryptAES: invalid padding (wrong key?)"));
    }
    out.truncate(out.len() - pad);
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Helm `randBytes 24`: `{{ randBytes(24) }}`, base64 of that many random
/// bytes.
pub fn rand_bytes(rng: &Rng, count: i64) -> Result<String, Error> {
    if count > MAX_RAND_BYTES {
        return Err(fail(format!("randBytes: count {count} is too large")));
    }
    let count = usize::try_from(count)
        .map_err(|_| fail(format!("randBytes: count {count} is negative")))?;
    let mut buf = Vec::with_capacity(count + 16);
    while buf.len() < count {
        buf.extend_from_slice(&rng.bytes16());
    }
    buf.truncate(count);
    Ok(B64.encode(buf))
}

fn six_args<'a>(func: &str, args: &'a [Value]) -> Result<[&'a Value; 6], Error> {
    match args {
        [a, b, c, d, e, f] => Ok([a, b, c, d, e, f]),
        _ => Err(fail(format!(
            "{func}: expected 6 arguments, got {}",
            args.len()
        ))),
    }
}

fn five_args<'a>(func: &str, args: &'a [Value]) -> Result<[&'a Value; 5], Error> {
    match args {
        [a, b, c, d, e] => Ok([a, b, c, d, e]),
        _ => Err(fail(format!(
            "{func}: expected 5 arguments after the piped key, got {}",
            args.len()
        ))),
    }
}

fn u32_arg(func: &str, what: &str, v: &Value) -> Result<u32, Error> {
    let n = int_arg(func, what, v)?;
    u32::try_from(n).map_err(|_| fail(format!("{func}: {what} {n} is out of range for uint32")))
}

/// Installs the crypto functions.
///
/// Globals: genPrivateKey, genCA, genCAWithKey, genSelfSignedCert,
/// genSelfSignedCertWithKey, genSignedCert, genSignedCertWithKey,
/// buildCustomCert, derivePassword, htpasswd, bcrypt, encryptAES,
/// decryptAES, randBytes (Helm's argument order).
///
/// Filters (Helm's last argument piped in): genPrivateKey (type), bcrypt
/// (password), htpasswd (password), encryptAES/decryptAES (text),
/// genCAWithKey / genSelfSignedCertWithKey / genSignedCertWithKey (key) and
/// genSignedCert (ca): `{{ ca | genSignedCert("cn", ips, dns, 365) }}`.
pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>, rng: Arc<Rng>, clock: Arc<Clock>) {
    let c = Arc::new(Crypto {
        rng: rng.clone(),
        clock,
    });

    let r = rng.clone();
    let gen_key = move |typ: &Value| -> Result<String, Error> {
        gen_private_key(&r, str_arg("genPrivateKey", "key type", typ)?)
    };
    env.add_function("genPrivateKey", gen_key.clone());
    env.add_filter("genPrivateKey", gen_key);

    let cc = c.clone();
    env.add_function("genCA", move |cn: &Value, days: &Value| {
        cc.ca("genCA", cn, days, None).map(Value::from_object)
    });
    let cc = c.clone();
    env.add_function(
        "genCAWithKey",
        move |cn: &Value, days: &Value, key: &Value| {
            cc.ca("genCAWithKey", cn, days, Some(key))
                .map(Value::from_object)
        },
    );
    let cc = c.clone();
    env.add_filter(
        "genCAWithKey",
        move |key: &Value, cn: &Value, days: &Value| {
            cc.ca("genCAWithKey", cn, days, Some(key))
                .map(Value::from_object)
        },
    );

    let cc = c.clone();
    env.add_function(
        "genSelfSignedCert",
        move |cn: &Value, ips: &Value, dns: &Value, days: &Value| {
            cc.self_signed("genSelfSignedCert", [cn, ips, dns, days], None)
                .map(Value::from_object)
        },
    );
    let cc = c.clone();
    env.add_function(
        "genSelfSignedCertWithKey",
        move |cn: &Value, ips: &Value, dns: &Value, days: &Value, key: &Value| {
            cc.self_signed("genSelfSignedCertWithKey", [cn, ips, dns, days], Some(key))
                .map(Value::from_object)
        },
    );
    let cc = c.clone();
    env.add_filter(
        "genSelfSignedCertWithKey",
        move |key: &Value, cn: &Value, ips: &Value, dns: &Value, days: &Value| {
            cc.self_signed("genSelfSignedCertWithKey", [cn, ips, dns, days], Some(key))
                .map(Value::from_object)
        },
    );

    let cc = c.clone();
    env.add_function(
        "genSignedCert",
        move |cn: &Value, ips: &Value, dns: &Value, days: &Value, ca: &Value| {
            cc.signed("genSignedCert", [cn, ips, dns, days], ca, None)
                .map(Value::from_object)
        },
    );
    let cc = c.clone();
    env.add_filter(
        "genSignedCert",
        move |ca: &Value, cn: &Value, ips: &Value, dns: &Value, days: &Value| {
            cc.signed("genSignedCert", [cn, ips, dns, days], ca, None)
                .map(Value::from_object)
        },
    );
    let cc = c.clone();
    env.add_function("genSignedCertWithKey", move |args: Rest<Value>| {
        let f = "genSignedCertWithKey";
        let [cn, ips, dns, days, ca, key] = six_args(f, &args)?;
        cc.signed(f, [cn, ips, dns, days], ca, Some(key))
            .map(Value::from_object)
    });
    let cc = c.clone();
    env.add_filter(
        "genSignedCertWithKey",
        move |key: &Value, args: Rest<Value>| {
            let f = "genSignedCertWithKey";
            let [cn, ips, dns, days, ca] = five_args(f, &args)?;
            cc.signed(f, [cn, ips, dns, days], ca, Some(key))
                .map(Value::from_object)
        },
    );

    env.add_function("buildCustomCert", |cert: &Value, key: &Value| {
        let f = "buildCustomCert";
        build_custom_cert(
            str_arg(f, "certificate", cert)?,
            str_arg(f, "private key", key)?,
        )
        .map(Value::from_object)
    });

    env.add_function(
        "derivePassword",
        |counter: &Value, typ: &Value, password: &Value, user: &Value, site: &Value| {
            let f = "derivePassword";
            derive_password(
                u32_arg(f, "counter", counter)?,
                str_arg(f, "password type", typ)?,
                str_arg(f, "password", password)?,
                str_arg(f, "user", user)?,
                str_arg(f, "site", site)?,
            )
        },
    );

    let r = rng.clone();
    let bc = move |input: &Value| -> Result<String, Error> {
        Ok(bcrypt_hash(&r, str_arg("bcrypt", "", input)?))
    };
    env.add_function("bcrypt", bc.clone());
    env.add_filter("bcrypt", bc);

    // Two-argument functions whose subject is Helm's last argument: the
    // global keeps Helm's order, the filter takes the piped subject first.
    let r = rng.clone();
    let htpasswd_fn = move |user: &Value, password: &Value| -> Result<String, Error> {
        let f = "htpasswd";
        Ok(htpasswd(
            &r,
            str_arg(f, "user", user)?,
            str_arg(f, "password", password)?,
        ))
    };
    let r = rng.clone();
    let encrypt_fn = move |key: &Value, text: &Value| -> Result<String, Error> {
        let f = "encryptAES";
        Ok(encrypt_aes(
            &r,
            str_arg(f, "key", key)?,
            str_arg(f, "text", text)?,
        ))
    };
    let decrypt_fn = |key: &Value, text: &Value| -> Result<String, Error> {
        let f = "decryptAES";
        decrypt_aes(str_arg(f, "key", key)?, str_arg(f, "text", text)?)
    };
    add_pair(env, "htpasswd", htpasswd_fn);
    add_pair(env, "encryptAES", encrypt_fn);
    add_pair(env, "decryptAES", decrypt_fn);

    env.add_function("randBytes", move |n: &Value| {
        rand_bytes(&rng, int_arg("randBytes", "count", n)?)
    });
}

/// Registers `f(a, b)` as the global `name` and, with the piped value as
/// its subject, the filter `b | name(a)`.
fn add_pair<F>(env: &mut super::inventory::Reg<'_, '_>, name: &'static str, f: F)
where
    F: Fn(&Value, &Value) -> Result<String, Error> + Clone + Send + Sync + 'static,
{
    let g = f.clone();
    env.add_function(name, move |a: &Value, b: &Value| g(a, b));
    env.add_filter(name, move |b: &Value, a: &Value| f(a, b));
}

#[cfg(test)]
#[path = "crypto_tests.rs"]
mod tests;
