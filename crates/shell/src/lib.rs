//! The playground's shell: text in, text out, over a simulated cluster.
//!
//! A [`Shell`] owns a [`Cluster`] and runs command lines the way a learner
//! types them in a terminal. It never touches files, terminals or the DOM:
//! the browser UI and the native `saplay` CLI feed it lines and print what it
//! returns.
//!
//! Invariant: no IO; the only state is the shell's own and the cluster's.

mod arith;
pub mod complete;
mod coreutils;
pub mod curl;
pub mod exec;
pub mod files;
mod jq;
pub mod kubectl;
pub mod links;
mod ls;
pub mod machine;
pub mod syntax;
pub mod yaml;

use saplay_cluster::Cluster;

/// Which stream text was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What one command line printed, in the order it was written, and how it
/// ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The text as a terminal shows it: runs of one stream, in order.
    pub chunks: Vec<(Stream, String)>,
    /// The exit status, as `$?` would show it.
    pub exit_code: i32,
    /// `exit` ran in the terminal's own shell (not in a pod shell, which
    /// it leaves): a terminal session ends here.
    pub exit_requested: bool,
}

impl Output {
    /// Nothing printed, with status `exit_code`.
    pub fn status(exit_code: i32) -> Self {
        Self { chunks: Vec::new(), exit_code, exit_requested: false }
    }

    /// Appends `text` to `stream`.
    pub fn push(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((last, existing)) if *last == stream => existing.push_str(text),
            _ => self.chunks.push((stream, text.to_string())),
        }
    }

    /// Everything written to standard output.
    pub fn stdout(&self) -> String {
        self.text_of(Stream::Stdout)
    }

    /// Everything written to standard error.
    pub fn stderr(&self) -> String {
        self.text_of(Stream::Stderr)
    }

    fn text_of(&self, stream: Stream) -> String {
        self.chunks.iter().filter(|(s, _)| *s == stream).map(|(_, t)| t.as_str()).collect()
    }

    /// Removes and returns everything written to `stream`.
    pub fn take(&mut self, stream: Stream) -> String {
        let text = self.text_of(stream);
        self.chunks.retain(|(s, _)| *s != stream);
        self.merge();
        text
    }

    /// Sends what was written to `from` to `to` instead (`2>&1`), in place.
    pub fn redirect(&mut self, from: Stream, to: Stream) {
        for (s, _) in &mut self.chunks {
            if *s == from {
                *s = to;
            }
        }
        self.merge();
    }

    /// Appends another output's chunks.
    pub fn append(&mut self, other: Output) {
        for (stream, text) in other.chunks {
            self.push(stream, &text);
        }
    }

    fn merge(&mut self) {
        let chunks = std::mem::take(&mut self.chunks);
        for (stream, text) in chunks {
            self.push(stream, &text);
        }
    }

    /// The same output with `text` added on standard output.
    pub fn with_stdout(mut self, text: &str) -> Self {
        self.push(Stream::Stdout, text);
        self
    }

    /// The terminal text: all chunks in order.
    pub fn terminal_text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
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
        let entered = line.trim_end_matches('\n');
        if !entered.trim().is_empty() {
            self.session.history.push(entered.to_string());
        }
        exec::run(&mut self.cluster, &mut self.session, line)
    }

    /// The prompt to show before the next command: `$ ` on the
    /// workstation, the container shell's inside `kubectl exec -it`.
    pub fn prompt(&self) -> String {
        self.session.prompt()
    }

    /// Runs `kubectl ARGS…` for a view (the explorer's describe and YAML)
    /// on a copy of the cluster: what it prints, leaving no trace in the
    /// cluster's audit log, the history or the session.
    pub fn observe(&self, args: &[&str]) -> Output {
        let mut cluster = self.cluster.clone();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        kubectl::Kubectl::new(&mut cluster).run(&args)
    }

    /// The shell's state (variables, files, history).
    pub fn session(&self) -> &exec::Session {
        &self.session
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
        assert_eq!(out.stderr(), "sh: frobnicate: command not found\n");
        assert_eq!(out.exit_code, 127);
        assert_eq!(out.stdout(), "");
    }

    #[test]
    fn exit_ends_the_terminal_session_with_a_byte_status() {
        for (line, status, requested) in [
            ("exit", 0, true),
            ("false; exit", 1, true),
            ("exit 3; echo not here", 3, true),
            ("exit 256", 0, true),
            ("exit -1", 2, false),
            ("exit x", 2, false),
            ("(exit 4)", 4, false),
            ("echo $(exit 5)", 0, false),
        ] {
            let out = shell().run(line);
            assert_eq!((out.exit_code, out.exit_requested), (status, requested), "{line}");
            assert!(!out.stdout().contains("not here"));
        }
    }

    #[test]
    fn echo_prints_its_arguments() {
        assert_eq!(shell().run("echo hello  world").stdout(), "hello world\n");
    }

    #[test]
    fn output_keeps_the_order_of_writes() {
        let mut out = Output::default();
        out.push(Stream::Stderr, "warn\n");
        out.push(Stream::Stdout, "a");
        out.push(Stream::Stdout, "b\n");
        out.push(Stream::Stderr, "err\n");
        assert_eq!(out.terminal_text(), "warn\nab\nerr\n");
        assert_eq!(out.chunks.len(), 3);
        out.redirect(Stream::Stderr, Stream::Stdout);
        assert_eq!(out.chunks, vec![(Stream::Stdout, "warn\nab\nerr\n".to_string())]);
    }

    #[test]
    fn empty_line_prints_nothing_and_succeeds() {
        assert_eq!(shell().run("   "), Output::default());
    }
}
