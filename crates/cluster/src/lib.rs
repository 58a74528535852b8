//! The simulated Kubernetes cluster.
//!
//! This crate is the playground's model of a kube-apiserver v1.32 with its
//! controllers, one kubelet and a clock. It is deterministic: it never reads
//! the system clock and never asks the operating system for randomness. The
//! caller passes the start instant and a seed in [`ClusterConfig`], and moves
//! time forward explicitly, so the same inputs give the same results on
//! native builds and in the browser.
//!
//! Clients talk to it as to a real API server: [`Cluster::handle`] takes an
//! HTTP-shaped [`api::Request`] and answers with an [`api::Response`] whose
//! body is an object, a list, a discovery document or a `Status`.
//!
//! Invariant: no IO, no clock reads, no global RNG, no DOM.

pub mod admission;
pub mod api;
pub mod apps;
pub mod audit;
pub mod authn;
mod bootstrap;
mod clock;
mod controllers;
pub mod decode;
pub mod discovery;
pub mod events;
pub mod fs;
pub mod gojson;
pub mod inspect;
pub mod jwt;
pub mod kubelet;
pub mod legacy_tokens;
pub mod object;
pub mod patch;
pub mod pki;
pub mod rbac;
pub mod resource;
mod reviews;
pub mod rng;
pub mod selector;
mod server;
pub mod services;
pub mod status;
pub mod store;
pub mod strategy;
pub mod time;
pub mod timeline;
pub mod tokens;
pub mod validation;
pub mod workloads;

pub use api::{Credential, Method, Request, Response};
pub use object::Object;
pub use status::ApiError;
pub use time::Time;

use audit::AuditLog;
use jwt::TokenSigner;
use kubelet::VolumeMap;
use pki::Pki;
use rng::ClusterRng;
use store::Store;

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

/// Namespaces that exist from the start.
pub const SYSTEM_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: ClusterConfig,
    now: Time,
    rng: ClusterRng,
    /// The node port allocator's random picks (a side stream of the seed).
    node_port_rng: ClusterRng,
    store: Store,
    pki: Pki,
    signer: TokenSigner,
    audit: AuditLog,
    timeline: timeline::Timeline,
    deadlines: clock::Deadlines,
    volumes: VolumeMap,
    next_pod_ip: u32,
    work: workloads::WorkQueue,
    events: events::EventIndex,
    /// The legacy token cleaner's planned sync, if it has work ahead.
    cleaner_at: Option<Time>,
}

/// Room the store of a new cluster starts with: more than a fresh cluster
/// holds (172 objects), so that starting one never grows the table (a test
/// checks it). 224 is what a table of 256 buckets holds, the size 176 got
/// too.
const FRESH_CLUSTER_OBJECTS: usize = 224;

impl Cluster {
    /// Creates a cluster as a fresh kubeadm-like cluster looks right after
    /// start-up: a Ready node, the system namespaces with their `default`
    /// service accounts and `kube-root-ca.crt`, and the bootstrap RBAC policy.
    pub fn new(config: ClusterConfig) -> Self {
        let mut rng = ClusterRng::from_seed(config.seed);
        let pki = Pki::generate_or_keyless(&mut rng, config.start);
        let signer = TokenSigner::generate(&mut rng);
        let node_port_rng = ClusterRng::side_stream(config.seed, rng::NODE_PORT_STREAM);
        let mut cluster = Self {
            now: config.start,
            rng,
            node_port_rng,
            // The bootstrap policy, the system namespaces and what they
            // start with.
            store: Store::with_capacity(FRESH_CLUSTER_OBJECTS),
            pki,
            signer,
            audit: AuditLog::default(),
            timeline: timeline::Timeline::default(),
            deadlines: clock::Deadlines::default(),
            volumes: VolumeMap::default(),
            next_pod_ip: 0,
            work: workloads::WorkQueue::default(),
            events: events::EventIndex::default(),
            cleaner_at: None,
            config,
        };
        cluster.bootstrap();
        cluster
    }

    /// The configuration this cluster was built from.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The cluster's current instant.
    pub fn now(&self) -> Time {
        self.now
    }

    /// What the simulator did over time (for the UI's timeline).
    pub fn timeline(&self) -> &timeline::Timeline {
        &self.timeline
    }

    /// The UID of pod `namespace/name`, if it exists.
    pub fn pod_uid(&self, namespace: &str, name: &str) -> Option<String> {
        let pods = crate::resource::by_plural_name("pods")?;
        self.store.get(&store::Key::new(pods, namespace, name)).and_then(|p| p.metadata().uid.clone())
    }

    /// The cluster CA certificate, PEM.
    pub fn ca_pem(&self) -> &str {
        self.pki.ca_pem()
    }

    /// The service-account token signing key (its public half is served at
    /// `/openid/v1/jwks`).
    pub fn token_signer(&self) -> &TokenSigner {
        &self.signer
    }

    /// The audit log.
    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    /// The address clients reach the API server at.
    pub fn api_server_ip(&self) -> &'static str {
        kubelet::NODE_IP
    }

    /// Names of all namespaces, sorted.
    pub fn namespace_names(&self) -> Vec<&str> {
        let namespaces = crate::resource::by_plural_name("namespaces");
        namespaces.map(|r| self.store.list(r, None).map(Object::name).collect()).unwrap_or_default()
    }

    /// The object store.
    pub fn store(&self) -> &store::Store {
        &self.store
    }

    /// How many objects the cluster stores.
    pub fn object_count(&self) -> usize {
        self.store.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_cluster_fits_the_room_its_store_starts_with() {
        let cluster = Cluster::new(ClusterConfig::default());
        let count = cluster.object_count();
        assert!(count <= FRESH_CLUSTER_OBJECTS, "{count} objects: raise FRESH_CLUSTER_OBJECTS");
    }
}
