//! The UI's one state and the actions that change it.
//!
//! Components never change state themselves: they dispatch an [`Action`] and
//! [`State::reduce`] applies it, asking the shell for every answer. Every
//! change to the cluster is also a [`Step`] of the journal, which is what
//! gets saved and shared.

use std::cell::RefCell;
use std::rc::Rc;

use saplay_cluster::{Cluster, Time};
use saplay_shell::exec::CLEAR_SCREEN;
use saplay_shell::Shell;
use yew::Reducible;

pub use crate::journal::Entry;
use crate::journal::{Journal, Step};

/// The side panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Namespaces and their objects.
    Explorer,
    /// The YAML editor.
    Editor,
    /// A pod's mounted files and token.
    Pod,
    /// A token, decoded and checked.
    Token,
    /// Who may do what.
    Access,
    /// The API server's audit log.
    Audit,
}

impl Panel {
    /// Every panel, in tab order.
    pub const ALL: [Panel; 6] = [Panel::Explorer, Panel::Editor, Panel::Pod, Panel::Token, Panel::Access, Panel::Audit];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Panel::Explorer => "Explorer",
            Panel::Editor => "YAML",
            Panel::Pod => "Pod",
            Panel::Token => "Token",
            Panel::Access => "Access",
            Panel::Audit => "Audit",
        }
    }
}

/// An object the learner selected (in the explorer, or by clicking a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// The resource's plural, as kubectl takes it (`serviceaccounts`).
    pub resource: String,
    /// The namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// The object's name.
    pub name: String,
}

/// How the clock runs on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRun {
    /// Whether simulated time passes with real time.
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: u32,
    /// Real milliseconds not yet turned into simulated seconds.
    carry_ms: u64,
}

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct State {
    /// The shell session (and through it the cluster). Shared, not cloned,
    /// between successive states: cloning a cluster per keystroke would be
    /// wasteful.
    shell: Rc<RefCell<Shell>>,
    /// What happened, to save and share.
    pub journal: Journal,
    /// The terminal's entries, oldest first.
    pub transcript: Vec<Entry>,
    /// Counts changes to the shell or cluster; views re-read when it moves.
    pub revision: u64,
    /// The clock's own running.
    pub clock: ClockRun,
    /// The side panel shown.
    pub panel: Panel,
    /// The object selected in the explorer.
    pub selected: Option<ObjectRef>,
    /// The token shown in the token inspector.
    pub token: Option<String>,
    /// The pod shown in the pod inspector.
    pub pod: Option<ObjectRef>,
    /// YAML waiting in the editor (templates and "edit" put it there).
    pub editor_text: String,
    /// A message for the learner (a restored or replaced store, …).
    pub notice: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        Self::from_journal(Journal::default())
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shell, &other.shell)
            && self.revision == other.revision
            && self.transcript.len() == other.transcript.len()
            && self.clock == other.clock
            && self.panel == other.panel
            && self.selected == other.selected
            && self.token == other.token
            && self.pod == other.pod
            && self.editor_text == other.editor_text
            && self.notice == other.notice
    }
}

/// What a learner can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run one command line (or several lines) in the terminal.
    Run(String),
    /// Clear the terminal's screen (Ctrl-L; the cluster stays as it is).
    ClearScreen,
    /// Move the clock forward by this many seconds.
    Advance(i64),
    /// Move the clock to the next thing the cluster has scheduled.
    NextEvent,
    /// Real time passed (milliseconds): the clock runs if it is playing.
    Tick(u64),
    /// Play or pause the clock.
    SetPlaying(bool),
    /// Simulated seconds per real second.
    SetSpeed(u32),
    /// Show a side panel.
    ShowPanel(Panel),
    /// Select an object (and show it in the explorer).
    Select(ObjectRef),
    /// Show a token in the token inspector.
    InspectToken(String),
    /// Show a pod in the pod inspector.
    InspectPod(ObjectRef),
    /// Put YAML in the editor and show it.
    Edit(String),
    /// Start again with a fresh cluster.
    Reset,
    /// Replace the session with a saved or shared journal.
    Load(Journal),
    /// Show a message.
    Notify(String),
    /// Hide the message.
    DismissNotice,
}

