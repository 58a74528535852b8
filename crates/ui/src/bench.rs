//! In-browser benchmarks of the core, for `tests/browser/bench.mjs`.
//!
//! Exposed to JavaScript as `window.wasmBindings.saplay_bench(name, n)`,
//! which runs `name` `n` times and returns the mean in milliseconds, timed
//! with `performance.now()`. Nothing in the UI calls it. Also the
//! start-up's User Timing marks (`saplay:main`, `saplay:cluster`,
//! `saplay:first-render`), which `tests/browser/first-command.mjs` reads.

use saplay_cluster::{Cluster, ClusterConfig, Request};
use wasm_bindgen::prelude::wasm_bindgen;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Sets a User Timing mark (`performance.mark`), to see where start-up
/// time goes; costs microseconds.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Mean milliseconds per run of benchmark `name` (`cluster_new`,
/// `token_request`, `pod_create`, `fast_forward_24h_1000_pods`), or -1 for
/// an unknown name.
#[wasm_bindgen]
pub fn saplay_bench(name: &str, iterations: u32) -> f64 {
    let n = iterations.max(1);
    if name == "fast_forward_24h_1000_pods" {
        return fast_forward(n);
    }
    let mut cluster = Cluster::new(ClusterConfig::default());
    let sa = "/api/v1/namespaces/default/serviceaccounts";
    cluster.handle(&Request::post(sa, r#"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"bench"}}"#));
    let start = now_ms();
    for i in 0..n {
        match name {
            "cluster_new" => {
                std::hint::black_box(Cluster::new(ClusterConfig::default()));
            }
            "token_request" => {
                std::hint::black_box(cluster.handle(&Request::post(format!("{sa}/bench/token"), "{}")));
            }
            "pod_create" => {
                let body = format!(
                    r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"p{i}"}},"spec":{{"containers":[{{"name":"c","image":"nginx"}}]}}}}"#
                );
                std::hint::black_box(cluster.handle(&Request::post("/api/v1/namespaces/default/pods", body)));
            }
            _ => return -1.0,
        }
    }
    (now_ms() - start) / f64::from(n)
}

/// Fast-forwards 24 h over 1,000 running pods; the pods are created before
/// the timing starts.
fn fast_forward(iterations: u32) -> f64 {
    let mut total = 0.0;
    for _ in 0..iterations {
        let mut cluster = Cluster::new(ClusterConfig::default());
        for i in 0..1000 {
            let body = format!(
                r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"p{i}"}},"spec":{{"containers":[{{"name":"c","image":"nginx"}}]}}}}"#
            );
            cluster.handle(&Request::post("/api/v1/namespaces/default/pods", body));
        }
        let start = now_ms();
        cluster.advance_seconds(24 * 3600);
        total += now_ms() - start;
        std::hint::black_box(&cluster);
    }
    total / f64::from(iterations)
}
