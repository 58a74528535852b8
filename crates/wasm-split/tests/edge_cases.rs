//! Modules at the edges of what the split handles: functions named only
//! by initializers, tail calls, shared types, and halves of two different
//! splits. Each split module must compute what the unsplit one does, or
//! refuse to link.

// A failed step is a failed test: `expect` says which step.
#![allow(clippy::expect_used)]

mod common;

use common::install;
use saplay_wasm_split::{split, validate, LOADED_EXPORT};
use wasmi::{Caller, Engine, Instance, Linker, Module, Store, Val};

struct Host {
    secondary: Option<Module>,
}

/// Instantiates `bytes`; its `env.load_secondary` import instantiates
/// `secondary` over the primary's exports (as crates/ui/src/split.rs does).
fn instantiate(bytes: &[u8], secondary: Option<&[u8]>) -> (Store<Host>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, bytes).expect("module compiles");
    let secondary = secondary.map(|bytes| Module::new(&engine, bytes).expect("secondary compiles"));
    let mut store = Store::new(&engine, Host { secondary });
    let mut linker = Linker::<Host>::new(&engine);
    linker
        .func_wrap("env", "load_secondary", |mut caller: Caller<'_, Host>| {
            let module = caller.data().secondary.clone().expect("a split module asks for its secondary");
            install(&mut caller, &module);
        })
        .expect("load_secondary");
    let instance = linker.instantiate_and_start(&mut store, &module).expect("instantiates");
    (store, instance)
}

/// Checks that the module `wat` is valid and that its split keeping
/// `profile` succeeds (both outputs are validated by `split`).
fn splits_keeping(wat: &str, profile: &[u32]) {
    let original = wat::parse_str(wat).expect("wat");
    validate(&original).expect("the input is valid");
    if let Err(error) = split(&original, profile) {
        panic!("the split of a valid module fails: {error}");
    }
}

fn call_i32(store: &mut Store<Host>, instance: &Instance, name: &str, x: i32) -> Result<i32, wasmi::Error> {
    instance.get_typed_func::<i32, i32>(&*store, name).expect(name).call(&mut *store, x)
}

/// A `ref.func` in a global's initializer makes the function reachable
/// from the primary, and the initializer is renumbered: were it not,
/// `$target` (3) would have no place in the primary, `$after` (4) would
/// move down to 3, and the global would hold `$after`'s trampoline.
#[test]
fn a_function_named_in_a_global_initializer_is_still_the_one_called() {
    const MODULE: &str = r#"
    (module
      (type $unary (func (param i32) (result i32)))
      (import "env" "load_secondary" (func $load_secondary))
      (table $t 1 funcref)
      (global $g funcref (ref.func $target))
      ;; 1
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      ;; 2: kept
      (func $run (export "run") (param $x i32) (result i32)
        (table.set $t (i32.const 0) (global.get $g))
        (call_indirect (type $unary) (local.get $x) (i32.const 0)))
      ;; 3: moved, named only by the global's initializer
      (func $target (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 10)))
      ;; 4: moved, exported (so it keeps a trampoline)
      (func $after (export "after") (param $x i32) (result i32) (local.get $x)))
    "#;
    let original = wat::parse_str(MODULE).expect("wat");
    let (mut store, instance) = instantiate(&original, None);
    assert_eq!(call_i32(&mut store, &instance, "run", 4).expect("run"), 40);

    let parts = split(&original, &[2]).expect("split");
    let (mut store, instance) = instantiate(&parts.primary, Some(&parts.secondary));
    let got = call_i32(&mut store, &instance, "run", 4).expect("run, split");
    assert_eq!(got, 40, "the split module calls another function through the global");
}

