//! The node and its kubelet: scheduling, pod status and mounted files.
//!
//! The cluster has one node, `node-1`. Every pod is bound to it and started
//! at once: its status becomes Running with upstream's conditions, and each
//! projected volume is written the way the kubelet's atomic writer does — a
//! hidden timestamped directory holding the files, a `..data` symlink to it
//! and one symlink per file — so that a learner looking inside a container
//! sees the layout of a real pod.

use std::collections::BTreeMap;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStatus, Node,
    NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo, PodCondition, PodIP, PodStatus, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::clock::Deadline;
use crate::events::KUBELET;
use crate::object::Object;
use crate::status::ApiError;
use crate::store::Key;
use crate::time::Time;
use crate::timeline::{TimelineEvent, TimelineKind};
use crate::tokens::{Binding, BoundClaims, API_AUDIENCES};
use crate::Cluster;

/// The only node.
pub const NODE_NAME: &str = "node-1";
/// The node's address (what `kubectl get pod -o wide` shows as host IP).
pub const NODE_IP: &str = "172.18.0.2";

/// The ClusterIP of the `kubernetes` Service in `default` (the first
/// address of kind's default service range, 10.96.0.0/16).
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";

/// The node object as the kubelet registers it.
pub fn node(name: &str, now: Time) -> Node {
    let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_heartbeat_time: Some(now.to_k8s()),
        last_transition_time: Some(now.to_k8s()),
    };
    Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(
                [
                    ("kubernetes.io/arch", "amd64"),
                    ("kubernetes.io/hostname", name),
                    ("kubernetes.io/os", "linux"),
                    ("node-role.kubernetes.io/control-plane", ""),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
            ..ObjectMeta::default()
        },
        spec: Some(k8s_openapi::api::core::v1::NodeSpec {
            pod_cidr: Some("10.244.0.0/24".to_string()),
            pod_cidrs: Some(vec!["10.244.0.0/24".to_string()]),
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress { type_: "InternalIP".to_string(), address: NODE_IP.to_string() },
                NodeAddress { type_: "Hostname".to_string(), address: name.to_string() },
            ]),
            conditions: Some(vec![
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ]),
            // What a kind node on a 2-CPU, 8 GB machine reports; kind's
            // kubelet reserves nothing, so all of it is allocatable.
            capacity: Some(node_resources()),
            allocatable: Some(node_resources()),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".to_string(),
                container_runtime_version: "containerd://1.7.24".to_string(),
                kernel_version: "6.1.0-28-amd64".to_string(),
                kube_proxy_version: "v1.32.0".to_string(),
                kubelet_version: "v1.32.0".to_string(),
                operating_system: "linux".to_string(),
                os_image: "Debian GNU/Linux 12 (bookworm)".to_string(),
                ..NodeSystemInfo::default()
            }),
            ..NodeStatus::default()
        }),
    }
}

/// The node's resources, as the kubelet reports them (memory and disk in
/// Ki, as cAdvisor's byte counts are printed).
fn node_resources() -> BTreeMap<String, Quantity> {
    [
        ("cpu", "2"),
        ("ephemeral-storage", "61202244Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "8131832Ki"),
        ("pods", "110"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
    .collect()
}

/// One file the kubelet wrote into a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeFile {
    /// Path inside the volume, e.g. `token`.
    pub path: String,
    /// The file's content.
    pub content: String,
    /// Permission bits, e.g. `0o644`.
    pub mode: u32,
}

/// How often the kubelet re-syncs a pod's volumes: a refresh that became
/// due is written at the next sync after it.
pub const KUBELET_SYNC_SECONDS: i64 = 60;

/// A service-account token the kubelet wrote into a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedToken {
    /// Path inside the volume (usually `token`).
    pub path: String,
    /// The token's claims; the JWT is signed from them when read.
    pub claims: BoundClaims,
    /// Whole seconds of jitter the token manager subtracts from its refresh
    /// thresholds, in `[0, 10)`.
    pub jitter_seconds: i64,
}

impl MountedToken {
    /// When it was issued (`iat`).
    pub fn issued_at(&self) -> Time {
        Time::from_unix_seconds(self.claims.issued_at)
    }

    /// What the TokenRequest status said: issued + requested seconds. The
    /// kubelet plans its refresh from this, not from `exp`.
    pub fn expiration_timestamp(&self) -> Time {
        Time::from_unix_seconds(self.claims.status_expiration())
    }

    /// The JWT's `exp`.
    pub fn expires(&self) -> Time {
        Time::from_unix_seconds(self.claims.expires)
    }

    /// When the token manager starts wanting a new token
    /// (`requiresRefresh`): older than 24 h, or than 80 % of its TTL.
    pub fn refresh_threshold(&self) -> Time {
        let ttl = self.claims.expiration_seconds;
        let exp = self.claims.status_expiration();
        let iat = exp - ttl;
        let by_age = iat + 24 * 3600 - self.jitter_seconds;
        let by_ttl = exp - ttl * 20 / 100 - self.jitter_seconds;
        Time::from_unix_seconds(by_age.min(by_ttl))
    }
}

/// A projected volume as written on the node.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeContents {
    /// The pod's namespace.
    pub pod_namespace: String,
    /// The pod's name.
    pub pod_name: String,
    /// When the pod started (the kubelet's sync ticks count from here).
    pub started: Time,
    /// When this version was written.
    pub written: Time,
    /// The random part of the timestamped directory's name.
    pub dir_suffix: u32,
    /// The files, in path order. A token file's content is empty here;
    /// [`Cluster::container_mounts`] fills it in.
    pub files: Vec<VolumeFile>,
    /// The service-account tokens among them.
    pub tokens: Vec<MountedToken>,
    /// When the kubelet will next replace the tokens, if it holds any.
    pub refresh_at: Option<Time>,
    /// The pod's UID.
    pub pod_uid: String,
    /// The pod's service account.
    pub service_account: String,
    /// The volume as the pod spec declares it (pods cannot change it).
    pub source: Rc<Volume>,
}

