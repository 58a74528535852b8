//! Per-kind API rules: defaults, what the server resets, validation.
//!
//! kube-apiserver keeps these in each kind's "strategy" (`PrepareForCreate`,
//! `PrepareForUpdate`, `Validate`, `ValidateUpdate`) and in the v1 defaulting
//! functions. The messages are upstream's.

use k8s_openapi::api::core::v1::{
    HTTPGetAction, KeyToPath, ObjectFieldSelector, Pod, PodSpec, PodStatus, Probe, Secret, Volume,
};
use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::decode::DecodeError;
use crate::object::Object;
use crate::resource::ResourceInfo;
use crate::validation::{is_dns1123_label, validate_name, FieldError, NameRule};

/// Secret type of legacy service-account token Secrets.
pub const SERVICE_ACCOUNT_TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
/// Annotation naming the service account of a token Secret.
pub const SERVICE_ACCOUNT_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
/// Annotation holding the service account's UID on a token Secret.
pub const SERVICE_ACCOUNT_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";
/// The RBAC API group.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Removes fields the simulator does not track from a request body.
pub fn drop_server_fields(value: &mut Value) {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
}

/// Whether objects of `resource` count `metadata.generation`.
pub fn tracks_generation(resource: &ResourceInfo) -> bool {
    // Of the kinds the cluster has, only the workloads do in v1.32.
    crate::apps::is_workload(resource.kind)
}

/// Whether the spec (anything but metadata and status) changed.
pub fn spec_changed(new: &Object, old: &Object) -> bool {
    let strip = |o: &Object| {
        let mut v = o.to_value();
        if let Some(m) = v.as_object_mut() {
            m.remove("metadata");
            m.remove("status");
        }
        v
    };
    strip(new) != strip(old)
}

/// The v1 defaulting and conversion the server applies to any incoming
/// object, before admission.
pub fn apply_defaults(object: &mut Object) {
    crate::apps::apply_defaults(object);
    match object {
        Object::Pod(pod) => default_pod(pod),
        // SetDefaults_RoleBinding, _ClusterRoleBinding and _Subject: an
        // empty roleRef apiGroup is RBAC's, as is a User's or Group's.
        Object::RoleBinding(rb) => default_binding(&mut rb.role_ref, rb.subjects.as_deref_mut()),
        Object::ClusterRoleBinding(crb) => default_binding(&mut crb.role_ref, crb.subjects.as_deref_mut()),
        Object::Secret(secret) => {
            // Converting from v1: `stringData` is written over `data`, and
            // never stored or returned.
            if let Some(strings) = secret.string_data.take() {
                let data = secret.data.get_or_insert_with(Default::default);
                for (key, value) in strings {
                    data.insert(key, k8s_openapi::ByteString(value.into_bytes()));
                }
            }
            if secret.type_.as_deref().unwrap_or_default().is_empty() {
                secret.type_ = Some("Opaque".to_string());
            }
        }
        Object::Namespace(ns) => {
            let name = ns.metadata.name.clone().unwrap_or_default();
            ns.metadata
                .labels
                .get_or_insert_with(Default::default)
                .insert("kubernetes.io/metadata.name".to_string(), name);
            let spec = ns.spec.get_or_insert_with(Default::default);
            if spec.finalizers.is_none() {
                spec.finalizers = Some(vec!["kubernetes".to_string()]);
            }
        }
        _ => {}
    }
}

/// RoleRef and subject defaults of a (Cluster)RoleBinding.
fn default_binding(
    role_ref: &mut k8s_openapi::api::rbac::v1::RoleRef,
    subjects: Option<&mut [k8s_openapi::api::rbac::v1::Subject]>,
) {
    if role_ref.api_group.is_empty() {
        role_ref.api_group = RBAC_GROUP.to_string();
    }
    for subject in subjects.into_iter().flatten() {
        if subject.api_group.as_deref().unwrap_or_default().is_empty()
            && matches!(subject.kind.as_str(), "User" | "Group")
        {
            subject.api_group = Some(RBAC_GROUP.to_string());
        }
    }
}

/// `SetDefaults_Container` and the defaulters of a container's ports, env,
/// probes and lifecycle hooks. A macro because `Container` and
/// `EphemeralContainer` are two types with the same fields.
macro_rules! default_container {
    ($container:expr) => {{
        let container = $container;
        set_if_empty(&mut container.termination_message_path, "/dev/termination-log");
        set_if_empty(&mut container.termination_message_policy, "File");
        container.resources.get_or_insert_with(Default::default);
        if container.image_pull_policy.as_deref().unwrap_or_default().is_empty() {
            container.image_pull_policy = Some(default_pull_policy(container.image.as_deref().unwrap_or_default()));
        }
        for port in container.ports.iter_mut().flatten() {
            set_if_empty(&mut port.protocol, "TCP");
        }
        for var in container.env.iter_mut().flatten() {
            if let Some(field) = var.value_from.as_mut().and_then(|f| f.field_ref.as_mut()) {
                default_field_selector(field);
            }
        }
        for probe in [&mut container.liveness_probe, &mut container.readiness_probe, &mut container.startup_probe] {
            if let Some(probe) = probe {
                default_probe(probe);
            }
        }
        if let Some(lifecycle) = &mut container.lifecycle {
            for hook in [&mut lifecycle.post_start, &mut lifecycle.pre_stop].into_iter().flatten() {
                if let Some(action) = &mut hook.http_get {
                    default_http_get(action);
                }
            }
        }
    }};
}

