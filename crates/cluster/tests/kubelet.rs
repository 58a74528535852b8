//! Pods are scheduled to node-1 and run; the kubelet writes the token
//! volume with the atomic writer's layout.

mod common;
use common::*;

const POD: &str = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}"#;

#[test]
fn pods_are_scheduled_and_running() {
    let mut c = cluster();
    create(&mut c, PODS, POD);
    let pod = get(&mut c, &format!("{PODS}/web")).body;
    assert_eq!(pod["spec"]["nodeName"], "node-1");
    assert_eq!(pod["status"]["phase"], "Running");
    assert_eq!(pod["status"]["containerStatuses"][0]["ready"], true);
    assert!(pod["status"]["podIP"].as_str().is_some_and(|ip| ip.starts_with("10.244.0.")));
    assert_eq!(pod["spec"]["restartPolicy"], "Always");
    assert_eq!(pod["spec"]["containers"][0]["imagePullPolicy"], "Always");
}

#[test]
fn the_token_volume_is_mounted_with_the_atomic_writer_layout() {
    let mut c = cluster();
    create(&mut c, PODS, POD);
    let mounts = c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}"));
    let (path, read_only, contents) = &mounts.mounts[0];
    assert_eq!(path, "/var/run/secrets/kubernetes.io/serviceaccount");
    assert!(read_only);
    // ..2025_01_01_00_00_00.<digits>
    let data_dir = contents.data_dir();
    let stamp = data_dir.strip_prefix("..2025_01_01_00_00_00.").unwrap_or_default();
    assert!(!stamp.is_empty() && stamp.bytes().all(|b| b.is_ascii_digit()), "{}", data_dir);
    let files: Vec<(&str, u32)> = contents.files.iter().map(|f| (f.path.as_str(), f.mode)).collect();
    assert_eq!(files, [("ca.crt", 420), ("namespace", 420), ("token", 420)]);
    assert_eq!(contents.files[0].content, c.ca_pem());
    assert_eq!(contents.files[1].content, "default", "no trailing newline");
}

#[test]
fn exec_into_a_missing_pod_or_container() {
    let mut c = cluster();
    create(&mut c, PODS, POD);
    assert_eq!(
        c.container_mounts("default", "nosuch", None).map_err(|e| e.message().to_string()),
        Err(r#"pods "nosuch" not found"#.to_string())
    );
    assert_eq!(
        c.container_mounts("default", "web", Some("sidecar")).map_err(|e| e.message().to_string()),
        Err("container sidecar is not valid for pod web".to_string())
    );
}

#[test]
fn a_pod_without_the_ca_configmap_waits_in_container_creating() {
    let mut c = cluster();
    create(&mut c, NAMESPACES, r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bare"}}"#);
    // Deleting the ConfigMap brings it back at once, so block it by making
    // the projection point at a ConfigMap that never exists.
    let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"c","image":"nginx","volumeMounts":[{"name":"v","mountPath":"/v"}]}],"volumes":[{"name":"v","projected":{"sources":[{"configMap":{"name":"absent"}}]}}]}}"#;
    create(&mut c, "/api/v1/namespaces/bare/pods", pod);
    let got = get(&mut c, "/api/v1/namespaces/bare/pods/p").body;
    assert_eq!(got["status"]["phase"], "Pending");
    assert_eq!(got["status"]["containerStatuses"][0]["state"]["waiting"]["reason"], "ContainerCreating");
}

#[test]
fn the_mount_reads_like_a_filesystem() {
    use saplay_cluster::fs::{EntryKind, FsError};
    let mut c = cluster();
    create(&mut c, PODS, POD);
    let fs = c.container_mounts("default", "web", None).unwrap_or_else(|e| panic!("{e}"));
    let dir = "/var/run/secrets/kubernetes.io/serviceaccount";
    let entries = fs.read_dir(dir).unwrap_or_default();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let data_dir = fs.mounts[0].2.data_dir();
    assert_eq!(names, [data_dir.as_str(), "..data", "ca.crt", "namespace", "token"]);
    assert_eq!(entries[1].kind, EntryKind::Symlink(data_dir.clone()));
    assert_eq!(entries[4].kind, EntryKind::Symlink("..data/token".to_string()));
    assert_eq!(entries[4].size, 12, "symlink size is its target's length");
    assert_eq!(entries[0].size, 100, "tmpfs: 40 + 20 per entry");
    let inner = fs.read_dir(&format!("{dir}/..data")).unwrap_or_default();
    assert!(inner.iter().all(|e| matches!(e.kind, EntryKind::File(_)) && e.mode == 0o644));
    assert_eq!(fs.read_file(&format!("{dir}/namespace")), Ok("default".to_string()));
    assert_eq!(fs.read_file(&format!("{dir}/..data/ca.crt")), Ok(c.ca_pem().to_string()));
    assert_eq!(fs.read_file(&format!("{dir}/../serviceaccount/./namespace")), Ok("default".to_string()));
    assert_eq!(fs.read_file(dir), Err(FsError::IsADirectory));
    assert_eq!(fs.read_file(&format!("{dir}/nope")), Err(FsError::NotFound));
    assert_eq!(fs.read_dir("/var/run/secrets").map(|e| e.len()), Ok(1));
    assert_eq!(fs.read_dir("/etc"), Err(FsError::NotFound));
}
