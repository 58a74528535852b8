//! The browser's half of the module split (`crates/wasm-split`).
//!
//! The release build moves the bodies of the functions start-up does not
//! run into a second module (`…_cold.wasm`, named by a
//! `<meta name="saplay-cold-wasm">` that the build adds to `index.html`).
//! [`prefetch`] fetches and compiles it in the background once the first
//! answer is on screen and installs it when it arrives. If moved code is
//! called before that, the split's trampolines call [`saplay_split_load`],
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

function cold() {
  const meta = document.querySelector('meta[name="saplay-cold-wasm"]');
  if (!meta) return null;
  return { url: new URL(meta.content, document.baseURI).href, integrity: meta.dataset.integrity || '' };
}

function install(exports, module) {
  if (exports.__split_loaded.value) return;
  new WebAssembly.Instance(module, { primary: exports });
  exports.__split_loaded.value = 1;
  split.installed = true;
}

export function saplayPrefetchCold(exports) {
  const where = cold();
  if (split.prefetched || !where || !('__split_loaded' in exports)) return;
  split.prefetched = true;
  const init = { credentials: 'same-origin' };
  if (where.integrity) init.integrity = where.integrity;
  WebAssembly.compileStreaming(fetch(where.url, init))
    .then((module) => {
      compiled = module;
      if (!loading) install(exports, module);
    })
    .catch((e) => {
      split.error = String(e);
    });
}

export function saplayLoadCold(exports) {
  if (loading) throw new Error('sa-playground: code of the second module ran while that module was loading');
  loading = true;
  try {
    if (!compiled) {
      const where = cold();
      if (!where) throw new Error('sa-playground: index.html names no second module (saplay-cold-wasm)');
      // A synchronous request can only return text: each byte comes back
      // as one character of the "x-user-defined" charset.
      const request = new XMLHttpRequest();
      request.open('GET', where.url, false);
      request.overrideMimeType('text/plain; charset=x-user-defined');
      request.send();
      if (request.status !== 200) throw new Error(`sa-playground: ${where.url}: HTTP ${request.status}`);
      const text = request.responseText;
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
      compiled = new WebAssembly.Module(bytes);
      split.sync += 1;
    }
    install(exports, compiled);
  } finally {
    loading = false;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = saplayPrefetchCold)]
    fn prefetch_cold(exports: JsValue);
    #[wasm_bindgen(js_name = saplayLoadCold)]
    fn load_cold(exports: JsValue);
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
    prefetch_cold(wasm_bindgen::exports());
}
