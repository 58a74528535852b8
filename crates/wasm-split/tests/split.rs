//! The split and the profile, run: a module shaped like wasm-bindgen's
//! (a JavaScript loader import, a function table, globals, memory, data)
//! is instrumented, profiled and split, and both halves are run in the
//! wasmi interpreter against the unsplit module.

// A failed step is a failed test: `expect` says which step.
#![allow(clippy::expect_used)]

use std::cell::Cell;
use std::rc::Rc;

mod common;

use common::install;
use saplay_wasm_split::{instrument, profile_from_memory, split, LOADED_EXPORT, PROFILE_EXPORT};
use wasmi::{Caller, Engine, Instance, Linker, Module, Store, Val};

/// Function indices: imports 0 (the loader's JavaScript) and 1 (`log`),
/// then the defined functions in order.
const MODULE: &str = r#"
(module
  (type $unary (func (param i32) (result i32)))
  (import "env" "load_secondary" (func $load_secondary))
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1)
  (global $stack (mut i32) (i32.const 4096))
  (global $calls (mut i32) (i32.const 0))
  (table $functions 4 funcref)
  (elem (i32.const 0) $double $square)
  (data (i32.const 16) "\05\00\00\00")
  (data $passive "\07\00\00\00")

  ;; 2: what the split's trampolines call; wasm-bindgen exports it.
  (func $saplay_split_load (export "saplay_split_load") (call $load_secondary))

  ;; 3: start-up: calls moved code directly and through the table.
  (func $run (export "run") (param $x i32) (result i32)
    (call $helper
      (i32.add
        (call $double (local.get $x))
        (call_indirect (type $unary) (local.get $x) (i32.const 1)))))

  ;; 4: kept (the profile names it), called by moved code too.
  (func $helper (param $x i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (local.get $x) (i32.load (i32.const 16))))

  ;; 5: moved: memory, a global, an import, a kept function.
  (func $double (param $x i32) (result i32)
    (call $log (local.get $x))
    (global.set $stack (i32.sub (global.get $stack) (i32.const 16)))
    (i32.store (global.get $stack) (local.get $x))
    (global.set $stack (i32.add (global.get $stack) (i32.const 16)))
    (call $helper (i32.mul (local.get $x) (i32.const 2))))

  ;; 6: moved: calls another moved function, and one through the table.
  (func $square (param $x i32) (result i32)
    (i32.add
      (i32.mul (local.get $x) (local.get $x))
      (i32.add
        (call $triple (i32.const 0))
        (call_indirect (type $unary) (i32.const 0) (i32.const 0)))))

  ;; 7: moved, and only moved code calls it: it has no place in the
  ;; primary, where the functions after it move down one.
  (func $triple (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 3)))

  ;; 8: cannot move: it names a data segment.
  (func $reload (export "reload")
    (memory.init $passive (i32.const 16) (i32.const 0) (i32.const 4)))

  ;; 9: moved, several results.
  (func $pair (export "pair") (param i64 f32) (result f32 i64)
    (local.get 1) (i64.add (local.get 0) (i64.const 1)))

)
"#;

struct Host {
    logged: Vec<i32>,
    loads: Rc<Cell<u32>>,
    secondary: Option<Module>,
}

fn engine_and_module(bytes: &[u8]) -> (Engine, Module) {
    let engine = Engine::default();
    let module = Module::new(&engine, bytes).expect("module compiles");
    (engine, module)
}

/// Instantiates `primary`; `env.load_secondary` instantiates the secondary
/// from the primary's own exports, as crates/ui/src/split.rs does.
fn instantiate(engine: &Engine, primary: &Module, secondary: Option<&[u8]>) -> (Store<Host>, Instance) {
    let loads = Rc::new(Cell::new(0));
    let secondary = secondary.map(|bytes| Module::new(engine, bytes).expect("secondary compiles"));
    let mut store = Store::new(engine, Host { logged: Vec::new(), loads, secondary });
    let mut linker = Linker::<Host>::new(engine);
    linker
        .func_wrap("env", "log", |mut caller: Caller<'_, Host>, x: i32| caller.data_mut().logged.push(x))
        .expect("log");
    linker
        .func_wrap("env", "load_secondary", |mut caller: Caller<'_, Host>| {
            let module = caller.data().secondary.clone().expect("a split module asks for its secondary");
            caller.data().loads.set(caller.data().loads.get() + 1);
            install(&mut caller, &module);
        })
        .expect("load_secondary");
    let instance = linker.instantiate_and_start(&mut store, primary).expect("primary instantiates");
    (store, instance)
}

fn run(store: &mut Store<Host>, instance: &Instance, x: i32) -> i32 {
    let run = instance.get_typed_func::<i32, i32>(&*store, "run").expect("run");
    run.call(&mut *store, x).expect("run returns")
}

/// The function names of a module's "name" section, by index.
fn function_names(bytes: &[u8]) -> Vec<(u32, String)> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let wasmparser::Payload::CustomSection(section) = payload.expect("payload") {
            if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                for subsection in reader {
                    if let wasmparser::Name::Function(map) = subsection.expect("names") {
                        for naming in map {
                            let naming = naming.expect("naming");
                            names.push((naming.index, naming.name.to_string()));
                        }
                    }
                }
            }
        }
    }
    names
}

/// What `run(x)` gives while the word at 16 is `m`: `helper` adds `m`,
/// `double(x)` is `2x + m`, `square(x)` is `x² + double(0)`.
fn expected(x: i32, m: i32) -> i32 {
    (2 * x + m) + (x * x + m) + m
}

