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

mod certs;
mod keys;
mod passwords;
mod pem;
use certs::*;
pub use certs::{Certificate, build_custom_cert};
pub use keys::gen_private_key;
use keys::*;
pub use passwords::{bcrypt_hash, decrypt_aes, derive_password, encrypt_aes, htpasswd, rand_bytes};
use pem::*;

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
        let issuer = issuer_of(&parsed);
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
mod tests;