impl VolumeContents {
    /// The hidden timestamped directory `..data` points to, e.g.
    /// `..2025_01_14_09_12_47.3861842049`.
    pub fn data_dir(&self) -> String {
        let stamp = chrono::DateTime::from_timestamp(self.written.unix_seconds(), 0).unwrap_or_default();
        format!("..{}.{}", stamp.format("%Y_%m_%d_%H_%M_%S"), self.dir_suffix)
    }
}

/// The volumes the kubelet has written: each has a number (what deadlines
/// refer to), and an index by pod UID and volume name.
#[derive(Debug, Clone, Default)]
pub struct VolumeMap {
    by_id: FxHashMap<u64, VolumeContents>,
    ids: BTreeMap<(String, String), u64>,
    next_id: u64,
}

impl VolumeMap {
    /// The volume with number `id`.
    pub fn get(&self, id: u64) -> Option<&VolumeContents> {
        self.by_id.get(&id)
    }

    /// The number of pod `pod_uid`'s volume `name`.
    pub fn id_of(&self, pod_uid: &str, name: &str) -> Option<u64> {
        self.ids.get(&(pod_uid.to_string(), name.to_string())).copied()
    }

    /// Stores a pod's volume, keeping its number if it had one.
    fn insert(&mut self, pod_uid: &str, name: &str, contents: VolumeContents) -> u64 {
        let next = &mut self.next_id;
        let id = *self.ids.entry((pod_uid.to_string(), name.to_string())).or_insert_with(|| {
            *next += 1;
            *next
        });
        self.by_id.insert(id, contents);
        id
    }

    /// Takes volume `id` out of the map (put it back with `replace`).
    fn take(&mut self, id: u64) -> Option<VolumeContents> {
        self.by_id.remove(&id)
    }

    /// Replaces the contents of volume `id`.
    fn replace(&mut self, id: u64, contents: VolumeContents) {
        self.by_id.insert(id, contents);
    }

    /// Forgets every volume of pod `pod_uid`.
    fn forget_pod(&mut self, pod_uid: &str) {
        let keys: Vec<(String, String)> = self
            .ids
            .range((pod_uid.to_string(), String::new())..)
            .take_while(|(k, _)| k.0 == pod_uid)
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            if let Some(id) = self.ids.remove(&key) {
                self.by_id.remove(&id);
            }
        }
    }
}

/// What one container sees mounted, by mount path.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerMounts {
    /// (mount path, read-only, contents), in mount order.
    pub mounts: Vec<(String, bool, VolumeContents)>,
}

