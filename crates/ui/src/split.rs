//! The browser's half of the module split (`crates/wasm-split`).
//!
//! The release build moves the bodies of the functions start-up does not
//! run into a second module (`…_cold.wasm`, named by a
//! `<meta name="saplay-cold-wasm">` that the build adds to `index.html`).
//! [`prefetch`] has it fetched and compiled in the background (by the
//! function `index.html`'s inline script defines) once the page is first
//! painted and idle (`app.rs`, [`when_idle`]), and installs it when it
//! arrives; a start that
//! replays a journal or opens an exercise waits for it first ([`start`]),
//! since those run much more than a first visit (and `index.html` has
//! fetched it beside the first module). If moved code is called before
//! the module is in, the split's trampolines call [`saplay_split_load`],
//! which loads it synchronously on the spot: slower, never wrong.
//!
//! In a build that was not split (a debug build, `cargo test`) there is no
//! meta and no trampoline: nothing here does anything.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen(inline_js = r#"
// What tests and benchmarks read: how the second module came in.
const split = (globalThis.__saplaySplit = { prefetched: false, installed: false, sync: 0, error: '' });
let compiled = null;
let loading = false;

// The second module's URL, from the meta element the build adds.
function coldUrl() {
  const meta = document.querySelector('meta[name="saplay-cold-wasm"]');
  return meta ? new URL(meta.content, document.baseURI).href : null;
}

// The second module has been instantiated over the first's exports, so it
// has filled the split table: from now on the trampolines call it.
function installed(exports, started) {
  if (exports.__split_loaded.value) return;
  exports.__split_loaded.value = 1;
  split.installed = true;
  split.installedAt = performance.now();
  split.installMs = split.installedAt - started;
}

// Synchronously: moved code is waiting for it.
function install(exports, module) {
  if (exports.__split_loaded.value) return;
  const started = performance.now();
  new WebAssembly.Instance(module, { primary: exports });
  installed(exports, started);
}

// In the background (Chromium limits what the main thread may
// instantiate synchronously).
async function installLater(exports, module) {
  if (exports.__split_loaded.value) return;
  const started = performance.now();
  await WebAssembly.instantiate(module, { primary: exports });
  installed(exports, started);
}

// The page cannot go on without the code that did not load: say so where
// the learner looks, rather than leave a terminal that no longer answers.
function report(error) {
  split.error = String(error);
  if (document.getElementById('saplay-split-failed')) return;
  const notice = document.createElement('div');
  notice.id = 'saplay-split-failed';
  notice.className = 'notice';
  notice.setAttribute('role', 'alert');
  notice.textContent = `Part of the playground could not be loaded (${error.message || error}). Reload the page to go on.`;
  document.body.prepend(notice);
}

let arriving = null;

// Resolves once the second module is in (at once in a build without one);
// never rejects: if it fails, the synchronous load tries again when moved
// code runs.
export function saplayPrefetchCold(exports) {
  if (arriving) return arriving;
  // index.html's script fetches and compiles it (and may have started
  // already: a start that replays).
  const fetchCold = globalThis.__saplayFetchCold;
  if (!fetchCold || !('__split_loaded' in exports)) return (arriving = Promise.resolve());
  split.prefetched = true;
  arriving = (globalThis.__saplayCold || fetchCold())
    .then((module) => {
      compiled = module;
      return installLater(exports, module);
    })
    .catch((e) => {
      // Moved code will try again synchronously, and say so if it fails.
      split.error = String(e);
      console.error('sa-playground: the second module did not load in the background:', e);
    });
  return arriving;
}

// Start-up: `saplay_resume` builds and renders the page; when `wait`, only
// once the second module is in. Both ways run the same code of ours before
// the wait, so a first visit's profile keeps all of it in the first module.
export function saplayStart(exports, wait) {
  if (!wait) return exports.saplay_resume();
  saplayPrefetchCold(exports)
    .then(() => exports.saplay_resume())
    .catch(report);
}

// Calls `f` once the page is idle (within a second at most; a short timer
// where the browser has no idle callbacks), unless `cancel` is called
// first.
export function saplayWhenIdle(f) {
  let id = null;
  if (self.requestIdleCallback) {
    id = requestIdleCallback(() => f(), { timeout: 1000 });
    return () => cancelIdleCallback(id);
  }
  id = setTimeout(() => f(), 50);
  return () => clearTimeout(id);
}

export function saplayLoadCold(exports) {
  if (loading) throw new Error('sa-playground: code of the second module ran while that module was loading');
  loading = true;
  try {
    if (!compiled) {
      const url = coldUrl();
      if (!url) throw new Error('index.html names no second module (saplay-cold-wasm)');
      // A synchronous request can only return text: each byte comes back
      // as one character of the "x-user-defined" charset.
      const request = new XMLHttpRequest();
      request.open('GET', url, false);
      request.overrideMimeType('text/plain; charset=x-user-defined');
      request.send();
      if (request.status !== 200) throw new Error(`${url}: HTTP ${request.status}`);
      const text = request.responseText;
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
      compiled = new WebAssembly.Module(bytes);
      split.sync += 1;
      // Which moved function asked, for whoever wonders why.
      split.stack = new Error('synchronous load').stack;
    }
    install(exports, compiled);
  } catch (e) {
    report(e);
    throw e;
  } finally {
    loading = false;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = saplayPrefetchCold)]
    fn prefetch_cold(exports: JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = saplayLoadCold)]
    fn load_cold(exports: JsValue);
    #[wasm_bindgen(js_name = saplayStart)]
    fn start_page(exports: JsValue, wait: bool);
    #[wasm_bindgen(js_name = saplayWhenIdle)]
    fn when_idle_js(f: JsValue) -> js_sys::Function;
}

/// Runs `f` once the page is idle (or after a second at most); the
/// returned function cancels it.
pub fn when_idle(f: impl FnOnce() + 'static) -> js_sys::Function {
    when_idle_js(wasm_bindgen::closure::Closure::once_into_js(f))
}

/// Loads the second module now if it is not in yet. The split's
/// trampolines call this export (by its name: `saplay-wasm-split` looks it
/// up) before they call moved code.
#[wasm_bindgen]
pub fn saplay_split_load() {
    load_cold(wasm_bindgen::exports());
}

/// Starts fetching and compiling the second module in the background.
pub fn prefetch() {
    let _ = prefetch_cold(wasm_bindgen::exports());
}

/// Calls the `saplay_resume` export now or, when `wait`, once the second
/// module is in (or has failed to come: moved code then loads it
/// synchronously).
pub fn start(wait: bool) {
    start_page(wasm_bindgen::exports(), wait);
}
