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

/// What the command line asked for.
#[derive(Default)]
struct Options {
    url: Option<String>,
    headers: Vec<(String, String)>,
    method: Option<String>,
    data: Option<String>,
    insecure: bool,
    cacert: Option<String>,
    include: bool,
    verbose: bool,
    silent: bool,
    show_error: bool,
    fail_on_error: bool,
}

fn usage_error(message: &str) -> CurlOutput {
    fail(2, format!("curl: {message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"))
}

fn parse(args: &[String]) -> Result<Options, CurlOutput> {
    let mut o = Options::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        // Long options, and short ones one letter at a time (`-sSk`,
        // `-XPOST`, `-HAccept:…`).
        let flags: Vec<(String, Option<String>)> = if let Some(long) = arg.strip_prefix("--") {
            vec![(long.to_string(), None)]
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut out = Vec::new();
            for (at, c) in short.char_indices() {
                if matches!(c, 'H' | 'X' | 'd' | 'o' | 'u') {
                    let rest = &short[at + c.len_utf8()..];
                    out.push((c.to_string(), (!rest.is_empty()).then(|| rest.to_string())));
                    break;
                }
                out.push((c.to_string(), None));
            }
            out
        } else {
            o.url = Some(arg.clone());
            continue;
        };
        for (name, inline) in flags {
            let mut value = || -> Result<String, CurlOutput> {
                if let Some(v) = inline.clone() {
                    return Ok(v);
                }
                let v = args.get(i).cloned();
                i += 1;
                v.ok_or_else(|| usage_error(&format!("option {arg}: requires parameter")))
            };
            match name.as_str() {
                "k" | "insecure" => o.insecure = true,
                "s" | "silent" => o.silent = true,
                "S" | "show-error" => o.show_error = true,
                "v" | "verbose" => o.verbose = true,
                "i" | "include" => o.include = true,
                "f" | "fail" => o.fail_on_error = true,
                "L" | "location" => {}
                "H" | "header" => {
                    let h = value()?;
                    if let Some((k, v)) = h.split_once(':') {
                        o.headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                "X" | "request" => o.method = Some(value()?),
                "d" | "data" | "data-raw" | "data-binary" => o.data = Some(value()?),
                "cacert" => o.cacert = Some(value()?),
                "o" | "output" | "u" | "user" => {
                    let _ = value()?;
                    return Err(usage_error(&format!("option {arg}: is not supported in this playground")));
                }
                _ => return Err(usage_error(&format!("option {arg}: is unknown"))),
            }
        }
    }
    Ok(o)
}

/// Runs `curl ARGS…`; `files` are the machine's files (for `--cacert`).
#[inline(never)]
pub fn run(cluster: &mut Cluster, args: &[String], files: &dyn ReadFiles, inside_pod: bool) -> CurlOutput {
    let o = match parse(args) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = request(cluster, &o, files, inside_pod);
    // `-s` hides curl's own error messages (not the body); `-S` shows them again.
    if out.status != 0 && o.silent && !o.show_error {
        out.stderr = out
            .stderr
            .lines()
            .filter(|l| l.starts_with('*') || l.starts_with('>') || l.starts_with('<'))
            .map(|l| format!("{l}\n"))
            .collect();
    }
    out
}

fn request(cluster: &mut Cluster, o: &Options, files: &dyn ReadFiles, inside_pod: bool) -> CurlOutput {
    let url = o.url.clone();
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
    let mut trace = String::new();
    if o.verbose {
        let port = host.split_once(':').map_or("443", |(_, p)| p);
        trace.push_str(&format!(
            "*   Trying {host_name}:{port}...\n* Connected to {host_name} ({host_name}) port {port}\n"
        ));
    }
    if !o.insecure {
        match &o.cacert {
            None => return fail(60, format!("{trace}{CA_FAILURE}")),
            Some(file) => match files.read_file(file).ok() {
                None => return fail(77, format!("curl: (77) error setting certificate file: {file}\n")),
                Some(pem) if pem.trim() != cluster.ca_pem().trim() => return fail(60, format!("{trace}{CA_FAILURE}")),
                Some(_) => {}
            },
        }
    }
    let method = match o.method.as_deref().map(Method::parse) {
        Some(Some(m)) => m,
        Some(None) => Method::Get,
        None if o.data.is_some() => Method::Post,
        None => Method::Get,
    };
    let header = |name: &str| o.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let credential = match header("Authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_string)) {
        Some(token) => Credential::BearerToken(token),
        None => Credential::Anonymous,
    };
    let method_name = format!("{method:?}").to_ascii_uppercase();
    let mut request = Request::new(method, path).with_credential(credential);
    request.body = o.data.clone();
    request.content_type =
        header("Content-Type").or_else(|| o.data.as_ref().map(|_| "application/x-www-form-urlencoded".to_string()));
    let response = cluster.handle(&request);
    if o.verbose {
        trace.push_str(&format!(
            "> {} {path} HTTP/2\n> Host: {host}\n> User-Agent: curl/7.88.1\n> Accept: */*\n",
            method_name
        ));
        for (k, v) in &o.headers {
            trace.push_str(&format!("> {k}: {v}\n"));
        }
        // curl marks every header line, the empty one that ends them too.
        trace.push_str(&format!("> \n< HTTP/2 {}\n< content-type: application/json\n< \n", response.code));
    }
    if o.fail_on_error && response.code >= 400 {
        return fail(22, format!("{trace}curl: (22) The requested URL returned error: {}\n", response.code));
    }
    let mut stdout = String::new();
    if o.include {
        stdout.push_str(&format!("HTTP/2 {}\r\ncontent-type: application/json\r\n\r\n", response.code));
    }
    match crate::kubectl::printers::handler_text(path, &response.body).filter(|_| response.code == 200) {
        Some(text) => stdout.push_str(&text),
        None => {
            stdout.push_str(&serde_json::to_string_pretty(&response.body).unwrap_or_default());
            stdout.push('\n');
        }
    }
    if o.verbose {
        trace.push_str(&format!("* Connection #0 to host {host_name} left intact\n"));
    }
    CurlOutput { stdout, stderr: trace, status: 0 }
}