/// The v1 defaults of a Pod: those of every pod spec, then the ones
/// `SetDefaults_Pod` keeps to Pods (pod templates do not get them).
// Out of line: start-up creates no pod, so its defaults stay off the
// first command's path (Chromium compiles functions on first call).
#[inline(never)]
pub(crate) fn default_pod(pod: &mut Pod) {
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    default_pod_spec(spec);
    spec.enable_service_links.get_or_insert(true);
    // The Priority admission plugin's, for pods only.
    spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".to_string());
    spec.priority.get_or_insert(0);
    // Requests default to the limits a container sets without them.
    for container in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        let Some(resources) = &mut container.resources else { continue };
        let Some(limits) = resources.limits.as_ref().filter(|l| !l.is_empty()) else { continue };
        let requests = resources.requests.get_or_insert_with(Default::default);
        for (name, value) in limits {
            requests.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    // With the host's network, a container port is a host port.
    if spec.host_network == Some(true) {
        for container in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
            for port in container.ports.iter_mut().flatten() {
                if port.host_port.unwrap_or(0) == 0 {
                    port.host_port = Some(port.container_port);
                }
            }
        }
    }
}

/// The v1 defaults of any pod spec, a Pod's or a template's
/// (`SetDefaults_PodSpec` and what the generated defaulters call for its
/// containers and volumes), and the v1 conversion of `serviceAccount`.
pub(crate) fn default_pod_spec(spec: &mut PodSpec) {
    // v1 conversion: the deprecated `serviceAccount` fills an empty
    // `serviceAccountName`; `serviceAccountName` wins when both are set.
    if spec.service_account_name.as_deref().unwrap_or_default().is_empty() {
        if let Some(alias) = spec.service_account.clone().filter(|a| !a.is_empty()) {
            spec.service_account_name = Some(alias);
        }
    }
    spec.restart_policy.get_or_insert_with(|| "Always".to_string());
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".to_string());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".to_string());
    spec.security_context.get_or_insert_with(Default::default);
    for container in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        default_container!(container);
    }
    for container in spec.ephemeral_containers.iter_mut().flatten() {
        default_container!(container);
    }
    for volume in spec.volumes.iter_mut().flatten() {
        default_volume(volume);
    }
}

/// `Always` for an image whose tag is `latest` (or that has neither tag
/// nor digest), `IfNotPresent` otherwise.
fn default_pull_policy(image: &str) -> String {
    let tag = image.rsplit('/').next().and_then(|last| last.split_once(':')).map(|(_, t)| t);
    let always = !image.contains('@') && matches!(tag, None | Some("latest"));
    if always { "Always" } else { "IfNotPresent" }.to_string()
}

/// Go's defaulting of a string field: unset and empty are the same.
fn set_if_empty(field: &mut Option<String>, value: &str) {
    if field.as_deref().unwrap_or_default().is_empty() {
        *field = Some(value.to_string());
    }
}

/// Go's defaulting of an integer field: unset and zero are the same.
fn set_if_zero(field: &mut Option<i32>, value: i32) {
    if field.unwrap_or(0) == 0 {
        *field = Some(value);
    }
}

fn default_field_selector(field: &mut ObjectFieldSelector) {
    set_if_empty(&mut field.api_version, "v1");
}

fn default_http_get(action: &mut HTTPGetAction) {
    set_if_empty(&mut action.path, "/");
    set_if_empty(&mut action.scheme, "HTTP");
}

fn default_probe(probe: &mut Probe) {
    set_if_zero(&mut probe.timeout_seconds, 1);
    set_if_zero(&mut probe.period_seconds, 10);
    set_if_zero(&mut probe.success_threshold, 1);
    set_if_zero(&mut probe.failure_threshold, 3);
    if let Some(action) = &mut probe.http_get {
        default_http_get(action);
    }
    if let Some(grpc) = &mut probe.grpc {
        grpc.service.get_or_insert_with(String::new);
    }
}

