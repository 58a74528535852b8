//! Splits a wasm module in two so that a page can start on less of it.
//!
//! Chromium fetches, decodes and validates the whole module before `main()`
//! runs, so every byte of code the first command never calls still delays
//! it. [`split`] keeps in the *primary* module the functions a profile saw
//! run (start-up, the first command, the first renders) and moves every
//! other function's body into a *secondary* module, loaded after the first
//! command:
//!
//! - A moved function the primary can still reach (kept code calls it, it
//!   is in the function table, or exported) keeps its place in the
//!   primary, its body a trampoline that makes sure the secondary is
//!   loaded (calling the loader function the module exports,
//!   [`LOADER_EXPORT`], which loads it synchronously if it is not there
//!   yet) and then calls the real body through a new table,
//!   [`TABLE_EXPORT`]. A moved function only moved code calls has no place
//!   in the primary: the primary's functions are renumbered without them
//!   (its "name" section too).
//! - The secondary imports everything its bodies use from the primary's
//!   exports (module [`IMPORT_MODULE`]): the memory, the tables, the
//!   globals and the primary's functions (its JavaScript imports
//!   re-exported), and fills the new table with its functions when it is
//!   instantiated. The loader then sets the primary's [`LOADED_EXPORT`]
//!   global to 1. The secondary also imports the primary's export named
//!   [`Split::id`], which only its own primary has: the halves of two
//!   different splits do not link.
//!
//! [`instrument`] makes the profile: a copy of the module in which every
//! function records its first call in a second memory, exported as
//! [`PROFILE_EXPORT`]; byte *i* is 1 once function *i* has run.
//!
//! The tool knows nothing of the playground beyond those names; the
//! browser side is `crates/ui/src/split.rs`, the build side
//! `scripts/split/split_site.py`.

mod instrument;
mod module;
mod split;

use wasmparser::WasmFeatures;

pub use instrument::instrument;
pub use split::{split, Split, SplitStats};

/// The export of the primary whose call loads the secondary module.
pub const LOADER_EXPORT: &str = "saplay_split_load";
/// The primary's mutable `i32` global: 1 once the secondary is in.
pub const LOADED_EXPORT: &str = "__split_loaded";
/// The primary's table of the secondary's functions, filled by the
/// secondary's element segment.
pub const TABLE_EXPORT: &str = "__split_table";
/// The module name the secondary imports from: the primary's exports.
pub const IMPORT_MODULE: &str = "primary";
/// The instrumented module's profile memory.
pub const PROFILE_EXPORT: &str = "__saplay_profile";

/// What can go wrong reading or writing a module.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is not a module wasmparser reads, or an output does not
    /// validate (a bug here).
    #[error("wasm: {0}")]
    Wasm(#[from] wasmparser::BinaryReaderError),
    /// A body could not be re-encoded.
    #[error("re-encoding: {0}")]
    Reencode(String),
    /// The module lacks something the split needs, or has something it
    /// cannot move.
    #[error("{0}")]
    Unsupported(String),
}

impl From<wasm_encoder::reencode::Error<std::convert::Infallible>> for Error {
    fn from(error: wasm_encoder::reencode::Error<std::convert::Infallible>) -> Self {
        Self::Reencode(error.to_string())
    }
}

/// Checks that `bytes` is a valid module (with any feature wasmparser
/// knows; see [`features_of`] for the outputs' stricter check).
pub fn validate(bytes: &[u8]) -> Result<(), Error> {
    validate_with(WasmFeatures::all(), bytes)
}

pub(crate) fn validate_with(features: WasmFeatures, bytes: &[u8]) -> Result<(), Error> {
    wasmparser::Validator::new_with_features(features).validate_all(bytes)?;
    Ok(())
}

/// The smallest of the feature sets of the WebAssembly standard (1.0, 2.0,
/// 2.0 with tail calls, 3.0) that `bytes` validates with, or every feature
/// wasmparser knows if none does. A split or an instrumented copy must
/// validate with its input's set (plus, for the copy, the second memory it
/// adds): the tool must not make a page need more of the browser than the
/// module it was given did.
pub fn features_of(bytes: &[u8]) -> Result<WasmFeatures, Error> {
    let levels = [
        WasmFeatures::WASM1,
        WasmFeatures::WASM2,
        WasmFeatures::WASM2.union(WasmFeatures::TAIL_CALL),
        WasmFeatures::WASM3,
    ];
    match levels.into_iter().find(|features| validate_with(*features, bytes).is_ok()) {
        Some(features) => Ok(features),
        None => validate(bytes).map(|()| WasmFeatures::all()),
    }
}

/// How a set [`features_of`] returns is called ("WebAssembly 2.0", ...).
pub fn level_name(features: WasmFeatures) -> &'static str {
    if features == WasmFeatures::WASM1 {
        "WebAssembly 1.0"
    } else if features == WasmFeatures::WASM2 {
        "WebAssembly 2.0"
    } else if features == WasmFeatures::WASM2.union(WasmFeatures::TAIL_CALL) {
        "WebAssembly 2.0 with tail calls"
    } else if features == WasmFeatures::WASM3 {
        "WebAssembly 3.0"
    } else {
        "a module using features beyond WebAssembly 3.0"
    }
}

/// Checks that `output` is valid with the features `input` needs
/// ([`features_of`]) and `extra`.
pub fn validate_like(input: &[u8], extra: WasmFeatures, output: &[u8]) -> Result<(), Error> {
    validate_with(features_of(input)?.union(extra), output)
}

/// Reads a profile written by the instrumented module's memory: the indices
/// of the functions that ran.
pub fn profile_from_memory(memory: &[u8]) -> Vec<u32> {
    memory.iter().enumerate().filter(|(_, hit)| **hit != 0).filter_map(|(i, _)| u32::try_from(i).ok()).collect()
}
