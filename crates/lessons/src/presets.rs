//! Presets for the chapter's typical usage: a service account, its RBAC
//! and a pod for Prometheus, Jenkins, Argo CD and an operator, loadable
//! with one click (their command lines run in the learner's shell).

/// One preset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    /// Its id (kebab-case).
    pub id: &'static str,
    /// A title for the list.
    pub title: &'static str,
    /// What the workload does with the API, in a sentence or two.
    pub description: &'static str,
    /// The manifests (YAML, `---` separated).
    pub manifest: &'static str,
    /// Commands to try afterwards (can-i, the checker's view).
    pub explore: &'static [&'static str],
}

impl Preset {
    /// The command lines that load it: `kubectl apply` of the manifests.
    pub fn lines(&self) -> Vec<String> {
        vec![format!("kubectl apply -f - <<'SAPLAY_EOF'\n{}\nSAPLAY_EOF", self.manifest.trim_end_matches('\n'))]
    }
}

/// The presets.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

static PRESETS: &[Preset] = &[];
