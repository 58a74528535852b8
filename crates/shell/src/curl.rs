//! `curl` to the simulated API server.
//!
//! From the learner's shell the API server is at the address
//! `kubectl cluster-info` prints (`https://172.18.0.2:6443`); the in-cluster
//! names (`kubernetes.default.svc`, …) do not resolve outside a pod, as in
//! a real cluster. TLS is checked as curl checks it: without `-k`, or a
//! `--cacert` file holding the cluster CA, the connection fails (exit 60).
//! Responses are pretty-printed, as kube-apiserver does for curl.

use saplay_cluster::api::{Credential, Method, Request};
use saplay_cluster::Cluster;

use crate::files::ReadFiles;

/// What curl printed and its exit status.
pub struct CurlOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit status (0, 6, 60, 77, 2…).
    pub status: i32,
}

fn fail(status: i32, message: String) -> CurlOutput {
    CurlOutput { stdout: String::new(), stderr: message, status }
}

const CA_FAILURE: &str = "curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n";

/// Runs `curl ARGS…`; `files` are the machine's files (for `--cacert`).
pub fn run(cluster: &mut Cluster, args: &[String], files: &dyn ReadFiles, inside_pod: bool) -> CurlOutput {
    let mut url = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut method = None;
    let mut data: Option<String> = None;
    let mut insecure = false;
    let mut cacert = None;
    let mut include = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let mut value = || {
            let v = args.get(i).cloned();
            i += 1;
            v
        };
        match arg.as_str() {
            "-k" | "--insecure" => insecure = true,
            "-s" | "--silent" | "-S" | "-sS" | "-v" | "--verbose" | "-L" | "--fail" | "-f" => {}
            "-i" | "--include" => include = true,
            "-sk" | "-ks" => insecure = true,
            "-H" | "--header" => match value().and_then(|h| h.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))) {
                Some(h) => headers.push(h),
                None => return fail(2, "curl: option -H: requires parameter\n".to_string()),
            },
            "-X" | "--request" => method = value(),
            "-d" | "--data" | "--data-raw" => data = value(),
            "--cacert" => cacert = value(),
            other if other.starts_with('-') => {
                return fail(2, format!("curl: option {other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"))
            }
            other => url = Some(other.to_string()),
        }
    }
    let Some(url) = url else {
        return fail(
            2,
            "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n".to_string(),
        );
    };
    let Some(rest) = url.strip_prefix("https://") else {
        if url.starts_with("http://") {
            return fail(52, "curl: (52) Empty reply from server\n".to_string());
        }
        return fail(6, format!("curl: (6) Could not resolve host: {url}\n"));
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let in_cluster_names = [
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        "10.96.0.1",
    ];
    let host_name = host.split(':').next().unwrap_or(host);
    let reachable =
        host == format!("{}:6443", cluster.api_server_ip()) || (inside_pod && in_cluster_names.contains(&host_name));
    if !reachable {
        if in_cluster_names.contains(&host_name) || host_name.parse::<std::net::Ipv4Addr>().is_err() {
            return fail(6, format!("curl: (6) Could not resolve host: {host_name}\n"));
        }
        return fail(
            7,
            format!("curl: (7) Failed to connect to {host_name} port 443 after 0 ms: Couldn't connect to server\n"),
        );
    }
    if !insecure {
        match &cacert {
            None => return fail(60, CA_FAILURE.to_string()),
            Some(file) => match files.read_file(file).ok() {
                None => return fail(77, format!("curl: (77) error setting certificate file: {file}\n")),
                Some(pem) if pem.trim() != cluster.ca_pem().trim() => return fail(60, CA_FAILURE.to_string()),
                Some(_) => {}
            },
        }
    }
    let method = match method.as_deref().map(Method::parse) {
        Some(Some(m)) => m,
        Some(None) => Method::Get,
        None if data.is_some() => Method::Post,
        None => Method::Get,
    };
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let credential = match header("Authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_string)) {
        Some(token) => Credential::BearerToken(token),
        None => Credential::Anonymous,
    };
    let mut request = Request::new(method, path).with_credential(credential);
    request.body = data;
    request.content_type = header("Content-Type");
    let response = cluster.handle(&request);
    let mut stdout = String::new();
    if include {
        stdout.push_str(&format!("HTTP/2 {}\r\ncontent-type: application/json\r\n\r\n", response.code));
    }
    stdout.push_str(&serde_json::to_string_pretty(&response.body).unwrap_or_default());
    stdout.push('\n');
    CurlOutput { stdout, stderr: String::new(), status: 0 }
}
