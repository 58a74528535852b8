//! API rules for the workload kinds: `apps/v1` Deployment, ReplicaSet,
//! DaemonSet, StatefulSet and `batch/v1` Job, plus the plain kinds stored
//! beside them (Service).
//!
//! These are the parts of upstream's `pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/batch/v1/defaults.go`, `pkg/apis/apps/validation` and
//! `pkg/apis/batch/validation` that a learner meets: defaults, the
//! selector rules (required, must match the template's labels, immutable)
//! and the pod template validated like a Pod with `spec.template.spec.`
//! paths. The messages and Go renderings of values are upstream's.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    DaemonSetUpdateStrategy, DeploymentStrategy, RollingUpdateDaemonSet, RollingUpdateDeployment,
    RollingUpdateStatefulSetStrategy, StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::object::Object;
use crate::selector::matches_label_selector;
use crate::strategy::{default_pod_spec, validate_pod_spec};
use crate::validation::{validate_labels_and_annotations, FieldError, FieldErrorType};

/// Whether `kind` is one of the workload kinds this module rules.
pub fn is_workload(kind: &str) -> bool {
    matches!(kind, "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job")
}

/// Defaults a pod template as the v1 defaulting does any pod spec (not
/// the Pod-only defaults: `enableServiceLinks`, requests from limits, host
/// ports), and mirrors `serviceAccountName` into the deprecated `serviceAccount`
/// as the v1 conversion does for every pod spec.
pub(crate) fn default_template(template: &mut PodTemplateSpec) {
    let spec = template.spec.get_or_insert_with(PodSpec::default);
    default_pod_spec(spec);
    spec.service_account = spec.service_account_name.clone().filter(|n| !n.is_empty());
}

fn percent(value: &str) -> Option<IntOrString> {
    Some(IntOrString::String(value.to_string()))
}

/// The apps/v1 and batch/v1 defaults.
pub(crate) fn apply_defaults(object: &mut Object) {
    match object {
        Object::Deployment(d) => {
            let spec = d.spec.get_or_insert_with(Default::default);
            spec.replicas.get_or_insert(1);
            let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
            let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
            if type_ == "RollingUpdate" {
                let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateDeployment::default);
                if rolling.max_unavailable.is_none() {
                    rolling.max_unavailable = percent("25%");
                }
                if rolling.max_surge.is_none() {
                    rolling.max_surge = percent("25%");
                }
            }
            spec.revision_history_limit.get_or_insert(10);
            spec.progress_deadline_seconds.get_or_insert(600);
            default_template(&mut spec.template);
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.get_or_insert_with(Default::default);
            spec.replicas.get_or_insert(1);
            if let Some(template) = &mut spec.template {
                default_template(template);
            }
        }
        Object::DaemonSet(ds) => {
            let spec = ds.spec.get_or_insert_with(Default::default);
            let strategy = spec.update_strategy.get_or_insert_with(DaemonSetUpdateStrategy::default);
            let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
            if type_ == "RollingUpdate" {
                let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateDaemonSet::default);
                rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
                rolling.max_surge.get_or_insert(IntOrString::Int(0));
            }
            spec.revision_history_limit.get_or_insert(10);
            default_template(&mut spec.template);
        }
        Object::StatefulSet(sts) => {
            let spec = sts.spec.get_or_insert_with(Default::default);
            spec.replicas.get_or_insert(1);
            spec.pod_management_policy.get_or_insert_with(|| "OrderedReady".to_string());
            let strategy = spec.update_strategy.get_or_insert_with(StatefulSetUpdateStrategy::default);
            let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
            if type_ == "RollingUpdate" {
                let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
                rolling.partition.get_or_insert(0);
            }
            spec.revision_history_limit.get_or_insert(10);
            let retention = spec
                .persistent_volume_claim_retention_policy
                .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
            retention.when_deleted.get_or_insert_with(|| "Retain".to_string());
            retention.when_scaled.get_or_insert_with(|| "Retain".to_string());
            default_template(&mut spec.template);
        }
        Object::Job(job) => {
            let spec = job.spec.get_or_insert_with(Default::default);
            if spec.completions.is_none() && spec.parallelism.is_none() {
                spec.completions = Some(1);
            }
            spec.parallelism.get_or_insert(1);
            spec.backoff_limit.get_or_insert(6);
            spec.completion_mode.get_or_insert_with(|| "NonIndexed".to_string());
            spec.suspend.get_or_insert(false);
            if spec.pod_failure_policy.is_none() {
                spec.pod_replacement_policy.get_or_insert_with(|| "TerminatingOrFailed".to_string());
            }
            default_template(&mut spec.template);
        }
        Object::Service(svc) => crate::services::apply_defaults(svc.spec.get_or_insert_with(Default::default)),
        _ => {}
    }
}

