//! The browser playground: mounts the Yew app into `#app`.
//!
//! This crate is the only one that knows the DOM. It holds no Kubernetes
//! logic: every answer comes from the shell and the cluster it drives.

mod access;
mod app;
mod audit;
mod bench;
mod checks;
mod clock;
mod editor;
mod explorer;
mod highlight;
mod journal;
mod lessons;
mod markdown;
mod panels;
mod pod;
mod split;
mod state;
mod storage;
mod terminal;
mod token;
mod typeahead;

thread_local! {
    /// Where the page starts from, between `main` and `saplay_resume`.
    static START: std::cell::RefCell<Option<storage::Start>> = const { std::cell::RefCell::new(None) };
}

fn main() {
    bench::mark("saplay:main");
    let start = storage::Start::read();
    // Reading and replaying a journal, or opening an exercise, runs code a
    // first visit does not: then the rest of the module comes in first
    // (split.rs), rather than synchronously in the middle.
    let wait = !start.is_fresh();
    START.with(|cell| *cell.borrow_mut() = Some(start));
    split::start(wait);
}

/// Builds the starting state and renders the page: called by `main`
/// through `split::start`, at once or once the second module is in.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn saplay_resume() {
    if let Some(start) = START.with(|cell| cell.borrow_mut().take()) {
        let (journal, notice) = start.journal();
        mount(app::StartState::build(journal, notice, typeahead::TypedAhead::take()));
    }
}

/// Renders the app from `start` into `#app`.
fn mount(start: app::StartState) {
    let props = app::AppProps { start };
    let root =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Replace the "Loading…" placeholder that index.html shows.
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<app::App>::with_props(props).render();
        }
    }
}
