//! Controllers: what kube-controller-manager (and the API server's own
//! start-up hooks) do in reaction to changes.
//!
//! Real controllers watch and converge a moment later; here each reaction
//! runs right after the write that caused it, so a learner's next command
//! already sees the result. The reactions are upstream's:
//!
//! - ServiceAccount controller: a `default` ServiceAccount in every active
//!   namespace, re-created if deleted.
//! - Root CA publisher: ConfigMap `kube-root-ca.crt` in every namespace,
//!   restored if deleted or changed.
//! - Token controller: legacy token Secrets get `ca.crt` and `namespace`
//!   (and the token, once tokens are signed), or are deleted when their
//!   service account is missing; deleting a service account deletes its
//!   token Secrets.
//! - Namespace controller: deleting a namespace deletes what it holds.
//! - ClusterRole aggregation controller.
//!
//! Start-up also makes what `kubeadm init` adds once the API server is up:
//! the `kubeadm:cluster-admins` ClusterRoleBinding, through which the
//! learner's `admin.conf` user holds `cluster-admin`; and the ServiceAccounts
//! kube-controller-manager creates in kube-system for its controllers
//! ([`CONTROLLER_SERVICE_ACCOUNTS`]).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Service, ServiceAccount, ServicePort, ServiceSpec};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;

use crate::admission::ROOT_CA_CONFIGMAP;
use crate::object::Object;
use crate::resource::{ResourceInfo, RESOURCES};
use crate::selector::matches_label_selector;
use crate::store::Key;
use crate::strategy::{
    self, SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_TOKEN_TYPE, SERVICE_ACCOUNT_UID_ANNOTATION,
};
use crate::Cluster;

/// The description annotation the root CA publisher sets.
pub const ROOT_CA_DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

fn info(plural: &str) -> &'static ResourceInfo {
    crate::resource::by_plural_name(plural).unwrap_or(&RESOURCES[0])
}

impl Cluster {
    /// Stores an object made by the control plane itself, with the fields
    /// the API server fills on create, and lets controllers react.
    pub(crate) fn system_create(&mut self, object: Object) {
        let uid = self.rng.uuid();
        self.system_create_with_uid(object, uid);
    }

    /// [`Cluster::system_create`] with a UID drawn elsewhere.
    pub(crate) fn system_create_with_uid(&mut self, mut object: Object, uid: String) {
        strategy::apply_defaults(&mut object);
        strategy::prepare_for_create(&mut object);
        let tracks = strategy::tracks_generation(object.resource());
        let meta = object.metadata_mut();
        meta.uid = Some(uid);
        meta.creation_timestamp = Some(self.now.to_k8s());
        if tracks {
            meta.generation = Some(1);
        }
        let stored = self.store.put(object).clone();
        self.after_write(&stored, None);
    }

    /// Stores a changed version of an existing object (status and
    /// controller writes) without running admission.
    pub(crate) fn system_update(&mut self, mut object: Object) {
        let key = Key::of(&object);
        let old = self.store.get(&key).cloned();
        if old.as_ref().is_some_and(|o| *o == object) {
            return;
        }
        if let Some(old) = &old {
            if strategy::tracks_generation(object.resource()) && strategy::spec_changed(&object, old) {
                object.metadata_mut().generation = Some(old.metadata().generation.unwrap_or(1) + 1);
            }
        }
        let stored = self.store.put(object).clone();
        self.after_write(&stored, old.as_ref());
    }

    /// Reacts to `object` having been created (`old` is `None`) or updated.
    pub(crate) fn after_write(&mut self, object: &Object, old: Option<&Object>) {
        self.workloads_after_write(object, old);
        match object {
            Object::Namespace(ns) if old.is_none() => {
                let name = ns.metadata.name.clone().unwrap_or_default();
                self.ensure_default_service_account(&name);
                self.ensure_root_ca(&name);
            }
            Object::ConfigMap(cm) if cm.metadata.name.as_deref() == Some(ROOT_CA_CONFIGMAP) => {
                let ns = cm.metadata.namespace.clone().unwrap_or_default();
                self.ensure_root_ca(&ns);
            }
            Object::Secret(secret) if secret.type_.as_deref() == Some(SERVICE_ACCOUNT_TOKEN_TYPE) => {
                self.reconcile_token_secret(&Key::of(object));
                let _ = secret;
            }
            Object::ClusterRole(_) => self.aggregate_cluster_roles(),
            Object::Pod(_) if old.is_none() => self.kubelet_start_pod(&Key::of(object)),
            _ => {}
        }
        if crate::legacy_tokens::concerns_cleaner(object, old.is_none()) {
            self.plan_legacy_token_cleaner();
        }
    }

