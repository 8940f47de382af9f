//! X.509 certificates as Go's `crypto/x509` writes them for Sprig's
//! `genCA`, `genSelfSignedCert`, `genSignedCert` and `buildCustomCert`.

use super::keys::*;
use super::pem::*;
use super::*;
use const_oid::AssociatedOid as _;
use const_oid::db::{rfc4519, rfc5280};
use x509_cert::der::asn1::{
    Any, BitString, GeneralizedTime, Ia5String, OctetString, PrintableStringRef, SetOfVec, UtcTime,
    Utf8StringRef,
};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};
use x509_cert::{TbsCertificate, Version};

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
    pub(super) subject: Name,
    pub(super) skid: Option<OctetString>,
    pub(super) spki: SubjectPublicKeyInfoOwned,
}

pub(super) fn parse_cert(der: &[u8]) -> Result<x509_cert::Certificate, String> {
    x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())
}

pub(super) fn issuer_of(cert: &x509_cert::Certificate) -> Issuer {
    let tbs = &cert.tbs_certificate;
    let skid = tbs.extensions.iter().flatten().find_map(|e| {
        (e.extn_id == SubjectKeyIdentifier::OID)
            .then(|| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .flatten()
            .map(|id| id.0)
            .filter(|id| !id.is_empty())
    });
    Issuer {
        subject: tbs.subject.clone(),
        skid,
        spki: tbs.subject_public_key_info.clone(),
    }
}

/// Go's `asn1.Marshal` of a time: UTCTime for 1950..2049, else
/// GeneralizedTime (whole seconds, `Z`). The `der` crate's times start in
/// 1970, so a validity before 1970 (only reachable with a large negative
/// `days`) is an error here where Go writes it.
pub(super) fn cert_time(ts: jiff::Timestamp) -> Result<Time, Error> {
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let unrepresentable = || {
        fail(format!(
            "cannot represent time {} in a certificate (years 1970 to 9999)",
            dt.date()
        ))
    };
    let year = u16::try_from(dt.year()).map_err(|_| unrepresentable())?;
    // jiff's month, day, hour, minute and second are in range by type.
    let part = |n: i8| u8::try_from(n).unwrap_or_default();
    let dt = x509_cert::der::DateTime::new(
        year,
        part(dt.month()),
        part(dt.day()),
        part(dt.hour()),
        part(dt.minute()),
        part(dt.second()),
    )
    .map_err(|_| unrepresentable())?;
    if year <= UtcTime::MAX_YEAR {
        UtcTime::from_date_time(dt)
            .map(Time::UtcTime)
            .map_err(|_| unrepresentable())
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_date_time(dt)))
    }
}

/// Go's `asn1` string choice for a name attribute: PrintableString when
/// every character allows it (Go rejects `*` and `&` there too), else
/// UTF8String.
pub(super) fn name_string(s: &str) -> x509_cert::der::Result<Any> {
    match PrintableStringRef::new(s) {
        Ok(p) if !s.contains(['*', '&']) => Any::encode_from(&p),
        _ => Any::encode_from(&Utf8StringRef::new(s)?),
    }
}

/// A subject of one common name, or the empty name Go writes for `""`.
fn subject_name(cn: &str) -> x509_cert::der::Result<Name> {
    if cn.is_empty() {
        return Ok(RdnSequence(Vec::new()));
    }
    let atv = x509_cert::attr::AttributeTypeAndValue {
        oid: rfc4519::CN,
        value: name_string(cn)?,
    };
    let rdn = RelativeDistinguishedName(SetOfVec::try_from(vec![atv])?);
    Ok(RdnSequence(vec![rdn]))
}

fn extension<T: x509_cert::der::Encode + const_oid::AssociatedOid>(
    critical: bool,
    value: &T,
) -> x509_cert::der::Result<Extension> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// Sprig's `getBaseCertTemplate` plus Go's `x509.CreateCertificate`.
pub(super) struct Template {
    pub(super) cn: String,
    pub(super) ips: Vec<IpAddr>,
    pub(super) dns: Vec<String>,
    pub(super) days: i64,
    pub(super) is_ca: bool,
}

