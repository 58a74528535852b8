//! The clock: kubelet token rotation at its upstream boundaries, expiry,
//! graceful pod deletion, and what happens when a service account goes.
//! Every test starts at the pinned instant 2025-01-01T00:00:00Z.

mod common;
use common::*;
use saplay_cluster::kubelet::KUBELET_SYNC_SECONDS;
use saplay_cluster::timeline::TimelineKind;
use saplay_cluster::{Cluster, Time};

const TOKEN: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";
const START: i64 = 1_735_689_600;

fn pod_with_token(c: &mut Cluster, seconds: Option<i64>) {
    let volume = match seconds {
        Some(s) => format!(
            r#","volumes":[{{"name":"tok","projected":{{"sources":[{{"serviceAccountToken":{{"path":"token","expirationSeconds":{s}}}}}]}}}}],"automountServiceAccountToken":false"#
        ),
        None => String::new(),
    };
    let mounts = if seconds.is_some() {
        r#","volumeMounts":[{"name":"tok","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]"#
    } else {
        ""
    };
    let body = format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"web"}},"spec":{{"containers":[{{"name":"c","image":"nginx"{mounts}}}]{volume}}}}}"#
    );
    create(c, PODS, &body);
}

fn mounted(c: &Cluster) -> saplay_cluster::kubelet::VolumeContents {
    c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}")).mounts[0].2.clone()
}

fn jti(c: &Cluster) -> String {
    mounted(c).tokens[0].claims.jti.clone()
}

#[test]
fn rotation_boundaries_per_lifetime() {
    // (expirationSeconds or None for the injected 3607 s token, seconds
    // after issue at which the token manager wants a new one, before jitter)
    let rows = [(None, 2886), (Some(3600), 2880), (Some(600), 480), (Some(86_400), 69_120), (Some(172_800), 86_400)];
    for (seconds, due_after) in rows {
        let mut c = cluster();
        pod_with_token(&mut c, seconds);
        let volume = mounted(&c);
        let token = &volume.tokens[0];
        let jitter = token.jitter_seconds;
        assert!((0..10).contains(&jitter));
        assert_eq!(token.refresh_threshold(), Time::from_unix_seconds(START + due_after - jitter), "{seconds:?}");
        // Written at the first kubelet sync strictly after the threshold.
        let ticks = (due_after - jitter) / KUBELET_SYNC_SECONDS + 1;
        let refresh = Time::from_unix_seconds(START + ticks * KUBELET_SYNC_SECONDS);
        assert_eq!(volume.refresh_at, Some(refresh), "{seconds:?}");
        assert_eq!(c.next_deadline(), Some(refresh));
        let first = jti(&c);
        c.advance_to(refresh.plus_millis(-1000));
        assert_eq!(jti(&c), first, "{seconds:?}: not yet");
        c.advance_to(refresh);
        assert_ne!(jti(&c), first, "{seconds:?}: rotated");
    }
}

#[test]
fn a_rotation_swaps_the_data_directory() {
    let mut c = cluster();
    pod_with_token(&mut c, None);
    let before = mounted(&c);
    let old_token = before.files.iter().find(|f| f.path == "token").map(|f| f.content.clone()).unwrap_or_default();
    let at = c.next_deadline().unwrap_or_default();
    c.advance_to(at);
    let after = mounted(&c);
    assert_ne!(after.data_dir(), before.data_dir());
    assert!(after.data_dir().starts_with("..2025_01_01_00_4"), "{}", after.data_dir());
    let fs = c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}"));
    let entries = fs.read_dir("/var/run/secrets/kubernetes.io/serviceaccount").unwrap_or_default();
    assert_eq!(entries.iter().filter(|e| e.name.starts_with("..2")).count(), 1, "the old directory is removed");
    let new_token = fs.read_file(TOKEN).unwrap_or_default();
    assert_ne!(new_token, old_token);
    // Both tokens are valid: the old one is not revoked, just replaced.
    assert_eq!(get_as(&mut c, &old_token, "/version").code, 200);
    assert_eq!(get_as(&mut c, &new_token, "/version").code, 200);
    let kinds: Vec<TimelineKind> = c.timeline().events().map(|e| e.kind).collect();
    assert!(kinds.contains(&TimelineKind::TokenIssued) && kinds.contains(&TimelineKind::TokenRotated));
}

#[test]
fn a_day_of_rotations_is_deterministic() {
    let run = || {
        let mut c = cluster();
        pod_with_token(&mut c, None);
        c.advance_seconds(24 * 3600);
        (jti(&c), c.timeline().events().filter(|e| e.kind == TimelineKind::TokenRotated).count())
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a.1, 24 * 3600 / 2940, "about every 48-49 minutes: {}", a.1);
}

#[test]
fn issued_tokens_expire_on_the_timeline() {
    let mut c = cluster();
    service_account(&mut c, "app");
    let t = token(&mut c, "app");
    c.advance_seconds(3600 + 60);
    assert!(c.timeline().events().all(|e| e.kind != TimelineKind::TokenExpired));
    assert_eq!(get_as(&mut c, &t, "/version").code, 200);
    c.advance_seconds(1);
    assert!(c.timeline().events().any(|e| e.kind == TimelineKind::TokenExpired));
    assert_eq!(get_as(&mut c, &t, "/version").code, 401);
}

