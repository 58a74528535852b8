//! The CA certificate of a fresh playground (seed 0, starting at
//! 2025-01-01T00:00:00Z), made ahead of time so that starting a playground signs
//! nothing. Written by `UPDATE_PREPARED=1 cargo test -p saplay-cluster
//! --lib pki`: do not edit. (The secret is no secret: every key of a
//! playground follows from its seed.)

/// The CA secret the certificate was made for.
pub(super) const SECRET: [u8; 32] = [
    0x6c, 0x3b, 0x9a, 0xa7, 0x67, 0xf7, 0x85, 0xb5, 0x37, 0xc0, 0xd8, 0xba, 0x5f, 0xa5, 0x46, 0x77, 0xe6, 0xa6, 0xe2,
    0x81, 0x32, 0x0d, 0xfb, 0xb2, 0x7c, 0x88, 0x9b, 0x8f, 0xa4, 0x60, 0x67, 0x0f,
];
/// Its serial number.
pub(super) const SERIAL: [u8; 16] =
    [0x79, 0x46, 0x02, 0x32, 0x67, 0x66, 0x0d, 0xe1, 0xbd, 0xb0, 0x7e, 0x94, 0xcb, 0x14, 0xae, 0x8c];
/// Its notBefore, in Unix seconds.
pub(super) const NOT_BEFORE: i64 = 1735689600;
/// The certificate, PEM-encoded.
pub(super) const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBgTCCASegAwIBAgIQeUYCMmdmDeG9sH6UyxSujDAKBggqhkjOPQQDAjAVMRMw\nEQYDVQQDDAprdWJlcm5ldGVzMB4XDTI1MDEwMTAwMDAwMFoXDTM0MTIzMDAwMDAw\nMFowFTETMBEGA1UEAwwKa3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABFFRgDotviKmsQSkL9GIDKoG5CSj7pvlwwlwM9X1T8BPHvbcuJU/eFfMK9ae\neLN0pb+d9tbUXeEtY+ZZVZtmCMCjWTBXMA4GA1UdDwEB/wQEAwICpDAPBgNVHRMB\nAf8EBTADAQH/MB0GA1UdDgQWBBT/ZLXqDR90Jwjj/EeKEMZIAHv60zAVBgNVHREE\nDjAMggprdWJlcm5ldGVzMAoGCCqGSM49BAMCA0gAMEUCIQCTTq04nR/77W93oJzG\nYtneDzneX6p7/jyaOPRlizZShwIgTKurY8OmdVW2wP+jaoHJa1EeIK/BlWOgW62J\nhyQawLc=\n-----END CERTIFICATE-----\n";
