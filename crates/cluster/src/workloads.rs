//! The workload controllers of kube-controller-manager, and its garbage
//! collector.
//!
//! - Deployment controller: a ReplicaSet `<deployment>-<pod-template-hash>`
//!   per pod template, revisions in `deployment.kubernetes.io/revision`,
//!   the rolling update (maxSurge/maxUnavailable) or Recreate, old
//!   ReplicaSets kept up to `revisionHistoryLimit`, status and conditions.
//! - ReplicaSet controller: pods `<rs>-<5 chars>` up to `replicas`,
//!   newest deleted first, `FailedCreate` when admission refuses a pod.
//! - DaemonSet controller: one pod per node its nodeSelector matches.
//! - StatefulSet controller: pods `<name>-0…N-1`, in order.
//! - Job controller: pods until `completions` succeeded.
//! - Garbage collector: deleting an owner deletes its dependents
//!   (background propagation), or orphans them.
//!
//! Controllers run from a work queue of object keys that the API server
//! and the other controllers feed (after writes, on clock deadlines); the
//! queue is drained when a request or a deadline is done, so one change
//! ripples through Deployment → ReplicaSet → pods at the same instant.
//! Every pod is created through the same defaulting, admission and
//! validation as a learner's.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetStatus, Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetCondition,
    ReplicaSetSpec, ReplicaSetStatus, StatefulSet, StatefulSetStatus,
};
use k8s_openapi::api::batch::v1::{Job, JobCondition, JobStatus, UncountedTerminatedPods};
use k8s_openapi::api::core::v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolumeClaimVolumeSource,
    Pod, PodTemplateSpec, Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use rustc_hash::FxHashMap;

use crate::clock::Deadline;
use crate::events::{
    EventSourceName, DAEMONSET_CONTROLLER, DEPLOYMENT_CONTROLLER, JOB_CONTROLLER, REPLICASET_CONTROLLER,
    STATEFULSET_CONTROLLER,
};
use crate::object::Object;
use crate::resource::{self, ResourceInfo};
use crate::status::ApiError;
use crate::store::Key;
use crate::time::Time;
use crate::{admission, strategy, Cluster};

/// The label (and selector key) that ties a ReplicaSet to its template.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
/// The Deployment and ReplicaSet revision annotation.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// Earlier revisions a ReplicaSet had (after rollbacks).
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// The replicas the Deployment wanted when it last touched the RS.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// replicas + maxSurge.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The change cause `kubectl rollout history` shows.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
/// The StatefulSet and DaemonSet revision label.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// How long a Job's pod runs before it succeeds (simulated).
pub const JOB_POD_RUN_SECONDS: i64 = 10;
/// Pods one controller creates in one sync (upstream `burstReplicas`).
const BURST_REPLICAS: usize = 500;
/// The most pods the controllers keep in the cluster (a simulator limit).
pub const MAX_CONTROLLER_PODS: usize = 5000;

/// Annotations of a Deployment that are not copied to its ReplicaSets.
const ANNOTATIONS_NOT_COPIED: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];

/// The controllers' work queue and retry state.
#[derive(Debug, Clone, Default)]
pub struct WorkQueue {
    queue: VecDeque<Key>,
    queued: BTreeSet<Key>,
    running: bool,
    /// Consecutive failed syncs per object, for the retry backoff.
    failures: FxHashMap<Key, u32>,
}

fn info(plural: &str) -> &'static ResourceInfo {
    resource::by_plural_name(plural).unwrap_or(&resource::RESOURCES[0])
}

/// `rand.SafeEncodeString`'s alphabet.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The pod-template hash: FNV-32a over the template (upstream hashes Go's
/// spew dump of it; here its canonical JSON) and the collision count,
/// safe-encoded.
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    feed(serde_json::to_string(template).unwrap_or_default().as_bytes());
    if let Some(count) = collision_count {
        feed(&count.to_le_bytes());
    }
    hash.to_string()
        .bytes()
        .map(|b| char::from(SAFE_ALPHABET.get(usize::from(b) % SAFE_ALPHABET.len()).copied().unwrap_or(b'x')))
        .collect()
}