fn default_volume(volume: &mut Volume) {
    // A volume that names no source is an emptyDir.
    if *volume == (Volume { name: volume.name.clone(), ..Volume::default() }) {
        volume.empty_dir = Some(Default::default());
    }
    if let Some(projected) = &mut volume.projected {
        projected.default_mode.get_or_insert(420);
        for source in projected.sources.iter_mut().flatten() {
            if let Some(token) = &mut source.service_account_token {
                token.expiration_seconds.get_or_insert(3600);
            }
            if let Some(downward) = &mut source.downward_api {
                for item in downward.items.iter_mut().flatten() {
                    if let Some(field) = &mut item.field_ref {
                        default_field_selector(field);
                    }
                }
            }
        }
    }
    if let Some(secret) = &mut volume.secret {
        secret.default_mode.get_or_insert(420);
    }
    if let Some(cm) = &mut volume.config_map {
        cm.default_mode.get_or_insert(420);
    }
    if let Some(downward) = &mut volume.downward_api {
        downward.default_mode.get_or_insert(420);
        for item in downward.items.iter_mut().flatten() {
            if let Some(field) = &mut item.field_ref {
                default_field_selector(field);
            }
        }
    }
    if let Some(host_path) = &mut volume.host_path {
        host_path.type_.get_or_insert_with(String::new);
    }
}

/// What the server resets on create (status is the controllers' to write).
pub fn prepare_for_create(object: &mut Object) {
    crate::apps::prepare_for_create(object);
    match object {
        Object::Pod(pod) => {
            set_service_account_alias(pod);
            pod.status = Some(PodStatus {
                phase: Some("Pending".to_string()),
                qos_class: Some(pod_qos_class(pod.spec.as_ref()).to_string()),
                ..PodStatus::default()
            });
        }
        Object::Namespace(ns) => {
            ns.status = Some(k8s_openapi::api::core::v1::NamespaceStatus {
                phase: Some("Active".to_string()),
                ..Default::default()
            });
        }
        _ => {}
    }
}

/// The pod's quality-of-service class, as `qos.GetPodQOS` computes it
/// on create: from the CPU and memory requests and limits (zero ones do
/// not count) summed over the containers and init containers.
pub fn pod_qos_class(spec: Option<&PodSpec>) -> &'static str {
    let mut requests: BTreeMap<&str, i128> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i128> = BTreeMap::new();
    let mut guaranteed = true;
    let containers = spec.into_iter().flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten()));
    for container in containers {
        let resources = container.resources.as_ref();
        for (name, n) in positive_cpu_memory(resources.and_then(|r| r.requests.as_ref())) {
            let sum = requests.entry(name).or_default();
            *sum = sum.saturating_add(n);
        }
        let found = positive_cpu_memory(resources.and_then(|r| r.limits.as_ref()));
        if found.len() < 2 {
            guaranteed = false;
        }
        for (name, n) in found {
            let sum = limits.entry(name).or_default();
            *sum = sum.saturating_add(n);
        }
    }
    if requests.is_empty() && limits.is_empty() {
        "BestEffort"
    } else if guaranteed && requests.len() == limits.len() && requests.iter().all(|(k, v)| limits.get(k) == Some(v)) {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// The CPU and memory entries of a resource list that are above zero.
fn positive_cpu_memory(list: Option<&BTreeMap<String, Quantity>>) -> Vec<(&str, i128)> {
    list.into_iter()
        .flatten()
        .filter(|(name, _)| matches!(name.as_str(), "cpu" | "memory"))
        .filter_map(|(name, q)| Some((name.as_str(), quantity_nanos(&q.0).filter(|n| *n > 0)?)))
        .collect()
}

/// A `resource.Quantity` in billionths of its unit (`250m` is
/// 250 000 000, `1Ki` 1 024 000 000 000), rounded up; `None` when the text
/// is not a quantity or too large.
pub fn quantity_nanos(text: &str) -> Option<i128> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || whole.len() + fraction.len() > 30 {
        return None;
    }
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    let mut scale = 9 - i32::try_from(fraction.len()).ok()?;
    let mut binary = 0u32;
    match suffix {
        "" => {}
        "n" => scale -= 9,
        "u" => scale -= 6,
        "m" => scale -= 3,
        "k" => scale += 3,
        "M" => scale += 6,
        "G" => scale += 9,
        "T" => scale += 12,
        "P" => scale += 15,
        "E" => scale += 18,
        "Ki" => binary = 10,
        "Mi" => binary = 20,
        "Gi" => binary = 30,
        "Ti" => binary = 40,
        "Pi" => binary = 50,
        "Ei" => binary = 60,
        _ => {
            let exponent: i32 = suffix.strip_prefix(['e', 'E'])?.parse().ok()?;
            if exponent.abs() > 40 {
                return None;
            }
            scale += exponent;
        }
    }
    let value = digits.checked_mul(1i128.checked_shl(binary)?)?;
    let value = if scale >= 0 {
        value.checked_mul(10i128.checked_pow(scale.unsigned_abs())?)?
    } else {
        let divisor = 10i128.checked_pow(scale.unsigned_abs())?;
        (value + divisor - 1) / divisor
    };
    Some(sign * value)
}