impl Cluster {
    /// Binds a new pod to the node and starts it.
    #[inline(never)]
    pub(crate) fn kubelet_start_pod(&mut self, key: &Key) {
        let Some(Object::Pod(mut pod)) = self.store.get(key).cloned() else {
            return;
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let spec = pod.spec.get_or_insert_with(Default::default);
        spec.node_name = Some(NODE_NAME.to_string());
        let volumes = spec.volumes.clone().unwrap_or_default();
        let sa_name = spec.service_account_name.clone().unwrap_or_default();
        let mut ready = true;
        let started = self.now;
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        for volume in volumes {
            let volume = Rc::new(volume);
            let is_projected = volume.projected.is_some();
            match self.write_volume(&namespace, &pod_name, &uid, &sa_name, volume, started) {
                Ok(contents) => {
                    let id = self.volumes.insert(&uid, &contents.source.name.clone(), contents);
                    self.after_volume_written(id, "pod start");
                }
                Err(_) => ready = !is_projected,
            }
        }
        self.next_pod_ip += 1;
        let ip = format!("10.244.0.{}", self.next_pod_ip % 250 + 2);
        let now = self.now.to_k8s();
        let condition = |type_: &str, ok: bool| PodCondition {
            type_: type_.to_string(),
            status: if ok { "True" } else { "False" }.to_string(),
            last_transition_time: Some(now.clone()),
            ..PodCondition::default()
        };
        let container_status = |c: &k8s_openapi::api::core::v1::Container| {
            let image = c.image.clone().unwrap_or_default();
            // A container the runtime has created reports the resolved
            // image, its ID, the container's ID and its mounts.
            let (image, image_id) = if ready { resolved_image(&image) } else { (image, String::new()) };
            ContainerStatus {
                name: c.name.clone(),
                image,
                image_id,
                container_id: ready.then(|| container_id(&uid, &c.name)),
                last_state: Some(ContainerState::default()),
                ready,
                restart_count: 0,
                started: Some(ready),
                state: Some(ContainerState {
                    running: ready.then(|| ContainerStateRunning { started_at: Some(now.clone()) }),
                    waiting: (!ready).then(|| k8s_openapi::api::core::v1::ContainerStateWaiting {
                        reason: Some("ContainerCreating".to_string()),
                        message: None,
                    }),
                    ..ContainerState::default()
                }),
                volume_mounts: ready.then(|| c.volume_mounts.iter().flatten().map(mount_status).collect()),
                ..ContainerStatus::default()
            }
        };
        // Init containers run to completion, in order, before the app
        // containers start; a sidecar (restartPolicy Always) keeps running.
        // While the volumes cannot be set up, none has run yet.
        let init_status = |c: &k8s_openapi::api::core::v1::Container| {
            if !ready {
                return ContainerStatus {
                    started: Some(false),
                    state: Some(ContainerState {
                        waiting: Some(k8s_openapi::api::core::v1::ContainerStateWaiting {
                            reason: Some("PodInitializing".to_string()),
                            message: None,
                        }),
                        ..ContainerState::default()
                    }),
                    ..container_status(c)
                };
            }
            if c.restart_policy.as_deref() == Some("Always") {
                return container_status(c);
            }
            ContainerStatus {
                ready: true,
                started: Some(false),
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        container_id: Some(container_id(&uid, &c.name)),
                        exit_code: 0,
                        reason: Some("Completed".to_string()),
                        started_at: Some(now.clone()),
                        finished_at: Some(now.clone()),
                        ..ContainerStateTerminated::default()
                    }),
                    ..ContainerState::default()
                }),
                ..container_status(c)
            }
        };
        let containers = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();
        let init_containers = pod.spec.as_ref().and_then(|s| s.init_containers.clone()).unwrap_or_default();
        let has_inits = !init_containers.is_empty();
        let mut container_statuses: Vec<ContainerStatus> = containers.iter().map(container_status).collect();
        if has_inits && !ready {
            for status in &mut container_statuses {
                if let Some(waiting) = status.state.as_mut().and_then(|s| s.waiting.as_mut()) {
                    waiting.reason = Some("PodInitializing".to_string());
                }
            }
        }
        let mut initialized = condition("Initialized", ready || !has_inits);
        if initialized.status == "False" {
            let names: Vec<&str> = init_containers.iter().map(|c| c.name.as_str()).collect();
            initialized.reason = Some("ContainersNotInitialized".to_string());
            initialized.message = Some(format!("containers with incomplete status: [{}]", names.join(" ")));
        }
        pod.status = Some(PodStatus {
            phase: Some(if ready { "Running" } else { "Pending" }.to_string()),
            conditions: Some(vec![
                condition("PodReadyToStartContainers", ready),
                initialized,
                condition("Ready", ready),
                condition("ContainersReady", ready),
                condition("PodScheduled", true),
            ]),
            host_ip: Some(NODE_IP.to_string()),
            host_ips: Some(vec![k8s_openapi::api::core::v1::HostIP { ip: NODE_IP.to_string() }]),
            pod_ip: ready.then(|| ip.clone()),
            pod_ips: ready.then(|| vec![PodIP { ip }]),
            start_time: Some(now.clone()),
            qos_class: Some(crate::strategy::pod_qos_class(pod.spec.as_ref()).to_string()),
            container_statuses: Some(container_statuses),
            init_container_statuses: has_inits.then(|| init_containers.iter().map(init_status).collect()),
            ..PodStatus::default()
        });
        if ready && Cluster::is_job_pod(&pod) {
            let ends = self.now.plus_millis(crate::workloads::JOB_POD_RUN_SECONDS * 1000);
            self.deadlines.schedule(
                ends,
                Deadline::PodCompletes { namespace: namespace.clone(), name: pod_name.clone(), uid: uid.clone() },
            );
        }
        let stored = self.store.put(Object::Pod(pod)).clone();
        self.pod_start_events(&stored, &namespace, &pod_name, ready);
    }

    /// The events of a pod's start: the scheduler's `Scheduled`, then for
    /// each container the kubelet's image, `Created` and `Started` events.
    fn pod_start_events(&mut self, pod: &Object, namespace: &str, name: &str, started: bool) {
        self.record_new_event(
            pod,
            "Scheduled",
            "Binding",
            format!("Successfully assigned {namespace}/{name} to {NODE_NAME}"),
            "default-scheduler",
            &format!("default-scheduler-{NODE_NAME}"),
        );
        if !started {
            return;
        }
        let Object::Pod(p) = pod else { return };
        let Some(spec) = &p.spec else { return };
        let containers: Vec<(String, k8s_openapi::api::core::v1::Container)> = spec
            .init_containers
            .iter()
            .flatten()
            .map(|c| (format!("spec.initContainers{{{}}}", c.name), c.clone()))
            .chain(spec.containers.iter().map(|c| (format!("spec.containers{{{}}}", c.name), c.clone())))
            .collect();
        for (field_path, c) in containers {
            let image = c.image.clone().unwrap_or_default();
            let path = Some(field_path);
            if c.image_pull_policy.as_deref() == Some("Always") {
                let (millis, size) = simulated_pull(&image);
                let took = go_duration_millis(millis);
                self.record_event(pod, path.clone(), "Normal", "Pulling", format!("Pulling image {image:?}"), KUBELET);
                self.record_event(
                    pod,
                    path.clone(),
                    "Normal",
                    "Pulled",
                    format!(
                        "Successfully pulled image {image:?} in {took} ({took} including waiting). Image size: {size} bytes."
                    ),
                    KUBELET,
                );
            } else {
                self.record_event(
                    pod,
                    path.clone(),
                    "Normal",
                    "Pulled",
                    format!("Container image {image:?} already present on machine"),
                    KUBELET,
                );
            }
            self.record_event(
                pod,
                path.clone(),
                "Normal",
                "Created",
                format!("Created container: {}", c.name),
                KUBELET,
            );
            self.record_event(pod, path, "Normal", "Started", format!("Started container {}", c.name), KUBELET);
        }
    }

    /// Writes a projected volume's files; an error names the source that
    /// is missing (the pod then waits in ContainerCreating, as upstream).
    fn write_volume(
        &mut self,
        namespace: &str,
        pod_name: &str,
        pod_uid: &str,
        sa_name: &str,
        volume: Rc<Volume>,
        started: Time,
    ) -> Result<VolumeContents, String> {
        let projected = volume.projected.as_ref().ok_or_else(|| "not a projected volume".to_string())?;
        let default_mode = projected.default_mode.unwrap_or(420);
        let mode = u32::try_from(default_mode).unwrap_or(0o644);
        let mut files = Vec::new();
        let mut tokens = Vec::new();
        for source in projected.sources.iter().flatten() {
            if let Some(projection) = &source.service_account_token {
                // The kubelet asks the TokenRequest API for a pod-bound token.
                let sa = self
                    .service_account(namespace, sa_name)
                    .ok_or_else(|| format!("failed to fetch token: serviceaccounts {sa_name:?} not found"))?
                    .clone();
                let audiences: Vec<String> = match projection.audience.as_deref().filter(|a| !a.is_empty()) {
                    Some(audience) => vec![audience.to_string()],
                    None => API_AUDIENCES.iter().map(|a| a.to_string()).collect(),
                };
                let seconds = projection.expiration_seconds.unwrap_or(3600);
                let binding = Binding {
                    pod: Some((pod_name.to_string(), pod_uid.to_string())),
                    secret: None,
                    node: Some((NODE_NAME.to_string(), self.node_uid(NODE_NAME))),
                };
                let claims = self.bound_claims(&sa, &audiences, seconds, &binding);
                let jitter_seconds = i64::try_from(self.rng.below(10)).unwrap_or(0);
                tokens.push(MountedToken { path: projection.path.clone(), claims, jitter_seconds });
                files.push(VolumeFile { path: projection.path.clone(), content: String::new(), mode });
            }
            if let Some(cm) = &source.config_map {
                for (path, content) in self.config_map_files(namespace, cm)? {
                    files.push(VolumeFile { path: path.to_string(), content: content.to_string(), mode });
                }
            }
            if let Some(downward) = &source.downward_api {
                for item in downward.items.iter().flatten() {
                    let field = item.field_ref.as_ref().map(|f| f.field_path.as_str());
                    let value = downward_value(field, namespace, pod_name, pod_uid).to_string();
                    files.push(VolumeFile { path: item.path.clone(), content: value, mode });
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let dir_suffix = u32::try_from(self.rng.below(u64::from(u32::MAX))).unwrap_or(0);
        let refresh_at = tokens.iter().map(MountedToken::refresh_threshold).min().map(|due| next_sync(started, due));
        Ok(VolumeContents {
            pod_namespace: namespace.to_string(),
            pod_name: pod_name.to_string(),
            started,
            written: self.now,
            dir_suffix,
            files,
            tokens,
            refresh_at,
            pod_uid: pod_uid.to_string(),
            service_account: sa_name.to_string(),
            source: volume,
        })
    }

    /// The (path, content) pairs a ConfigMap projection writes, or why the
    /// volume cannot be written (a missing ConfigMap or key).
    fn config_map_files<'a>(
        &'a self,
        namespace: &str,
        cm: &'a ConfigMapProjection,
    ) -> Result<Vec<(&'a str, &'a str)>, String> {
        let configmaps = crate::resource::by_plural_name("configmaps").ok_or("no configmaps")?;
        let data = match self.store.get(&Key::new(configmaps, namespace, &cm.name)) {
            Some(Object::ConfigMap(c)) => c.data.as_ref(),
            _ if cm.optional == Some(true) => None,
            _ => return Err(format!("configmap {:?} not found", cm.name)),
        };
        match &cm.items {
            Some(items) => items
                .iter()
                .map(|item| {
                    let content = data
                        .and_then(|d| d.get(&item.key))
                        .ok_or_else(|| format!("configmap {:?} has no key {:?}", cm.name, item.key))?;
                    Ok((item.path.as_str(), content.as_str()))
                })
                .collect(),
            None => Ok(data.into_iter().flatten().map(|(k, v)| (k.as_str(), v.as_str())).collect()),
        }
    }

    /// The kubelet's refresh of a volume whose sources still give the same
    /// files (the usual case), done in place: a new token for each token
    /// request, changed ConfigMap values copied in, a new timestamped
    /// directory. The same random draws, in the same order, as
    /// [`Self::write_volume`]. `Ok(false)`, with nothing changed, when the
    /// set of files is no longer the same (a ConfigMap key came or went):
    /// the caller writes the volume afresh.
    fn refresh_in_place(&mut self, v: &mut VolumeContents) -> Result<bool, String> {
        let source = Rc::clone(&v.source);
        let Some(projected) = source.projected.as_ref() else { return Ok(false) };
        let has_file = |files: &[VolumeFile], path: &str| files.binary_search_by(|f| f.path.as_str().cmp(path)).ok();
        // First look, changing nothing: every source is there and gives the
        // files the volume already has.
        let (mut file_count, mut token_count) = (0, 0);
        for s in projected.sources.iter().flatten() {
            if let Some(projection) = &s.service_account_token {
                if self.service_account(&v.pod_namespace, &v.service_account).is_none() {
                    return Err(format!("failed to fetch token: serviceaccounts {:?} not found", v.service_account));
                }
                if v.tokens.get(token_count).map(|t| t.path.as_str()) != Some(projection.path.as_str()) {
                    return Ok(false);
                }
                token_count += 1;
                file_count += 1;
            }
            if let Some(cm) = &s.config_map {
                for (path, _) in self.config_map_files(&v.pod_namespace, cm)? {
                    if has_file(&v.files, path).is_none() {
                        return Ok(false);
                    }
                    file_count += 1;
                }
            }
            if let Some(downward) = &s.downward_api {
                file_count += downward.items.as_ref().map_or(0, Vec::len);
            }
        }
        if file_count != v.files.len() || token_count != v.tokens.len() {
            return Ok(false);
        }
        // Then the writes, source by source as write_volume draws.
        let sa_uid = self.service_account(&v.pod_namespace, &v.service_account).and_then(|sa| sa.metadata.uid.clone());
        let node_uid = self.node_uid(NODE_NAME);
        let mut tokens = v.tokens.iter_mut();
        for s in projected.sources.iter().flatten() {
            if s.service_account_token.is_some() {
                let Some(token) = tokens.next() else { break };
                let claims = &mut token.claims;
                if let Some(uid) = &sa_uid {
                    if claims.service_account_uid != *uid {
                        claims.service_account_uid.clone_from(uid);
                    }
                }
                if let Some((_, uid)) = &mut claims.binding.node {
                    if *uid != node_uid {
                        *uid = node_uid.clone();
                    }
                }
                self.reissue(claims);
                token.jitter_seconds = i64::try_from(self.rng.below(10)).unwrap_or(0);
            }
            if let Some(cm) = &s.config_map {
                for (path, content) in self.config_map_files(&v.pod_namespace, cm)? {
                    if let Some(i) = has_file(&v.files, path) {
                        if v.files[i].content != content {
                            v.files[i].content = content.to_string();
                        }
                    }
                }
            }
        }
        v.dir_suffix = u32::try_from(self.rng.below(u64::from(u32::MAX))).unwrap_or(0);
        v.written = self.now;
        v.refresh_at = v.tokens.iter().map(MountedToken::refresh_threshold).min().map(|due| next_sync(v.started, due));
        Ok(true)
    }

    /// Notes a just-written volume's tokens and schedules their refresh.
    fn after_volume_written(&mut self, id: u64, why: &str) {
        let Some(contents) = self.volumes.get(id) else { return };
        let kind = if why == "pod start" { TimelineKind::TokenIssued } else { TimelineKind::TokenRotated };
        let events: Vec<TimelineEvent> = contents
            .tokens
            .iter()
            .map(|token| TimelineEvent {
                time: self.now,
                kind,
                subject: format!("pod {}/{}", contents.pod_namespace, contents.pod_name),
                detail: format!(
                    "kubelet wrote token JTI={} to volume {} ({why})",
                    token.claims.jti, contents.source.name
                ),
            })
            .collect();
        let refresh_at = contents.refresh_at;
        for event in events {
            self.timeline.push(event);
        }
        if let Some(at) = refresh_at {
            self.deadlines.schedule(at, Deadline::RefreshVolume { volume: id });
        }
    }

    /// The kubelet's sync found a volume's tokens due: write a new version
    /// (new timestamped directory, `..data` swapped), or keep the old one
    /// and try again at the next sync if no new token can be had.
    pub(crate) fn kubelet_refresh_volume(&mut self, id: u64) {
        let Some(mut current) = self.volumes.take(id) else { return };
        let written = match self.refresh_in_place(&mut current) {
            Ok(true) => Ok(current),
            Ok(false) => {
                let (namespace, pod_name, pod_uid, sa_name) =
                    (&current.pod_namespace, &current.pod_name, &current.pod_uid, &current.service_account);
                match self.write_volume(
                    namespace,
                    pod_name,
                    pod_uid,
                    sa_name,
                    Rc::clone(&current.source),
                    current.started,
                ) {
                    Ok(contents) => Ok(contents),
                    Err(why) => Err((why, current)),
                }
            }
            Err(why) => Err((why, current)),
        };
        match written {
            Ok(contents) => {
                self.volumes.replace(id, contents);
                self.after_volume_written(id, "refresh at 80 % of its lifetime");
            }
            Err((why, mut kept)) => {
                let retry = self.now.plus_millis(KUBELET_SYNC_SECONDS * 1000);
                self.timeline.push(TimelineEvent {
                    time: self.now,
                    kind: TimelineKind::TokenRefreshFailed,
                    subject: format!("pod {}/{}", kept.pod_namespace, kept.pod_name),
                    detail: format!("kubelet could not refresh its token: {why}; the old token stays"),
                });
                let retries = kept.tokens.iter().any(|t| t.expires() > retry);
                if retries {
                    kept.refresh_at = Some(retry);
                }
                self.volumes.replace(id, kept);
                if retries {
                    self.deadlines.schedule(retry, Deadline::RefreshVolume { volume: id });
                }
            }
        }
    }

    /// The end of a pod's grace period: the pod object goes away.
    pub(crate) fn finish_pod_deletion(&mut self, namespace: &str, name: &str) {
        if let Some(pods) = crate::resource::by_plural_name("pods") {
            self.remove_object(&Key::new(pods, namespace, name));
        }
    }

    /// Forgets a removed pod's volumes.
    pub(crate) fn kubelet_forget_pod(&mut self, pod_uid: &str) {
        self.volumes.forget_pod(pod_uid);
    }

    /// Pod `namespace/name` and its `container` (the first when `None`),
    /// or the NotFound/BadRequest `kubectl exec` reports.
    fn pod_container(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
    ) -> Result<(&k8s_openapi::api::core::v1::Pod, &k8s_openapi::api::core::v1::Container), ApiError> {
        let pods = crate::resource::by_plural_name("pods").ok_or_else(ApiError::path_not_found)?;
        let Some(Object::Pod(pod)) = self.store.get(&Key::new(pods, namespace, name)) else {
            return Err(ApiError::not_found(pods, name));
        };
        let chosen = match container {
            None => pod.spec.as_ref().and_then(|s| s.containers.first()),
            Some(c) => pod.spec.as_ref().and_then(|s| s.containers.iter().find(|x| x.name == c)),
        };
        let Some(chosen) = chosen else {
            return Err(ApiError::bad_request(format!(
                "container {} is not valid for pod {name}",
                container.unwrap_or_default()
            )));
        };
        Ok((pod, chosen))
    }

    /// What `container` of pod `namespace/name` has mounted. A missing pod
    /// or container is a NotFound/BadRequest as `kubectl exec` reports it.
    pub fn container_mounts(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
    ) -> Result<ContainerMounts, ApiError> {
        let (pod, chosen) = self.pod_container(namespace, name, container)?;
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let mounts = chosen
            .volume_mounts
            .iter()
            .flatten()
            .filter_map(|m| {
                let mut contents = self.volumes.get(self.volumes.id_of(&uid, &m.name)?)?.clone();
                for token in &contents.tokens {
                    let jwt = self.sign_bound(&token.claims);
                    if let Some(file) = contents.files.iter_mut().find(|f| f.path == token.path) {
                        file.content = jwt;
                    }
                }
                Some((m.mount_path.clone(), m.read_only.unwrap_or(false), contents))
            })
            .collect();
        Ok(ContainerMounts { mounts })
    }

    /// The environment a process in `container` of pod `namespace/name`
    /// starts with: the image's basics, the `kubernetes` Service's
    /// variables the kubelet always injects, then the container's `env`
    /// (values, and `valueFrom` field, Secret and ConfigMap references).
    pub fn container_env(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let (pod, chosen) = self.pod_container(namespace, name, container)?;
        let spec = pod.spec.clone().unwrap_or_default();
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()),
            ("HOSTNAME".into(), name.to_string()),
            ("HOME".into(), "/root".into()),
        ];
        let host = KUBERNETES_SERVICE_IP;
        for (k, v) in [
            ("KUBERNETES_SERVICE_HOST", host.to_string()),
            ("KUBERNETES_SERVICE_PORT", "443".into()),
            ("KUBERNETES_SERVICE_PORT_HTTPS", "443".into()),
            ("KUBERNETES_PORT", format!("tcp://{host}:443")),
            ("KUBERNETES_PORT_443_TCP", format!("tcp://{host}:443")),
            ("KUBERNETES_PORT_443_TCP_PROTO", "tcp".into()),
            ("KUBERNETES_PORT_443_TCP_PORT", "443".into()),
            ("KUBERNETES_PORT_443_TCP_ADDR", host.to_string()),
        ] {
            env.push((k.to_string(), v));
        }
        let status = pod.status.clone().unwrap_or_default();
        for var in chosen.env.iter().flatten() {
            let value = match &var.value_from {
                None => var.value.clone().unwrap_or_default(),
                Some(from) => {
                    if let Some(field) = &from.field_ref {
                        match field.field_path.as_str() {
                            "metadata.name" => name.to_string(),
                            "metadata.namespace" => namespace.to_string(),
                            "metadata.uid" => pod.metadata.uid.clone().unwrap_or_default(),
                            "spec.serviceAccountName" => spec.service_account_name.clone().unwrap_or_default(),
                            "spec.nodeName" => spec.node_name.clone().unwrap_or_default(),
                            "status.podIP" => status.pod_ip.clone().unwrap_or_default(),
                            "status.hostIP" => status.host_ip.clone().unwrap_or_default(),
                            _ => String::new(),
                        }
                    } else if let Some(key) = &from.secret_key_ref {
                        let secrets =
                            crate::resource::by_plural_name("secrets").ok_or_else(ApiError::path_not_found)?;
                        match self.store.get(&Key::new(secrets, namespace, &key.name)) {
                            Some(Object::Secret(secret)) => secret
                                .data
                                .as_ref()
                                .and_then(|d| d.get(&key.key))
                                .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                                .unwrap_or_default(),
                            _ => String::new(),
                        }
                    } else if let Some(key) = &from.config_map_key_ref {
                        let maps =
                            crate::resource::by_plural_name("configmaps").ok_or_else(ApiError::path_not_found)?;
                        match self.store.get(&Key::new(maps, namespace, &key.name)) {
                            Some(Object::ConfigMap(map)) => {
                                map.data.as_ref().and_then(|d| d.get(&key.key)).cloned().unwrap_or_default()
                            }
                            _ => String::new(),
                        }
                    } else {
                        String::new()
                    }
                }
            };
            env.retain(|(k, _)| *k != var.name);
            env.push((var.name.clone(), value));
        }
        Ok(env)
    }
}

