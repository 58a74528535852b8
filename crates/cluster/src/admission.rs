//! Admission: plugins that change or refuse objects before they are stored.
//!
//! The ServiceAccount plugin (upstream `plugin/pkg/admission/serviceaccount`)
//! is the one that matters here: it gives every new pod a service account,
//! mounts that account's token through a projected `kube-api-access-*`
//! volume, copies its imagePullSecrets, and refuses pods whose service
//! account does not exist.

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, LocalObjectReference,
    ObjectFieldSelector, Pod, PodSpec, ProjectedVolumeSource, ServiceAccount, ServiceAccountTokenProjection, Volume,
    VolumeMount, VolumeProjection,
};

use crate::object::Object;
use crate::resource::{self, ResourceInfo};
use crate::status::ApiError;
use crate::store::Key;
use crate::Cluster;

/// Where the token volume is mounted in each container.
pub const SERVICE_ACCOUNT_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// Prefix of the injected volume's name.
pub const KUBE_API_ACCESS_PREFIX: &str = "kube-api-access-";
/// Lifetime the plugin asks for: one hour and seven seconds, the value the
/// API server recognises as "kubelet token" and extends.
pub const KUBELET_TOKEN_EXPIRATION_SECONDS: i64 = 3607;
/// The ConfigMap holding the cluster CA in every namespace.
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
/// The annotation that marks a static (mirror) pod.
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// Annotation that turns on the legacy mountable-secrets check.
pub const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION: &str = "kubernetes.io/enforce-mountable-secrets";

fn pods() -> &'static ResourceInfo {
    resource::lookup("pods").unwrap_or(&resource::RESOURCES[0])
}

/// The name `admission.NewForbidden` puts in its message.
fn pod_name_for_errors(pod: &Pod) -> String {
    let meta = &pod.metadata;
    meta.name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| meta.generate_name.clone().filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "Unknown".to_string())
}

/// Mutating admission on create.
pub fn admit_create(cluster: &mut Cluster, object: &mut Object) -> Result<(), ApiError> {
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    if is_mirror_pod(pod) {
        return validate_mirror_pod(pod);
    }
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let name_for_errors = pod_name_for_errors(pod);
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    // 1. Default the service account.
    let sa_name = match spec.service_account_name.as_deref() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "default".to_string(),
    };
    spec.service_account_name = Some(sa_name.clone());
    // 2. It must exist.
    let sa = cluster.service_account(&namespace, &sa_name).cloned().ok_or_else(|| {
        ApiError::forbidden(
            pods(),
            &name_for_errors,
            &format!("error looking up service account {namespace}/{sa_name}: serviceaccount {sa_name:?} not found"),
        )
    })?;
    // 3. Mount its token unless automount is off.
    if should_automount(&sa, spec) {
        let suffix = cluster.rng.name_suffix(5);
        mount_service_account_token(spec, &format!("{KUBE_API_ACCESS_PREFIX}{suffix}"));
    }
    // 4. Copy imagePullSecrets when the pod has none.
    if spec.image_pull_secrets.as_ref().is_none_or(Vec::is_empty) {
        let secrets: Vec<LocalObjectReference> =
            sa.image_pull_secrets.iter().flatten().map(|r| LocalObjectReference { name: r.name.clone() }).collect();
        if !secrets.is_empty() {
            spec.image_pull_secrets = Some(secrets);
        }
    }
    Ok(())
}

/// Validating admission on create: the legacy mountable-secrets check.
pub fn validate_create(cluster: &Cluster, object: &Object) -> Result<(), ApiError> {
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    if is_mirror_pod(pod) {
        return Ok(());
    }
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let Some(spec) = &pod.spec else { return Ok(()) };
    let sa_name = spec.service_account_name.as_deref().unwrap_or("default");
    let Some(sa) = cluster.service_account(namespace, sa_name) else {
        return Err(ApiError::forbidden(
            pods(),
            &pod_name_for_errors(pod),
            &format!("error looking up service account {namespace}/{sa_name}: serviceaccount {sa_name:?} not found"),
        ));
    };
    if !enforces_mountable_secrets(sa) {
        return Ok(());
    }
    let mountable: Vec<&str> = sa.secrets.iter().flatten().filter_map(|r| r.name.as_deref()).collect();
    let pullable: Vec<&str> = sa.image_pull_secrets.iter().flatten().map(|r| r.name.as_str()).collect();
    let refuse = |why: String| Err(ApiError::forbidden(pods(), &pod_name_for_errors(pod), &why));
    for volume in spec.volumes.iter().flatten() {
        if let Some(secret) = volume.secret.as_ref().and_then(|s| s.secret_name.as_deref()) {
            if !mountable.contains(&secret) {
                return refuse(format!(
                    "volume with secret.secretName=\"{secret}\" is not allowed because service account {sa_name} does not reference that secret"
                ));
            }
        }
    }
    let groups =
        [("init container", spec.init_containers.as_deref().unwrap_or_default()), ("container", &spec.containers)];
    for (label, containers) in groups {
        for c in containers {
            for env in c.env.iter().flatten() {
                let secret = env.value_from.as_ref().and_then(|v| v.secret_key_ref.as_ref()).map(|s| s.name.as_str());
                if let Some(secret) = secret.filter(|s| !mountable.contains(s)) {
                    return refuse(format!(
                        "{label} {} with envVar {} referencing secret.secretName=\"{secret}\" is not allowed because service account {sa_name} does not reference that secret",
                        c.name, env.name
                    ));
                }
            }
            for from in c.env_from.iter().flatten() {
                let secret = from.secret_ref.as_ref().map(|s| s.name.as_str());
                if let Some(secret) = secret.filter(|s| !mountable.contains(s)) {
                    return refuse(format!(
                        "{label} {} with envFrom referencing secret.secretName=\"{secret}\" is not allowed because service account {sa_name} does not reference that secret",
                        c.name
                    ));
                }
            }
        }
    }
    for (i, r) in spec.image_pull_secrets.iter().flatten().enumerate() {
        if !pullable.contains(&r.name.as_str()) {
            return refuse(format!(
                "imagePullSecrets[{i}].name=\"{}\" is not allowed because service account {sa_name} does not reference that imagePullSecret",
                r.name
            ));
        }
    }
    Ok(())
}