#[test]
fn graceful_and_forced_pod_deletion() {
    let mut c = cluster();
    pod_with_token(&mut c, None);
    let r = delete(&mut c, &format!("{PODS}/web"));
    assert_eq!(r.code, 200);
    assert_eq!(r.body["metadata"]["deletionTimestamp"], "2025-01-01T00:00:30Z");
    assert_eq!(r.body["metadata"]["deletionGracePeriodSeconds"], 30);
    assert_eq!(c.next_deadline(), Some(Time::from_unix_seconds(START + 30)));
    c.advance_seconds(29);
    assert_eq!(get(&mut c, &format!("{PODS}/web")).code, 200, "Terminating");
    c.advance_seconds(1);
    assert_eq!(get(&mut c, &format!("{PODS}/web")).code, 404);
    assert!(c.timeline().events().any(|e| e.kind == TimelineKind::PodTerminated));
    // --grace-period=0 --force
    pod_with_token(&mut c, None);
    let r = c.handle(&saplay_cluster::Request::delete(format!("{PODS}/web?gracePeriodSeconds=0")));
    assert_eq!(r.code, 200);
    assert_eq!(get(&mut c, &format!("{PODS}/web")).code, 404);
}

#[test]
fn recreating_the_service_account_breaks_old_tokens_until_the_next_refresh() {
    let mut c = cluster();
    service_account(&mut c, "app");
    create(
        &mut c,
        PODS,
        r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"serviceAccountName":"app","containers":[{"name":"c","image":"nginx"}]}}"#,
    );
    let read = |c: &Cluster| {
        c.container_mounts("default", "web", None)
            .unwrap_or_else(|e| panic!("{e}"))
            .read_file(TOKEN)
            .unwrap_or_default()
    };
    let old = read(&c);
    delete(&mut c, &format!("{SA}/app"));
    // While the service account is gone, refreshes fail and the old token stays.
    let at = c.next_deadline().unwrap_or_default();
    c.advance_to(at);
    assert_eq!(read(&c), old);
    assert!(c.timeline().events().any(|e| e.kind == TimelineKind::TokenRefreshFailed));
    service_account(&mut c, "app");
    assert_eq!(get_as(&mut c, &old, "/version").code, 401, "the new account has a new UID");
    c.advance_seconds(KUBELET_SYNC_SECONDS);
    let new = read(&c);
    assert_ne!(new, old);
    assert_eq!(get_as(&mut c, &new, "/version").code, 200);
}

#[test]
fn a_refresh_copies_changed_configmap_values_and_new_keys() {
    let mut c = cluster();
    create(
        &mut c,
        CONFIGMAPS,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"mode":"blue"}}"#,
    );
    let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"c","image":"nginx","volumeMounts":[{"name":"v","mountPath":"/v"}]}],"volumes":[{"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":600}},{"configMap":{"name":"app"}},{"downwardAPI":{"items":[{"path":"name","fieldRef":{"fieldPath":"metadata.name"}}]}}]}}]}}"#;
    create(&mut c, PODS, pod);
    let paths = |v: &saplay_cluster::kubelet::VolumeContents| {
        v.files
            .iter()
            .map(|f| format!("{}={}", f.path, if f.path == "token" { "" } else { &f.content }))
            .collect::<Vec<_>>()
    };
    let first = mounted(&c);
    assert_eq!(paths(&first), ["mode=blue", "name=web", "token="]);
    // A changed value is copied in at the next refresh, with a new token.
    let cm = get(&mut c, &format!("{CONFIGMAPS}/app")).body;
    let mut cm = cm.clone();
    cm["data"]["mode"] = "green".into();
    assert_eq!(put(&mut c, &format!("{CONFIGMAPS}/app"), &cm.to_string()).code, 200);
    let Some(due) = first.refresh_at else { panic!("no refresh planned") };
    c.advance_to(due);
    let second = mounted(&c);
    assert_eq!(paths(&second), ["mode=green", "name=web", "token="]);
    assert_ne!(second.tokens[0].claims.jti, first.tokens[0].claims.jti);
    assert_eq!(second.tokens[0].issued_at(), due);
    assert_ne!(second.data_dir(), first.data_dir());
    // A new key makes a new file.
    let mut cm = get(&mut c, &format!("{CONFIGMAPS}/app")).body;
    cm["data"]["size"] = "large".into();
    assert_eq!(put(&mut c, &format!("{CONFIGMAPS}/app"), &cm.to_string()).code, 200);
    let Some(due) = second.refresh_at else { panic!("no second refresh planned") };
    c.advance_to(due);
    assert_eq!(paths(&mounted(&c)), ["mode=green", "name=web", "size=large", "token="]);
    // A key gone: its file goes too.
    let mut cm = get(&mut c, &format!("{CONFIGMAPS}/app")).body;
    cm["data"] = serde_json::json!({"size": "small"});
    assert_eq!(put(&mut c, &format!("{CONFIGMAPS}/app"), &cm.to_string()).code, 200);
    let Some(due) = mounted(&c).refresh_at else { panic!("no third refresh planned") };
    c.advance_to(due);
    assert_eq!(paths(&mounted(&c)), ["name=web", "size=small", "token="]);
}