/// The v1 serialisation mirrors `serviceAccountName` into the deprecated
/// `serviceAccount` field.
fn set_service_account_alias(pod: &mut Pod) {
    if let Some(spec) = &mut pod.spec {
        spec.service_account = spec.service_account_name.clone();
    }
}

/// What an update may not change: identity, and the status of kinds
/// whose status is a subresource.
pub fn prepare_for_update(object: &mut Object, old: &Object) {
    let old_meta = old.metadata();
    let meta = object.metadata_mut();
    meta.uid = old_meta.uid.clone();
    meta.creation_timestamp = old_meta.creation_timestamp.clone();
    meta.deletion_timestamp = old_meta.deletion_timestamp.clone();
    meta.generation = old_meta.generation;
    meta.generate_name = meta.generate_name.take().or_else(|| old_meta.generate_name.clone());
    crate::apps::prepare_for_update(object, old);
    match (object, old) {
        (Object::Pod(new), Object::Pod(old)) => {
            new.status = old.status.clone();
            set_service_account_alias(new);
        }
        (Object::Namespace(new), Object::Namespace(old)) => new.status = old.status.clone(),
        _ => {}
    }
}

/// Validates an object about to be stored.
pub fn validate(object: &Object) -> Vec<FieldError> {
    let mut errors = validate_name(object.name(), NameRule::for_kind(object.kind()));
    let meta = object.metadata();
    errors.extend(crate::validation::validate_labels_and_annotations(meta.labels.as_ref(), meta.annotations.as_ref()));
    match object {
        Object::Pod(pod) => validate_pod(pod, &mut errors),
        Object::Secret(secret) => validate_secret(secret, &mut errors),
        Object::Role(role) => validate_rules(role.rules.as_deref(), true, &mut errors),
        Object::ClusterRole(role) => validate_rules(role.rules.as_deref(), false, &mut errors),
        Object::RoleBinding(rb) => validate_binding(&rb.role_ref, rb.subjects.as_deref(), true, &mut errors),
        Object::ClusterRoleBinding(crb) => validate_binding(&crb.role_ref, crb.subjects.as_deref(), false, &mut errors),
        _ => crate::apps::validate(object, &mut errors),
    }
    errors
}

fn validate_pod(pod: &Pod, errors: &mut Vec<FieldError>) {
    match &pod.spec {
        Some(spec) => validate_pod_spec(spec, "spec", errors),
        None => errors.push(FieldError::required("spec.containers", "")),
    }
}