/// The same for a table's initializer expression (function references):
/// left as index 3, it would name `ensure` (type `[] -> []`) and the
/// primary would not validate.
#[test]
fn a_function_named_in_a_table_initializer_is_still_the_one_named() {
    const MODULE: &str = r#"
    (module
      (type $unary (func (param i32) (result i32)))
      (import "env" "load_secondary" (func $load_secondary))
      (table $t 1 (ref null $unary) (ref.func $target))
      ;; 1
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      ;; 2: kept
      (func $run (export "run") (param $x i32) (result i32)
        (call_indirect $t (type $unary) (local.get $x) (i32.const 0)))
      ;; 3: moved, named only by the table's initializer
      (func $target (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 10))))
    "#;
    splits_keeping(MODULE, &[2]);
}

/// Kept code that tail-calls moved code (`return_call`, here a mutual
/// recursion): in a module that makes tail calls, the trampolines end with
/// `return_call_indirect`, so the split module runs in constant stack as
/// the unsplit one does (with `call_indirect`, every round would leave a
/// trampoline frame behind and exhaust the stack).
#[test]
fn a_tail_call_into_moved_code_stays_a_tail_call() {
    const MODULE: &str = r#"
    (module
      (import "env" "load_secondary" (func $load_secondary))
      ;; 1
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      ;; 2: kept
      (func $even (export "even") (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n))
          (then (i32.const 1))
          (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
      ;; 3: moved
      (func $odd (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n))
          (then (i32.const 0))
          (else (return_call $even (i32.sub (local.get $n) (i32.const 1)))))))
    "#;
    let original = wat::parse_str(MODULE).expect("wat");
    let (mut store, instance) = instantiate(&original, None);
    assert_eq!(call_i32(&mut store, &instance, "even", 100_000).expect("even, unsplit"), 1);

    let parts = split(&original, &[2]).expect("split");
    let (mut store, instance) = instantiate(&parts.primary, Some(&parts.secondary));
    match call_i32(&mut store, &instance, "even", 100_000) {
        Ok(got) => assert_eq!(got, 1),
        Err(error) => panic!("the split module fails where the unsplit one does not: {error}"),
    }
}

/// `ensure`'s type is the first unshared type with no parameters and no
/// results: a shared function (shared-everything threads) cannot read the
/// unshared `__split_loaded` global.
#[test]
fn a_shared_unit_type_is_not_taken_for_ensure() {
    const MODULE: &str = r#"
    (module
      (type $shared_unit (shared (func)))
      (type $unit (func))
      (import "env" "load_secondary" (func $load_secondary (type $unit)))
      (func $saplay_split_load (export "saplay_split_load") (type $unit) (call $load_secondary))
      (func $run (export "run") (type $unit) (call $cold))
      (func $cold (type $unit)))
    "#;
    splits_keeping(MODULE, &[2]);
}

