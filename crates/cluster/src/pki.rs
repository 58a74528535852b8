//! The cluster's certificate authority.
//!
//! A real, self-signed X.509 CA (`CN=kubernetes`, as kubeadm names it),
//! made from the seeded RNG when the cluster is created. Its PEM is what
//! `kube-root-ca.crt` publishes and what a pod finds in
//! `/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`. kubeadm's CA key
//! is RSA-2048; this one is ECDSA P-256, which is far cheaper to generate in
//! a browser.

use std::cell::OnceCell;
use std::str::FromStr;
use std::time::Duration;

use p256::ecdsa::{DerSignature, SigningKey};
use p256::SecretKey;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::der::asn1::Ia5String;
use x509_cert::der::pem::LineEnding;
use x509_cert::der::{DateTime, EncodePem};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use x509_cert::time::Validity;
use x509_cert::TbsCertificate;

use crate::rng::ClusterRng;
use crate::time::Time;

mod prepared;

/// How long the CA is valid: ten years, as kubeadm's.
const CA_VALIDITY_SECONDS: u64 = 10 * 365 * 24 * 3600;

/// Why the CA could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// The certificate could not be built or encoded.
    #[error("building the CA certificate: {0}")]
    Build(String),
}

/// The cluster's CA: its key and its certificate.
#[derive(Debug, Clone)]
pub struct Pki {
    ca_secret: SecretKey,
    /// The signing key (the secret and its public half), made when first
    /// asked for: the public half costs a scalar multiplication, and a
    /// prepared certificate (see [`prepared`]) needs neither.
    ca_key: OnceCell<SigningKey>,
    ca_pem: String,
}

/// The X.509 profile of a Kubernetes cluster CA.
struct ClusterCaProfile {
    subject: Name,
}

impl BuilderProfile for ClusterCaProfile {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut extensions = Vec::new();
        let usage = KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment | KeyUsages::KeyCertSign;
        extensions.push(KeyUsage(usage).to_extension(tbs.subject(), &extensions)?);
        extensions
            .push(BasicConstraints { ca: true, path_len_constraint: None }.to_extension(tbs.subject(), &extensions)?);
        extensions.push(SubjectKeyIdentifier::try_from(spk)?.to_extension(tbs.subject(), &extensions)?);
        let san = SubjectAltName(vec![GeneralName::DnsName(
            Ia5String::new("kubernetes").map_err(x509_cert::builder::Error::from)?,
        )]);
        extensions.push(san.to_extension(tbs.subject(), &extensions)?);
        Ok(extensions)
    }
}

fn build_error(e: impl std::fmt::Display) -> PkiError {
    PkiError::Build(e.to_string())
}

impl Pki {
    /// Makes a CA valid from `now` for ten years, drawing the key and serial
    /// number from `rng`. A fresh playground's draws are always the same
    /// (seed 0, the same start), and its certificate was made ahead of time
    /// ([`prepared`]): then that one is used, so starting the playground in
    /// a browser costs no signing. Any other draws make a new certificate.
    #[inline(never)]
    pub fn generate(rng: &mut ClusterRng, now: Time) -> Result<Self, PkiError> {
        let ca_secret = secret_key(rng);
        let serial = serial_number(rng);
        let ca_pem = match prepared_certificate(&ca_secret, &serial, now) {
            Some(pem) => pem.to_string(),
            None => certificate_pem(&SigningKey::from(&ca_secret), &serial, now)?,
        };
        Ok(Self { ca_secret, ca_key: OnceCell::new(), ca_pem })
    }

    /// Like [`Pki::generate`]; if the certificate cannot be built (which
    /// valid inputs never cause), the CA keeps its key and publishes an
    /// empty PEM rather than stopping the cluster from starting.
    pub fn generate_or_keyless(rng: &mut ClusterRng, now: Time) -> Self {
        let mut fallback = rng.clone();
        Self::generate(rng, now).unwrap_or_else(|_| Self {
            ca_secret: secret_key(&mut fallback),
            ca_key: OnceCell::new(),
            ca_pem: String::new(),
        })
    }