/// The owner reference a controller puts on what it makes.
fn controller_ref(owner: &Object) -> OwnerReference {
    OwnerReference {
        api_version: owner.resource().api_version(),
        kind: owner.kind().to_string(),
        name: owner.name().to_string(),
        uid: owner.metadata().uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The controller owner reference of `meta`, if any.
fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.iter().flatten().find(|r| r.controller == Some(true))
}

fn is_owned_by(meta: &ObjectMeta, uid: &str) -> bool {
    controller_of(meta).is_some_and(|r| r.uid == uid)
}

fn pod_is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

fn pod_is_finished(pod: &Pod) -> bool {
    matches!(pod.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
}

fn pod_is_active(pod: &Pod) -> bool {
    !pod_is_terminating(pod) && !pod_is_finished(pod)
}

fn pod_is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn annotation(meta: &ObjectMeta, key: &str) -> Option<String> {
    meta.annotations.as_ref().and_then(|a| a.get(key)).cloned()
}

fn revision_of(meta: &ObjectMeta) -> i64 {
    annotation(meta, REVISION_ANNOTATION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// Resolves maxSurge/maxUnavailable (`25%` or a number) against `total`.
fn resolve(value: Option<&IntOrString>, total: i32, round_up: bool, default: &str) -> i32 {
    let text = match value {
        Some(IntOrString::Int(n)) => return (*n).max(0),
        Some(IntOrString::String(s)) => s.clone(),
        None => default.to_string(),
    };
    match text.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
        Some(p) => {
            let scaled = p * i64::from(total);
            let v = if round_up { (scaled + 99) / 100 } else { scaled / 100 };
            i32::try_from(v.max(0)).unwrap_or(i32::MAX)
        }
        None => text.parse().unwrap_or(0),
    }
}

/// (maxSurge, maxUnavailable) of a Deployment, as `ResolveFenceposts`.
fn fenceposts(d: &Deployment) -> (i32, i32) {
    let spec = d.spec.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let strategy = spec.strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref() != Some("RollingUpdate") {
        return (0, 0);
    }
    let rolling = strategy.rolling_update.unwrap_or_default();
    let surge = resolve(rolling.max_surge.as_ref(), replicas, true, "25%");
    let mut unavailable = resolve(rolling.max_unavailable.as_ref(), replicas, false, "25%");
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable.min(replicas))
}

/// A template without the pod-template-hash label, for comparison.
fn without_hash(template: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = template.clone();
    if let Some(labels) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(POD_TEMPLATE_HASH_LABEL);
    }
    t
}

impl WorkQueue {
    fn push(&mut self, key: Key) {
        if self.queued.insert(key.clone()) {
            self.queue.push_back(key);
        }
    }

    fn pop(&mut self) -> Option<Key> {
        let key = self.queue.pop_front()?;
        self.queued.remove(&key);
        Some(key)
    }
}

impl Cluster {
    /// Queues a sync of the object at `key`.
    pub(crate) fn enqueue(&mut self, key: Key) {
        self.work.push(key);
    }

    /// Queues the controller that owns `meta` (in `namespace`).
    pub(crate) fn enqueue_owner(&mut self, namespace: &str, meta: &ObjectMeta) {
        if let Some(owner) = controller_of(meta) {
            if let Some(r) =
                resource::RESOURCES.iter().find(|r| r.kind == owner.kind && r.api_version() == owner.api_version)
            {
                self.work.push(Key::new(r, namespace, &owner.name));
            }
        }
    }

    /// What a write means for the workload controllers.
    pub(crate) fn workloads_after_write(&mut self, object: &Object, old: Option<&Object>) {
        if crate::apps::is_workload(object.kind()) {
            self.workload_written(object, old);
        }
        if let (Object::ServiceAccount(_), None) = (object, old) {
            // Controllers whose pods were refused may succeed now.
            let namespace = object.namespace().to_string();
            for plural in ["replicasets", "daemonsets", "statefulsets", "jobs"] {
                let keys: Vec<Key> = self.store.list(info(plural), Some(&namespace)).map(Key::of).collect();
                for key in keys {
                    self.enqueue(key);
                }
            }
        }
    }

    /// A workload written: its controller syncs it if its spec or metadata
    /// changed, its owner's looks again. Out of line: a fresh cluster writes
    /// no workload (see "Start-up in the browser" in ARCHITECTURE.md).
    #[inline(never)]
    fn workload_written(&mut self, object: &Object, old: Option<&Object>) {
        let spec_or_meta_changed = match old {
            None => true,
            Some(old) => {
                let (mut a, mut b) = (object.metadata().clone(), old.metadata().clone());
                (a.resource_version, b.resource_version) = (None, None);
                strategy::spec_changed(object, old) || a != b
            }
        };
        if spec_or_meta_changed {
            self.enqueue(Key::of(object));
        }
        let namespace = object.namespace().to_string();
        self.enqueue_owner(&namespace, object.metadata());
    }

    /// What a removal means: the owner notices, the garbage collector
    /// deletes the dependents.
    pub(crate) fn workloads_after_remove(&mut self, object: &Object) {
        let namespace = object.namespace().to_string();
        self.enqueue_owner(&namespace, object.metadata());
        let Some(uid) = object.metadata().uid.clone() else { return };
        let dependents: &[&str] = match object.kind() {
            "Deployment" => &["replicasets"],
            "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" => &["pods"],
            _ => return,
        };
        for plural in dependents {
            let doomed: Vec<Object> = self
                .store
                .list(info(plural), Some(&namespace))
                .filter(|o| o.metadata().owner_references.iter().flatten().any(|r| r.uid == uid))
                .cloned()
                .collect();
            for dependent in doomed {
                match dependent {
                    Object::Pod(pod) => {
                        self.begin_pod_deletion(pod, None);
                    }
                    other => self.remove_object(&Key::of(&other)),
                }
            }
        }
    }

    /// `propagationPolicy=Orphan`: the dependents lose their owner
    /// reference before the owner goes.
    pub(crate) fn orphan_dependents(&mut self, owner: &Object) {
        let Some(uid) = owner.metadata().uid.clone() else { return };
        let namespace = owner.namespace().to_string();
        for plural in ["replicasets", "pods"] {
            let orphans: Vec<Object> = self
                .store
                .list(info(plural), Some(&namespace))
                .filter(|o| o.metadata().owner_references.iter().flatten().any(|r| r.uid == uid))
                .cloned()
                .collect();
            for mut orphan in orphans {
                let meta = orphan.metadata_mut();
                if let Some(refs) = &mut meta.owner_references {
                    refs.retain(|r| r.uid != uid);
                    if refs.is_empty() {
                        meta.owner_references = None;
                    }
                }
                self.store.put(orphan);
            }
        }
    }

    /// Runs the queued syncs until nothing is left (bounded).
    pub(crate) fn run_controllers(&mut self) {
        if self.work.running {
            return;
        }
        self.work.running = true;
        let mut budget = 50_000;
        while let Some(key) = self.work.pop() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            self.sync(&key);
        }
        self.work.running = false;
    }

    fn sync(&mut self, key: &Key) {
        let Some(object) = self.store.get(key).cloned() else {
            self.work.failures.remove(key);
            return;
        };
        if object.metadata().deletion_timestamp.is_some() {
            return;
        }
        let ok = match object {
            Object::Deployment(d) => {
                self.sync_deployment(d);
                true
            }
            Object::ReplicaSet(rs) => self.sync_replica_set(rs),
            Object::DaemonSet(ds) => self.sync_daemon_set(ds),
            Object::StatefulSet(sts) => self.sync_stateful_set(sts),
            Object::Job(job) => self.sync_job(job),
            _ => true,
        };
        if ok {
            self.work.failures.remove(key);
        } else {
            // The rate-limited requeue: 5 ms doubling, at most 1000 s.
            let n = self.work.failures.entry(key.clone()).or_insert(0);
            let delay = (5i64 << (*n).min(20)).min(1_000_000);
            *n += 1;
            let at = self.now.plus_millis(delay);
            self.deadlines.schedule(
                at,
                Deadline::Resync {
                    plural: key.resource().map(|r| r.plural).unwrap_or_default().to_string(),
                    namespace: key.namespace().to_string(),
                    name: key.name().to_string(),
                },
            );
        }
    }

    /// A deadline asked for a sync.
    pub(crate) fn resync(&mut self, plural: &str, namespace: &str, name: &str) {
        if let Some(r) = resource::by_plural_name(plural) {
            self.enqueue(Key::new(r, namespace, name));
        }
    }

    /// Creates a pod for a controller through defaulting, admission and
    /// validation, naming it after admission as the API server does with
    /// `generateName`. Returns the pod's name.
    pub(crate) fn controller_create_pod(&mut self, pod: Pod) -> Result<String, ApiError> {
        let pods = info("pods");
        let mut object = Object::Pod(pod);
        strategy::apply_defaults(&mut object);
        self.require_namespace(object.namespace())?;
        admission::admit_create(self, &mut object)?;
        if object.name().is_empty() {
            let prefix = object.metadata().generate_name.clone().unwrap_or_default();
            let name = format!("{prefix}{}", self.rng.name_suffix(5));
            object.metadata_mut().name = Some(name);
        }
        strategy::prepare_for_create(&mut object);
        let errors = strategy::validate(&object);
        if !errors.is_empty() {
            return Err(ApiError::invalid(pods, object.name(), &errors));
        }
        admission::validate_create(self, &object)?;
        if self.store.contains(&Key::of(&object)) {
            return Err(ApiError::already_exists(pods, object.name()));
        }
        let meta = object.metadata_mut();
        meta.uid = Some(self.rng.uuid());
        meta.creation_timestamp = Some(self.now.to_k8s());
        let name = object.name().to_string();
        let stored = self.store.put(object).clone();
        self.after_write(&stored, None);
        Ok(name)
    }

    /// A pod from `template` for `owner`.
    fn pod_from_template(
        owner: &Object,
        template: &PodTemplateSpec,
        name: Option<String>,
        generate_name: Option<String>,
        extra_labels: &[(&str, String)],
    ) -> Pod {
        let template_meta = template.metadata.clone().unwrap_or_default();
        let mut labels = template_meta.labels.clone().unwrap_or_default();
        for (k, v) in extra_labels {
            labels.insert(k.to_string(), v.clone());
        }
        Pod {
            metadata: ObjectMeta {
                name,
                generate_name,
                namespace: Some(owner.namespace().to_string()),
                labels: (!labels.is_empty()).then_some(labels),
                annotations: template_meta.annotations.clone(),
                finalizers: template_meta.finalizers.clone(),
                owner_references: Some(vec![controller_ref(owner)]),
                ..ObjectMeta::default()
            },
            spec: template.spec.clone(),
            status: None,
        }
    }

    /// Pods of `namespace` whose controller is `uid`, oldest first.
    fn owned_pods(&self, namespace: &str, uid: &str) -> Vec<Pod> {
        let mut pods: Vec<Pod> = self
            .store
            .list(info("pods"), Some(namespace))
            .filter_map(|o| match o {
                Object::Pod(p) if is_owned_by(&p.metadata, uid) => Some(p.clone()),
                _ => None,
            })
            .collect();
        pods.sort_by(|a, b| {
            let t = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(Time::from_k8s);
            t(a).cmp(&t(b)).then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
        pods
    }

    fn pod_count(&self) -> usize {
        self.store.list(info("pods"), None).count()
    }

    /// Deletes a pod as a controller does (gracefully) and reports it.
    fn controller_delete_pod(&mut self, owner: &Object, pod: Pod, source: EventSourceName, message: String) {
        self.begin_pod_deletion(pod, None);
        self.record_event(owner, None, "Normal", "SuccessfulDelete", message, source);
    }

    // ---- ReplicaSet -------------------------------------------------------

    /// The ReplicaSet controller's sync; false when a create failed.
    #[inline(never)]
    fn sync_replica_set(&mut self, rs: ReplicaSet) -> bool {
        let owner = Object::ReplicaSet(rs.clone());
        let namespace = owner.namespace().to_string();
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        let spec = rs.spec.clone().unwrap_or_default();
        let want = usize::try_from(spec.replicas.unwrap_or(1).max(0)).unwrap_or(0);
        let pods = self.owned_pods(&namespace, &uid);
        let active: Vec<Pod> = pods.iter().filter(|p| pod_is_active(p)).cloned().collect();
        let mut failure: Option<String> = None;
        if active.len() < want {
            let room = MAX_CONTROLLER_PODS.saturating_sub(self.pod_count());
            let missing = (want - active.len()).min(BURST_REPLICAS).min(room);
            if let Some(template) = spec.template.clone() {
                // Slow start: batches of 1, 2, 4, …; stop at the first error.
                let mut created = 0;
                let mut batch = 1;
                'batches: while created < missing {
                    for _ in 0..batch.min(missing - created) {
                        let pod =
                            Self::pod_from_template(&owner, &template, None, Some(format!("{}-", owner.name())), &[]);
                        match self.controller_create_pod(pod) {
                            Ok(name) => {
                                created += 1;
                                self.record_event(
                                    &owner,
                                    None,
                                    "Normal",
                                    "SuccessfulCreate",
                                    format!("Created pod: {name}"),
                                    REPLICASET_CONTROLLER,
                                );
                            }
                            Err(e) => {
                                let message = format!("Error creating: {}", e.message());
                                self.record_event(
                                    &owner,
                                    None,
                                    "Warning",
                                    "FailedCreate",
                                    message,
                                    REPLICASET_CONTROLLER,
                                );
                                failure = Some(e.message().to_string());
                                break 'batches;
                            }
                        }
                    }
                    batch *= 2;
                }
            }
        } else if active.len() > want {
            // Newest first.
            let mut doomed = active.clone();
            doomed.reverse();
            for pod in doomed.into_iter().take(active.len() - want) {
                let name = pod.metadata.name.clone().unwrap_or_default();
                self.controller_delete_pod(&owner, pod, REPLICASET_CONTROLLER, format!("Deleted pod: {name}"));
            }
        }
        // Status.
        let pods = self.owned_pods(&namespace, &uid);
        let active: Vec<&Pod> = pods.iter().filter(|p| pod_is_active(p)).collect();
        let count = |f: &dyn Fn(&Pod) -> bool| i32::try_from(active.iter().filter(|p| f(p)).count()).unwrap_or(0);
        let replicas = count(&|_| true);
        let ready = count(&pod_is_ready);
        let Some(Object::ReplicaSet(mut current)) = self.store.get(&Key::of(&owner)).cloned() else { return true };
        let old_status = current.status.clone().unwrap_or_default();
        let mut conditions: Vec<ReplicaSetCondition> = old_status
            .conditions
            .clone()
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.type_ != "ReplicaFailure")
            .collect();
        if let Some(message) = &failure {
            let previous = old_status.conditions.iter().flatten().find(|c| c.type_ == "ReplicaFailure");
            conditions.push(ReplicaSetCondition {
                type_: "ReplicaFailure".to_string(),
                status: "True".to_string(),
                reason: Some("FailedCreate".to_string()),
                message: Some(message.clone()),
                last_transition_time: previous
                    .and_then(|c| c.last_transition_time.clone())
                    .or_else(|| Some(self.now.to_k8s())),
            });
        }
        current.status = Some(ReplicaSetStatus {
            replicas,
            fully_labeled_replicas: Some(replicas),
            ready_replicas: Some(ready),
            available_replicas: Some(ready),
            observed_generation: current.metadata.generation,
            conditions: (!conditions.is_empty()).then_some(conditions),
        });
        self.system_update(Object::ReplicaSet(current));
        failure.is_none()
    }

    // ---- Deployment -------------------------------------------------------

    fn owned_replica_sets(&self, namespace: &str, uid: &str) -> Vec<ReplicaSet> {
        let mut list: Vec<ReplicaSet> = self
            .store
            .list(info("replicasets"), Some(namespace))
            .filter_map(|o| match o {
                Object::ReplicaSet(rs) if is_owned_by(&rs.metadata, uid) => Some(rs.clone()),
                _ => None,
            })
            .collect();
        list.sort_by(|a, b| {
            let t = |r: &ReplicaSet| r.metadata.creation_timestamp.as_ref().map(Time::from_k8s);
            t(a).cmp(&t(b)).then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
        list
    }

    /// Sets `rs`'s replicas (and the Deployment's annotations on it),
    /// reporting the scaling on the Deployment.
    fn scale_replica_set(&mut self, d: &Deployment, rs: &ReplicaSet, to: i32) {
        let from = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
        let (surge, _) = fenceposts(d);
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let mut updated = rs.clone();
        if let Some(spec) = &mut updated.spec {
            spec.replicas = Some(to);
        }
        let annotations = updated.metadata.annotations.get_or_insert_with(BTreeMap::new);
        annotations.insert(DESIRED_REPLICAS_ANNOTATION.to_string(), replicas.to_string());
        annotations.insert(MAX_REPLICAS_ANNOTATION.to_string(), replicas.saturating_add(surge).to_string());
        self.system_update(Object::ReplicaSet(updated));
        if from != to {
            let direction = if to > from { "up" } else { "down" };
            let name = rs.metadata.name.clone().unwrap_or_default();
            self.record_event(
                &Object::Deployment(d.clone()),
                None,
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled {direction} replica set {name} from {from} to {to}"),
                DEPLOYMENT_CONTROLLER,
            );
        }
    }

    #[inline(never)]
    fn sync_deployment(&mut self, mut d: Deployment) {
        let owner = Object::Deployment(d.clone());
        let namespace = owner.namespace().to_string();
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let spec = d.spec.clone().unwrap_or_default();
        let replicas = spec.replicas.unwrap_or(1);
        let (surge, max_unavailable) = fenceposts(&d);
        let collision_count = d.status.as_ref().and_then(|s| s.collision_count);
        let all = self.owned_replica_sets(&namespace, &uid);
        let wanted = without_hash(&spec.template);
        let new_index = all.iter().position(|rs| {
            rs.spec.as_ref().and_then(|s| s.template.as_ref()).map(without_hash).as_ref() == Some(&wanted)
        });
        let old: Vec<ReplicaSet> =
            all.iter().enumerate().filter(|(i, _)| Some(*i) != new_index).map(|(_, rs)| rs.clone()).collect();
        let max_old_revision = old.iter().map(|rs| revision_of(&rs.metadata)).max().unwrap_or(0);
        let mut status = d.status.clone().unwrap_or_default();
        let mut progressing: Option<(String, String)> = None;
        let mut new_rs = match new_index.and_then(|i| all.get(i)).cloned() {
            Some(mut rs) => {
                // Keep its annotations in step with the Deployment's.
                let mut annotations = rs.metadata.annotations.clone().unwrap_or_default();
                for (k, v) in d.metadata.annotations.iter().flatten() {
                    if !ANNOTATIONS_NOT_COPIED.contains(&k.as_str()) {
                        annotations.insert(k.clone(), v.clone());
                    }
                }
                let revision = revision_of(&rs.metadata);
                if revision <= max_old_revision {
                    if revision > 0 {
                        let history = annotations.get(REVISION_HISTORY_ANNOTATION).cloned().unwrap_or_default();
                        let history =
                            if history.is_empty() { revision.to_string() } else { format!("{history},{revision}") };
                        annotations.insert(REVISION_HISTORY_ANNOTATION.to_string(), history);
                    }
                    annotations.insert(REVISION_ANNOTATION.to_string(), (max_old_revision + 1).to_string());
                }
                if rs.metadata.annotations.as_ref() != Some(&annotations) {
                    rs.metadata.annotations = Some(annotations);
                    self.system_update(Object::ReplicaSet(rs.clone()));
                }
                rs
            }
            // Paused: a changed template waits for the resume, as upstream's
            // sync does (it makes no new ReplicaSet); a stand-in with no
            // replicas and the Deployment's revision takes its place below.
            None if spec.paused == Some(true) => {
                let revision =
                    annotation(&d.metadata, REVISION_ANNOTATION).unwrap_or_else(|| max_old_revision.to_string());
                let mut stand_in = ReplicaSet::default();
                stand_in.metadata.annotations = Some(BTreeMap::from([(REVISION_ANNOTATION.to_string(), revision)]));
                stand_in
            }
            None => {
                let hash = pod_template_hash(&spec.template, collision_count);
                let name = format!("{}-{hash}", owner.name());
                let key = Key::new(info("replicasets"), &namespace, &name);
                if self.store.contains(&key) {
                    // A hash collision with an RS that is not ours.
                    status.collision_count = Some(collision_count.unwrap_or(0) + 1);
                    d.status = Some(status);
                    self.system_update(Object::Deployment(d));
                    return;
                }
                let mut template = spec.template.clone();
                template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .labels
                    .get_or_insert_with(BTreeMap::new)
                    .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
                let mut selector: LabelSelector = spec.selector.clone();
                selector
                    .match_labels
                    .get_or_insert_with(BTreeMap::new)
                    .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
                let mut labels = template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
                labels.insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash);
                let mut annotations: BTreeMap<String, String> = d
                    .metadata
                    .annotations
                    .iter()
                    .flatten()
                    .filter(|(k, _)| !ANNOTATIONS_NOT_COPIED.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                annotations.insert(REVISION_ANNOTATION.to_string(), (max_old_revision + 1).to_string());
                annotations.insert(DESIRED_REPLICAS_ANNOTATION.to_string(), replicas.to_string());
                annotations.insert(MAX_REPLICAS_ANNOTATION.to_string(), replicas.saturating_add(surge).to_string());
                let is_rolling = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("RollingUpdate");
                let current: i32 = old.iter().map(|rs| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)).sum();
                let initial = if is_rolling {
                    replicas.saturating_add(surge).saturating_sub(current).clamp(0, replicas)
                } else if current == 0 && self.old_pods_gone(&namespace, &old) {
                    replicas
                } else {
                    0
                };
                let rs = ReplicaSet {
                    metadata: ObjectMeta {
                        name: Some(name.clone()),
                        namespace: Some(namespace.clone()),
                        labels: Some(labels),
                        annotations: Some(annotations),
                        owner_references: Some(vec![controller_ref(&owner)]),
                        ..ObjectMeta::default()
                    },
                    spec: Some(ReplicaSetSpec {
                        replicas: Some(initial),
                        min_ready_seconds: spec.min_ready_seconds,
                        selector,
                        template: Some(template),
                    }),
                    status: None,
                };
                self.system_create(Object::ReplicaSet(rs));
                if initial > 0 {
                    self.record_event(
                        &owner,
                        None,
                        "Normal",
                        "ScalingReplicaSet",
                        format!("Scaled up replica set {name} from 0 to {initial}"),
                        DEPLOYMENT_CONTROLLER,
                    );
                }
                progressing = Some(("NewReplicaSetCreated".to_string(), format!("Created new replica set {name:?}")));
                match self.store.get(&key) {
                    Some(Object::ReplicaSet(rs)) => rs.clone(),
                    _ => return,
                }
            }
        };
        let new_name = new_rs.metadata.name.clone().unwrap_or_default();
        // Scale.
        let paused = spec.paused == Some(true);
        if !paused {
            let rs_replicas = |rs: &ReplicaSet| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
            let is_rolling = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("RollingUpdate");
            if is_rolling {
                let new_count = rs_replicas(&new_rs);
                let total: i32 = old.iter().map(rs_replicas).fold(rs_replicas(&new_rs), i32::saturating_add);
                let target = if new_count > replicas {
                    replicas
                } else {
                    let up = replicas.saturating_add(surge).saturating_sub(total).max(0).min(replicas - new_count);
                    new_count + up
                };
                if target != new_count {
                    self.scale_replica_set(&d, &new_rs, target);
                    if let Some(Object::ReplicaSet(rs)) = self.store.get(&Key::of(&Object::ReplicaSet(new_rs.clone())))
                    {
                        new_rs = rs.clone();
                    }
                }
                // Old ReplicaSets: scale down within maxUnavailable.
                let old: Vec<ReplicaSet> = old
                    .iter()
                    .filter_map(|rs| match self.store.get(&Key::of(&Object::ReplicaSet(rs.clone()))) {
                        Some(Object::ReplicaSet(rs)) => Some(rs.clone()),
                        _ => None,
                    })
                    .collect();
                let old_count: i32 = old.iter().map(rs_replicas).fold(0, i32::saturating_add);
                if old_count > 0 {
                    let available =
                        |rs: &ReplicaSet| rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0);
                    let min_available = replicas.saturating_sub(max_unavailable);
                    let all_available: i32 = available(&new_rs) + old.iter().map(available).sum::<i32>();
                    let new_unavailable = rs_replicas(&new_rs) - available(&new_rs);
                    let all_count = rs_replicas(&new_rs).saturating_add(old_count);
                    let mut budget = all_count
                        .saturating_sub(min_available)
                        .saturating_sub(new_unavailable)
                        .min(all_available.saturating_sub(min_available));
                    for rs in &old {
                        if budget <= 0 {
                            break;
                        }
                        let count = rs_replicas(rs);
                        if count == 0 {
                            continue;
                        }
                        let down = count.min(budget);
                        self.scale_replica_set(&d, rs, count - down);
                        budget -= down;
                    }
                }
            } else {
                // Recreate: old to zero, then the new one once old pods are gone.
                for rs in &old {
                    if rs_replicas(rs) > 0 {
                        self.scale_replica_set(&d, rs, 0);
                    }
                }
                if rs_replicas(&new_rs) != replicas && self.old_pods_gone(&namespace, &old) {
                    self.scale_replica_set(&d, &new_rs, replicas);
                }
            }
        }
        // Clean up old ReplicaSets beyond the history limit.
        let limit = usize::try_from(spec.revision_history_limit.unwrap_or(10).max(0)).unwrap_or(10);
        let all = self.owned_replica_sets(&namespace, &uid);
        let idle: Vec<&ReplicaSet> = all
            .iter()
            .filter(|rs| rs.metadata.name.as_deref() != Some(new_name.as_str()))
            .filter(|rs| rs.spec.as_ref().and_then(|s| s.replicas) == Some(0))
            .filter(|rs| rs.status.as_ref().is_none_or(|s| s.replicas == 0))
            .collect();
        if idle.len() > limit {
            let mut by_revision = idle.clone();
            by_revision.sort_by_key(|rs| revision_of(&rs.metadata));
            let doomed: Vec<Key> = by_revision
                .iter()
                .take(idle.len() - limit)
                .map(|rs| Key::of(&Object::ReplicaSet((*rs).clone())))
                .collect();
            for key in doomed {
                self.remove_object(&key);
            }
        }
        // Status.
        let Some(Object::Deployment(mut current)) = self.store.get(&Key::of(&owner)).cloned() else { return };
        let all = self.owned_replica_sets(&namespace, &uid);
        let new_rs =
            all.iter().find(|rs| rs.metadata.name.as_deref() == Some(new_name.as_str())).cloned().unwrap_or(new_rs);
        let st = |rs: &ReplicaSet| rs.status.clone().unwrap_or_default();
        let actual: i32 = all.iter().map(|rs| st(rs).replicas).sum();
        let ready: i32 = all.iter().map(|rs| st(rs).ready_replicas.unwrap_or(0)).sum();
        let available: i32 = all.iter().map(|rs| st(rs).available_replicas.unwrap_or(0)).sum();
        let spec_total: i32 =
            all.iter().map(|rs| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)).fold(0, i32::saturating_add);
        let updated = st(&new_rs).replicas;
        let old_status = current.status.clone().unwrap_or_default();
        let mut new_status = DeploymentStatus {
            replicas: Some(actual).filter(|n| *n != 0),
            updated_replicas: Some(updated).filter(|n| *n != 0),
            ready_replicas: Some(ready).filter(|n| *n != 0),
            available_replicas: Some(available).filter(|n| *n != 0),
            unavailable_replicas: Some(spec_total.saturating_sub(available).max(0)).filter(|n| *n != 0),
            observed_generation: current.metadata.generation,
            collision_count: old_status.collision_count,
            conditions: old_status.conditions.clone(),
        };
        let now = self.now.to_k8s();
        let set = |status: &mut DeploymentStatus, type_: &str, state: &str, reason: &str, message: String| {
            let conditions = status.conditions.get_or_insert_with(Vec::new);
            let existing = conditions.iter().find(|c| c.type_ == type_).cloned();
            if existing.as_ref().is_some_and(|c| c.status == state && c.reason.as_deref() == Some(reason)) {
                return;
            }
            let transition = match &existing {
                Some(c) if c.status == state => c.last_transition_time.clone(),
                _ => Some(now.clone()),
            };
            conditions.retain(|c| c.type_ != type_);
            conditions.push(DeploymentCondition {
                type_: type_.to_string(),
                status: state.to_string(),
                reason: Some(reason.to_string()),
                message: Some(message),
                last_update_time: Some(now.clone()),
                last_transition_time: transition,
            });
        };
        if let Some((reason, message)) = progressing {
            set(&mut new_status, "Progressing", "True", &reason, message);
        }
        if available >= replicas.saturating_sub(max_unavailable) {
            set(
                &mut new_status,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
            );
        } else {
            set(
                &mut new_status,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
            );
        }
        let complete = updated == replicas && actual == replicas && available == replicas;
        let progressing_cond = new_status.conditions.iter().flatten().find(|c| c.type_ == "Progressing").cloned();
        let progressed = updated > old_status.updated_replicas.unwrap_or(0)
            || ready > old_status.ready_replicas.unwrap_or(0)
            || available > old_status.available_replicas.unwrap_or(0)
            || actual - updated < old_status.replicas.unwrap_or(0) - old_status.updated_replicas.unwrap_or(0);
        let deadline = spec.progress_deadline_seconds.map(i64::from);
        if paused {
            // kubectl rollout pause: upstream reports it as Unknown.
            set(&mut new_status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused".into());
        } else if complete {
            set(
                &mut new_status,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                format!("ReplicaSet {new_name:?} has successfully progressed."),
            );
        } else if progressed
            && progressing_cond.as_ref().is_some_and(|c| c.reason.as_deref() != Some("NewReplicaSetCreated"))
        {
            let conditions = new_status.conditions.get_or_insert_with(Vec::new);
            let transition = progressing_cond
                .as_ref()
                .filter(|c| c.status == "True")
                .and_then(|c| c.last_transition_time.clone())
                .or_else(|| Some(now.clone()));
            conditions.retain(|c| c.type_ != "Progressing");
            conditions.push(DeploymentCondition {
                type_: "Progressing".to_string(),
                status: "True".to_string(),
                reason: Some("ReplicaSetUpdated".to_string()),
                message: Some(format!("ReplicaSet {new_name:?} is progressing.")),
                last_update_time: Some(now.clone()),
                last_transition_time: transition,
            });
        } else if let (Some(seconds), Some(cond)) = (deadline, &progressing_cond) {
            let from = cond.last_update_time.as_ref().map(Time::from_k8s).unwrap_or(self.now);
            let ends = from.plus_millis(seconds * 1000);
            let settled = matches!(cond.reason.as_deref(), Some("NewReplicaSetAvailable" | "ProgressDeadlineExceeded"));
            if !settled && ends < self.now {
                set(
                    &mut new_status,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    format!("ReplicaSet {new_name:?} has timed out progressing."),
                );
            } else if !settled {
                self.deadlines.schedule(
                    ends.plus_millis(1),
                    Deadline::Resync {
                        plural: "deployments".to_string(),
                        namespace: namespace.clone(),
                        name: owner.name().to_string(),
                    },
                );
            }
        }
        // The new ReplicaSet's failure shows on the Deployment.
        let failure = new_rs
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "ReplicaFailure"))
            .cloned();
        match failure {
            Some(f) => set(
                &mut new_status,
                "ReplicaFailure",
                &f.status,
                f.reason.as_deref().unwrap_or_default(),
                f.message.clone().unwrap_or_default(),
            ),
            None => {
                if let Some(c) = &mut new_status.conditions {
                    c.retain(|c| c.type_ != "ReplicaFailure");
                }
            }
        }
        // The Deployment carries its new ReplicaSet's revision.
        let revision = annotation(&new_rs.metadata, REVISION_ANNOTATION).unwrap_or_else(|| "1".to_string());
        current
            .metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(REVISION_ANNOTATION.to_string(), revision);
        current.status = Some(new_status);
        self.system_update(Object::Deployment(current));
    }

    /// Whether no pod of these ReplicaSets is left (Recreate waits for it).
    fn old_pods_gone(&self, namespace: &str, old: &[ReplicaSet]) -> bool {
        old.iter().all(|rs| {
            let uid = rs.metadata.uid.clone().unwrap_or_default();
            self.owned_pods(namespace, &uid).iter().all(pod_is_finished)
        })
    }

    // ---- DaemonSet --------------------------------------------------------

    #[inline(never)]
    fn sync_daemon_set(&mut self, ds: DaemonSet) -> bool {
        let owner = Object::DaemonSet(ds.clone());
        let namespace = owner.namespace().to_string();
        let uid = ds.metadata.uid.clone().unwrap_or_default();
        let spec = ds.spec.clone().unwrap_or_default();
        let hash = pod_template_hash(&spec.template, ds.status.as_ref().and_then(|s| s.collision_count));
        let generation = ds.metadata.generation.unwrap_or(1).to_string();
        let node_selector = spec.template.spec.as_ref().and_then(|s| s.node_selector.clone()).unwrap_or_default();
        let nodes: Vec<(String, BTreeMap<String, String>)> = self
            .store
            .list(info("nodes"), None)
            .map(|n| (n.name().to_string(), n.metadata().labels.clone().unwrap_or_default()))
            .collect();
        let mut ok = true;
        let (mut desired, mut scheduled, mut misscheduled, mut ready_count, mut updated, mut available) =
            (0, 0, 0, 0, 0, 0);
        for (node, labels) in &nodes {
            let should_run = node_selector.iter().all(|(k, v)| labels.get(k) == Some(v));
            let on_node: Vec<Pod> = self
                .owned_pods(&namespace, &uid)
                .into_iter()
                .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node.as_str()))
                .collect();
            if should_run {
                desired += 1;
                if on_node.is_empty() {
                    let mut pod = Self::pod_from_template(
                        &owner,
                        &spec.template,
                        None,
                        Some(format!("{}-", owner.name())),
                        &[
                            (CONTROLLER_REVISION_HASH_LABEL, hash.clone()),
                            ("pod-template-generation", generation.clone()),
                        ],
                    );
                    add_daemon_scheduling(&mut pod, node);
                    match self.controller_create_pod(pod) {
                        Ok(name) => self.record_event(
                            &owner,
                            None,
                            "Normal",
                            "SuccessfulCreate",
                            format!("Created pod: {name}"),
                            DAEMONSET_CONTROLLER,
                        ),
                        Err(e) => {
                            self.record_event(
                                &owner,
                                None,
                                "Warning",
                                "FailedCreate",
                                format!("Error creating: {}", e.message()),
                                DAEMONSET_CONTROLLER,
                            );
                            ok = false;
                        }
                    }
                } else {
                    for pod in on_node.iter().filter(|p| pod_is_active(p)) {
                        let current = pod.metadata.labels.as_ref().and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
                            == Some(&hash);
                        if !current {
                            let name = pod.metadata.name.clone().unwrap_or_default();
                            self.controller_delete_pod(
                                &owner,
                                pod.clone(),
                                DAEMONSET_CONTROLLER,
                                format!("Deleted pod: {name}"),
                            );
                        }
                    }
                }
            } else {
                for pod in on_node.iter().filter(|p| pod_is_active(p)) {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    self.controller_delete_pod(
                        &owner,
                        pod.clone(),
                        DAEMONSET_CONTROLLER,
                        format!("Deleted pod: {name}"),
                    );
                }
            }
            let now_on_node: Vec<Pod> = self
                .owned_pods(&namespace, &uid)
                .into_iter()
                .filter(|p| {
                    pod_is_active(p) && p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node.as_str())
                })
                .collect();
            if let Some(pod) = now_on_node.first() {
                if should_run {
                    scheduled += 1;
                } else {
                    misscheduled += 1;
                }
                if pod_is_ready(pod) {
                    ready_count += 1;
                    available += 1;
                }
                if pod.metadata.labels.as_ref().and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL)) == Some(&hash) {
                    updated += 1;
                }
            }
        }
        let Some(Object::DaemonSet(mut current)) = self.store.get(&Key::of(&owner)).cloned() else { return ok };
        let old = current.status.clone().unwrap_or_default();
        current.status = Some(DaemonSetStatus {
            desired_number_scheduled: desired,
            current_number_scheduled: scheduled,
            number_misscheduled: misscheduled,
            number_ready: ready_count,
            number_available: Some(available).filter(|n| *n != 0),
            number_unavailable: Some(desired - available).filter(|n| *n > 0),
            updated_number_scheduled: Some(updated).filter(|n| *n != 0),
            observed_generation: current.metadata.generation,
            collision_count: old.collision_count,
            conditions: old.conditions,
        });
        self.system_update(Object::DaemonSet(current));
        ok
    }

    // ---- StatefulSet ------------------------------------------------------

    #[inline(never)]
    fn sync_stateful_set(&mut self, sts: StatefulSet) -> bool {
        let owner = Object::StatefulSet(sts.clone());
        let namespace = owner.namespace().to_string();
        let name = owner.name().to_string();
        let uid = sts.metadata.uid.clone().unwrap_or_default();
        let spec = sts.spec.clone().unwrap_or_default();
        let replicas = usize::try_from(spec.replicas.unwrap_or(1).max(0)).unwrap_or(0).min(MAX_CONTROLLER_PODS);
        let parallel = spec.pod_management_policy.as_deref() == Some("Parallel");
        let update_revision = format!(
            "{name}-{}",
            pod_template_hash(&spec.template, Some(sts.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0)))
        );
        let mut ok = true;
        let by_ordinal = |pods: &[Pod]| -> BTreeMap<usize, Pod> {
            pods.iter()
                .filter_map(|p| {
                    let n = p.metadata.name.as_deref()?.strip_prefix(&format!("{name}-"))?.parse::<usize>().ok()?;
                    Some((n, p.clone()))
                })
                .collect()
        };
        let pods = by_ordinal(&self.owned_pods(&namespace, &uid));
        let any_terminating = pods.values().any(pod_is_terminating);
        // Create the missing ordinals, in order.
        for ordinal in 0..replicas {
            match pods.get(&ordinal) {
                Some(pod) if !parallel && (pod_is_terminating(pod) || !pod_is_ready(pod)) => break,
                Some(_) => continue,
                None => {
                    let pod_name = format!("{name}-{ordinal}");
                    let mut pod = Self::pod_from_template(
                        &owner,
                        &spec.template,
                        Some(pod_name.clone()),
                        None,
                        &[
                            ("apps.kubernetes.io/pod-index", ordinal.to_string()),
                            (CONTROLLER_REVISION_HASH_LABEL, update_revision.clone()),
                            ("statefulset.kubernetes.io/pod-name", pod_name.clone()),
                        ],
                    );
                    if let Some(pod_spec) = &mut pod.spec {
                        pod_spec.hostname = Some(pod_name.clone());
                        pod_spec.subdomain = Some(spec.service_name.clone()).filter(|s| !s.is_empty());
                        for claim in spec.volume_claim_templates.iter().flatten() {
                            let claim_name = claim.metadata.name.clone().unwrap_or_default();
                            let volumes = pod_spec.volumes.get_or_insert_with(Vec::new);
                            volumes.retain(|v| v.name != claim_name);
                            volumes.push(Volume {
                                name: claim_name.clone(),
                                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                                    claim_name: format!("{claim_name}-{pod_name}"),
                                    read_only: None,
                                }),
                                ..Volume::default()
                            });
                        }
                    }
                    match self.controller_create_pod(pod) {
                        Ok(_) => self.record_event(
                            &owner,
                            None,
                            "Normal",
                            "SuccessfulCreate",
                            format!("create Pod {pod_name} in StatefulSet {name} successful"),
                            STATEFULSET_CONTROLLER,
                        ),
                        Err(e) => {
                            self.record_event(
                                &owner,
                                None,
                                "Warning",
                                "FailedCreate",
                                format!("create Pod {pod_name} in StatefulSet {name} failed error: {}", e.message()),
                                STATEFULSET_CONTROLLER,
                            );
                            ok = false;
                            break;
                        }
                    }
                    // OrderedReady goes on only once this pod is Running
                    // and Ready (at once, when its volumes could be written).
                    let started = match self.store.get(&Key::new(info("pods"), &namespace, &pod_name)) {
                        Some(Object::Pod(p)) => pod_is_ready(p),
                        _ => false,
                    };
                    if !parallel && !started {
                        break;
                    }
                }
            }
        }
        // Scale down from the highest ordinal; then roll the update.
        let pods = by_ordinal(&self.owned_pods(&namespace, &uid));
        let excess: Vec<Pod> = pods.range(replicas..).rev().map(|(_, p)| p.clone()).filter(pod_is_active).collect();
        let delete = |this: &mut Self, pod: Pod| {
            let pod_name = pod.metadata.name.clone().unwrap_or_default();
            this.controller_delete_pod(
                &owner,
                pod,
                STATEFULSET_CONTROLLER,
                format!("delete Pod {pod_name} in StatefulSet {name} successful"),
            );
        };
        if !excess.is_empty() {
            if parallel {
                for pod in excess {
                    delete(self, pod);
                }
            } else if !any_terminating {
                if let Some(pod) = excess.into_iter().next() {
                    delete(self, pod);
                }
            }
        } else if !any_terminating && pods.len() == replicas && pods.values().all(pod_is_ready) {
            let partition = spec
                .update_strategy
                .as_ref()
                .and_then(|u| u.rolling_update.as_ref())
                .and_then(|r| r.partition)
                .and_then(|p| usize::try_from(p).ok())
                .unwrap_or(0);
            let rolling = spec.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) != Some("OnDelete");
            let stale = pods.range(partition..).rev().map(|(_, p)| p).find(|p| {
                p.metadata.labels.as_ref().and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL)) != Some(&update_revision)
            });
            if let (true, Some(pod)) = (rolling, stale.cloned()) {
                delete(self, pod);
            }
        }
        // Status.
        let pods = by_ordinal(&self.owned_pods(&namespace, &uid));
        let live: Vec<&Pod> = pods.values().filter(|p| !pod_is_terminating(p)).collect();
        let count = |f: &dyn Fn(&Pod) -> bool| i32::try_from(live.iter().filter(|p| f(p)).count()).unwrap_or(0);
        let revision_of_pod =
            |p: &Pod| p.metadata.labels.as_ref().and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL)).cloned();
        let Some(Object::StatefulSet(mut current)) = self.store.get(&Key::of(&owner)).cloned() else { return ok };
        let old = current.status.clone().unwrap_or_default();
        let updated = count(&|p| revision_of_pod(p).as_deref() == Some(update_revision.as_str()));
        let total = count(&|_| true);
        let mut current_revision = old.current_revision.clone().unwrap_or_else(|| update_revision.clone());
        if updated == total && usize::try_from(total).unwrap_or(0) == replicas {
            current_revision = update_revision.clone();
        }
        let current_replicas = count(&|p| revision_of_pod(p).as_deref() == Some(current_revision.as_str()));
        let ready = count(&pod_is_ready);
        current.status = Some(StatefulSetStatus {
            replicas: total,
            ready_replicas: Some(ready).filter(|n| *n != 0),
            current_replicas: Some(current_replicas).filter(|n| *n != 0),
            updated_replicas: Some(updated).filter(|n| *n != 0),
            available_replicas: Some(ready),
            current_revision: Some(current_revision),
            update_revision: Some(update_revision),
            observed_generation: current.metadata.generation,
            collision_count: Some(old.collision_count.unwrap_or(0)),
            conditions: old.conditions,
        });
        self.system_update(Object::StatefulSet(current));
        ok
    }

    // ---- Job --------------------------------------------------------------

    #[inline(never)]
    fn sync_job(&mut self, job: Job) -> bool {
        let owner = Object::Job(job.clone());
        let namespace = owner.namespace().to_string();
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let spec = job.spec.clone().unwrap_or_default();
        let old = job.status.clone().unwrap_or_default();
        let finished = old
            .conditions
            .iter()
            .flatten()
            .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True");
        if finished {
            return true;
        }
        let suspended = spec.suspend == Some(true);
        let pods = self.owned_pods(&namespace, &uid);
        let succeeded_pods = i32::try_from(
            pods.iter().filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Succeeded")).count(),
        )
        .unwrap_or(0);
        let succeeded = succeeded_pods.max(old.succeeded.unwrap_or(0));
        let completions = spec.completions;
        let parallelism = spec.parallelism.unwrap_or(1).max(0);
        let mut active = i32::try_from(pods.iter().filter(|p| pod_is_active(p)).count()).unwrap_or(0);
        let mut ok = true;
        let done = match completions {
            Some(c) => succeeded >= c,
            None => succeeded > 0 && active == 0,
        };
        if !done && suspended {
            // A suspended Job's active pods are deleted (gracefully: they
            // are `terminating` until they end), as the job controller does.
            for pod in pods.iter().filter(|p| pod_is_active(p)) {
                let name = pod.metadata.name.clone().unwrap_or_default();
                self.controller_delete_pod(&owner, pod.clone(), JOB_CONTROLLER, format!("Deleted pod: {name}"));
            }
            active = 0;
        }
        if !done && !suspended {
            let remaining = completions.map(|c| c - succeeded).unwrap_or(parallelism);
            let want = parallelism.min(remaining).max(0);
            let room = i32::try_from(MAX_CONTROLLER_PODS.saturating_sub(self.pod_count())).unwrap_or(0);
            let missing = (want - active).min(room).min(BURST_REPLICAS as i32);
            for _ in 0..missing.max(0) {
                let pod =
                    Self::pod_from_template(&owner, &spec.template, None, Some(format!("{}-", owner.name())), &[]);
                match self.controller_create_pod(pod) {
                    Ok(name) => {
                        active += 1;
                        self.record_event(
                            &owner,
                            None,
                            "Normal",
                            "SuccessfulCreate",
                            format!("Created pod: {name}"),
                            JOB_CONTROLLER,
                        );
                    }
                    Err(e) => {
                        self.record_event(
                            &owner,
                            None,
                            "Warning",
                            "FailedCreate",
                            format!("Error creating: {}", e.message()),
                            JOB_CONTROLLER,
                        );
                        ok = false;
                        break;
                    }
                }
            }
        }
        let pods = self.owned_pods(&namespace, &uid);
        let ready = i32::try_from(pods.iter().filter(|p| pod_is_active(p) && pod_is_ready(p)).count()).unwrap_or(0);
        let terminating =
            i32::try_from(pods.iter().filter(|p| pod_is_terminating(p) && !pod_is_finished(p)).count()).unwrap_or(0);
        let Some(Object::Job(mut current)) = self.store.get(&Key::of(&owner)).cloned() else { return ok };
        let now = self.now.to_k8s();
        let mut status = JobStatus {
            start_time: old.start_time.clone().or_else(|| (!suspended).then(|| now.clone())),
            active: Some(active).filter(|n| *n != 0 && !done),
            ready: Some(if done { 0 } else { ready }),
            succeeded: Some(succeeded).filter(|n| *n != 0),
            terminating: Some(terminating),
            uncounted_terminated_pods: Some(UncountedTerminatedPods::default()),
            conditions: old.conditions.clone(),
            ..JobStatus::default()
        };
        // ensureJobConditionStatus for Suspended: added True (reason
        // JobSuspended) while suspended, turned False (JobResumed, a new
        // start time) on resume.
        let mut suspend_event: Option<(&str, &str)> = None;
        if !done {
            let conditions = status.conditions.get_or_insert_with(Vec::new);
            let (want, reason, message) = if suspended {
                ("True", "JobSuspended", "Job suspended")
            } else {
                ("False", "JobResumed", "Job resumed")
            };
            match conditions.iter_mut().find(|c| c.type_ == "Suspended") {
                Some(c) if c.status != want => {
                    c.status = want.to_string();
                    c.reason = Some(reason.to_string());
                    c.message = Some(message.to_string());
                    c.last_probe_time = Some(now.clone());
                    c.last_transition_time = Some(now.clone());
                    suspend_event = Some(if suspended { ("Suspended", message) } else { ("Resumed", message) });
                }
                None if suspended => {
                    conditions.push(JobCondition {
                        type_: "Suspended".to_string(),
                        status: want.to_string(),
                        reason: Some(reason.to_string()),
                        message: Some(message.to_string()),
                        last_probe_time: Some(now.clone()),
                        last_transition_time: Some(now.clone()),
                    });
                    suspend_event = Some(("Suspended", message));
                }
                _ => {}
            }
            if suspend_event.is_some_and(|(reason, _)| reason == "Resumed") {
                status.start_time = Some(now.clone());
            }
            if status.conditions.as_ref().is_some_and(Vec::is_empty) {
                status.conditions = None;
            }
        }
        if done {
            status.completion_time = Some(now.clone());
            let condition = |type_: &str| JobCondition {
                type_: type_.to_string(),
                status: "True".to_string(),
                reason: Some("CompletionsReached".to_string()),
                message: Some("Reached expected number of succeeded pods".to_string()),
                last_probe_time: Some(now.clone()),
                last_transition_time: Some(now.clone()),
            };
            let conditions = status.conditions.get_or_insert_with(Vec::new);
            conditions.push(condition("SuccessCriteriaMet"));
            conditions.push(condition("Complete"));
        }
        current.status = Some(status);
        self.system_update(Object::Job(current.clone()));
        if let Some((reason, message)) = suspend_event {
            self.record_event(
                &Object::Job(current.clone()),
                None,
                "Normal",
                reason,
                message.to_string(),
                JOB_CONTROLLER,
            );
        }
        if done {
            self.record_event(
                &Object::Job(current),
                None,
                "Normal",
                "Completed",
                "Job completed".to_string(),
                JOB_CONTROLLER,
            );
        }
        ok
    }

    /// A Job's pod ran to its end: phase Succeeded, containers exited 0.
    pub(crate) fn pod_completes(&mut self, namespace: &str, name: &str) {
        let key = Key::new(info("pods"), namespace, name);
        let Some(Object::Pod(mut pod)) = self.store.get(&key).cloned() else { return };
        if pod_is_terminating(&pod) || pod_is_finished(&pod) {
            return;
        }
        let now = self.now.to_k8s();
        if let Some(status) = &mut pod.status {
            status.phase = Some("Succeeded".to_string());
            for c in status.conditions.iter_mut().flatten() {
                if matches!(c.type_.as_str(), "Ready" | "ContainersReady") {
                    c.status = "False".to_string();
                    c.reason = Some("PodCompleted".to_string());
                    c.last_transition_time = Some(now.clone());
                }
            }
            for cs in status.container_statuses.iter_mut().flatten() {
                let started = cs.state.as_ref().and_then(|s| s.running.as_ref()).and_then(|r| r.started_at.clone());
                cs.ready = false;
                cs.started = Some(false);
                cs.state = Some(k8s_openapi::api::core::v1::ContainerState {
                    terminated: Some(k8s_openapi::api::core::v1::ContainerStateTerminated {
                        container_id: cs.container_id.clone(),
                        exit_code: 0,
                        reason: Some("Completed".to_string()),
                        started_at: started,
                        finished_at: Some(now.clone()),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
            }
        }
        let meta = pod.metadata.clone();
        self.store.put(Object::Pod(pod));
        self.enqueue_owner(namespace, &meta);
    }

    /// Whether a new pod belongs to a Job (its containers then run to
    /// completion).
    pub(crate) fn is_job_pod(pod: &Pod) -> bool {
        controller_of(&pod.metadata).is_some_and(|r| r.kind == "Job")
    }
}

/// The node affinity and tolerations the DaemonSet controller adds.
fn add_daemon_scheduling(pod: &mut Pod, node: &str) {
    let Some(spec) = &mut pod.spec else { return };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    affinity.node_affinity = Some(NodeAffinity {
        required_during_scheduling_ignored_during_execution: Some(NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_fields: Some(vec![NodeSelectorRequirement {
                    key: "metadata.name".to_string(),
                    operator: "In".to_string(),
                    values: Some(vec![node.to_string()]),
                }]),
                match_expressions: None,
            }],
        }),
        preferred_during_scheduling_ignored_during_execution: None,
    });
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        if !tolerations.iter().any(|t| t.key.as_deref() == Some(key)) {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some(effect.to_string()),
                ..Toleration::default()
            });
        }
    }
    // The kubelet of the chosen node runs it.
    spec.node_name = Some(node.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_hashes_use_the_safe_alphabet_and_the_collision_count() {
        let t = PodTemplateSpec::default();
        let a = pod_template_hash(&t, None);
        assert!(!a.is_empty() && a.len() <= 10);
        assert!(a.bytes().all(|b| SAFE_ALPHABET.contains(&b)));
        assert_ne!(a, pod_template_hash(&t, Some(1)));
        assert_eq!(a, pod_template_hash(&t, None));
    }

    #[test]
    fn fenceposts_round_as_upstream() {
        assert_eq!(resolve(Some(&IntOrString::String("25%".into())), 3, true, "25%"), 1);
        assert_eq!(resolve(Some(&IntOrString::String("25%".into())), 3, false, "25%"), 0);
        assert_eq!(resolve(Some(&IntOrString::Int(2)), 3, false, "25%"), 2);
        assert_eq!(resolve(None, 10, true, "25%"), 3);
    }
}
