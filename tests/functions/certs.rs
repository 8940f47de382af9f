//! Certificates and keys (`genCA`, `genSelfSignedCert`, `genSignedCert`,
//! `genPrivateKey`, …) checked with `openssl`.
