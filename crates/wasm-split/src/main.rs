//! `saplay-wasm-split`: the build's splitter and profiler (see the library).
//!
//! ```text
//! saplay-wasm-split instrument IN.wasm OUT.wasm
//! saplay-wasm-split split IN.wasm PROFILE PRIMARY.wasm SECONDARY.wasm
//! ```
//!
//! PROFILE is a text file of function indices (what the instrumented
//! module's profile memory recorded), separated by white space.

use std::fs;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["instrument", input, output] => {
            let bytes = fs::read(input).with_context(|| format!("reading {input}"))?;
            let out = saplay_wasm_split::instrument(&bytes).with_context(|| format!("instrumenting {input}"))?;
            fs::write(output, out).with_context(|| format!("writing {output}"))?;
        }
        ["split", input, profile, primary, secondary] => {
            let bytes = fs::read(input).with_context(|| format!("reading {input}"))?;
            let text = fs::read_to_string(profile).with_context(|| format!("reading {profile}"))?;
            let hot = text
                .split_whitespace()
                .map(|word| word.parse::<u32>().with_context(|| format!("{profile}: not a function index: {word}")))
                .collect::<Result<Vec<_>>>()?;
            let split = saplay_wasm_split::split(&bytes, &hot).with_context(|| format!("splitting {input}"))?;
            fs::write(primary, &split.primary).with_context(|| format!("writing {primary}"))?;
            fs::write(secondary, &split.secondary).with_context(|| format!("writing {secondary}"))?;
            let stats = split.stats;
            eprintln!(
                "saplay-wasm-split: {} functions kept ({} of them pinned), {} moved ({} without a trampoline); \
                 {} + {} bytes (was {}); linked by {}; both valid as {}",
                stats.kept,
                stats.pinned,
                stats.moved,
                stats.stubs,
                split.primary.len(),
                split.secondary.len(),
                bytes.len(),
                split.id,
                saplay_wasm_split::level_name(split.features)
            );
        }
        _ => bail!(
            "usage: saplay-wasm-split instrument IN.wasm OUT.wasm\n       \
             saplay-wasm-split split IN.wasm PROFILE PRIMARY.wasm SECONDARY.wasm"
        ),
    }
    Ok(())
}