/// Two builds of the same source can get different profiles (the profile
/// is timed in a browser), hence different splits. Were a cached secondary
/// of one split to meet the primary of another, it could link whenever the
/// imports agree, and the slots would mean other functions (here `a` would
/// run `b`'s body): the secondary imports its own split's identity, so it
/// does not link.
#[test]
fn a_secondary_of_another_split_does_not_link() {
    const MODULE: &str = r#"
    (module
      (import "env" "load_secondary" (func $load_secondary))
      ;; 1
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      ;; 2, 3, 4
      (func $a (export "a") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $b (export "b") (param i32) (result i32) (i32.add (local.get 0) (i32.const 2)))
      (func $c (export "c") (param i32) (result i32) (i32.add (local.get 0) (i32.const 3))))
    "#;
    let original = wat::parse_str(MODULE).expect("wat");
    let first = split(&original, &[4]).expect("split keeping c");
    let second = split(&original, &[2]).expect("split keeping a");
    // The primary of the first build with the (cached) secondary of the other.
    let engine = Engine::default();
    let primary = Module::new(&engine, &first.primary[..]).expect("primary compiles");
    let stale = Module::new(&engine, &second.secondary[..]).expect("secondary compiles");
    let mut store = Store::new(&engine, Host { secondary: None });
    let mut linker = Linker::<Host>::new(&engine);
    linker.func_wrap("env", "load_secondary", |_: Caller<'_, Host>| {}).expect("load_secondary");
    let instance = linker.instantiate_and_start(&mut store, &primary).expect("primary instantiates");
    let mut linker = Linker::<Host>::new(&engine);
    for import in stale.imports() {
        if let Some(export) = instance.get_export(&store, import.name()) {
            linker.define(import.module(), import.name(), export).expect("define");
        }
    }
    assert_ne!(first.id, second.id);
    assert!(stale.imports().any(|import| import.name() == second.id));
    let linked = linker.instantiate_and_start(&mut store, &stale);
    if linked.is_ok() {
        instance.get_global(&store, LOADED_EXPORT).expect("loaded").set(&mut store, Val::I32(1)).expect("set");
        let a = call_i32(&mut store, &instance, "a", 10).expect("a");
        panic!("a secondary of another split linked: a(10) = {a} (unsplit: 11)");
    }
}

/// What the start function calls stays in the primary with it: the start
/// function runs while the module is instantiated, before its exports
/// exist, so a trampoline there could not load anything. Here the split
/// module instantiates without ever asking for its secondary.
#[test]
fn what_the_start_function_calls_stays_in_the_primary() {
    const MODULE: &str = r#"
    (module
      (import "env" "load_secondary" (func $load_secondary))
      (global $ready (mut i32) (i32.const 0))
      ;; 1
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      ;; 2: the start function, 3: what it calls (neither profiled)
      (func $start (call $init))
      (func $init (global.set $ready (i32.const 7)))
      ;; 4: kept
      (func $ready (export "ready") (param i32) (result i32) (i32.add (local.get 0) (global.get $ready)))
      (start $start))
    "#;
    let original = wat::parse_str(MODULE).expect("wat");
    let parts = split(&original, &[4]).expect("split");
    assert_eq!(parts.stats.moved, 0, "the start function and its callee stay");
    let (mut store, instance) = instantiate(&parts.primary, None);
    assert_eq!(call_i32(&mut store, &instance, "ready", 1).expect("ready"), 8);
}

/// Custom sections that name code offsets or function indices (DWARF,
/// source maps, branch hints) would be wrong after the split: the primary
/// leaves them out, and keeps the others.
#[test]
fn sections_about_the_old_code_are_left_out() {
    const MODULE: &str = r#"
    (module
      (@custom ".debug_info" "offsets of the old code")
      (@custom "sourceMappingURL" "old.map")
      (@custom "producers" "\00")
      (import "env" "load_secondary" (func $load_secondary))
      (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))
      (func $kept (export "kept"))
      (func $cold (export "cold")))
    "#;
    let original = wat::parse_str(MODULE).expect("wat");
    let parts = split(&original, &[2]).expect("split");
    let names: Vec<String> = wasmparser::Parser::new(0)
        .parse_all(&parts.primary)
        .filter_map(|payload| match payload.expect("primary parses") {
            wasmparser::Payload::CustomSection(section) => Some(section.name().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["producers", "name"]);
}

/// The outputs are held to the input's feature set: a module that needs
/// only WebAssembly 2.0 gives halves that need no more (which the split
/// checks), and the check refuses a module that needs more than its input.
#[test]
fn outputs_need_no_feature_their_input_did_not() {
    let mvp = wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 1))"#).expect("wat");
    assert_eq!(saplay_wasm_split::features_of(&mvp).expect("valid"), wasmparser::WasmFeatures::WASM1);
    let tail = wat::parse_str(
        r#"(module (func $g (result i32) i32.const 1) (func (export "f") (result i32) return_call $g))"#,
    )
    .expect("wat");
    assert!(saplay_wasm_split::features_of(&tail).expect("valid").contains(wasmparser::WasmFeatures::TAIL_CALL));
    let two_memories = wat::parse_str("(module (memory 1) (memory 1))").expect("wat");
    assert!(saplay_wasm_split::validate_like(&mvp, wasmparser::WasmFeatures::empty(), &two_memories).is_err());
    assert!(saplay_wasm_split::validate_like(&mvp, wasmparser::WasmFeatures::MULTI_MEMORY, &two_memories).is_ok());
}
