//! DER and PEM encoding helpers.

use super::*;

// ---------------------------------------------------------------------------
// DER and PEM

/// A DER TLV.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
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

pub(super) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A DER INTEGER holding the unsigned big-endian `bytes`.
pub(super) fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(&trimmed);
    tlv(0x02, &content)
}

/// A DER BIT STRING of whole bytes.
pub(super) fn der_bits(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0u8];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
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

/// Go's `pem.EncodeToMemory`: 64-column base64 between BEGIN/END lines.
pub(super) fn pem_encode(label: &str, der: &[u8]) -> String {
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
pub(super) fn pem_decode(input: &str) -> Option<(String, Vec<u8>)> {
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
