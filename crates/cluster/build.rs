//! Turns the bootstrap RBAC policy (`data/*.yaml`, upstream's form) into
//! compact JSON at build time, so a cluster starts without running the YAML
//! parser over 30 KB of policy (the slowest part of start-up in a browser).

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    for name in ["cluster-roles", "cluster-role-bindings"] {
        let source = format!("data/{name}.yaml");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source)?;
        let value: serde_json::Value = serde_yaml::from_str(&text)?;
        std::fs::write(out.join(format!("{name}.json")), serde_json::to_string(&value)?)?;
    }
    Ok(())
}
