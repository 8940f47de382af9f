//! DER and PEM encoding helpers.

use x509_cert::der::{self, Encode as _};

// ---------------------------------------------------------------------------
// DER and PEM

/// A DER TLV: the `der` crate writes the header (tag, definite length).
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let header = der::Tag::try_from(tag)
        .and_then(|t| der::Header::new(t, der::Length::try_from(content.len())?))
        .and_then(|h| h.to_der());
    // Tags here are this module's constants and contents are kilobytes:
    // the header cannot fail to encode.
    let mut out = header.unwrap_or_default();
    out.extend_from_slice(content);
    out
}

pub(super) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A DER INTEGER holding the unsigned big-endian `bytes` (`der`'s
/// `UintRef`: leading zeros dropped, a zero byte added before a high bit).
pub(super) fn der_uint(bytes: &[u8]) -> Vec<u8> {
    der::asn1::UintRef::new(bytes)
        .and_then(|u| u.to_der())
        .unwrap_or_default()
}

/// A DER BIT STRING of whole bytes.
pub(super) fn der_bits(bytes: &[u8]) -> Vec<u8> {
    der::asn1::BitStringRef::from_bytes(bytes)
        .and_then(|b| b.to_der())
        .unwrap_or_default()
}

pub(super) const OID_SHA256_RSA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
];
pub(super) const OID_ECDSA_SHA256: &[u8] =
    &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
pub(super) const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub(super) const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
pub(super) const OID_CN: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
pub(super) const OID_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
pub(super) const OID_EXT_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x25];
pub(super) const OID_BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];
pub(super) const OID_SKID: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0e];
pub(super) const OID_AKID: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x23];
pub(super) const OID_SAN: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x11];
pub(super) const OID_SERVER_AUTH: &[u8] =
    &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
pub(super) const OID_CLIENT_AUTH: &[u8] =
    &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
/// The PKCS#8 algorithm OIDs of the key types Sprig parses.
pub(super) const OID_STR_RSA: &str = "1.2.840.113549.1.1.1";
pub(super) const OID_STR_EC: &str = "1.2.840.10045.2.1";
pub(super) const OID_STR_ED25519: &str = "1.3.101.112";

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