impl State {
    /// The state a journal replays to.
    pub fn from_journal(journal: Journal) -> Self {
        let (shell, transcript) = journal.replay();
        Self {
            shell: Rc::new(RefCell::new(shell)),
            journal,
            transcript,
            revision: 0,
            clock: ClockRun { playing: false, speed: 60, carry_ms: 0 },
            panel: Panel::Explorer,
            selected: None,
            token: None,
            pod: None,
            editor_text: String::new(),
            notice: None,
        }
    }

    /// The shell, to read (views ask it and its cluster).
    pub fn shell(&self) -> std::cell::Ref<'_, Shell> {
        self.shell.borrow()
    }

    /// The shell itself, shared (for work outside the reducer that only
    /// reads it, such as the warm-up's copy).
    pub fn shell_handle(&self) -> Rc<RefCell<Shell>> {
        Rc::clone(&self.shell)
    }

    /// The cluster's clock now.
    pub fn now(&self) -> Time {
        self.shell.borrow().cluster().now()
    }

    fn advance_to(&mut self, at: Time) {
        let now = self.now();
        if at.unix_seconds() <= now.unix_seconds() {
            return;
        }
        self.shell.borrow_mut().cluster_mut().advance_to(at);
        self.journal.push(Step::AdvanceTo { at: at.unix_seconds() });
        self.revision += 1;
    }

    fn cluster_next_deadline(&self) -> Option<Time> {
        let mut shell = self.shell.borrow_mut();
        let cluster: &mut Cluster = shell.cluster_mut();
        cluster.next_deadline()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run(command) if command.trim().is_empty() => {
                // An empty line: a new prompt, as a terminal shows it.
                let prompt = next.shell.borrow().prompt();
                next.transcript.push(Entry { prompt, command, output: saplay_shell::Output::default() });
            }
            Action::Run(command) => {
                let prompt = next.shell.borrow().prompt();
                let mut output = next.shell.borrow_mut().run(&command);
                next.journal.push(Step::Run { line: command.clone() });
                next.revision += 1;
                // `clear` empties the screen, as a terminal does with its
                // escape sequence.
                let cleared = output.chunks.iter().any(|(_, text)| text.contains(CLEAR_SCREEN));
                for (_, text) in &mut output.chunks {
                    *text = text.replace(CLEAR_SCREEN, "");
                }
                output.chunks.retain(|(_, text)| !text.is_empty());
                if cleared {
                    next.transcript.clear();
                } else {
                    next.transcript.push(Entry { prompt, command, output });
                }
            }
            Action::ClearScreen => next.transcript.clear(),
            Action::Advance(seconds) => {
                let at = Time::from_unix_seconds(next.now().unix_seconds().saturating_add(seconds.max(0)));
                next.advance_to(at);
            }
            Action::NextEvent => {
                if let Some(at) = next.cluster_next_deadline() {
                    next.advance_to(at);
                }
            }
            Action::Tick(ms) => {
                if !next.clock.playing {
                    return self;
                }
                let total = next.clock.carry_ms + ms * u64::from(next.clock.speed);
                let seconds = total / 1000;
                next.clock.carry_ms = total % 1000;
                if seconds > 0 {
                    let at = next.now().unix_seconds().saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX));
                    next.advance_to(Time::from_unix_seconds(at));
                }
            }
            Action::SetPlaying(playing) => {
                next.clock.playing = playing;
                next.clock.carry_ms = 0;
            }
            Action::SetSpeed(speed) => next.clock.speed = speed.clamp(1, 86_400),
            Action::ShowPanel(panel) => next.panel = panel,
            Action::Select(object) => {
                next.selected = Some(object);
                next.panel = Panel::Explorer;
            }
            Action::InspectToken(token) => {
                next.token = Some(token);
                next.panel = Panel::Token;
            }
            Action::InspectPod(pod) => {
                next.pod = Some(pod);
                next.panel = Panel::Pod;
            }
            Action::Edit(text) => {
                next.editor_text = text;
                next.panel = Panel::Editor;
            }
            Action::Reset => {
                let mut fresh = State::from_journal(Journal::default());
                fresh.revision = next.revision + 1;
                fresh.notice = Some("Started again with a fresh cluster.".to_string());
                return Rc::new(fresh);
            }
            Action::Load(journal) => {
                let mut loaded = State::from_journal(journal);
                loaded.revision = next.revision + 1;
                return Rc::new(loaded);
            }
            Action::Notify(message) => next.notice = Some(message),
            Action::DismissNotice => next.notice = None,
        }
        Rc::new(next)
    }
}
