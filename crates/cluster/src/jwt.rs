//! Service-account tokens as compact JWS (JWT), signed with ES256.
//!
//! kube-apiserver signs with RS256 or ES256 depending on its key; this
//! cluster's key is ECDSA P-256 (ES256) from the seeded RNG, because RSA
//! key generation takes up to a second in a browser. The JWS is built here
//! on top of the `p256` crate's ECDSA (the same crate the CA uses) rather
//! than with a JWT crate, whose RustCrypto backend would link every
//! algorithm (~220 KB brotli of wasm); tests verify our tokens with the
//! `jsonwebtoken` crate against the published JWKS.
//!
//! The payload keys are sorted at every level, as go-jose writes them.

use std::cell::OnceCell;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::EncodePublicKey;
use p256::SecretKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::rng::ClusterRng;

/// The JWS algorithm of every token this cluster signs.
pub const ALGORITHM: &str = "ES256";

/// Why a token was not accepted as a well-formed, correctly signed JWS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    /// Not three base64url parts separated by dots.
    #[error("square/go-jose: compact JWS format must have three parts")]
    Malformed,
    /// A part is not base64url or not JSON.
    #[error("square/go-jose: {0}")]
    Undecodable(String),
    /// The header names an algorithm other than the key's (`none`, `HS256`…).
    #[error("square/go-jose: unexpected signature algorithm {0:?}; expected [\"ES256\"]")]
    Algorithm(String),
    /// No key has the header's `kid`.
    #[error("invalid signature, no keys found")]
    UnknownKey,
    /// The signature does not verify.
    #[error("square/go-jose: error in cryptographic primitive")]
    BadSignature,
}

/// The cluster's service-account signing key.
///
/// The secret is drawn when the cluster starts; its public half (a scalar
/// multiplication) and the `kid` are worked out the first time a token is
/// signed or checked or the key is published, which keeps that work out
/// of a cluster's start-up (ARCHITECTURE.md, "Start-up in the browser").
#[derive(Debug, Clone)]
pub struct TokenSigner {
    secret: SecretKey,
    derived: OnceCell<Derived>,
}

/// What follows from the secret.
#[derive(Debug, Clone)]
struct Derived {
    key: SigningKey,
    kid: String,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl TokenSigner {
    /// A key drawn from `rng`.
    #[inline(never)]
    pub fn generate(rng: &mut ClusterRng) -> Self {
        Self { secret: crate::pki::secret_key(rng), derived: OnceCell::new() }
    }

    fn derived(&self) -> &Derived {
        self.derived.get_or_init(|| {
            let key = SigningKey::from(&self.secret);
            // kid: base64url(SHA-256(PKIX DER public key)), as keyIDFromPublicKey.
            let der = key.verifying_key().to_public_key_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default();
            let kid = b64(&Sha256::digest(&der));
            Derived { key, kid }
        })
    }

    fn key(&self) -> &SigningKey {
        &self.derived().key
    }

    /// The key ID tokens carry in their header.
    pub fn kid(&self) -> &str {
        &self.derived().kid
    }

    /// Signs `claims` (a JSON object) into a compact JWS.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": ALGORITHM, "kid": self.kid()});
        // go-jose marshals the claims with Go's encoding/json.
        let payload = crate::gojson::escape_html(&claims.to_string());
        let signing_input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(payload.as_bytes()));
        let signature: Signature = self.key().sign(signing_input.as_bytes());
        format!("{signing_input}.{}", b64(&signature.to_bytes()))
    }

    /// The public key as a JWK, as `/openid/v1/jwks` lists it.
    pub fn jwk(&self) -> Value {
        let point = self.key().verifying_key().to_sec1_point(false);
        let coordinate = |c: Option<&[u8]>| b64(c.unwrap_or_default());
        json!({
            "use": "sig",
            "kty": "EC",
            "kid": self.kid(),
            "crv": "P-256",
            "alg": ALGORITHM,
            "x": coordinate(point.x().map(|x| x.as_slice())),
            "y": coordinate(point.y().map(|y| y.as_slice())),
        })
    }

    /// The public key, PEM (SubjectPublicKeyInfo).
    pub fn public_key_pem(&self) -> String {
        self.key().verifying_key().to_public_key_pem(p256::pkcs8::LineEnding::LF).unwrap_or_default()
    }

    /// Checks a token's form, algorithm, key and signature; returns its
    /// header and claims.
    pub fn verify(&self, token: &str) -> Result<(Value, Value), JwsError> {
        let (header, claims) = decode_unverified(token)?;
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default();
        if alg != ALGORITHM {
            return Err(JwsError::Algorithm(alg.to_string()));
        }
        match header.get("kid").and_then(Value::as_str) {
            Some(kid) if kid != self.kid() => return Err(JwsError::UnknownKey),
            _ => {}
        }
        let (signing_input, signature) = token.rsplit_once('.').ok_or(JwsError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(JwsError::BadSignature)?;
        let verifying_key: &VerifyingKey = self.key().verifying_key();
        verifying_key.verify(signing_input.as_bytes(), &signature).map_err(|_| JwsError::BadSignature)?;
        Ok((header, claims))
    }
}

