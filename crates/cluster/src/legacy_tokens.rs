//! The legacy service-account token cleaner (kube-controller-manager's
//! `legacy-service-account-token-cleaner`, LegacyServiceAccountTokenCleanUp,
//! GA in v1.30) and the API server's legacy token tracking ConfigMap.
//!
//! The API server writes ConfigMap
//! `kube-system/kube-apiserver-legacy-service-account-token-tracking` once,
//! with `since` the day tracking started. The cleaner syncs once a day
//! (from the controller manager's start, here the cluster's); once tracking
//! has run for a whole clean-up period (365 days by default, counted from
//! the day after `since`), each auto-generated legacy token Secret (type
//! `kubernetes.io/service-account-token`, listed in its ServiceAccount's
//! `secrets`, named by no pod) created more than a period ago and not used
//! in the last period (its `kubernetes.io/legacy-token-last-used` date, or
//! never) is labelled `kubernetes.io/legacy-token-invalid-since=<today>`;
//! one labelled more than a period ago is deleted (the token controller
//! then drops it from the ServiceAccount's `secrets`).
//!
//! Rather than waking every day, the cluster schedules the one sync at which
//! the cleaner would next act on what is stored, and plans again whenever a
//! token Secret, a ServiceAccount, a pod or the tracking ConfigMap changes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, PodSpec, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::authn::{INVALID_SINCE_LABEL, LAST_USED_LABEL};
use crate::clock::Deadline;
use crate::object::Object;
use crate::store::Key;
use crate::strategy::{SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_TOKEN_TYPE, SERVICE_ACCOUNT_UID_ANNOTATION};
use crate::time::Time;
use crate::Cluster;

/// The ConfigMap recording when the API server began tracking legacy token
/// use (`legacytokentracking.ConfigMapName`).
pub const TRACKING_CONFIGMAP: &str = "kube-apiserver-legacy-service-account-token-tracking";
/// Its one key (`legacytokentracking.ConfigMapDataKey`).
pub const TRACKING_SINCE_KEY: &str = "since";

const DAY_MS: i64 = 86_400_000;
/// `--legacy-service-account-token-clean-up-period`'s default: 365 days.
const CLEAN_UP_PERIOD_MS: i64 = 365 * DAY_MS;
/// The cleaner's sync interval (`DefaultCleanerSyncInterval`): a day.
const SYNC_INTERVAL_MS: i64 = DAY_MS;

/// `t`'s date in UTC, as the labels and the ConfigMap write it.
pub(crate) fn date(t: Time) -> String {
    t.to_k8s().0.format("%Y-%m-%d").to_string()
}

/// Midnight UTC of a `YYYY-MM-DD` date, as Go's `time.Parse("2006-01-02")`
/// reads it (exactly four, two and two digits); `None` if malformed.
fn parse_date(text: &str) -> Option<Time> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shape {
        return None;
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let midnight = day.and_hms_opt(0, 0, 0)?.and_utc();
    Some(Time::from_unix_millis(midnight.timestamp_millis()))
}

/// The tracking ConfigMap the API server writes when it starts at `now`.
pub(crate) fn tracking_config_map(now: Time) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(TRACKING_CONFIGMAP.to_string()),
            namespace: Some("kube-system".to_string()),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(TRACKING_SINCE_KEY.to_string(), date(now))])),
        ..ConfigMap::default()
    }
}

/// The names of the Secrets a pod spec refers to (`VisitPodSecretNames`):
/// image pull secrets, env and envFrom of every container, and volumes.
fn pod_secret_names(spec: &PodSpec, names: &mut Vec<String>) {
    let mut add = |name: Option<&String>| {
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            names.push(name.clone());
        }
    };
    for reference in spec.image_pull_secrets.iter().flatten() {
        add(Some(&reference.name));
    }
    let containers = spec.init_containers.iter().flatten().chain(spec.containers.iter());
    for container in containers {
        for from in container.env_from.iter().flatten() {
            add(from.secret_ref.as_ref().map(|r| &r.name));
        }
        for env in container.env.iter().flatten() {
            add(env.value_from.as_ref().and_then(|v| v.secret_key_ref.as_ref()).map(|r| &r.name));
        }
    }
    for container in spec.ephemeral_containers.iter().flatten() {
        for from in container.env_from.iter().flatten() {
            add(from.secret_ref.as_ref().map(|r| &r.name));
        }
        for env in container.env.iter().flatten() {
            add(env.value_from.as_ref().and_then(|v| v.secret_key_ref.as_ref()).map(|r| &r.name));
        }
    }
    for volume in spec.volumes.iter().flatten() {
        add(volume.secret.as_ref().and_then(|s| s.secret_name.as_ref()));
        for source in volume.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            add(source.secret.as_ref().map(|s| &s.name));
        }
        add(volume.azure_file.as_ref().map(|v| &v.secret_name));
        add(volume.cephfs.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.cinder.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.flex_volume.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.rbd.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.scale_io.as_ref().map(|v| &v.secret_ref.name));
        add(volume.iscsi.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.storageos.as_ref().and_then(|v| v.secret_ref.as_ref()).map(|r| &r.name));
        add(volume.csi.as_ref().and_then(|v| v.node_publish_secret_ref.as_ref()).map(|r| &r.name));
    }
}