fn is_mirror_pod(pod: &Pod) -> bool {
    pod.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(MIRROR_POD_ANNOTATION))
}

fn validate_mirror_pod(pod: &Pod) -> Result<(), ApiError> {
    let refuse = |why: &str| Err(ApiError::forbidden(pods(), &pod_name_for_errors(pod), why));
    let Some(spec) = &pod.spec else { return Ok(()) };
    if spec.service_account_name.as_deref().is_some_and(|n| !n.is_empty()) {
        return refuse("a mirror pod may not reference service accounts");
    }
    let sources =
        spec.volumes.iter().flatten().flat_map(|v| v.projected.iter().flat_map(|p| p.sources.iter().flatten()));
    let mut uses_token = false;
    let mut uses_secret = spec.volumes.iter().flatten().any(|v| v.secret.is_some())
        || spec.image_pull_secrets.as_ref().is_some_and(|s| !s.is_empty());
    for source in sources {
        uses_token |= source.service_account_token.is_some();
        uses_secret |= source.secret.is_some();
    }
    let containers = spec.containers.iter().chain(spec.init_containers.iter().flatten());
    for c in containers {
        uses_secret |=
            c.env.iter().flatten().any(|e| e.value_from.as_ref().is_some_and(|v| v.secret_key_ref.is_some()));
        uses_secret |= c.env_from.iter().flatten().any(|e| e.secret_ref.is_some());
    }
    if uses_secret {
        return refuse("a mirror pod may not reference secrets");
    }
    if uses_token {
        return refuse("a mirror pod may not use ServiceAccountToken volume projections");
    }
    Ok(())
}

fn enforces_mountable_secrets(sa: &ServiceAccount) -> bool {
    let value = sa.metadata.annotations.as_ref().and_then(|a| a.get(ENFORCE_MOUNTABLE_SECRETS_ANNOTATION));
    // Go's strconv.ParseBool true values.
    matches!(value.map(String::as_str), Some("1" | "t" | "T" | "TRUE" | "true" | "True"))
}

/// Pod field first, then the service account's, then true.
pub fn should_automount(sa: &ServiceAccount, spec: &PodSpec) -> bool {
    spec.automount_service_account_token.or(sa.automount_service_account_token).unwrap_or(true)
}

/// Adds the projected token volume and its mounts (`mountServiceAccountToken`).
fn mount_service_account_token(spec: &mut PodSpec, fresh_name: &str) {
    let existing =
        spec.volumes.iter().flatten().find(|v| v.name.starts_with(KUBE_API_ACCESS_PREFIX)).map(|v| v.name.clone());
    let volume_name = existing.clone().unwrap_or_else(|| fresh_name.to_string());
    let mut mounted = false;
    let containers = spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut());
    for container in containers {
        let has_mount = container.volume_mounts.iter().flatten().any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT_PATH);
        if !has_mount {
            container.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
                name: volume_name.clone(),
                read_only: Some(true),
                mount_path: SERVICE_ACCOUNT_MOUNT_PATH.to_string(),
                ..VolumeMount::default()
            });
            mounted = true;
        }
    }
    if existing.is_none() && mounted {
        spec.volumes.get_or_insert_with(Vec::new).push(token_volume(&volume_name));
    }
}

/// The `kube-api-access-*` volume exactly as the plugin builds it.
pub fn token_volume(name: &str) -> Volume {
    Volume {
        name: name.to_string(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(420),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(KUBELET_TOKEN_EXPIRATION_SECONDS),
                        path: "token".to_string(),
                        audience: None,
                    }),
                    ..VolumeProjection::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: ROOT_CA_CONFIGMAP.to_string(),
                        items: Some(vec![KeyToPath {
                            key: "ca.crt".to_string(),
                            path: "ca.crt".to_string(),
                            mode: None,
                        }]),
                        optional: None,
                    }),
                    ..VolumeProjection::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            path: "namespace".to_string(),
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".to_string()),
                                field_path: "metadata.namespace".to_string(),
                            }),
                            ..DownwardAPIVolumeFile::default()
                        }]),
                    }),
                    ..VolumeProjection::default()
                },
            ]),
        }),
        ..Volume::default()
    }
}

impl Cluster {
    /// The service account `name` in `namespace`, if it exists.
    pub fn service_account(&self, namespace: &str, name: &str) -> Option<&ServiceAccount> {
        let resource = resource::lookup("serviceaccounts")?;
        match self.store.get(&Key::new(resource, namespace, name)) {
            Some(Object::ServiceAccount(sa)) => Some(sa),
            _ => None,
        }
    }
}
