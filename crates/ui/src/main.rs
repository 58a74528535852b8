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

fn main() {
    bench::mark("saplay:main");
    let (journal, notice) = storage::initial();
    let props = app::AppProps { start: app::StartState::build(journal, notice) };
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
