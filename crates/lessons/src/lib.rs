//! Lessons, labs and exercises for the playground.
//!
//! An [`Exercise`] is read from YAML ([`Exercise::from_yaml`], the format
//! of docs/EXERCISES.md), started on a shell ([`Exercise::start`]) and
//! evaluated against the live cluster and what the learner ran
//! ([`Exercise::evaluate`]). [`best_practices`] is the checker the
//! chapter's DO/DON'T list asks for; [`presets`] load the chapter's
//! typical workloads.
//!
//! Invariant: pure like the cluster and the shell (no IO, no clock, no
//! DOM), and evaluation only reads: it takes `&Shell`/`&Cluster`, so a
//! check never writes an audit entry or changes the cluster.

pub mod check;
mod commands;
pub mod format;
pub mod practices;
pub mod presets;

pub use check::{Check, Outcome, TokenRef};
pub use format::{Exercise, ExerciseError, Goal, GoalResult, Setup, Step, TryIt};
pub use practices::{best_practices, Finding, Severity};
pub use presets::{presets, Preset};

/// Exercises shipped in `web/exercises/`, in the index's order, as
/// (path relative to `web/`, title). The chapter lesson comes first;
/// `web/exercises/index.json` lists the same (a test keeps them in sync).
pub const SHIPPED: &[(&str, &str)] = &[
    ("exercises/00-chapter.yaml", "Service accounts: the chapter"),
    ("exercises/10-lab-default-sa.yaml", "Risk lab: the default account's excess permissions"),
    ("exercises/11-lab-leaked-token.yaml", "Risk lab: a leaked token used from outside"),
    ("exercises/12-lab-pod-escalation.yaml", "Risk lab: creating pods to steal a token"),
    ("exercises/13-lab-legacy-token.yaml", "Risk lab: a static token that never expires"),
    ("exercises/20-least-privilege.yaml", "A dedicated account with least privilege"),
    ("exercises/21-short-lived-token.yaml", "A short-lived token with curl"),
    ("exercises/22-automount.yaml", "No token where none is needed: account or pod"),
    ("exercises/23-kubeconfig.yaml", "A kubeconfig for a CI system"),
];
