//! The cluster's one source of randomness: a seeded ChaCha stream.
//!
//! Everything random the real cluster does — UIDs, `generateName` suffixes,
//! keys, jitter — draws from here, so a seed fixes a whole session. What
//! was added after sessions were recorded draws from a side stream of the
//! same seed (the constants below), so that the main stream's draws, and
//! the UIDs and names recorded from them, stay as they were.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The side stream of kubeadm's objects (the `kubeadm:cluster-admins`
/// binding's UID).
pub(crate) const KUBEADM_STREAM: u64 = 1;

/// The side stream of the node port allocator's random picks.
pub(crate) const NODE_PORT_STREAM: u64 = 2;

/// The side stream of the controllers' objects: the bootstrap policy's
/// `system:controller:*` ClusterRoles and ClusterRoleBindings, then the
/// ServiceAccounts kube-controller-manager creates in kube-system.
pub(crate) const CONTROLLER_STREAM: u64 = 3;

/// The side stream of the bootstrap policy's namespaced objects: the Roles
/// and RoleBindings kube-apiserver creates in kube-system and kube-public.
pub(crate) const NAMESPACE_POLICY_STREAM: u64 = 4;

/// The side stream of the API server's legacy token tracking ConfigMap.
pub(crate) const LEGACY_TOKEN_TRACKING_STREAM: u64 = 5;

/// Characters `names.SimpleNameGenerator` draws from: no vowels, no 0/1/3.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A deterministic random stream.
#[derive(Debug, Clone)]
pub struct ClusterRng(ChaCha8Rng);

impl ClusterRng {
    /// A stream fixed by `seed`.
    pub fn from_seed(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Stream `stream` of the same seed, independent of the main one
    /// (stream 0): what draws from it leaves the main stream's draws as
    /// they were.
    pub fn side_stream(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self(rng)
    }

    /// A uniformly random `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniformly random value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        // Rejection sampling keeps the distribution uniform.
        let zone = u64::MAX - (u64::MAX % n.max(1));
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n.max(1);
            }
        }
    }

    /// Fills `bytes` with random bytes.
    pub fn fill(&mut self, bytes: &mut [u8]) {
        self.0.fill_bytes(bytes);
    }

    /// A version-4 UUID, as the API server assigns to `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.fill(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        out
    }

    /// `n` characters for a generated name (`generateName`, `kube-api-access-`).
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = self.below(NAME_ALPHABET.len() as u64) as usize;
                char::from(NAME_ALPHABET.get(i).copied().unwrap_or(b'x'))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (ClusterRng::from_seed(9), ClusterRng::from_seed(9));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_ne!(ClusterRng::from_seed(1).uuid(), ClusterRng::from_seed(2).uuid());
    }

    #[test]
    fn uuids_are_version_4() {
        let id = ClusterRng::from_seed(0).uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn name_suffixes_use_the_upstream_alphabet() {
        let s = ClusterRng::from_seed(3).name_suffix(200);
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }
}
