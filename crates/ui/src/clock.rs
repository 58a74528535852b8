//! The clock bar: the cluster's time, play/pause, speed, jumps and "to the
//! next event".

use yew::prelude::*;

use saplay_cluster::Time;

use crate::state::{Action, ClockRun, State};

/// Properties of [`ClockBar`].
#[derive(Properties, PartialEq)]
pub struct ClockBarProps {
    /// The cluster's time.
    pub now: Time,
    /// Playing or paused, and how fast.
    pub clock: ClockRun,
    /// Where actions go.
    pub dispatch: UseReducerDispatcher<State>,
}

/// Speeds offered: simulated seconds per real second.
const SPEEDS: [u32; 3] = [1, 60, 600];

/// Jumps offered: label and seconds.
const JUMPS: [(&str, i64); 4] = [("+1 min", 60), ("+10 min", 600), ("+1 h", 3600), ("+1 day", 86_400)];

/// The clock's controls.
#[function_component(ClockBar)]
pub fn clock_bar(props: &ClockBarProps) -> Html {
    let dispatch = props.dispatch.clone();
    let toggle = {
        let dispatch = dispatch.clone();
        let playing = props.clock.playing;
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetPlaying(!playing)))
    };
    let next = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NextEvent))
    };
    let now = props.now.rfc3339().replace('T', " ").replace('Z', " UTC");
    html! {
        <div class="clock" role="group" aria-label="Clock">
            <time class="now" datetime={props.now.rfc3339()} aria-live="off">{ now }</time>
            <button type="button" onclick={toggle} aria-pressed={props.clock.playing.to_string()}>
                { if props.clock.playing { "Pause" } else { "Play" } }
            </button>
            <label class="speed">{ "Speed " }
                <select aria-label="Clock speed" onchange={
                    let dispatch = dispatch.clone();
                    move |e: Event| {
                        let value = e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                        dispatch.dispatch(Action::SetSpeed(value.parse().unwrap_or(60)));
                    }
                }>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.clock.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            { for JUMPS.iter().map(|(label, seconds)| {
                let dispatch = dispatch.clone();
                let seconds = *seconds;
                html! {
                    <button type="button" onclick={move |_| dispatch.dispatch(Action::Advance(seconds))}
                        aria-label={format!("Move the clock {label}")}>{ *label }</button>
                }
            }) }
            <button type="button" onclick={next} title="Move the clock to the next thing the cluster has scheduled">
                { "Next event" }
            </button>
        </div>
    }
}
