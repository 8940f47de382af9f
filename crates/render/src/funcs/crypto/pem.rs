//! PEM text, and the object identifiers Sprig's keys and certificates use.
//!
//! Every DER structure is encoded by RustCrypto's `der`/`x509-cert`/`sec1`/
//! `pkcs8` types; this module only holds what those crates leave to the
//! caller.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};

/// The PKCS#8 algorithm OIDs of the key types Sprig parses.
pub(super) const OID_RSA: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;
pub(super) const OID_EC: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;
pub(super) const OID_ED25519: ObjectIdentifier = rfc8410::ID_ED_25519;

/// Go's `pem.EncodeToMemory`: 64-column base64 between BEGIN/END lines,
/// each line ending in `\n` (RFC 7468's strict form, which is what Go
/// writes for a block without headers).
pub(super) fn pem_encode(label: &str, der: &[u8]) -> String {
    // Labels are this module's constants and DER is bounded by key sizes:
    // encoding cannot fail; an empty string would fail to parse downstream.
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

/// Go's `pem.Decode` for the first block of `input`: its type and DER
/// bytes. Like Go, text before the BEGIN line and after the END line is
/// ignored; the block itself is read by pem-rfc7468 (CRLF line ends and
/// missing final newlines are accepted there too; Go's `Proc-Type`
/// headers, which only encrypted keys carry, are not, and Sprig cannot
/// read encrypted keys either).
pub(super) fn pem_decode(input: &str) -> Option<(String, Vec<u8>)> {
    let start = input.find("-----BEGIN ")?;
    let rest = &input[start..];
    let label_end = rest[11..].find("-----")? + 11;
    let label = &rest[11..label_end];
    let end_marker = format!("-----END {label}-----");
    let end = rest.find(&end_marker)? + end_marker.len();
    let (label, der) = pem_rfc7468::decode_vec(&rest.as_bytes()[..end]).ok()?;
    Some((label.to_string(), der))
}
