//! Passwords and secrets: `derivePassword`, `bcrypt`, `htpasswd`,
//! `encryptAES`/`decryptAES`, `randBytes`.

use super::*;

pub(super) const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

pub(super) fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
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

pub(super) fn template_chars(c: u8) -> &'static [u8] {
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

pub(super) fn aes_key(password: &str) -> aes::Aes256 {
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
