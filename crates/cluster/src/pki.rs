//! The cluster's certificate authority.
//!
//! A real, self-signed X.509 CA (`CN=kubernetes`, as kubeadm names it),
//! made from the seeded RNG when the cluster is created. Its PEM is what
//! `kube-root-ca.crt` publishes and what a pod finds in
//! `/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`. kubeadm's CA key
//! is RSA-2048; this one is ECDSA P-256, which is far cheaper to generate in
//! a browser.

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
    ca_key: SigningKey,
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
    /// number from `rng`.
    #[inline(never)]
    pub fn generate(rng: &mut ClusterRng, now: Time) -> Result<Self, PkiError> {
        let ca_key = signing_key(rng);
        let mut serial = [0u8; 16];
        rng.fill(&mut serial);
        serial[0] &= 0x7f; // positive
        serial[0] |= 0x01; // and no leading zero byte
        let not_before = Duration::from_secs(u64::try_from(now.unix_seconds()).unwrap_or(0));
        let validity = Validity::new(
            DateTime::from_unix_duration(not_before).map_err(build_error)?.into(),
            DateTime::from_unix_duration(not_before + Duration::from_secs(CA_VALIDITY_SECONDS))
                .map_err(build_error)?
                .into(),
        );
        let profile = ClusterCaProfile { subject: Name::from_str("CN=kubernetes").map_err(build_error)? };
        let spki = SubjectPublicKeyInfo::from_key(ca_key.verifying_key()).map_err(build_error)?;
        let builder =
            CertificateBuilder::new(profile, SerialNumber::new(&serial).map_err(build_error)?, validity, spki)
                .map_err(build_error)?;
        let certificate = builder.build::<_, DerSignature>(&ca_key).map_err(build_error)?;
        let ca_pem = certificate.to_pem(LineEnding::LF).map_err(build_error)?;
        Ok(Self { ca_key, ca_pem })
    }

    /// Like [`Pki::generate`]; if the certificate cannot be built (which
    /// valid inputs never cause), the CA keeps its key and publishes an
    /// empty PEM rather than stopping the cluster from starting.
    pub fn generate_or_keyless(rng: &mut ClusterRng, now: Time) -> Self {
        let mut fallback = rng.clone();
        Self::generate(rng, now).unwrap_or_else(|_| Self { ca_key: signing_key(&mut fallback), ca_pem: String::new() })
    }

    /// The CA certificate, PEM-encoded (what `ca.crt` holds).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The CA's signing key.
    pub fn ca_key(&self) -> &SigningKey {
        &self.ca_key
    }
}

/// A P-256 key from the seeded stream (retrying the rare out-of-range draw).
pub fn signing_key(rng: &mut ClusterRng) -> SigningKey {
    SigningKey::from(&secret_key(rng))
}

/// A P-256 secret from the seeded stream, without its public half (which
/// costs a scalar multiplication): the draws are those of [`signing_key`].
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

    #[test]
    fn same_seed_same_ca() {
        let now = Time::from_unix_seconds(1_735_689_600);
        let a = Pki::generate(&mut ClusterRng::from_seed(5), now).map(|p| p.ca_pem);
        let b = Pki::generate(&mut ClusterRng::from_seed(5), now).map(|p| p.ca_pem);
        assert_eq!(a.ok(), b.ok());
    }
}