    /// Deletes the object at `key` and everything that goes with it.
    pub(crate) fn remove_object(&mut self, key: &Key) {
        let Some(object) = self.store.remove(key) else {
            return;
        };
        self.workloads_after_remove(&object);
        let namespace = object.namespace().to_string();
        match &object {
            Object::Namespace(_) => {
                let name = object.name().to_string();
                for r in RESOURCES.iter().filter(|r| r.namespaced) {
                    let keys: Vec<Key> = self.store.list(r, Some(&name)).map(Key::of).collect();
                    for k in keys {
                        if r.plural == "pods" {
                            self.remove_object(&k);
                        } else {
                            self.store.remove(&k);
                        }
                    }
                }
            }
            Object::Pod(pod) => {
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                self.kubelet_forget_pod(&uid);
                self.timeline.push(crate::timeline::TimelineEvent {
                    time: self.now,
                    kind: crate::timeline::TimelineKind::PodTerminated,
                    subject: format!("pod {namespace}/{}", object.name()),
                    detail: "the pod is gone; every token bound to it stops authenticating".to_string(),
                });
            }
            Object::ServiceAccount(sa) => {
                let name = object.name().to_string();
                self.timeline.push(crate::timeline::TimelineEvent {
                    time: self.now,
                    kind: crate::timeline::TimelineKind::TokensInvalidated,
                    subject: format!("serviceaccount {namespace}/{name}"),
                    detail: "the service account is gone; every token issued for it stops authenticating".to_string(),
                });
                let uid = sa.metadata.uid.clone();
                let doomed: Vec<Key> = self
                    .store
                    .list(info("secrets"), Some(&namespace))
                    .filter(|s| token_secret_refers_to(s, &name, uid.as_deref()))
                    .map(Key::of)
                    .collect();
                for k in doomed {
                    self.remove_object(&k);
                }
                if name == "default" {
                    self.ensure_default_service_account(&namespace);
                }
            }
            Object::ConfigMap(_) if object.name() == ROOT_CA_CONFIGMAP => self.ensure_root_ca(&namespace),
            // kube-apiserver keeps its own Service (its reconciler puts a
            // deleted one back within seconds; here at once).
            Object::Service(_) if namespace == "default" && object.name() == "kubernetes" => {
                self.system_create(Object::Service(kubernetes_service()));
            }
            Object::Secret(secret) if secret.type_.as_deref() == Some(SERVICE_ACCOUNT_TOKEN_TYPE) => {
                // Drop the secret from its service account's `secrets` list.
                let sa_name = annotation(&secret.metadata, SERVICE_ACCOUNT_NAME_ANNOTATION).unwrap_or_default();
                if let Some(mut sa) = self.service_account(&namespace, &sa_name).cloned() {
                    let before = sa.secrets.as_ref().map(Vec::len);
                    if let Some(list) = &mut sa.secrets {
                        list.retain(|r| r.name.as_deref() != Some(object.name()));
                    }
                    // An empty list is left out, as Go's omitempty does.
                    if sa.secrets.as_ref().is_some_and(Vec::is_empty) {
                        sa.secrets = None;
                    }
                    if sa.secrets.as_ref().map(Vec::len) != before {
                        self.system_update(Object::ServiceAccount(sa));
                    }
                }
            }
            Object::ClusterRole(_) => self.aggregate_cluster_roles(),
            _ => {}
        }
        if crate::legacy_tokens::concerns_cleaner(&object, true) {
            self.plan_legacy_token_cleaner();
        }
    }

    fn namespace_is_active(&self, namespace: &str) -> bool {
        matches!(
            self.store.get(&Key::new(info("namespaces"), "", namespace)),
            Some(ns) if ns.metadata().deletion_timestamp.is_none()
        )
    }

    fn ensure_default_service_account(&mut self, namespace: &str) {
        if !self.namespace_is_active(namespace) || self.service_account(namespace, "default").is_some() {
            return;
        }
        self.system_create(Object::ServiceAccount(ServiceAccount {
            metadata: ObjectMeta {
                name: Some("default".to_string()),
                namespace: Some(namespace.to_string()),
                ..ObjectMeta::default()
            },
            ..ServiceAccount::default()
        }));
    }