    /// The CA certificate, PEM-encoded (what `ca.crt` holds).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The CA's signing key.
    pub fn ca_key(&self) -> &SigningKey {
        self.ca_key.get_or_init(|| SigningKey::from(&self.ca_secret))
    }
}

/// The prepared certificate, if `secret`, `serial` and `now` are the
/// draws and start it was made for.
fn prepared_certificate(secret: &SecretKey, serial: &[u8; 16], now: Time) -> Option<&'static str> {
    let same = secret.to_bytes().as_slice() == prepared::SECRET.as_slice()
        && *serial == prepared::SERIAL
        && now.unix_seconds() == prepared::NOT_BEFORE;
    same.then_some(prepared::PEM)
}

/// A certificate's serial number from the seeded stream: 16 bytes, positive
/// and without a leading zero byte.
fn serial_number(rng: &mut ClusterRng) -> [u8; 16] {
    let mut serial = [0u8; 16];
    rng.fill(&mut serial);
    serial[0] &= 0x7f; // positive
    serial[0] |= 0x01; // and no leading zero byte
    serial
}

/// The self-signed CA certificate of `ca_key`, valid from `now` for ten
/// years, PEM-encoded. Not inlined: Chromium compiles a wasm function
/// whole on its first call, and a fresh playground never calls this one.
#[inline(never)]
fn certificate_pem(ca_key: &SigningKey, serial: &[u8; 16], now: Time) -> Result<String, PkiError> {
    let not_before = Duration::from_secs(u64::try_from(now.unix_seconds()).unwrap_or(0));
    let validity = Validity::new(
        DateTime::from_unix_duration(not_before).map_err(build_error)?.into(),
        DateTime::from_unix_duration(not_before + Duration::from_secs(CA_VALIDITY_SECONDS))
            .map_err(build_error)?
            .into(),
    );
    let profile = ClusterCaProfile { subject: Name::from_str("CN=kubernetes").map_err(build_error)? };
    let spki = SubjectPublicKeyInfo::from_key(ca_key.verifying_key()).map_err(build_error)?;
    let builder = CertificateBuilder::new(profile, SerialNumber::new(serial).map_err(build_error)?, validity, spki)
        .map_err(build_error)?;
    let certificate = builder.build::<_, DerSignature>(ca_key).map_err(build_error)?;
    certificate.to_pem(LineEnding::LF).map_err(build_error)
}

