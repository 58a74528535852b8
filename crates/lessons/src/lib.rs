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
pub const SHIPPED: &[(&str, &str)] = &[("exercises/00-chapter.yaml", "Service accounts: the chapter")];