    /// The root CA publisher: create or restore `kube-root-ca.crt`.
    fn ensure_root_ca(&mut self, namespace: &str) {
        if !self.namespace_is_active(namespace) {
            return;
        }
        let key = Key::new(info("configmaps"), namespace, ROOT_CA_CONFIGMAP);
        let want_data: BTreeMap<String, String> = [("ca.crt".to_string(), self.pki.ca_pem().to_string())].into();
        match self.store.get(&key).cloned() {
            None => self.system_create(Object::ConfigMap(ConfigMap {
                metadata: ObjectMeta {
                    name: Some(ROOT_CA_CONFIGMAP.to_string()),
                    namespace: Some(namespace.to_string()),
                    annotations: Some(
                        [("kubernetes.io/description".to_string(), ROOT_CA_DESCRIPTION.to_string())].into(),
                    ),
                    ..ObjectMeta::default()
                },
                data: Some(want_data),
                ..ConfigMap::default()
            })),
            Some(Object::ConfigMap(mut cm)) => {
                let description = annotation(&cm.metadata, "kubernetes.io/description");
                if cm.data.as_ref() != Some(&want_data) || description.as_deref() != Some(ROOT_CA_DESCRIPTION) {
                    cm.data = Some(want_data);
                    cm.binary_data = None;
                    cm.metadata
                        .annotations
                        .get_or_insert_with(Default::default)
                        .insert("kubernetes.io/description".to_string(), ROOT_CA_DESCRIPTION.to_string());
                    self.system_update(Object::ConfigMap(cm));
                }
            }
            Some(_) => {}
        }
    }

    /// The token controller's handling of one legacy token Secret.
    // Out of line, as the other reactions `after_write` dispatches to that a
    // fresh cluster does not need: see "Start-up in the browser" in
    // ARCHITECTURE.md.
    #[inline(never)]
    fn reconcile_token_secret(&mut self, key: &Key) {
        let Some(Object::Secret(mut secret)) = self.store.get(key).cloned() else {
            return;
        };
        let namespace = key.namespace().to_string();
        let sa_name = annotation(&secret.metadata, SERVICE_ACCOUNT_NAME_ANNOTATION).unwrap_or_default();
        let wanted_uid = annotation(&secret.metadata, SERVICE_ACCOUNT_UID_ANNOTATION);
        let Some(sa) = self.service_account(&namespace, &sa_name).cloned() else {
            self.remove_object(key);
            return;
        };
        let sa_uid = sa.metadata.uid.clone().unwrap_or_default();
        if wanted_uid.as_deref().is_some_and(|u| u != sa_uid) {
            self.remove_object(key);
            return;
        }
        secret
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(SERVICE_ACCOUNT_UID_ANNOTATION.to_string(), sa_uid);
        let token = self.legacy_token(&namespace, key.name(), &sa);
        let data = secret.data.get_or_insert_with(Default::default);
        data.entry("token".to_string()).or_insert_with(|| ByteString(token.into_bytes()));
        data.insert("ca.crt".to_string(), ByteString(self.pki.ca_pem().as_bytes().to_vec()));
        data.entry("namespace".to_string()).or_insert_with(|| ByteString(namespace.as_bytes().to_vec()));
        self.system_update(Object::Secret(secret));
    }