#[test]
fn the_profile_names_the_functions_that_ran() {
    let original = wat::parse_str(MODULE).expect("wat");
    let instrumented = instrument(&original).expect("instrument");
    let (engine, module) = engine_and_module(&instrumented);
    let (mut store, instance) = instantiate(&engine, &module, None);
    let profile = instance.get_memory(&store, PROFILE_EXPORT).expect("profile memory");
    assert_eq!(profile_from_memory(profile.data(&store)), Vec::<u32>::new());

    let got = run(&mut store, &instance, 3);
    assert_eq!(got, expected(3, 5));
    // run, helper, double, square (double again through the table); not
    // the loader, not reload, not pair; triple, which square calls.
    assert_eq!(profile_from_memory(profile.data(&store)), vec![3, 4, 5, 6, 7]);
}

#[test]
fn split_modules_compute_what_the_unsplit_module_computes() {
    let original = wat::parse_str(MODULE).expect("wat");
    let (engine, module) = engine_and_module(&original);
    let (mut store, instance) = instantiate(&engine, &module, None);
    let unsplit: Vec<i32> = (0..5).map(|x| run(&mut store, &instance, x)).collect();
    assert_eq!(unsplit, (0..5).map(|x| expected(x, 5)).collect::<Vec<_>>());
    let expected_log = store.data().logged.clone();

    // Only `run` and `helper` were seen at start-up.
    let parts = split(&original, &[3, 4]).expect("split");
    assert_eq!(parts.stats.moved, 4, "double, square, pair and triple move");
    assert_eq!(parts.stats.stubs, 1, "triple is called by moved code only");
    assert_eq!(
        function_names(&parts.primary).iter().map(|(i, n)| (*i, n.as_str())).collect::<Vec<_>>(),
        vec![
            (0, "load_secondary"),
            (1, "log"),
            (2, "saplay_split_load"),
            (3, "run"),
            (4, "helper"),
            (5, "double"),
            (6, "square"),
            (7, "reload"),
            (8, "pair")
        ],
        "the primary's names follow its indices"
    );
    assert_eq!(parts.stats.pinned, 2, "the loader, and reload (it names a data segment)");
    assert_eq!(parts.stats.kept, 4);

    let (engine, primary) = engine_and_module(&parts.primary);
    let (mut store, instance) = instantiate(&engine, &primary, Some(&parts.secondary));
    assert_eq!(store.data().loads.get(), 0, "nothing is loaded before moved code runs");
    let got: Vec<i32> = (0..5).map(|x| run(&mut store, &instance, x)).collect();
    assert_eq!(got, unsplit);
    assert_eq!(store.data().logged, expected_log, "moved code calls the primary's imports");
    assert_eq!(store.data().loads.get(), 1, "the secondary is loaded once, on the first call of moved code");

    // Moved code with several parameters and results, called as an export.
    let pair = instance.get_typed_func::<(i64, f32), (f32, i64)>(&store, "pair").expect("pair");
    assert_eq!(pair.call(&mut store, (41, 1.5)).expect("pair returns"), (1.5, 42));
    // Kept code that uses a data segment still does.
    instance.get_typed_func::<(), ()>(&store, "reload").expect("reload").call(&mut store, ()).expect("reload runs");
    assert_eq!(run(&mut store, &instance, 1), expected(1, 7));
}

#[test]
fn a_secondary_installed_ahead_is_not_loaded_again() {
    let original = wat::parse_str(MODULE).expect("wat");
    let parts = split(&original, &[3, 4]).expect("split");
    let (engine, primary) = engine_and_module(&parts.primary);
    let (mut store, instance) = instantiate(&engine, &primary, None);
    // What the page's prefetch does: instantiate it from outside a call.
    let secondary = Module::new(&engine, &parts.secondary[..]).expect("secondary compiles");
    let mut linker = Linker::<Host>::new(&engine);
    for import in secondary.imports() {
        let export = instance.get_export(&store, import.name()).expect("export");
        linker.define(import.module(), import.name(), export).expect("define");
    }
    linker.instantiate_and_start(&mut store, &secondary).expect("secondary instantiates");
    instance.get_global(&store, LOADED_EXPORT).expect("loaded").set(&mut store, Val::I32(1)).expect("set");

    assert_eq!(run(&mut store, &instance, 2), expected(2, 5));
    assert_eq!(store.data().loads.get(), 0);
}

#[test]
fn a_profile_of_every_function_moves_nothing() {
    let original = wat::parse_str(MODULE).expect("wat");
    let parts = split(&original, &[2, 3, 4, 5, 6, 7, 8, 9]).expect("split");
    assert_eq!(parts.stats.moved, 0);
    let (engine, primary) = engine_and_module(&parts.primary);
    let (mut store, instance) = instantiate(&engine, &primary, Some(&parts.secondary));
    assert_eq!(run(&mut store, &instance, 4), expected(4, 5));
}

#[test]
fn a_module_without_the_loader_is_refused() {
    let original = wat::parse_str(r#"(module (func (export "run")))"#).expect("wat");
    let error = split(&original, &[0]).err().expect("no loader");
    assert!(error.to_string().contains("saplay_split_load"), "{error}");
    assert!(split(b"not wasm", &[]).is_err());
    assert!(instrument(b"\0asm\x01\0\0\0\x0a\xff").is_err());
}
