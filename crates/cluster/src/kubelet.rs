//! The node and its kubelet: scheduling, pod status and mounted files.
//!
//! The cluster has one node, `node-1`. Every pod is bound to it and started
//! at once: its status becomes Running with upstream's conditions, and each
//! projected volume is written the way the kubelet's atomic writer does — a
//! hidden timestamped directory holding the files, a `..data` symlink to it
//! and one symlink per file — so that a learner looking inside a container
//! sees the layout of a real pod.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStatus, Node, NodeAddress, NodeCondition, NodeStatus,
    NodeSystemInfo, PodCondition, PodIP, PodStatus, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::object::Object;
use crate::resource::RESOURCES;
use crate::status::ApiError;
use crate::store::Key;
use crate::time::Time;
use crate::tokens::{Binding, API_AUDIENCES};
use crate::Cluster;

/// The only node.
pub const NODE_NAME: &str = "node-1";
/// The node's address (what `kubectl get pod -o wide` shows as host IP).
pub const NODE_IP: &str = "172.18.0.2";

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

/// A service-account token the kubelet wrote into a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedToken {
    /// Path inside the volume (usually `token`).
    pub path: String,
    /// When it was issued (`iat`).
    pub issued_at: Time,
    /// What the TokenRequest status said: issued + requested seconds. The
    /// kubelet plans its refresh from this, not from `exp`.
    pub expiration_timestamp: Time,
    /// The JWT's `exp`.
    pub expires: Time,
    /// Its `jti`.
    pub jti: String,
    /// The audiences requested.
    pub audiences: Vec<String>,
}

/// A projected volume as written on the node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeContents {
    /// The hidden timestamped directory `..data` points to, e.g.
    /// `..2025_01_14_09_12_47.3861842049`.
    pub data_dir: String,
    /// When it was written.
    pub written: Time,
    /// The files, in path order.
    pub files: Vec<VolumeFile>,
    /// The service-account tokens among them.
    pub tokens: Vec<MountedToken>,
}

/// The volumes the kubelet has written, per pod UID and volume name.
pub type VolumeMap = BTreeMap<(String, String), VolumeContents>;

/// What one container sees mounted, by mount path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerMounts {
    /// (mount path, read-only, contents), in mount order.
    pub mounts: Vec<(String, bool, VolumeContents)>,
}

