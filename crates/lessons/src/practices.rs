//! The best-practice checker: findings over the live cluster, following
//! the chapter's DO/DON'T list and its risk table.
//!
//! Check names are Polaris' or kubeaudit's where one of them has the
//! check, else our own kebab-case names (docs/EXERCISES.md lists which).
//! Every finding carries a fix: shell command lines that remove it.

use saplay_cluster::Cluster;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Opens a path to cluster compromise or privilege escalation.
    Danger,
    /// Against the chapter's advice.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `danger`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Danger => "danger",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's name (Polaris / kubeaudit where one exists).
    pub check: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The object, e.g. `pod default/web`, `clusterrolebinding ci-admin`.
    pub object: String,
    /// Why it matters, in one or two sentences.
    pub why: String,
    /// The chapter lesson's step that explains it.
    pub lesson_step: Option<&'static str>,
    /// Shell command lines that fix it, run in order.
    pub fix: Vec<String>,
}

/// Every check name the checker can report.
pub const CHECKS: &[&str] = &[];

/// The findings on `cluster` now, most severe first.
pub fn best_practices(cluster: &Cluster) -> Vec<Finding> {
    let _ = cluster;
    Vec::new()
}