/// A P-256 secret from the seeded stream (retrying the rare out-of-range
/// draw), without its public half, which costs a scalar multiplication.
pub fn secret_key(rng: &mut ClusterRng) -> SecretKey {
    loop {
        let mut bytes = [0u8; 32];
        rng.fill(&mut bytes);
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::der::DecodePem;
    use x509_cert::Certificate;

    #[test]
    fn the_ca_is_a_real_self_signed_certificate() {
        let now = Time::from_unix_seconds(1_735_689_600);
        let pki = Pki::generate(&mut ClusterRng::from_seed(1), now).unwrap_or_else(|e| panic!("{e}"));
        assert!(pki.ca_pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
        let cert = Certificate::from_pem(pki.ca_pem()).unwrap_or_else(|e| panic!("{e}"));
        let tbs = cert.tbs_certificate();
        assert_eq!(tbs.subject().to_string(), "CN=kubernetes");
        assert_eq!(tbs.issuer(), tbs.subject());
        assert_eq!(tbs.validity().not_before.to_unix_duration().as_secs(), 1_735_689_600);
    }

    /// The draws of a fresh playground's CA, made from scratch.
    fn fresh_draws() -> (SecretKey, [u8; 16], Time) {
        let config = crate::ClusterConfig::default();
        let mut rng = ClusterRng::from_seed(config.seed);
        let secret = secret_key(&mut rng);
        (secret, serial_number(&mut rng), config.start)
    }

    /// The text of `pki/prepared.rs` for these draws and their certificate.
    fn prepared_source(secret: &SecretKey, serial: &[u8; 16], start: Time, pem: &str) -> String {
        let bytes = |b: &[u8]| b.iter().map(|x| format!("0x{x:02x}")).collect::<Vec<_>>().join(", ");
        format!(
            "//! The CA certificate of a fresh playground (seed 0, starting at\n\
             //! {}), made ahead of time so that starting a playground signs\n\
             //! nothing. Written by `UPDATE_PREPARED=1 cargo test -p saplay-cluster\n\
             //! --lib pki`: do not edit. (The secret is no secret: every key of a\n\
             //! playground follows from its seed.)\n\n\
             /// The CA secret the certificate was made for.\n\
             pub(super) const SECRET: [u8; 32] = [{}];\n\
             /// Its serial number.\n\
             pub(super) const SERIAL: [u8; 16] = [{}];\n\
             /// Its notBefore, in Unix seconds.\n\
             pub(super) const NOT_BEFORE: i64 = {};\n\
             /// The certificate, PEM-encoded.\n\
             pub(super) const PEM: &str = {pem:?};\n",
            start.rfc3339(),
            bytes(&secret.to_bytes()),
            bytes(serial),
            start.unix_seconds(),
        )
    }

    /// The prepared certificate is the one a fresh playground would make.
    /// `UPDATE_PREPARED=1 cargo test -p saplay-cluster --lib pki` writes it
    /// again (after a change to the certificate or to the draws).
    #[test]
    fn the_prepared_certificate_is_current() {
        let (secret, serial, start) = fresh_draws();
        let made = certificate_pem(&SigningKey::from(&secret), &serial, start).unwrap_or_else(|e| panic!("{e}"));
        if std::env::var_os("UPDATE_PREPARED").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pki/prepared.rs");
            let text = prepared_source(&secret, &serial, start, &made);
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
            return;
        }
        assert_eq!(
            prepared_certificate(&secret, &serial, start),
            Some(made.as_str()),
            "stale: run UPDATE_PREPARED=1 cargo test -p saplay-cluster --lib pki"
        );
    }

    #[test]
    fn other_draws_make_their_own_certificate() {
        let (secret, serial, start) = fresh_draws();
        let later = Time::from_unix_seconds(start.unix_seconds() + 1);
        assert_eq!(prepared_certificate(&secret, &serial, later), None);
        let mut other = serial;
        other[15] ^= 1;
        assert_eq!(prepared_certificate(&secret, &other, start), None);
        let a = Pki::generate(&mut ClusterRng::from_seed(7), start).map(|p| p.ca_pem).unwrap_or_default();
        let b = Pki::generate(&mut ClusterRng::from_seed(0), start).map(|p| p.ca_pem).unwrap_or_default();
        assert!(a.starts_with("-----BEGIN CERTIFICATE-----\n") && b.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert_ne!(a, b);
    }

    #[test]
    fn the_lazy_key_is_the_certificates_key() {
        let pki = Pki::generate(&mut ClusterRng::from_seed(0), crate::ClusterConfig::default().start)
            .unwrap_or_else(|e| panic!("{e}"));
        let cert = Certificate::from_pem(pki.ca_pem()).unwrap_or_else(|e| panic!("{e}"));
        let spki = cert.tbs_certificate().subject_public_key_info();
        let ours = pki.ca_key().verifying_key().to_sec1_point(false);
        assert_eq!(spki.subject_public_key.raw_bytes(), ours.as_bytes());
    }

    #[test]
    fn same_seed_same_ca() {
        let now = Time::from_unix_seconds(1_735_689_600);
        let a = Pki::generate(&mut ClusterRng::from_seed(5), now).map(|p| p.ca_pem);
        let b = Pki::generate(&mut ClusterRng::from_seed(5), now).map(|p| p.ca_pem);
        assert_eq!(a.ok(), b.ok());
    }
}
