//! The playground's shell: text in, text out, over a simulated cluster.
//!
//! A [`Shell`] owns a [`Cluster`] and runs command lines the way a learner
//! types them in a terminal. It never touches files, terminals or the DOM:
//! the browser UI and the native `saplay` CLI feed it lines and print what it
//! returns.
//!
//! Invariant: no IO; the only state is the shell's own and the cluster's.

pub mod curl;
pub mod exec;
pub mod kubectl;
pub mod syntax;
pub mod yaml;

use saplay_cluster::Cluster;

/// What one command line printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Text written to standard output.
    pub stdout: String,
    /// Text written to standard error.
    pub stderr: String,
    /// The exit status, as `$?` would show it.
    pub exit_code: i32,
}

/// A shell session over one simulated cluster.
#[derive(Debug, Clone)]
pub struct Shell {
    cluster: Cluster,
    session: exec::Session,
}

impl Shell {
    /// Starts a shell session on `cluster`.
    pub fn new(cluster: Cluster) -> Self {
        Self { cluster, session: exec::Session::default() }
    }

    /// The cluster this shell talks to.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster, to change (the UI's clock).
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// Runs one command line (or a script of several lines) and returns
    /// what it printed.
    pub fn run(&mut self, line: &str) -> Output {
        exec::run(&mut self.cluster, &mut self.session, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saplay_cluster::ClusterConfig;

    fn shell() -> Shell {
        Shell::new(Cluster::new(ClusterConfig::default()))
    }

    #[test]
    fn unknown_command_is_not_found_with_status_127() {
        let out = shell().run("frobnicate --now");
        assert_eq!(out.stderr, "sh: frobnicate: command not found\n");
        assert_eq!(out.exit_code, 127);
        assert_eq!(out.stdout, "");
    }

    #[test]
    fn echo_prints_its_arguments() {
        assert_eq!(shell().run("echo hello  world").stdout, "hello world\n");
    }

    #[test]
    fn empty_line_prints_nothing_and_succeeds() {
        assert_eq!(shell().run("   "), Output::default());
    }
}
