//! What the split's integration tests share: installing a secondary over
//! its primary's exports, as crates/ui/src/split.rs does in the browser.

// A failed step is a failed test: `expect` says which step.
#![allow(clippy::expect_used)]

use saplay_wasm_split::LOADED_EXPORT;
use wasmi::{Caller, Extern, Linker, Module, Val};

/// Instantiates the secondary `module` over the primary's exports (the
/// caller's instance) and marks it in.
pub fn install<T>(caller: &mut Caller<'_, T>, module: &Module) {
    let mut linker = Linker::<T>::new(caller.engine());
    for import in module.imports() {
        let export = caller.get_export(import.name()).expect("the primary exports what the secondary imports");
        linker.define(import.module(), import.name(), export).expect("define");
    }
    linker.instantiate_and_start(&mut *caller, module).expect("secondary instantiates");
    let loaded = caller.get_export(LOADED_EXPORT).and_then(Extern::into_global).expect("loaded global");
    loaded.set(&mut *caller, Val::I32(1)).expect("set loaded");
}