/// Whether a write (or removal) of `object` may change what the cleaner
/// will do: a legacy token Secret, a ServiceAccount, a pod created or
/// removed (what it names), the tracking ConfigMap.
pub(crate) fn concerns_cleaner(object: &Object, created_or_removed: bool) -> bool {
    match object {
        Object::Secret(secret) => secret.type_.as_deref() == Some(SERVICE_ACCOUNT_TOKEN_TYPE),
        Object::ServiceAccount(_) => true,
        Object::Pod(_) => created_or_removed,
        Object::ConfigMap(cm) => cm.metadata.name.as_deref() == Some(TRACKING_CONFIGMAP),
        _ => false,
    }
}

/// What the cleaner would do to one Secret, and from when.
enum Step {
    /// Label it invalid, at the first sync from then on.
    Label(Time),
    /// Delete it, at the first sync from then on.
    Delete(Time),
}

impl Cluster {
    /// Writes the tracking ConfigMap, as kube-apiserver does at start-up.
    /// Its UID comes from a side stream, so that the main stream's UIDs
    /// stay as they were before it was added.
    pub(crate) fn create_legacy_token_tracking(&mut self) {
        let uid =
            crate::rng::ClusterRng::side_stream(self.config.seed, crate::rng::LEGACY_TOKEN_TRACKING_STREAM).uuid();
        let config_map = tracking_config_map(self.now);
        self.system_create_with_uid(Object::ConfigMap(config_map), uid);
    }

    /// The first instant the cleaner may act: a whole clean-up period after
    /// the day following `since` (`latestPossibleTrackedSinceTime`); `None`
    /// while the ConfigMap is missing or malformed (the sync gives up).
    fn cleaner_tracked_enough_at(&self) -> Option<Time> {
        let key = Key::new(crate::resource::lookup("configmaps")?, "kube-system", TRACKING_CONFIGMAP);
        let Some(Object::ConfigMap(cm)) = self.store.get(&key) else { return None };
        let since = parse_date(cm.data.as_ref()?.get(TRACKING_SINCE_KEY)?)?;
        Some(since.plus_millis(DAY_MS + CLEAN_UP_PERIOD_MS))
    }

    /// The cleaner's next step for `secret` as things stand, if any: the
    /// conditions of `evaluateSATokens` that time alone will meet, given
    /// those it cannot (an auto-generated token no pod names).
    fn cleaner_step(&self, secret: &Secret, mounted: &[String]) -> Option<Step> {
        if secret.type_.as_deref() != Some(SERVICE_ACCOUNT_TOKEN_TYPE) || secret.metadata.deletion_timestamp.is_some() {
            return None;
        }
        let meta = &secret.metadata;
        let name = meta.name.as_deref().unwrap_or_default();
        let namespace = meta.namespace.as_deref().unwrap_or_default();
        let annotations = meta.annotations.as_ref();
        let sa_name = annotations.and_then(|a| a.get(SERVICE_ACCOUNT_NAME_ANNOTATION)).filter(|n| !n.is_empty())?;
        let sa = self.service_account(namespace, sa_name)?;
        let wanted_uid = annotations.and_then(|a| a.get(SERVICE_ACCOUNT_UID_ANNOTATION)).filter(|u| !u.is_empty());
        if wanted_uid.is_some_and(|u| sa.metadata.uid.as_ref() != Some(u)) {
            return None;
        }
        if !sa.secrets.iter().flatten().any(|r| r.name.as_deref() == Some(name)) || mounted.iter().any(|m| m == name) {
            return None;
        }
        // Created strictly before a period ago.
        let created = meta.creation_timestamp.as_ref().map(Time::from_k8s).unwrap_or_default();
        let mut from = created.plus_millis(CLEAN_UP_PERIOD_MS + 1);
        let labels = meta.labels.as_ref();
        // Last used before the day a period ago: from the day after the
        // label's, a period later. A malformed date is never judged.
        if let Some(last_used) = labels.and_then(|l| l.get(LAST_USED_LABEL)) {
            from = from.max(parse_date(last_used)?.plus_millis(DAY_MS + CLEAN_UP_PERIOD_MS));
        }
        match labels.and_then(|l| l.get(INVALID_SINCE_LABEL)).and_then(|d| parse_date(d)) {
            None => Some(Step::Label(from)),
            Some(since) => Some(Step::Delete(from.max(since.plus_millis(DAY_MS + CLEAN_UP_PERIOD_MS)))),
        }
    }

