//! The browser's storage and files: saving the journal in
//! `localStorage`, share links, export and import, the `?embed=1` switch.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::journal::{Journal, JournalError};

/// The `localStorage` key of the saved journal.
const KEY: &str = "sa-playground/journal";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The `localStorage` key that tells index.html, before any wasm runs,
/// that the next start replays a journal: it then fetches the second wasm
/// module (split.rs) beside the first rather than after it.
const REPLAY_KEY: &str = "sa-playground/replay";

/// Saves the journal (a full or refused storage is ignored: the page
/// keeps working without it).
pub fn save(journal: &Journal) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let text = journal.to_json();
        let _ = if text == Journal::default().to_json() {
            storage.remove_item(REPLAY_KEY)
        } else {
            storage.set_item(REPLAY_KEY, "1")
        };
        let _ = storage.set_item(KEY, &text);
    }
}

/// Where the page starts from, read but not yet parsed.
pub struct Start {
    /// The share link's fragment (after `#s=`), if the page has one.
    link: Option<String>,
    /// The saved store's text, if any.
    saved: Option<String>,
    /// Whether the page opens an exercise (`?exercise=`) once it is up.
    exercise: bool,
}

impl Start {
    /// Reads the share link and the saved store.
    pub fn read() -> Self {
        let hash = window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        let link = hash.strip_prefix("#s=").map(str::to_string);
        let saved =
            window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(KEY).ok().flatten());
        Self { link, saved, exercise: query_params().iter().any(|(name, _)| name == "exercise") }
    }

    /// Whether the page starts as a first visit does: on a fresh cluster
    /// (no link, nothing saved but a fresh journal, which is what a first
    /// visit saves) and with no exercise to open. Telling this parses
    /// nothing, so it runs no more code than a first visit does.
    pub fn is_fresh(&self) -> bool {
        self.link.is_none()
            && !self.exercise
            && self.saved.as_ref().is_none_or(|text| *text == Journal::default().to_json())
    }

    /// The journal to start from, and a notice for the learner: a share
    /// link (`#s=…`) wins over the saved store; a store that cannot be
    /// read is replaced by a fresh cluster, with a notice saying so.
    pub fn journal(self) -> (Journal, Option<String>) {
        if let Some(fragment) = self.link {
            return match Journal::from_fragment(&fragment) {
                Ok(journal) => (journal, Some("Rebuilt the playground from the link.".to_string())),
                Err(e) => {
                    (Journal::default(), Some(format!("The link could not be used: {e}. A fresh cluster was started.")))
                }
            };
        }
        match self.saved.as_deref().map(Journal::from_json) {
            None => (Journal::default(), None),
            Some(Ok(journal)) => (journal, None),
            Some(Err(e @ (JournalError::Corrupt(_) | JournalError::OtherVersion(_)))) => {
                (Journal::default(), Some(format!("{e}; a fresh cluster was started instead.")))
            }
        }
    }
}

/// Whether the page is embedded (`?embed=1`): a compact layout.
pub fn embedded() -> bool {
    query_params().iter().any(|(name, value)| name == "embed" && value.as_deref() == Some("1"))
}

/// The page's query parameters in order, each its name and its raw
/// (undecoded) value, `None` for a parameter without `=`.
pub fn query_params() -> Vec<(String, Option<String>)> {
    let search = window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (p.to_string(), None),
        })
        .collect()
}

/// A link to this page that rebuilds the journal's state.
pub fn share_link(journal: &Journal) -> String {
    let location = window().map(|w| w.location());
    let base = location
        .map(|l| {
            format!(
                "{}{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    format!("{base}#s={}", journal.to_fragment())
}

/// Copies text to the clipboard; false when the browser refuses.
pub fn copy_to_clipboard(text: &str) -> bool {
    match window().map(|w| w.navigator().clipboard()) {
        Some(clipboard) => {
            let _ = clipboard.write_text(text);
            true
        }
        None => false,
    }
}

/// Offers `text` as a file download.
pub fn download(name: &str, text: &str) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(text));
    let Ok(link) = document.create_element("a") else { return };
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
        link.click();
    }
}

/// Reads the file chosen in an `<input type=file>` and hands its text on.
pub fn read_chosen_file(event: &web_sys::Event, then: impl FnOnce(String) + 'static) {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    read_file(&file, then);
    input.set_value("");
}

/// Reads a file (chosen or dropped) and hands its text on.
pub fn read_file(file: &web_sys::File, then: impl FnOnce(String) + 'static) {
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let reader_for_load = reader.clone();
    let mut then = Some(then);
    let onload = Closure::<dyn FnMut()>::new(move || {
        let text = reader_for_load.result().ok().and_then(|r| r.as_string()).unwrap_or_default();
        if let Some(then) = then.take() {
            then(text);
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    let _ = reader.read_as_text(file);
}
