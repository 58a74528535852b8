//! What the learner typed before the wasm ran.
//!
//! If the app is slow to start (a slow network), `index.html` shows the
//! page's skeleton, whose terminal already takes commands: a script there
//! keeps the lines entered into it (Enter, or a paste of several lines) in
//! `self.__saplayTyped`, as a real terminal keeps the keys typed before its
//! shell is ready. The app takes them before its first render: the shell
//! runs the complete commands (`State::type_ahead`), and the rest (an
//! unfinished command, the line being typed, the keyboard focus) carries
//! over to the app's terminal, which replaces the skeleton.

use wasm_bindgen::{JsCast, JsValue};

/// What was typed into the skeleton's terminal.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TypedAhead {
    /// Lines entered, oldest first.
    pub lines: Vec<String>,
    /// The line being typed when the app took over.
    pub typing: String,
    /// Whether the skeleton's command line had the keyboard focus.
    pub focused: bool,
}

impl TypedAhead {
    /// Takes what `index.html`'s script kept (nothing on a page without
    /// it, or the second time).
    pub fn take() -> Self {
        let global = js_sys::global();
        let key = JsValue::from_str("__saplayTyped");
        let Ok(kept) = js_sys::Reflect::get(&global, &key) else { return Self::default() };
        if !kept.is_object() {
            return Self::default();
        }
        let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &key);
        let lines = js_sys::Reflect::get(&kept, &JsValue::from_str("lines"))
            .ok()
            .filter(js_sys::Array::is_array)
            .map(|lines| js_sys::Array::from(&lines).iter().filter_map(|line| line.as_string()).collect())
            .unwrap_or_default();
        let document = web_sys::window().and_then(|window| window.document());
        let input = document
            .as_ref()
            .and_then(|document| document.query_selector("[data-skeleton] input").ok().flatten())
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok());
        let typing = input.as_ref().map(web_sys::HtmlInputElement::value).unwrap_or_default();
        let focused = input.is_some_and(|input| {
            let active = document.and_then(|document| document.active_element());
            active.is_some_and(|active| JsValue::from(active) == JsValue::from(input))
        });
        Self { lines, typing, focused }
    }
}