/// The extensions Go writes for Sprig's template, in Go's order
/// (`buildCertExtensions`): key usage, extended key usage, basic
/// constraints, subject key id (CAs), authority key id (signed),
/// subject alternative names.
fn extensions(
    tpl: &Template,
    spki: &SubjectPublicKeyInfoOwned,
    akid: Option<OctetString>,
) -> Result<Vec<Extension>, String> {
    let der = |e: x509_cert::der::Error| e.to_string();
    let mut usage = KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment;
    if tpl.is_ca {
        usage |= KeyUsages::KeyCertSign;
    }
    let mut exts = vec![
        extension(true, &KeyUsage(usage)).map_err(der)?,
        extension(
            false,
            &ExtendedKeyUsage(vec![rfc5280::ID_KP_SERVER_AUTH, rfc5280::ID_KP_CLIENT_AUTH]),
        )
        .map_err(der)?,
        extension(
            true,
            &BasicConstraints {
                ca: tpl.is_ca,
                path_len_constraint: None,
            },
        )
        .map_err(der)?,
    ];
    if tpl.is_ca {
        // Go 1.25: RFC 7093 method 1, the leftmost 160 bits of the SHA-256
        // of the subjectPublicKey bits.
        let hash = Sha256::digest(spki.subject_public_key.raw_bytes());
        let id = OctetString::new(&hash[..20]).map_err(der)?;
        exts.push(extension(false, &SubjectKeyIdentifier(id)).map_err(der)?);
    }
    if let Some(id) = akid {
        let akid = AuthorityKeyIdentifier {
            key_identifier: Some(id),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        exts.push(extension(false, &akid).map_err(der)?);
    }
    if !tpl.dns.is_empty() || !tpl.ips.is_empty() {
        let mut names = Vec::new();
        for d in &tpl.dns {
            let name = Ia5String::new(d)
                .map_err(|_| format!("x509: {d:?} cannot be encoded as an IA5String"))?;
            names.push(GeneralName::DnsName(name));
        }
        for ip in &tpl.ips {
            // Go's marshalSANs: IPv4 (also IPv4-mapped IPv6) in 4 bytes.
            let bytes = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.push(GeneralName::IpAddress(
                OctetString::new(bytes).map_err(der)?,
            ));
        }
        // RFC 5280: critical when the subject is empty.
        exts.push(extension(tpl.cn.is_empty(), &SubjectAltName(names)).map_err(der)?);
    }
    Ok(exts)
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
    let creating = |e: &dyn fmt::Display| fail(format!("{func}: error creating certificate: {e}"));
    // Serial: rand.Int(rand.Reader, 2^128).
    let serial = SerialNumber::new(&rng.bytes(16)).map_err(|e| creating(&e))?;
    let subject = subject_name(&tpl.cn).map_err(|e| creating(&e))?;
    let spki = subject_key
        .spki()
        .and_then(|der| {
            SubjectPublicKeyInfoOwned::from_der(&der)
                .map_err(|e| fail(format!("error encoding public key: {e}")))
        })
        .map_err(wrap)?;
    let (issuer_name, signer, akid) = match issuer {
        Some((iss, key)) => {
            let key_spki = key.spki().map_err(wrap)?;
            if iss.spki.to_der().ok() != Some(key_spki) {
                return Err(creating(
                    &"x509: provided PrivateKey doesn't match parent's PublicKey",
                ));
            }
            // Go writes the parent's key id only when issuer and subject
            // differ (a self-signed certificate has none).
            let akid = if iss.subject == subject {
                None
            } else {
                iss.skid.clone()
            };
            (iss.subject.clone(), key, akid)
        }
        None => (subject.clone(), subject_key, None),
    };
    let now = clock.now();
    let out_of_range = || fail(format!("{func}: days {} is out of range", tpl.days));
    let secs = tpl.days.checked_mul(86_400).ok_or_else(out_of_range)?;
    let not_after = now
        .checked_add(jiff::SignedDuration::from_secs(secs))
        .map_err(|_| out_of_range())?;
    let validity = Validity {
        not_before: cert_time(now).map_err(wrap)?,
        not_after: cert_time(not_after).map_err(wrap)?,
    };
    let exts = extensions(tpl, &spki, akid).map_err(|e| creating(&e))?;
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: serial,
        signature: signer.sig_alg(),
        issuer: issuer_name,
        validity,
        subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    let tbs_der = tbs.to_der().map_err(|e| creating(&e))?;
    let signature = signer.sign(&tbs_der).map_err(wrap)?;
    let cert = x509_cert::Certificate {
        signature_algorithm: tbs.signature.clone(),
        tbs_certificate: tbs,
        signature: BitString::from_bytes(&signature).map_err(|e| creating(&e))?,
    };
    let der = cert.to_der().map_err(|e| creating(&e))?;
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