/// A made-up but stable pull time (0.5 to 4.5 s) and image size (10 to
/// 200 MB) for an image, from an FNV-1a hash of its name: no registry is
/// reached, and the cluster's random stream is left alone.
fn simulated_pull(image: &str) -> (u64, u64) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in image.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (500 + hash % 4000, 10_000_000 + (hash >> 16) % 190_000_000)
}

/// Go's `time.Duration` text of a whole number of milliseconds
/// (`734ms`, `1.2s`, `2s`).
pub fn go_duration_millis(millis: u64) -> String {
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let seconds = millis / 1000;
    let fraction = millis % 1000;
    if fraction == 0 {
        return format!("{seconds}s");
    }
    let digits = format!("{fraction:03}");
    format!("{seconds}.{}s", digits.trim_end_matches('0'))
}

/// The first kubelet sync (every [`KUBELET_SYNC_SECONDS`] from `started`)
/// strictly after `due`.
fn next_sync(started: Time, due: Time) -> Time {
    let since = due.unix_seconds() - started.unix_seconds();
    let ticks = since.div_euclid(KUBELET_SYNC_SECONDS) + 1;
    Time::from_unix_seconds(started.unix_seconds() + ticks.max(1) * KUBELET_SYNC_SECONDS)
}

/// What a downward API item's file holds: the pod's namespace, name or UID
/// (the fields a projected volume's items may name here), empty otherwise.
fn downward_value<'a>(field_path: Option<&str>, namespace: &'a str, name: &'a str, uid: &'a str) -> &'a str {
    match field_path {
        Some("metadata.namespace") => namespace,
        Some("metadata.name") => name,
        Some("metadata.uid") => uid,
        _ => "",
    }
}

