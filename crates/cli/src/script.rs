//! Running a script as `sh` does: one top-level command at a time.
//!
//! A script is cut into top-level commands at the newlines where the shell
//! has a complete command (a here-document stays with its command, a
//! quoted newline or a trailing `|`, `&&`, `\` continues it). Each runs in
//! the same session, so `$?`, variables and files carry over; a syntax
//! error stops the script with status 2, as dash stops. With `--echo`
//! each command is printed first, `$ ` before its first line and `> `
//! before the others, so the output reads like a terminal session (and
//! like the shell crate's transcripts).

use std::io::{self, Write};

use saplay_shell::syntax;
use saplay_shell::{Output, Shell, Stream};

/// Splits `source` into its top-level commands, each with its own lines
/// (comment and blank lines come out as commands of their own).
pub fn split(source: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current: Option<String> = None;
    let body = source.strip_suffix('\n').unwrap_or(source);
    if source.is_empty() {
        return commands;
    }
    for line in body.split('\n') {
        let text = match current.take() {
            Some(mut open) => {
                open.push('\n');
                open.push_str(line);
                open
            }
            None => line.to_string(),
        };
        if syntax::is_incomplete(&text) {
            current = Some(text);
        } else {
            commands.push(text);
        }
    }
    // Unfinished at the end of the file: the shell reports it (or ends the
    // here-document there, as dash does).
    commands.extend(current);
    commands
}

/// Whether `command` has nothing to run: only blank and `#` lines.
fn is_comment(command: &str) -> bool {
    command.lines().all(|l| {
        let l = l.trim_start();
        l.is_empty() || l.starts_with('#')
    })
}

/// The echo of `command` as a terminal shows it while typed.
pub fn echo_lines(command: &str) -> String {
    let mut out = String::new();
    for (i, line) in command.split('\n').enumerate() {
        out.push_str(if i == 0 { "$ " } else { "> " });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Where a run writes: the process's stdout and stderr, or buffers in
/// tests.
pub trait Terminal {
    /// Writes `text` to `stream`, at once.
    fn write(&mut self, stream: Stream, text: &str) -> io::Result<()>;
}

/// The process's standard output and error.
pub struct Stdio;

impl Terminal for Stdio {
    fn write(&mut self, stream: Stream, text: &str) -> io::Result<()> {
        match stream {
            Stream::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(text.as_bytes())?;
                out.flush()
            }
            Stream::Stderr => io::stderr().lock().write_all(text.as_bytes()),
        }
    }
}

/// Prints what a command wrote, in order. `kubectl edit`'s request for
/// the page's editor is shown as the text it would edit, with a note on
/// how to save it here.
pub fn print(terminal: &mut dyn Terminal, output: &Output) -> io::Result<()> {
    for (stream, text) in &output.chunks {
        let mut text = text.clone();
        match saplay_shell::kubectl::edit::take_editor_request(&mut text) {
            Some(request) => {
                terminal.write(*stream, &text)?;
                terminal.write(Stream::Stdout, &request.as_text())?;
            }
            None => terminal.write(*stream, &text)?,
        }
    }
    Ok(())
}

/// Runs `source` in `shell`, printing as it goes; returns the exit status
/// of the last command (0 for a script with none).
pub fn run(shell: &mut Shell, source: &str, echo: bool, terminal: &mut dyn Terminal) -> io::Result<i32> {
    let mut status = 0;
    for command in split(source) {
        if is_comment(&command) {
            if echo {
                let comments: String =
                    command.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect();
                terminal.write(Stream::Stdout, &comments)?;
            }
            continue;
        }
        if echo {
            terminal.write(Stream::Stdout, &echo_lines(&command))?;
        }
        let output = shell.run(&command);
        print(terminal, &output)?;
        status = output.exit_code;
        if output.exit_requested {
            break;
        }
        if syntax::parse(&command).is_err() {
            // A non-interactive shell stops at a syntax error.
            return Ok(2);
        }
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use saplay_cluster::{Cluster, ClusterConfig};

    #[test]
    fn commands_end_where_the_shell_has_a_whole_command() {
        let script = "# set-up\nkubectl get sa\n\ncat <<EOF | grep a\na\nb\nEOF\necho 'x\ny' &&\n  echo z |\n  cat\necho a \\\n  b; echo c\n";
        assert_eq!(
            split(script),
            [
                "# set-up",
                "kubectl get sa",
                "",
                "cat <<EOF | grep a\na\nb\nEOF",
                "echo 'x\ny' &&\n  echo z |\n  cat",
                "echo a \\\n  b; echo c",
            ]
        );
    }

    #[test]
    fn unfinished_input_at_the_end_is_one_last_command() {
        assert_eq!(split("echo a\necho 'b\nc"), ["echo a", "echo 'b\nc"]);
        assert_eq!(split("cat <<EOF\nbody"), ["cat <<EOF\nbody"]);
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("\n"), [""]);
        assert_eq!(split("no newline"), ["no newline"]);
    }

    #[test]
    fn echo_shows_continuation_prompts() {
        assert_eq!(echo_lines("cat <<EOF\nhi\nEOF"), "$ cat <<EOF\n> hi\n> EOF\n");
        assert_eq!(echo_lines("echo a |\n\n cat"), "$ echo a |\n> \n>  cat\n");
    }

    /// Both streams in one buffer, with `[stderr]` marks.
    #[derive(Default)]
    struct Buffer(String);

    impl Terminal for Buffer {
        fn write(&mut self, stream: Stream, text: &str) -> io::Result<()> {
            if stream == Stream::Stderr {
                self.0.push_str("[stderr]");
            }
            self.0.push_str(text);
            Ok(())
        }
    }

    fn run_script(source: &str, echo: bool) -> (String, i32) {
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        let mut buffer = Buffer::default();
        let status = run(&mut shell, source, echo, &mut buffer).unwrap_or(-1);
        (buffer.0, status)
    }

    #[test]
    fn a_run_keeps_the_session_and_ends_with_the_last_status() {
        let (out, status) = run_script("X=1\nfalse\necho $? $X\n# the end\n", true);
        assert_eq!(out, "$ X=1\n$ false\n$ echo $? $X\n1 1\n# the end\n");
        assert_eq!(status, 0);
        assert_eq!(run_script("echo a\nfalse\n\n", false), ("a\n".to_string(), 1));
        assert_eq!(run_script("", false), (String::new(), 0));
    }

    #[test]
    fn a_syntax_error_stops_the_script() {
        let (out, status) = run_script("echo a\necho a | | cat\necho b\n", false);
        assert_eq!(out, "a\n[stderr]sh: 1: Syntax error: \"|\" unexpected\n");
        assert_eq!(status, 2);
        let (out, status) = run_script("echo a\necho 'b\n", false);
        assert_eq!(out, "a\n[stderr]sh: 1: Syntax error: Unterminated quoted string\n");
        assert_eq!(status, 2);
    }
}