/// What the server resets on create: the status (and, for a Job, the
/// generated selector and labels, which need the object's UID).
pub(crate) fn prepare_for_create(object: &mut Object) {
    match object {
        Object::Deployment(d) => d.status = Some(Default::default()),
        Object::ReplicaSet(rs) => rs.status = Some(Default::default()),
        Object::DaemonSet(ds) => ds.status = Some(Default::default()),
        Object::StatefulSet(sts) => sts.status = Some(Default::default()),
        Object::Job(job) => job.status = Some(Default::default()),
        // A ClusterIP Service's status still shows an empty load balancer.
        Object::Service(svc) => {
            svc.status = Some(k8s_openapi::api::core::v1::ServiceStatus {
                load_balancer: Some(Default::default()),
                ..Default::default()
            })
        }
        _ => {}
    }
}

/// The label keys the Job strategy adds to the template and selector.
pub const JOB_CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// The Job name label.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";

/// The Job strategy's `generateSelector`: unless `manualSelector` is set,
/// the selector is the job's UID and the template carries the labels.
pub(crate) fn generate_job_selector(object: &mut Object, uid: &str) {
    let Object::Job(job) = object else { return };
    let name = job.metadata.name.clone().unwrap_or_default();
    let Some(spec) = &mut job.spec else { return };
    if spec.manual_selector == Some(true) {
        return;
    }
    let labels = spec.template.metadata.get_or_insert_with(Default::default).labels.get_or_insert_with(BTreeMap::new);
    for (key, value) in [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name.as_str()),
        ("controller-uid", uid),
        ("job-name", name.as_str()),
    ] {
        labels.entry(key.to_string()).or_insert_with(|| value.to_string());
    }
    if spec.selector.is_none() {
        spec.selector = Some(LabelSelector {
            match_labels: Some([(JOB_CONTROLLER_UID_LABEL.to_string(), uid.to_string())].into()),
            match_expressions: None,
        });
    }
}

/// What an update keeps from the stored object: the status, which only
/// controllers write (through the status subresource upstream).
pub(crate) fn prepare_for_update(object: &mut Object, old: &Object) {
    match (object, old) {
        (Object::Deployment(new), Object::Deployment(old)) => new.status = old.status.clone(),
        (Object::ReplicaSet(new), Object::ReplicaSet(old)) => new.status = old.status.clone(),
        (Object::DaemonSet(new), Object::DaemonSet(old)) => new.status = old.status.clone(),
        (Object::StatefulSet(new), Object::StatefulSet(old)) => new.status = old.status.clone(),
        (Object::Job(new), Object::Job(old)) => new.status = old.status.clone(),
        (Object::Service(new), Object::Service(old)) => {
            new.status = old.status.clone();
            if let (Some(spec), Some(old_spec)) = (&mut new.spec, &old.spec) {
                if spec.cluster_ip.as_deref().unwrap_or_default().is_empty() {
                    spec.cluster_ip = old_spec.cluster_ip.clone();
                    spec.cluster_ips = old_spec.cluster_ips.clone();
                }
                spec.ip_families = spec.ip_families.take().or_else(|| old_spec.ip_families.clone());
                spec.ip_family_policy = spec.ip_family_policy.take().or_else(|| old_spec.ip_family_policy.clone());
            }
            crate::services::drop_type_dependent_fields(new, old);
        }
        _ => {}
    }
}

/// Go's `%#v` of a `map[string]string`.
pub fn go_string_map(map: Option<&BTreeMap<String, String>>) -> String {
    match map {
        None => "map[string]string(nil)".to_string(),
        Some(map) => {
            let items: Vec<String> = map.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

/// Go's `%#v` of a `metav1.LabelSelector`.
pub fn go_label_selector(selector: &LabelSelector) -> String {
    let expressions = match &selector.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|r| {
                    let values = crate::validation::go_string_slice(r.values.as_deref());
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:{values}}}",
                        r.key, r.operator
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{expressions}}}",
        go_string_map(selector.match_labels.as_ref())
    )
}