    /// The Secrets the pods of `namespace` name.
    fn mounted_secret_names(&self, namespace: &str) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(pods) = crate::resource::lookup("pods") {
            for pod in self.store.list(pods, Some(namespace)) {
                if let Object::Pod(pod) = pod {
                    if let Some(spec) = &pod.spec {
                        pod_secret_names(spec, &mut names);
                    }
                }
            }
        }
        names
    }

    /// The legacy token Secrets, with the secrets their namespaces' pods name.
    fn legacy_token_secrets(&self) -> Vec<(Secret, Vec<String>)> {
        let Some(secrets) = crate::resource::lookup("secrets") else { return Vec::new() };
        let mut found: Vec<(Secret, Vec<String>)> = Vec::new();
        let mut mounted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for object in self.store.list(secrets, None) {
            let Object::Secret(secret) = object else { continue };
            if secret.type_.as_deref() != Some(SERVICE_ACCOUNT_TOKEN_TYPE) {
                continue;
            }
            let namespace = secret.metadata.namespace.clone().unwrap_or_default();
            let names = mounted.entry(namespace.clone()).or_insert_with(|| self.mounted_secret_names(&namespace));
            found.push((secret.clone(), names.clone()));
        }
        found
    }

    /// Schedules the cleaner's next sync that will act on what is stored
    /// now (the first daily sync at or after the earliest step), replacing
    /// any sync planned before.
    pub(crate) fn plan_legacy_token_cleaner(&mut self) {
        let Some(tracked) = self.cleaner_tracked_enough_at() else {
            self.cleaner_at = None;
            return;
        };
        let earliest = self
            .legacy_token_secrets()
            .iter()
            .filter_map(|(secret, mounted)| self.cleaner_step(secret, mounted))
            .map(|step| match step {
                Step::Label(at) | Step::Delete(at) => at,
            })
            .min();
        let Some(earliest) = earliest else {
            self.cleaner_at = None;
            return;
        };
        // Syncs run every day from the controller manager's start; one at
        // this very instant has run already.
        let due = earliest.max(tracked).max(self.now.plus_millis(1));
        let start = self.config.start.unix_millis();
        let days = (due.unix_millis() - start + SYNC_INTERVAL_MS - 1).div_euclid(SYNC_INTERVAL_MS);
        let at = Time::from_unix_millis(start + days * SYNC_INTERVAL_MS);
        if self.cleaner_at != Some(at) {
            self.cleaner_at = Some(at);
            self.deadlines.schedule(at, Deadline::LegacyTokenCleaner);
        }
    }

    /// Whether `at` is the cleaner's planned sync.
    pub(crate) fn cleaner_due(&self, at: Time) -> bool {
        self.cleaner_at == Some(at)
    }

    /// One sync of the cleaner (`evaluateSATokens`) at the current instant.
    pub(crate) fn sync_legacy_token_cleaner(&mut self) {
        self.cleaner_at = None;
        let now = self.now;
        if self.cleaner_tracked_enough_at().is_some_and(|t| now >= t) {
            let today = date(now);
            for (secret, mounted) in self.legacy_token_secrets() {
                let key = Key::of(&Object::Secret(secret.clone()));
                match self.cleaner_step(&secret, &mounted) {
                    Some(Step::Label(at)) if at <= now => {
                        let mut labelled = secret;
                        labelled
                            .metadata
                            .labels
                            .get_or_insert_with(Default::default)
                            .insert(INVALID_SINCE_LABEL.to_string(), today.clone());
                        self.system_update(Object::Secret(labelled));
                        self.timeline.push(crate::timeline::TimelineEvent {
                            time: now,
                            kind: crate::timeline::TimelineKind::TokensInvalidated,
                            subject: format!("secret {}/{}", key.namespace(), key.name()),
                            detail: format!(
                                "legacy-service-account-token-cleaner: unused for a year, labelled {INVALID_SINCE_LABEL}={today}; its token no longer authenticates"
                            ),
                        });
                    }
                    Some(Step::Delete(at)) if at <= now => {
                        self.remove_object(&key);
                        self.timeline.push(crate::timeline::TimelineEvent {
                            time: now,
                            kind: crate::timeline::TimelineKind::TokensInvalidated,
                            subject: format!("secret {}/{}", key.namespace(), key.name()),
                            detail: "legacy-service-account-token-cleaner: invalid for a year, deleted".to_string(),
                        });
                    }
                    _ => {}
                }
            }
        }
        self.plan_legacy_token_cleaner();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_go_reads_them() {
        assert_eq!(parse_date("2025-01-01"), Some(Time::from_unix_seconds(1_735_689_600)));
        for bad in ["2025-1-01", "2025-01-1", "25-01-01", "2025/01/01", "2025-02-30", "", "2025-01-01x"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(date(Time::from_unix_seconds(1_735_689_600 + 86_399)), "2025-01-01");
    }
}