/// The image and image ID a container runtime reports for `image`: the
/// full reference (`nginx` is `docker.io/library/nginx:latest`) and
/// `REPOSITORY@sha256:…`. The playground pulls nothing, so the digest
/// (unless the reference names one) is made up: the SHA-256 of the
/// reference.
fn resolved_image(image: &str) -> (String, String) {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let first = name.split('/').next().unwrap_or_default();
    let has_domain = name.contains('/') && (first.contains(['.', ':']) || first == "localhost");
    let full = match (has_domain, name.contains('/')) {
        (true, _) => name.to_string(),
        (false, true) => format!("docker.io/{name}"),
        (false, false) => format!("docker.io/library/{name}"),
    };
    let last = full.rsplit('/').next().unwrap_or_default();
    let (repository, tag) = match last.rsplit_once(':') {
        Some((_, tag)) => (&full[..full.len() - tag.len() - 1], Some(tag)),
        None => (full.as_str(), None),
    };
    let digest = digest.map_or_else(|| format!("sha256:{}", sha256_hex(&full)), str::to_string);
    let reported = match (tag, image.contains('@')) {
        (_, true) => format!("{repository}@{digest}"),
        (Some(tag), false) => format!("{repository}:{tag}"),
        (None, false) => format!("{repository}:latest"),
    };
    (reported, format!("{repository}@{digest}"))
}

/// A container's ID as containerd reports it: 64 hexadecimal digits, here
/// derived from the pod's UID and the container's name.
fn container_id(pod_uid: &str, name: &str) -> String {
    format!("containerd://{}", sha256_hex(&format!("{pod_uid}/{name}")))
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What the kubelet reports of a mount (RecursiveReadOnlyMounts, on by
/// default since v1.31): a read-only mount's recursive read-only mode,
/// `Disabled` unless the pod asked for it.
fn mount_status(mount: &k8s_openapi::api::core::v1::VolumeMount) -> k8s_openapi::api::core::v1::VolumeMountStatus {
    let read_only = mount.read_only == Some(true);
    let recursive = match mount.recursive_read_only.as_deref() {
        Some("Enabled" | "IfPossible") if read_only => "Enabled",
        _ => "Disabled",
    };
    k8s_openapi::api::core::v1::VolumeMountStatus {
        name: mount.name.clone(),
        mount_path: mount.mount_path.clone(),
        read_only: read_only.then_some(true),
        recursive_read_only: read_only.then(|| recursive.to_string()),
    }
}