    /// The ClusterRole aggregation controller: every ClusterRole with an
    /// aggregationRule gets the rules of the ClusterRoles its selectors
    /// match, in name order, without duplicates. Aggregated roles can feed
    /// others (`edit` into `admin`), so it repeats until nothing changes.
    pub(crate) fn aggregate_cluster_roles(&mut self) {
        const MAX_PASSES: usize = 16;
        for _ in 0..MAX_PASSES {
            // The new rules of every aggregated role, from the roles as they
            // are at the start of the pass (borrowed: cloning them all each
            // pass was most of the cost of starting a cluster).
            let updates: Vec<ClusterRole> = {
                let roles: Vec<&ClusterRole> = self
                    .store
                    .list(info("clusterroles"), None)
                    .filter_map(|o| match o {
                        Object::ClusterRole(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                roles
                    .iter()
                    .filter(|r| r.aggregation_rule.is_some())
                    .filter_map(|role| {
                        // Compared by reference first: only a role whose
                        // rules change is copied (most are unchanged in the
                        // last pass, and copying rules was half its cost).
                        let rules = aggregated_rules(role, &roles);
                        let current = role.rules.as_deref().unwrap_or_default();
                        let same = current.len() == rules.len() && current.iter().zip(&rules).all(|(a, b)| a == *b);
                        (!same).then(|| ClusterRole {
                            metadata: role.metadata.clone(),
                            aggregation_rule: role.aggregation_rule.clone(),
                            rules: Some(rules.into_iter().cloned().collect()),
                        })
                    })
                    .collect()
            };
            if updates.is_empty() {
                return;
            }
            for updated in updates {
                self.store.put(Object::ClusterRole(updated));
            }
        }
    }

    /// Creates the start-up objects: the node, the system namespaces (and
    /// through them their default service accounts and CA ConfigMaps), the
    /// bootstrap RBAC policy, the `kubernetes` Service and kubeadm's
    /// `kubeadm:cluster-admins` ClusterRoleBinding.
    #[inline(never)]
    pub(crate) fn bootstrap(&mut self) {
        self.system_create(Object::Node(crate::kubelet::node(crate::kubelet::NODE_NAME, self.now)));
        for name in crate::SYSTEM_NAMESPACES {
            self.system_create(Object::Namespace(Namespace {
                metadata: ObjectMeta { name: Some(name.to_string()), ..ObjectMeta::default() },
                ..Namespace::default()
            }));
        }
        store_bootstrap_objects(&mut self.store, self.now, crate::bootstrap::policy(), &mut self.rng);
        // The controllers' roles and bindings were added to the simulator
        // later: their UIDs come from a side stream, as kubeadm's does below.
        let mut controller_rng = crate::rng::ClusterRng::side_stream(self.config.seed, crate::rng::CONTROLLER_STREAM);
        store_bootstrap_objects(&mut self.store, self.now, crate::bootstrap::controller_policy(), &mut controller_rng);
        // Then the Roles and RoleBindings of kube-system and kube-public,
        // as the API server's RBAC start-up hook creates them after the
        // cluster-wide ones; added later still, from a side stream too.
        let mut namespace_rng =
            crate::rng::ClusterRng::side_stream(self.config.seed, crate::rng::NAMESPACE_POLICY_STREAM);
        store_bootstrap_objects(&mut self.store, self.now, crate::bootstrap::namespace_policy(), &mut namespace_rng);
        self.aggregate_cluster_roles();
        self.system_create(Object::Service(kubernetes_service()));
        // kubeadm is another client, after the API server's start-up: its
        // binding's UID comes from a side stream of the seed, so that it
        // leaves the main stream (later UIDs, names, keys) as it was.
        let uid = crate::rng::ClusterRng::side_stream(self.config.seed, crate::rng::KUBEADM_STREAM).uuid();
        self.system_create_with_uid(Object::ClusterRoleBinding(kubeadm_cluster_admins()), uid);
        for name in CONTROLLER_SERVICE_ACCOUNTS {
            let account = ServiceAccount {
                metadata: ObjectMeta {
                    name: Some(name.to_string()),
                    namespace: Some(KUBE_SYSTEM.to_string()),
                    ..ObjectMeta::default()
                },
                ..ServiceAccount::default()
            };
            self.system_create_with_uid(Object::ServiceAccount(account), controller_rng.uuid());
        }
        self.create_legacy_token_tracking();
    }
}

/// Stores the bootstrap objects the API server creates at start-up that
/// are not there yet: defaulted, created `now`, with UIDs drawn from `rng`
/// in order.
fn store_bootstrap_objects(
    store: &mut crate::store::Store,
    now: crate::time::Time,
    objects: Vec<Object>,
    rng: &mut crate::rng::ClusterRng,
) {
    for mut object in objects {
        if !store.contains(&Key::of(&object)) {
            strategy::apply_defaults(&mut object);
            let meta = object.metadata_mut();
            meta.uid = Some(rng.uuid());
            meta.creation_timestamp = Some(now.to_k8s());
            store.put(object);
        }
    }
}

/// The namespace of the control plane's own objects.
const KUBE_SYSTEM: &str = "kube-system";

/// The ServiceAccounts kube-controller-manager v1.32 creates in kube-system
/// when kubeadm runs it (`--use-service-account-credentials=true`,
/// `--controllers=*,bootstrapsigner,tokencleaner`): each controller that
/// starts asks its client builder for a client as its own account, which
/// creates the account (name only, no token Secret). Several controllers
/// share one: the CSR signing, approving and cleaner controllers
/// `certificate-controller`; node IPAM, node lifecycle and taint eviction
/// `node-controller`. Not here: the cloud-provider controllers
/// (`route-controller`, `service-controller`; they do not run without
/// `--cloud-provider`), those off by default or behind feature gates off
/// in v1.32 (resource claims, storage version GC and migration, service
/// CIDRs, VolumeAttributesClass protection, SELinux warnings), and the
/// token controller, which runs with the manager's own credentials.
pub(crate) const CONTROLLER_SERVICE_ACCOUNTS: [&str; 33] = [
    "attachdetach-controller",
    "bootstrap-signer",
    "certificate-controller",
    "clusterrole-aggregation-controller",
    "cronjob-controller",
    "daemon-set-controller",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "ephemeral-volume-controller",
    "expand-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "legacy-service-account-token-cleaner",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "replication-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "service-account-controller",
    "statefulset-controller",
    "token-cleaner",
    "ttl-after-finished-controller",
    "ttl-controller",
    "validatingadmissionpolicy-status-controller",
];

/// The ClusterRoleBinding `kubeadm init` creates (since v1.29) so that the
/// `admin.conf` user, whose certificate is in group
/// `kubeadm:cluster-admins` and no longer in `system:masters`, holds
/// `cluster-admin` through RBAC. kubeadm sets only its name, roleRef and
/// one Group subject (no labels or annotations); the subject's `apiGroup`
/// is what the API server's defaulting gives a Group.
fn kubeadm_cluster_admins() -> ClusterRoleBinding {
    let group = crate::authn::KUBEADM_CLUSTER_ADMINS;
    ClusterRoleBinding {
        metadata: ObjectMeta { name: Some(group.to_string()), ..ObjectMeta::default() },
        role_ref: RoleRef {
            api_group: strategy::RBAC_GROUP.to_string(),
            kind: "ClusterRole".to_string(),
            name: "cluster-admin".to_string(),
        },
        subjects: Some(vec![Subject {
            api_group: Some(strategy::RBAC_GROUP.to_string()),
            kind: "Group".to_string(),
            name: group.to_string(),
            namespace: None,
        }]),
    }
}

/// The `kubernetes` Service in `default`, as kube-apiserver keeps it: the
/// first address of the service range, port 443 to the server's 6443.
fn kubernetes_service() -> Service {
    let labels = [("component", "apiserver"), ("provider", "kubernetes")];
    Service {
        metadata: ObjectMeta {
            name: Some("kubernetes".to_string()),
            namespace: Some("default".to_string()),
            labels: Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..ObjectMeta::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some(crate::kubelet::KUBERNETES_SERVICE_IP.to_string()),
            cluster_ips: Some(vec![crate::kubelet::KUBERNETES_SERVICE_IP.to_string()]),
            ip_families: Some(vec!["IPv4".to_string()]),
            ip_family_policy: Some("SingleStack".to_string()),
            ports: Some(vec![ServicePort {
                name: Some("https".to_string()),
                port: 443,
                protocol: Some("TCP".to_string()),
                target_port: Some(IntOrString::Int(6443)),
                ..ServicePort::default()
            }]),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

/// The rules `role`'s aggregationRule selects from `roles`.
fn aggregated_rules<'a>(role: &ClusterRole, roles: &[&'a ClusterRole]) -> Vec<&'a PolicyRule> {
    let selectors =
        role.aggregation_rule.as_ref().and_then(|a| a.cluster_role_selectors.as_deref()).unwrap_or_default();
    let mut rules: Vec<&PolicyRule> = Vec::new();
    let sources = roles.iter().filter(|source| {
        source.metadata.name != role.metadata.name
            && selectors.iter().any(|s| matches_label_selector(s, source.metadata.labels.as_ref()))
    });
    for rule in sources.flat_map(|s| s.rules.iter().flatten()) {
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    rules
}

fn annotation(meta: &ObjectMeta, key: &str) -> Option<String> {
    meta.annotations.as_ref().and_then(|a| a.get(key)).cloned()
}

/// Whether `secret` is a legacy token Secret of service account `name`
/// (with `uid`, when the Secret records one).
fn token_secret_refers_to(secret: &Object, name: &str, uid: Option<&str>) -> bool {
    let Object::Secret(s) = secret else {
        return false;
    };
    if s.type_.as_deref() != Some(SERVICE_ACCOUNT_TOKEN_TYPE) {
        return false;
    }
    let named = annotation(&s.metadata, SERVICE_ACCOUNT_NAME_ANNOTATION).as_deref() == Some(name);
    let recorded = annotation(&s.metadata, SERVICE_ACCOUNT_UID_ANNOTATION);
    named && (recorded.is_none() || recorded.as_deref() == uid)
}