fn rendered(field: &str, value: String, detail: &str) -> FieldError {
    FieldError { field: field.to_string(), kind: FieldErrorType::InvalidRendered(value), detail: detail.to_string() }
}

fn selector_is_missing(selector: &LabelSelector) -> bool {
    selector.match_labels.is_none() && selector.match_expressions.is_none()
}

fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && selector.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

/// The selector rules and the template, as `ValidateDeploymentSpec` and
/// its siblings check them. `what` names the kind in the empty-selector
/// message (upstream's ReplicaSet says "deployment" too).
fn validate_selector_and_template(
    selector: Option<&LabelSelector>,
    template: Option<&PodTemplateSpec>,
    what: &str,
    required_restart: &[&str],
    errors: &mut Vec<FieldError>,
) {
    // A missing selector decodes as an empty one; both are reported as
    // upstream reports a missing one.
    let missing = selector.is_none_or(selector_is_missing);
    let labels = template.and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.as_ref());
    match selector {
        Some(selector) if !missing => {
            if selector_is_empty(selector) {
                errors.push(rendered(
                    "spec.selector",
                    go_label_selector(selector),
                    &format!("empty selector is invalid for {what}"),
                ));
            } else if !matches_label_selector(selector, labels) {
                errors.push(rendered(
                    "spec.template.metadata.labels",
                    go_string_map(labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
        _ => {
            errors.push(FieldError::required("spec.selector", ""));
            errors.push(rendered(
                "spec.template.metadata.labels",
                go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    validate_template(template, required_restart, errors);
}

/// The pod template: metadata like an object's, the spec like a Pod's,
/// and the restart policies the controller allows.
fn validate_template(template: Option<&PodTemplateSpec>, required_restart: &[&str], errors: &mut Vec<FieldError>) {
    let Some(template) = template else {
        errors.push(FieldError::required("spec.template", ""));
        return;
    };
    if let Some(meta) = &template.metadata {
        for mut e in validate_labels_and_annotations(meta.labels.as_ref(), meta.annotations.as_ref()) {
            e.field = format!("spec.template.{}", e.field);
            errors.push(e);
        }
    }
    let spec = template.spec.clone().unwrap_or_else(PodSpec::default);
    validate_pod_spec(&spec, "spec.template.spec", errors);
    let restart = spec.restart_policy.clone().unwrap_or_default();
    if !required_restart.contains(&restart.as_str()) {
        errors.push(FieldError::not_supported("spec.template.spec.restartPolicy", restart, required_restart));
    }
    if required_restart == ["Always"] && spec.active_deadline_seconds.is_some() {
        errors.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

fn non_negative(field: &str, value: Option<i32>, errors: &mut Vec<FieldError>) {
    if let Some(v) = value.filter(|v| *v < 0) {
        errors.push(FieldError::invalid(field, v, "must be greater than or equal to 0"));
    }
}

/// Validates a workload object (and a Service, by `services.rs`).
pub(crate) fn validate(object: &Object, errors: &mut Vec<FieldError>) {
    match object {
        Object::Deployment(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            non_negative("spec.replicas", spec.replicas, errors);
            validate_selector_and_template(
                Some(&spec.selector),
                Some(&spec.template),
                "deployment",
                &["Always"],
                errors,
            );
            if let Some(strategy) = &spec.strategy {
                let type_ = strategy.type_.as_deref().unwrap_or_default();
                if !matches!(type_, "RollingUpdate" | "Recreate") {
                    errors.push(FieldError::not_supported("spec.strategy.type", type_, &["Recreate", "RollingUpdate"]));
                } else if type_ == "Recreate" && strategy.rolling_update.is_some() {
                    errors.push(FieldError::forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    ));
                }
            }
            non_negative("spec.revisionHistoryLimit", spec.revision_history_limit, errors);
            non_negative("spec.minReadySeconds", spec.min_ready_seconds, errors);
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.clone().unwrap_or_default();
            non_negative("spec.replicas", spec.replicas, errors);
            validate_selector_and_template(
                Some(&spec.selector),
                spec.template.as_ref(),
                "deployment",
                &["Always"],
                errors,
            );
        }
        Object::DaemonSet(ds) => {
            let spec = ds.spec.clone().unwrap_or_default();
            validate_selector_and_template(
                Some(&spec.selector),
                Some(&spec.template),
                "daemonset",
                &["Always"],
                errors,
            );
        }
        Object::StatefulSet(sts) => {
            let spec = sts.spec.clone().unwrap_or_default();
            non_negative("spec.replicas", spec.replicas, errors);
            let policy = spec.pod_management_policy.as_deref().unwrap_or_default();
            if !matches!(policy, "OrderedReady" | "Parallel") {
                errors.push(FieldError::not_supported(
                    "spec.podManagementPolicy",
                    policy,
                    &["OrderedReady", "Parallel"],
                ));
            }
            // Volume mounts may name the claim templates, whose volumes
            // the controller adds to each pod (upstream leaves the
            // template's pod spec unchecked for this reason).
            let mut template = spec.template.clone();
            if let Some(pod_spec) = template.spec.as_mut() {
                for claim in spec.volume_claim_templates.iter().flatten() {
                    let name = claim.metadata.name.clone().unwrap_or_default();
                    let volumes = pod_spec.volumes.get_or_insert_with(Vec::new);
                    if !volumes.iter().any(|v| v.name == name) {
                        volumes.push(k8s_openapi::api::core::v1::Volume {
                            persistent_volume_claim: Some(
                                k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource {
                                    claim_name: name.clone(),
                                    read_only: None,
                                },
                            ),
                            name,
                            ..Default::default()
                        });
                    }
                }
            }
            validate_selector_and_template(Some(&spec.selector), Some(&template), "statefulset", &["Always"], errors);
        }
        Object::Job(job) => {
            let spec = job.spec.clone().unwrap_or_default();
            non_negative("spec.parallelism", spec.parallelism, errors);
            non_negative("spec.completions", spec.completions, errors);
            non_negative("spec.backoffLimit", spec.backoff_limit, errors);
            validate_selector_and_template(
                spec.selector.as_ref(),
                Some(&spec.template),
                "job",
                &["OnFailure", "Never"],
                errors,
            );
        }
        Object::Service(service) => crate::services::validate(service, errors),
        _ => {}
    }
}

/// What an update may not change: the selectors, and (for a
/// StatefulSet) anything but the fields upstream lets change.
pub(crate) fn validate_update(new: &Object, old: &Object, errors: &mut Vec<FieldError>) {
    let immutable = |new: Option<&LabelSelector>, old: Option<&LabelSelector>, errors: &mut Vec<FieldError>| {
        if new != old {
            let shown = new.map(go_label_selector).unwrap_or_else(|| "null".to_string());
            errors.push(rendered("spec.selector", shown, "field is immutable"));
        }
    };
    match (new, old) {
        (Object::Deployment(n), Object::Deployment(o)) => {
            immutable(n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector), errors)
        }
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => {
            immutable(n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector), errors)
        }
        (Object::DaemonSet(n), Object::DaemonSet(o)) => {
            immutable(n.spec.as_ref().map(|s| &s.selector), o.spec.as_ref().map(|s| &s.selector), errors)
        }
        (Object::Job(n), Object::Job(o)) => immutable(
            n.spec.as_ref().and_then(|s| s.selector.as_ref()),
            o.spec.as_ref().and_then(|s| s.selector.as_ref()),
            errors,
        ),
        (Object::StatefulSet(n), Object::StatefulSet(o)) => {
            let (Some(mut comparable), Some(old_spec)) = (n.spec.clone(), o.spec.clone()) else { return };
            comparable.replicas = old_spec.replicas;
            comparable.ordinals = old_spec.ordinals.clone();
            comparable.template = old_spec.template.clone();
            comparable.update_strategy = old_spec.update_strategy.clone();
            comparable.persistent_volume_claim_retention_policy =
                old_spec.persistent_volume_claim_retention_policy.clone();
            comparable.min_ready_seconds = old_spec.min_ready_seconds;
            if comparable != old_spec {
                errors.push(FieldError::forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                ));
            }
        }
        (Object::Service(n), Object::Service(o)) => crate::services::validate_update(n, o, errors),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_renderings() {
        let labels: BTreeMap<String, String> = [("app".to_string(), "x".to_string())].into();
        assert_eq!(go_string_map(Some(&labels)), r#"map[string]string{"app":"x"}"#);
        assert_eq!(go_string_map(None), "map[string]string(nil)");
        let selector = LabelSelector { match_labels: Some(labels), match_expressions: None };
        assert_eq!(
            go_label_selector(&selector),
            r#"v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"#
        );
    }
}
