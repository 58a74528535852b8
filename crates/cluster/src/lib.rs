//! The simulated Kubernetes cluster.
//!
//! This crate is the playground's model of a kube-apiserver v1.32 with its
//! controllers, one kubelet and a clock. It is deterministic: it never reads
//! the system clock and never asks the operating system for randomness. The
//! caller passes the start instant and a seed in [`ClusterConfig`], and moves
//! time forward explicitly, so the same inputs give the same results on
//! native builds and in the browser.
//!
//! Invariant: no IO, no clock reads, no global RNG, no DOM.

pub mod api;
pub mod decode;
pub mod object;
pub mod resource;
pub mod rng;
pub mod status;
pub mod store;
pub mod time;
pub mod validation;

pub use time::Time;

/// How to build a new cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// Seed for every random choice the cluster makes (UIDs, keys, jitter).
    pub seed: u64,
    /// The instant the cluster's clock starts at.
    pub start: Time,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            // 2025-01-01T00:00:00Z: a fixed, readable epoch for transcripts.
            start: Time::from_unix_seconds(1_735_689_600),
        }
    }
}

/// Namespaces that kube-apiserver creates at start-up (its system namespaces
/// controller) plus `default`.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["default", "kube-node-lease", "kube-public", "kube-system"];

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: ClusterConfig,
    now: Time,
    namespaces: Vec<String>,
}

impl Cluster {
    /// Creates a cluster as a fresh kubeadm-like cluster looks right after
    /// start-up.
    pub fn new(config: ClusterConfig) -> Self {
        Self {
            now: config.start,
            namespaces: SYSTEM_NAMESPACES.iter().map(|s| s.to_string()).collect(),
            config,
        }
    }

    /// The configuration this cluster was built from.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The cluster's current instant.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Names of all namespaces, sorted.
    pub fn namespace_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.namespaces.iter().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cluster_has_the_system_namespaces() {
        let cluster = Cluster::new(ClusterConfig::default());
        assert_eq!(
            cluster.namespace_names(),
            vec!["default", "kube-node-lease", "kube-public", "kube-system"]
        );
    }

    #[test]
    fn clock_starts_at_the_configured_instant() {
        let start = Time::from_unix_seconds(1_700_000_000);
        let cluster = Cluster::new(ClusterConfig { seed: 7, start });
        assert_eq!(cluster.now(), start);
    }
}