impl Cluster {
    /// Binds a new pod to the node and starts it.
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
        for volume in &volumes {
            match self.write_volume(&namespace, &pod.metadata, &sa_name, volume) {
                Some(contents) => {
                    self.volumes.insert((uid.clone(), volume.name.clone()), contents);
                }
                None => ready = volume.projected.is_none(),
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
        let container_status = |c: &k8s_openapi::api::core::v1::Container| ContainerStatus {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            image_id: String::new(),
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
            ..ContainerStatus::default()
        };
        let containers = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();
        pod.status = Some(PodStatus {
            phase: Some(if ready { "Running" } else { "Pending" }.to_string()),
            conditions: Some(vec![
                condition("PodReadyToStartContainers", ready),
                condition("Initialized", true),
                condition("Ready", ready),
                condition("ContainersReady", ready),
                condition("PodScheduled", true),
            ]),
            host_ip: Some(NODE_IP.to_string()),
            host_ips: Some(vec![k8s_openapi::api::core::v1::HostIP { ip: NODE_IP.to_string() }]),
            pod_ip: ready.then(|| ip.clone()),
            pod_ips: ready.then(|| vec![PodIP { ip }]),
            start_time: Some(now.clone()),
            qos_class: Some("BestEffort".to_string()),
            container_statuses: Some(containers.iter().map(container_status).collect()),
            ..PodStatus::default()
        });
        self.store.put(Object::Pod(pod));
    }

    /// Writes a projected volume's files; `None` when a source is missing
    /// (the pod then waits in ContainerCreating, as upstream).
    fn write_volume(
        &mut self,
        namespace: &str,
        pod: &ObjectMeta,
        sa_name: &str,
        volume: &Volume,
    ) -> Option<VolumeContents> {
        let projected = volume.projected.as_ref()?;
        let default_mode = projected.default_mode.unwrap_or(420);
        let mode = u32::try_from(default_mode).unwrap_or(0o644);
        let mut files = Vec::new();
        let mut tokens = Vec::new();
        for source in projected.sources.iter().flatten() {
            if let Some(projection) = &source.service_account_token {
                // The kubelet asks the TokenRequest API for a pod-bound token.
                let sa = self.service_account(namespace, sa_name)?.clone();
                let audiences: Vec<String> = match projection.audience.as_deref().filter(|a| !a.is_empty()) {
                    Some(audience) => vec![audience.to_string()],
                    None => API_AUDIENCES.iter().map(|a| a.to_string()).collect(),
                };
                let seconds = projection.expiration_seconds.unwrap_or(3600);
                let binding = Binding {
                    pod: Some((pod.name.clone().unwrap_or_default(), pod.uid.clone().unwrap_or_default())),
                    secret: None,
                    node: Some((NODE_NAME.to_string(), self.node_uid(NODE_NAME))),
                };
                let minted = self.mint_bound_token(&sa, &audiences, seconds, &binding);
                tokens.push(MountedToken {
                    path: projection.path.clone(),
                    issued_at: Time::from_unix_seconds(minted.issued_at),
                    expiration_timestamp: Time::from_unix_seconds(minted.issued_at + minted.status_expiration_seconds),
                    expires: Time::from_unix_seconds(minted.expires),
                    jti: minted.jti,
                    audiences,
                });
                files.push(VolumeFile { path: projection.path.clone(), content: minted.token, mode });
            }
            if let Some(cm) = &source.config_map {
                let configmaps = RESOURCES.iter().find(|r| r.plural == "configmaps")?;
                let stored = self.store.get(&Key::new(configmaps, namespace, &cm.name));
                let data = match stored {
                    Some(Object::ConfigMap(c)) => c.data.clone().unwrap_or_default(),
                    _ if cm.optional == Some(true) => BTreeMap::new(),
                    _ => return None,
                };
                match &cm.items {
                    Some(items) => {
                        for item in items {
                            let content = data.get(&item.key)?.clone();
                            files.push(VolumeFile { path: item.path.clone(), content, mode });
                        }
                    }
                    None => files.extend(data.into_iter().map(|(path, content)| VolumeFile { path, content, mode })),
                }
            }
            if let Some(downward) = &source.downward_api {
                for item in downward.items.iter().flatten() {
                    let value = match item.field_ref.as_ref().map(|f| f.field_path.as_str()) {
                        Some("metadata.namespace") => namespace.to_string(),
                        Some("metadata.name") => pod.name.clone().unwrap_or_default(),
                        Some("metadata.uid") => pod.uid.clone().unwrap_or_default(),
                        _ => String::new(),
                    };
                    files.push(VolumeFile { path: item.path.clone(), content: value, mode });
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let stamp = chrono::DateTime::from_timestamp(self.now.unix_seconds(), 0).unwrap_or_default();
        let data_dir = format!("..{}.{}", stamp.format("%Y_%m_%d_%H_%M_%S"), self.rng.below(u64::from(u32::MAX)));
        Some(VolumeContents { data_dir, written: self.now, files, tokens })
    }

    /// What `container` of pod `namespace/name` has mounted. A missing pod
    /// or container is a NotFound/BadRequest as `kubectl exec` reports it.
    pub fn container_mounts(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
    ) -> Result<ContainerMounts, ApiError> {
        let pods = RESOURCES.iter().find(|r| r.plural == "pods").ok_or_else(ApiError::path_not_found)?;
        let Some(Object::Pod(pod)) = self.store.get(&Key::new(pods, namespace, name)) else {
            return Err(ApiError::not_found(pods, name));
        };
        let spec = pod.spec.clone().unwrap_or_default();
        let chosen = match container {
            None => spec.containers.first(),
            Some(c) => spec.containers.iter().find(|x| x.name == c),
        };
        let Some(chosen) = chosen else {
            return Err(ApiError::bad_request(format!(
                "container {} is not valid for pod {name}",
                container.unwrap_or_default()
            )));
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let mounts = chosen
            .volume_mounts
            .iter()
            .flatten()
            .filter_map(|m| {
                let contents = self.volumes.get(&(uid.clone(), m.name.clone()))?;
                Some((m.mount_path.clone(), m.read_only.unwrap_or(false), contents.clone()))
            })
            .collect();
        Ok(ContainerMounts { mounts })
    }
}