/// Decodes a token's header and claims without checking anything else.
pub fn decode_unverified(token: &str) -> Result<(Value, Value), JwsError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [header, payload, _signature] = parts.as_slice() else {
        return Err(JwsError::Malformed);
    };
    let decode = |part: &str, what: &str| -> Result<Value, JwsError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .map_err(|e| JwsError::Undecodable(format!("illegal base64 data in {what}: {e}")))?;
        serde_json::from_slice(&bytes).map_err(|e| JwsError::Undecodable(format!("{what} is not JSON: {e}")))
    };
    let header = decode(header, "header")?;
    let payload = decode(payload, "payload")?;
    if !header.is_object() || !payload.is_object() {
        return Err(JwsError::Undecodable("header and payload must be JSON objects".to_string()));
    }
    Ok((header, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> TokenSigner {
        TokenSigner::generate(&mut ClusterRng::from_seed(1))
    }

    #[test]
    fn sign_then_verify() {
        let s = signer();
        let token = s.sign(&json!({"sub": "x", "aud": ["a"]}));
        assert!(token.starts_with("eyJhbGciOiJFUzI1NiIsImtpZCI6"), "{token}");
        let (header, claims) = s.verify(&token).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(header["kid"], s.kid());
        assert_eq!(claims["sub"], "x");
        assert_eq!(s.kid().len(), 43);
    }

    #[test]
    fn the_payload_is_written_as_go_writes_json() {
        let s = signer();
        let token = s.sign(&json!({"aud": ["x?<a&b>"]}));
        let payload = token.split('.').nth(1).map(|p| URL_SAFE_NO_PAD.decode(p).unwrap_or_default());
        assert_eq!(payload.as_deref(), Some(&br#"{"aud":["x?\u003ca\u0026b\u003e"]}"#[..]));
        let (_, claims) = s.verify(&token).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claims["aud"][0], "x?<a&b>");
    }

    #[test]
    fn forgeries_are_refused() {
        let s = signer();
        let token = s.sign(&json!({"sub": "x"}));
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = b64(br#"{"alg":"none"}"#);
        assert_eq!(s.verify(&format!("{none_header}.{}.", parts[1])), Err(JwsError::Algorithm("none".into())));
        let other_kid = b64(br#"{"alg":"ES256","kid":"other"}"#);
        assert_eq!(s.verify(&format!("{other_kid}.{}.{}", parts[1], parts[2])), Err(JwsError::UnknownKey));
        let tampered = b64(br#"{"sub":"admin"}"#);
        assert_eq!(s.verify(&format!("{}.{tampered}.{}", parts[0], parts[2])), Err(JwsError::BadSignature));
        assert_eq!(s.verify("abc"), Err(JwsError::Malformed));
        assert!(matches!(s.verify("a.b.c"), Err(JwsError::Undecodable(_))));
        let other = TokenSigner::generate(&mut ClusterRng::from_seed(2));
        let mut foreign = other.sign(&json!({"sub": "x"}));
        foreign = foreign.replace(&b64(json!({"alg": "ES256", "kid": other.kid()}).to_string().as_bytes()), parts[0]);
        assert_eq!(s.verify(&foreign), Err(JwsError::BadSignature));
    }
}