/// Validates a pod spec whose path is `base` (`spec` for a Pod,
/// `spec.template.spec` for a pod template), as `ValidatePodSpec` does.
pub(crate) fn validate_pod_spec(spec: &PodSpec, base: &str, errors: &mut Vec<FieldError>) {
    let mut volume_names = Vec::new();
    for (i, volume) in spec.volumes.iter().flatten().enumerate() {
        let field = format!("{base}.volumes[{i}]");
        if volume.name.is_empty() {
            errors.push(FieldError::required(format!("{field}.name"), ""));
        } else if let Some(detail) = is_dns1123_label(&volume.name).into_iter().next() {
            errors.push(FieldError::invalid(format!("{field}.name"), volume.name.clone(), detail));
        } else if volume_names.contains(&volume.name.as_str()) {
            errors.push(FieldError::duplicate(format!("{field}.name"), volume.name.clone()));
        } else {
            volume_names.push(volume.name.as_str());
        }
        if let Some(secret) = &volume.secret {
            for (k, item) in secret.items.iter().flatten().enumerate() {
                validate_key_to_path(item, &format!("{field}.secret.items[{k}]"), errors);
            }
        }
        if let Some(config_map) = &volume.config_map {
            for (k, item) in config_map.items.iter().flatten().enumerate() {
                validate_key_to_path(item, &format!("{field}.configMap.items[{k}]"), errors);
            }
        }
        if let Some(downward) = &volume.downward_api {
            for file in downward.items.iter().flatten() {
                validate_downward_file_path(&file.path, &format!("{field}.downwardAPI"), errors);
            }
        }
        // The paths projected so far: a second file at one path conflicts.
        let mut projected_paths: Vec<&str> = Vec::new();
        let projected_field = format!("{field}.projected");
        for (j, source) in volume.projected.iter().flat_map(|p| p.sources.iter().flatten()).enumerate() {
            let source_field = format!("{projected_field}.sources[{j}]");
            let mut items = Vec::new();
            if let Some(secret) = &source.secret {
                items.push(("secret", secret.name.as_str(), secret.items.as_deref().unwrap_or_default()));
            }
            if let Some(config_map) = &source.config_map {
                items.push(("configMap", config_map.name.as_str(), config_map.items.as_deref().unwrap_or_default()));
            }
            for (kind, name, items) in items {
                for (k, item) in items.iter().enumerate() {
                    validate_key_to_path(item, &format!("{source_field}.{kind}.items[{k}]"), errors);
                    if !item.path.is_empty() {
                        if projected_paths.contains(&item.path.as_str()) {
                            errors.push(FieldError::invalid(&projected_field, name, "conflicting duplicate paths"));
                        } else {
                            projected_paths.push(&item.path);
                        }
                    }
                }
            }
            if let Some(downward) = &source.downward_api {
                for file in downward.items.iter().flatten() {
                    // Upstream names the source, not the item, for these.
                    validate_downward_file_path(&file.path, &format!("{source_field}.downwardAPI"), errors);
                    if !file.path.is_empty() {
                        if projected_paths.contains(&file.path.as_str()) {
                            errors.push(FieldError::invalid(
                                &projected_field,
                                file.path.clone(),
                                "conflicting duplicate paths",
                            ));
                        } else {
                            projected_paths.push(&file.path);
                        }
                    }
                }
            }
            let Some(token) = &source.service_account_token else {
                continue;
            };
            let field = format!("{source_field}.serviceAccountToken");
            let seconds = token.expiration_seconds.unwrap_or(3600);
            if seconds < 600 {
                errors.push(FieldError::invalid(
                    format!("{field}.expirationSeconds"),
                    seconds,
                    "may not specify a duration less than 10 minutes",
                ));
            } else if seconds > 1 << 32 {
                errors.push(FieldError::invalid(
                    format!("{field}.expirationSeconds"),
                    seconds,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            // Upstream reports the token's path at the projected volume's
            // `path`, not the source's: `spec.volumes[N].projected.path`.
            if token.path.is_empty() {
                errors.push(FieldError::required(format!("{projected_field}.path"), ""));
            } else {
                validate_local_non_reserved_path(&token.path, &format!("{projected_field}.path"), errors);
            }
            if spec.service_account_name.as_deref().unwrap_or_default().is_empty() {
                errors.push(FieldError::forbidden(field, "must not be specified when serviceAccountName is not set"));
            }
        }
    }
    if spec.containers.is_empty() {
        errors.push(FieldError::required(format!("{base}.containers"), ""));
    }
    let groups = [
        (format!("{base}.initContainers"), spec.init_containers.as_deref().unwrap_or_default()),
        (format!("{base}.containers"), &spec.containers[..]),
    ];
    let mut container_names: Vec<&str> = Vec::new();
    for (base, containers) in groups {
        for (i, c) in containers.iter().enumerate() {
            let field = format!("{base}[{i}]");
            if c.name.is_empty() {
                errors.push(FieldError::required(format!("{field}.name"), ""));
            } else if let Some(detail) = is_dns1123_label(&c.name).into_iter().next() {
                errors.push(FieldError::invalid(format!("{field}.name"), c.name.clone(), detail));
            } else if container_names.contains(&c.name.as_str()) {
                errors.push(FieldError::duplicate(format!("{field}.name"), c.name.clone()));
            } else {
                container_names.push(&c.name);
            }
            if c.image.as_deref().unwrap_or_default().trim().is_empty() {
                errors.push(FieldError::required(format!("{field}.image"), ""));
            }
            let mut paths: Vec<&str> = Vec::new();
            for (j, mount) in c.volume_mounts.iter().flatten().enumerate() {
                let field = format!("{field}.volumeMounts[{j}]");
                if mount.name.is_empty() {
                    errors.push(FieldError::required(format!("{field}.name"), ""));
                } else if !volume_names.contains(&mount.name.as_str()) {
                    errors.push(FieldError::not_found(format!("{field}.name"), mount.name.clone()));
                }
                if mount.mount_path.is_empty() {
                    errors.push(FieldError::required(format!("{field}.mountPath"), ""));
                } else if paths.contains(&mount.mount_path.as_str()) {
                    errors.push(FieldError::invalid(
                        format!("{field}.mountPath"),
                        mount.mount_path.clone(),
                        "must be unique",
                    ));
                } else {
                    paths.push(&mount.mount_path);
                }
            }
        }
    }
}

/// `validateKeyToPath`: a secret or config map item's key and path, and
/// its file mode.
fn validate_key_to_path(item: &KeyToPath, field: &str, errors: &mut Vec<FieldError>) {
    if item.key.is_empty() {
        errors.push(FieldError::required(format!("{field}.key"), ""));
    }
    if item.path.is_empty() {
        errors.push(FieldError::required(format!("{field}.path"), ""));
    }
    validate_local_non_reserved_path(&item.path, &format!("{field}.path"), errors);
    if let Some(mode) = item.mode.filter(|m| !(0..=0o777).contains(m)) {
        errors.push(FieldError::invalid(format!("{field}.mode"), mode, FILE_MODE_ERROR));
    }
}

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// A downward API file's path, reported at `field.path` (the source's
/// field, not the item's, as `validateDownwardAPIVolumeFile` is called).
fn validate_downward_file_path(path: &str, field: &str, errors: &mut Vec<FieldError>) {
    if path.is_empty() {
        errors.push(FieldError::required(format!("{field}.path"), ""));
    }
    validate_local_non_reserved_path(path, &format!("{field}.path"), errors);
}

/// `ValidateLocalNonReservedPath`: a path inside the volume, relative, with
/// no `..` element and not starting with `..`.
pub(crate) fn validate_local_non_reserved_path(path: &str, field: &str, errors: &mut Vec<FieldError>) {
    if path.starts_with('/') {
        errors.push(FieldError::invalid(field, path, "must be a relative path"));
    }
    // Go splits at `/` after turning the OS separator into `/`: on Linux
    // a backslash is an ordinary character.
    if path.split('/').any(|part| part == "..") {
        errors.push(FieldError::invalid(field, path, "must not contain '..'"));
    }
    // The element check above already caught a leading `../`.
    if path.starts_with("..") && !path.starts_with("../") {
        errors.push(FieldError::invalid(field, path, "must not start with '..'"));
    }
}

/// `ValidateSecret`: the keys, then what the secret's type requires (a
/// legacy token's service account, a Docker config that is a JSON object).
fn validate_secret(secret: &Secret, errors: &mut Vec<FieldError>) {
    let keys = secret.data.iter().flat_map(|d| d.keys()).chain(secret.string_data.iter().flat_map(|d| d.keys()));
    for key in keys {
        let ok = !key.is_empty()
            && key.len() <= 253
            && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            errors.push(FieldError::invalid(
                format!("data[{key}]"),
                key.clone(),
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ));
        }
    }
    let docker_key = match secret.type_.as_deref() {
        Some(SERVICE_ACCOUNT_TOKEN_TYPE) => {
            let named = secret
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(SERVICE_ACCOUNT_NAME_ANNOTATION))
                .is_some_and(|n| !n.is_empty());
            if !named {
                errors
                    .push(FieldError::required(format!("metadata.annotations[{SERVICE_ACCOUNT_NAME_ANNOTATION}]"), ""));
            }
            return;
        }
        Some("kubernetes.io/dockerconfigjson") => ".dockerconfigjson",
        Some("kubernetes.io/dockercfg") => ".dockercfg",
        _ => return,
    };
    // stringData is merged over data before validation.
    let text = secret.string_data.as_ref().and_then(|d| d.get(docker_key)).map(String::as_bytes);
    let value = text.or_else(|| secret.data.as_ref().and_then(|d| d.get(docker_key)).map(|b| b.0.as_slice()));
    let field = format!("data[{docker_key}]");
    match value.map(crate::gojson::object_error) {
        None => errors.push(FieldError::required(field, "")),
        Some(Some(message)) => errors.push(FieldError::invalid(field, "<secret contents redacted>", message)),
        Some(None) => {}
    }
}

fn validate_rules(rules: Option<&[PolicyRule]>, namespaced: bool, errors: &mut Vec<FieldError>) {
    for (i, rule) in rules.unwrap_or_default().iter().enumerate() {
        let field = format!("rules[{i}]");
        if rule.verbs.is_empty() {
            errors.push(FieldError::required(format!("{field}.verbs"), "verbs must contain at least one value"));
        }
        let urls = rule.non_resource_urls.as_deref().unwrap_or_default();
        let groups = rule.api_groups.as_deref().unwrap_or_default();
        let resources = rule.resources.as_deref().unwrap_or_default();
        if !urls.is_empty() {
            if namespaced {
                errors.push(FieldError::invalid(
                    format!("{field}.nonResourceURLs"),
                    Value::from(urls.to_vec()),
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if !groups.is_empty() || !resources.is_empty() {
                errors.push(FieldError::invalid(
                    format!("{field}.nonResourceURLs"),
                    Value::from(urls.to_vec()),
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if groups.is_empty() {
            errors.push(FieldError::required(
                format!("{field}.apiGroups"),
                "resource rules must supply at least one api group",
            ));
        }
        if resources.is_empty() {
            errors.push(FieldError::required(
                format!("{field}.resources"),
                "resource rules must supply at least one resource",
            ));
        }
    }
}

fn validate_binding(role_ref: &RoleRef, subjects: Option<&[Subject]>, namespaced: bool, errors: &mut Vec<FieldError>) {
    if role_ref.api_group != RBAC_GROUP {
        errors.push(FieldError::not_supported("roleRef.apiGroup", role_ref.api_group.clone(), &[RBAC_GROUP]));
    }
    let kinds: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    if !kinds.contains(&role_ref.kind.as_str()) {
        errors.push(FieldError::not_supported("roleRef.kind", role_ref.kind.clone(), kinds));
    }
    if role_ref.name.is_empty() {
        errors.push(FieldError::required("roleRef.name", ""));
    } else {
        for detail in crate::validation::is_path_segment_name(&role_ref.name) {
            errors.push(FieldError::invalid("roleRef.name", role_ref.name.clone(), detail));
        }
    }
    for (i, subject) in subjects.unwrap_or_default().iter().enumerate() {
        let field = format!("subjects[{i}]");
        if subject.name.is_empty() {
            errors.push(FieldError::required(format!("{field}.name"), ""));
        }
        let api_group = subject.api_group.as_deref().unwrap_or_default();
        match subject.kind.as_str() {
            "ServiceAccount" => {
                if !subject.name.is_empty() {
                    for detail in crate::validation::is_dns1123_subdomain(&subject.name) {
                        errors.push(FieldError::invalid(format!("{field}.name"), subject.name.clone(), detail));
                    }
                }
                if !api_group.is_empty() {
                    errors.push(FieldError::not_supported(format!("{field}.apiGroup"), api_group, &[""]));
                }
                if !namespaced && subject.namespace.as_deref().unwrap_or_default().is_empty() {
                    errors.push(FieldError::required(format!("{field}.namespace"), ""));
                }
            }
            "User" | "Group" => {
                if api_group != RBAC_GROUP {
                    errors.push(FieldError::not_supported(format!("{field}.apiGroup"), api_group, &[RBAC_GROUP]));
                }
            }
            other => {
                errors.push(FieldError::not_supported(
                    format!("{field}.kind"),
                    other,
                    &["ServiceAccount", "User", "Group"],
                ));
            }
        }
    }
}

/// Rules for updates: what may not change.
pub fn validate_update(new: &Object, old: &Object) -> Vec<FieldError> {
    let mut errors = Vec::new();
    crate::apps::validate_update(new, old, &mut errors);
    match (new, old) {
        (Object::Pod(new), Object::Pod(old)) => {
            // Only images (and a few scheduling fields) may change.
            let mut comparable = new.spec.clone().unwrap_or_default();
            let old_spec = old.spec.clone().unwrap_or_default();
            for (c, o) in comparable.containers.iter_mut().zip(&old_spec.containers) {
                c.image = o.image.clone();
            }
            for (c, o) in comparable.init_containers.iter_mut().flatten().zip(old_spec.init_containers.iter().flatten())
            {
                c.image = o.image.clone();
            }
            comparable.active_deadline_seconds = old_spec.active_deadline_seconds;
            comparable.tolerations = old_spec.tolerations.clone();
            comparable.termination_grace_period_seconds = old_spec.termination_grace_period_seconds;
            if comparable != old_spec {
                errors.push(FieldError::forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                ));
            }
        }
        (Object::Secret(new), Object::Secret(old)) => {
            if new.type_ != old.type_ {
                errors.push(FieldError::invalid("type", new.type_.clone().unwrap_or_default(), "field is immutable"));
            }
            if old.immutable == Some(true) && (new.data != old.data || new.string_data.is_some()) {
                errors.push(FieldError::forbidden("data", "field is immutable when `immutable` is set"));
            }
        }
        (Object::RoleBinding(new), Object::RoleBinding(old)) if new.role_ref != old.role_ref => {
            errors.push(role_ref_changed(&new.role_ref));
        }
        (Object::ClusterRoleBinding(new), Object::ClusterRoleBinding(old)) if new.role_ref != old.role_ref => {
            errors.push(role_ref_changed(&new.role_ref));
        }
        _ => {}
    }
    errors
}

fn role_ref_changed(role_ref: &RoleRef) -> FieldError {
    // Go prints the struct with %#v; rendered here as a raw value.
    let shown = format!(
        "rbac.RoleRef{{APIGroup:{:?}, Kind:{:?}, Name:{:?}}}",
        role_ref.api_group, role_ref.kind, role_ref.name
    );
    FieldError {
        field: "roleRef".to_string(),
        kind: crate::validation::FieldErrorType::InvalidRendered(shown),
        detail: "cannot change roleRef".to_string(),
    }
}

/// The Go JSON decoder's wording for a type error, as the API server
/// reports it: `json: cannot unmarshal array into Go struct field
/// ObjectMeta.metadata.annotations of type map[string]string`.
pub fn describe_decode_error(resource: &ResourceInfo, error: &DecodeError) -> String {
    let DecodeError::Type { path, message } = error else {
        return error.to_string();
    };
    let got = if message.contains("invalid type: string") {
        "string"
    } else if message.contains("invalid type: integer") || message.contains("invalid type: floating point") {
        "number"
    } else if message.contains("invalid type: boolean") {
        "bool"
    } else if message.contains("invalid type: sequence") {
        "array"
    } else if message.contains("invalid type: map") {
        "object"
    } else {
        return format!("json: {message} at {path}");
    };
    // Go names the innermost struct and the dotted path without indices.
    let segments: Vec<&str> = path.split('.').map(|s| s.split('[').next().unwrap_or(s)).collect();
    let field = segments.last().copied().unwrap_or_default();
    let parent = segments.len().checked_sub(2).and_then(|i| segments.get(i)).copied();
    let go_struct = match parent {
        None => resource.kind,
        Some("metadata") => "ObjectMeta",
        Some("containers") | Some("initContainers") => "Container",
        Some("volumes") => "Volume",
        Some("volumeMounts") => "VolumeMount",
        Some("spec") if resource.kind == "Pod" || segments.contains(&"template") => "PodSpec",
        Some("spec") if crate::apps::is_workload(resource.kind) => {
            return format!(
                "json: cannot unmarshal {got} into Go struct field {}Spec.{} of type {}",
                resource.kind,
                segments.join("."),
                go_field_type(field, message)
            );
        }
        Some("template") => "PodTemplateSpec",
        Some("selector") => "LabelSelector",
        Some("roleRef") => "RoleRef",
        Some("subjects") => "Subject",
        Some("rules") => "PolicyRule",
        Some(parent) => {
            let grandparent = segments.len().checked_sub(3).and_then(|i| segments.get(i)).copied();
            nested_go_struct(parent, grandparent, resource.kind)
        }
    };
    let go_type = match field {
        "data" if resource.kind == "Secret" => "map[string][]uint8".to_string(),
        _ => go_field_type(field, message),
    };
    format!("json: cannot unmarshal {got} into Go struct field {go_struct}.{} of type {go_type}", segments.join("."))
}

/// The Go struct a field named `parent` holds (inside `grandparent`), for
/// the nested types of the kinds served here; the kind itself otherwise.
fn nested_go_struct(parent: &str, grandparent: Option<&str>, kind: &'static str) -> &'static str {
    let projected = grandparent == Some("sources");
    match parent {
        "env" => "EnvVar",
        "envFrom" => "EnvFromSource",
        "valueFrom" => "EnvVarSource",
        "secretKeyRef" => "SecretKeySelector",
        "configMapKeyRef" => "ConfigMapKeySelector",
        "fieldRef" => "ObjectFieldSelector",
        "resourceFieldRef" => "ResourceFieldSelector",
        "ports" if kind == "Service" => "ServicePort",
        "ports" => "ContainerPort",
        "resources" => "ResourceRequirements",
        "securityContext" if grandparent == Some("spec") => "PodSecurityContext",
        "securityContext" => "SecurityContext",
        "projected" => "ProjectedVolumeSource",
        "sources" => "VolumeProjection",
        "serviceAccountToken" => "ServiceAccountTokenProjection",
        "secret" if projected => "SecretProjection",
        "secret" => "SecretVolumeSource",
        "configMap" if projected => "ConfigMapProjection",
        "configMap" => "ConfigMapVolumeSource",
        "downwardAPI" if projected => "DownwardAPIProjection",
        "downwardAPI" => "DownwardAPIVolumeSource",
        "emptyDir" => "EmptyDirVolumeSource",
        "items" if grandparent == Some("downwardAPI") => "DownwardAPIVolumeFile",
        "items" => "KeyToPath",
        "imagePullSecrets" => "LocalObjectReference",
        "secrets" if kind == "ServiceAccount" => "ObjectReference",
        "ownerReferences" => "OwnerReference",
        "tolerations" => "Toleration",
        "aggregationRule" => "AggregationRule",
        "clusterRoleSelectors" => "LabelSelector",
        "matchExpressions" => "LabelSelectorRequirement",
        _ => kind,
    }
}

/// The Go type of a field, as far as the decoder's message tells it.
fn go_field_type(field: &str, message: &str) -> String {
    match field {
        "labels" | "annotations" | "stringData" | "matchLabels" | "nodeSelector" => "map[string]string".to_string(),
        "data" => "map[string]string".to_string(),
        _ if message.contains("expected a boolean") => "bool".to_string(),
        _ if message.contains("expected a string") => "string".to_string(),
        _ if message.contains("expected i32") => "int32".to_string(),
        _ if message.contains("expected i64") => "int64".to_string(),
        _ if message.contains("expected a sequence") => "[]".to_string() + field,
        _ => "struct".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_in_nanos() {
        let rows = [
            ("1", Some(1_000_000_000)),
            ("250m", Some(250_000_000)),
            ("0.5", Some(500_000_000)),
            (".5", Some(500_000_000)),
            ("1Ki", Some(1_024_000_000_000)),
            ("64Mi", Some(64 * (1 << 20) * 1_000_000_000)),
            ("1k", Some(1_000_000_000_000)),
            ("1e3", Some(1_000_000_000_000)),
            ("1E-3", Some(1_000_000)),
            ("1n", Some(1)),
            ("0.1n", Some(1)),
            ("-1", Some(-1_000_000_000)),
            ("0", Some(0)),
            ("", None),
            ("m", None),
            ("1.2.3", None),
            ("1x", None),
            ("1e999", None),
            ("99999999999999999999999999999Ei", None),
        ];
        for (text, want) in rows {
            assert_eq!(quantity_nanos(text), want, "{text}");
        }
        assert_eq!(quantity_nanos("1"), quantity_nanos("1000m"));
    }
}
