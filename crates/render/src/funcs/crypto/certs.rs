//! X.509 certificates as Go's `crypto/x509` writes them for Sprig's
//! `genCA`, `genSelfSignedCert`, `genSignedCert` and `buildCustomCert`.

use super::der::*;
use super::keys::*;
use super::*;

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
pub(super) struct Issuer {
    pub(super) subject: Vec<u8>,
    pub(super) skid: Option<Vec<u8>>,
    pub(super) spki: Vec<u8>,
}

pub(super) fn parse_cert(der: &[u8]) -> Result<x509_cert::Certificate, String> {
    x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())
}

pub(super) fn issuer_of(cert: &x509_cert::Certificate) -> Result<Issuer, String> {
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
pub(super) fn der_time(ts: jiff::Timestamp) -> Result<Vec<u8>, Error> {
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
pub(super) fn der_name_string(s: &str) -> Vec<u8> {
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
pub(super) fn key_usage_bits(byte: u8) -> Vec<u8> {
    let unused = byte.trailing_zeros().min(7) as u8;
    tlv(0x03, &[unused, byte])
}

pub(super) fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let crit: &[u8] = if critical { &[0x01, 0x01, 0xff] } else { &[] };
    seq(&[oid, crit, &tlv(0x04, value)])
}

/// Sprig's `getBaseCertTemplate` plus Go's `x509.CreateCertificate`.
pub(super) struct Template {
    pub(super) cn: String,
    pub(super) ips: Vec<IpAddr>,
    pub(super) dns: Vec<String>,
    pub(super) days: i64,
    pub(super) is_ca: bool,
}

pub(super) fn create_certificate(
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
pub(super) fn ip_list(func: &str, v: &Value) -> Result<Vec<IpAddr>, Error> {
    string_list(func, "ip", v)?
        .into_iter()
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| fail(format!("{func}: error parsing ip: {s}")))
        })
        .collect()
}

/// A list of strings (nil is empty), as Sprig's `[]interface{}` arguments.
pub(super) fn string_list(func: &str, what: &str, v: &Value) -> Result<Vec<String>, Error> {
    if crate::funcs::is_nil(v) {
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
                    crate::funcs::gofmt::format_value(item)
                ))
            })
        })
        .collect()
}

/// A `certificate` argument: any value with string `Cert` and `Key`.
pub(super) fn cert_arg(func: &str, v: &Value) -> Result<(String, String), Error> {
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
