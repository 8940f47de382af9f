//! Private keys: the generator behind them and the key types Sprig
//! makes and reads (RSA, ECDSA P-256, Ed25519).

use super::pem::*;
use super::*;
use const_oid::db::{rfc5912, rfc8410};
use rsa::pkcs8::spki::{AlgorithmIdentifierOwned, AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::der::asn1::{AnyRef, BitStringRef, OctetStringRef};

// ---------------------------------------------------------------------------
// Randomness

/// A `rand_core` 0.6 generator (what the RustCrypto crates take) seeded from
/// the environment's [`Rng`].
pub(super) struct KeyRng(ChaCha20Rng);

impl KeyRng {
    pub(super) fn new(rng: &Rng) -> KeyRng {
        let mut seed = [0u8; 32];
        seed[..16].copy_from_slice(&rng.bytes16());
        seed[16..].copy_from_slice(&rng.bytes16());
        KeyRng(ChaCha20Rng::from_seed(seed))
    }

    pub(super) fn bytes(&mut self, n: usize) -> Vec<u8> {
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
// Keys

/// A private key of a type Sprig generates and signs certificates with.
pub(super) enum PrivKey {
    Rsa(Box<RsaPrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
}

impl PrivKey {
    pub(super) fn generate_rsa(
        rng: &mut KeyRng,
        bits: usize,
        func: &str,
    ) -> Result<PrivKey, Error> {
        RsaPrivateKey::new(rng, bits)
            .map(|k| PrivKey::Rsa(Box::new(k)))
            .map_err(|e| fail(format!("{func}: error generating rsa key: {e}")))
    }

    /// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for EC, PKCS#8 for
    /// Ed25519.
    pub(super) fn to_pem(&self) -> Result<String, Error> {
        let err = |e: &dyn fmt::Display| fail(format!("error pem-encoding key: {e}"));
        Ok(match self {
            PrivKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| err(&e))?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivKey::Ec(k) => {
                // Go's MarshalECPrivateKey: version 1, the 32-byte scalar,
                // [0] the curve named, [1] the uncompressed public point
                // (p256's own `to_sec1_der` leaves the curve out).
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                let scalar = k.to_bytes();
                let der = sec1::EcPrivateKey {
                    private_key: &scalar,
                    parameters: Some(sec1::EcParameters::NamedCurve(rfc5912::SECP_256_R_1)),
                    public_key: Some(point.as_bytes()),
                }
                .to_der()
                .map_err(|e| err(&e))?;
                pem_encode("EC PRIVATE KEY", &der)
            }
            PrivKey::Ed(k) => {
                // Go's MarshalPKCS8PrivateKey: version 0, the seed as an
                // OCTET STRING inside the OCTET STRING, no public key.
                let seed = OctetStringRef::new(k.as_bytes())
                    .and_then(|o| o.to_der())
                    .map_err(|e| err(&e))?;
                let der = rsa::pkcs8::PrivateKeyInfo {
                    algorithm: AlgorithmIdentifierRef {
                        oid: OID_ED25519,
                        parameters: None,
                    },
                    private_key: &seed,
                    public_key: None,
                }
                .to_der()
                .map_err(|e| err(&e))?;
                pem_encode("PRIVATE KEY", &der)
            }
        })
    }

    /// The DER SubjectPublicKeyInfo.
    pub(super) fn spki(&self) -> Result<Vec<u8>, Error> {
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
            PrivKey::Ed(k) => BitStringRef::from_bytes(k.verifying_key().as_bytes())
                .and_then(|bits| {
                    SubjectPublicKeyInfoRef {
                        algorithm: AlgorithmIdentifierRef {
                            oid: OID_ED25519,
                            parameters: None,
                        },
                        subject_public_key: bits,
                    }
                    .to_der()
                })
                .map_err(|e| err(&e)),
        }
    }

    /// The signature AlgorithmIdentifier Go picks for this key
    /// (`x509.signingParamsForKey`): SHA-256 with RSA (NULL parameters),
    /// ECDSA with SHA-256, Ed25519.
    pub(super) fn sig_alg(&self) -> AlgorithmIdentifierOwned {
        let (oid, parameters) = match self {
            PrivKey::Rsa(_) => (
                rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                Some(AnyRef::NULL.into()),
            ),
            PrivKey::Ec(_) => (rfc5912::ECDSA_WITH_SHA_256, None),
            PrivKey::Ed(_) => (rfc8410::ID_ED_25519, None),
        };
        AlgorithmIdentifierOwned { oid, parameters }
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, Error> {
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
pub(super) fn parse_private_key_pem(pem: &str) -> Result<PrivKey, String> {
    let (label, der) = pem_decode(pem).ok_or("no PEM data in input")?;
    if label == "PRIVATE KEY" {
        let info = rsa::pkcs8::PrivateKeyInfo::try_from(der.as_slice())
            .map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?;
        return match info.algorithm.oid {
            OID_RSA => RsaPrivateKey::from_pkcs8_der(&der)
                .map(|k| PrivKey::Rsa(Box::new(k)))
                .map_err(|e| format!("decoding PEM as PKCS#8: {e}")),
            OID_EC => p256::SecretKey::from_pkcs8_der(&der)
                .map(PrivKey::Ec)
                .map_err(|e| format!("decoding PEM as PKCS#8: unsupported EC key: {e}")),
            OID_ED25519 => {
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
