//! The UI's one state and the actions that change it.
//!
//! Components never change state themselves: they dispatch an [`Action`] and
//! [`State::reduce`] applies it, asking the shell for every answer.

use std::cell::RefCell;
use std::rc::Rc;

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::{Output, Shell};
use yew::Reducible;

/// One command the learner ran and what it printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The command line as typed.
    pub command: String,
    /// What the shell answered.
    pub output: Output,
}

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct State {
    /// The shell session (and through it the cluster). Shared, not cloned,
    /// between successive states: cloning a cluster per keystroke would be
    /// wasteful.
    shell: Rc<RefCell<Shell>>,
    /// The terminal's transcript, oldest first.
    pub transcript: Vec<Entry>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            shell: Rc::new(RefCell::new(Shell::new(Cluster::new(ClusterConfig::default())))),
            transcript: Vec::new(),
        }
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shell, &other.shell) && self.transcript == other.transcript
    }
}

/// What a learner can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run one command line in the terminal.
    Run(String),
    /// Clear the terminal's transcript (the cluster stays as it is).
    Clear,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run(command) => {
                let output = next.shell.borrow_mut().run(&command);
                next.transcript.push(Entry { command, output });
            }
            Action::Clear => next.transcript.clear(),
        }
        Rc::new(next)
    }
}
