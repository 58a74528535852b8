//! The `saplay` binary: `-c`, scripts from files and standard input,
//! `--echo`, `--seed`, `--start`, usage errors, and an interactive session
//! driven through a pseudo-terminal.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SAPLAY: &str = env!("CARGO_BIN_EXE_saplay");

fn saplay(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(SAPLAY)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start saplay: {e}"));
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("saplay-cli").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.to_string_lossy().into_owned()
}

#[test]
fn one_line_with_dash_c() {
    let (stdout, stderr, code) = saplay(&["-c", "kubectl get sa"], "");
    assert_eq!(stdout, "NAME      SECRETS   AGE\ndefault   0         0s\n");
    assert_eq!((stderr.as_str(), code), ("", 0));
    let (stdout, _, code) = saplay(&["-c", "echo a; false"], "");
    assert_eq!((stdout.as_str(), code), ("a\n", 1));
}

#[test]
fn a_script_on_standard_input_with_a_here_document() {
    let script = "cat <<EOF > /tmp/x\nhello\nEOF\ncat /tmp/x\nkubectl get sa nosuch\n";
    for args in [&["run", "-"][..], &[]] {
        let (stdout, stderr, code) = saplay(args, script);
        assert_eq!(stdout, "hello\n");
        assert_eq!(stderr, "Error from server (NotFound): serviceaccounts \"nosuch\" not found\n");
        assert_eq!(code, 1, "the last command's status");
    }
}

#[test]
fn a_script_file() {
    let dir = scratch("file");
    let file = write(&dir, "script.sh", "kubectl create sa build-robot\nkubectl get sa build-robot -o name\n");
    let (stdout, stderr, code) = saplay(&["run", &file], "");
    assert_eq!(stdout, "serviceaccount/build-robot created\nserviceaccount/build-robot\n");
    assert_eq!((stderr.as_str(), code), ("", 0));
    let empty = write(&dir, "empty.sh", "");
    assert_eq!(saplay(&["run", &empty], ""), (String::new(), String::new(), 0));
    let latin1 = dir.join("latin1.sh");
    fs::write(&latin1, b"echo caf\xe9\n").unwrap_or_else(|e| panic!("{e}"));
    let (stdout, _, code) = saplay(&["run", &latin1.to_string_lossy()], "");
    assert_eq!((stdout.as_str(), code), ("caf\u{fffd}\n", 0));
    let (_, stderr, code) = saplay(&["run", &dir.to_string_lossy()], "");
    assert!(stderr.starts_with("saplay: cannot open "), "{stderr}");
    assert_eq!(code, 2);
}

#[test]
fn a_syntax_error_stops_the_script_with_status_2() {
    let (stdout, stderr, code) = saplay(&["run", "-"], "echo before\necho a | | cat\necho after\n");
    assert_eq!(stdout, "before\n");
    assert_eq!(stderr, "sh: 1: Syntax error: \"|\" unexpected\n");
    assert_eq!(code, 2);
}

#[test]
fn echo_prints_each_command_before_its_output() {
    let script = "# a service account\nkubectl create sa build-robot\n\ncat <<EOF |\nx\nEOF\n  cat\nkubectl get sa nosuch 2>&1\n";
    let (stdout, stderr, code) = saplay(&["run", "--echo", "-"], script);
    assert_eq!(
        stdout,
        "# a service account\n$ kubectl create sa build-robot\nserviceaccount/build-robot created\n\
         $ cat <<EOF |\n> x\n> EOF\n>   cat\nx\n\
         $ kubectl get sa nosuch 2>&1\nError from server (NotFound): serviceaccounts \"nosuch\" not found\n"
    );
    assert_eq!((stderr.as_str(), code), ("", 1));
    let (stdout, _, _) = saplay(&["--echo", "-c", "echo hi"], "");
    assert_eq!(stdout, "$ echo hi\nhi\n");
}

/// The commands of a transcript as a script: `$ ` and `> ` lines without
/// their prompts, and the comments before commands.
fn script_of(transcript: &str) -> String {
    let mut script = String::new();
    // `> ` lines continue a command only right after its `$ ` line (output
    // such as `curl -v`'s may start with `> ` too).
    let mut in_command = false;
    let lines: Vec<&str> = transcript.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let continuation = line.strip_prefix("> ").or((*line == ">").then_some("")).filter(|_| in_command);
        let command = line.strip_prefix("$ ").or(continuation);
        in_command = command.is_some();
        // As the transcript test reads them: `#` lines are comments when
        // a command follows them; otherwise output (kubectl edit's header).
        let introduces_command =
            lines[i + 1..].iter().find(|l| !l.starts_with('#')).is_none_or(|l| l.starts_with("$ "));
        if let Some(command) = command {
            script.push_str(command);
            script.push('\n');
        } else if line.starts_with('#') && introduces_command {
            script.push_str(line);
            script.push('\n');
        }
    }
    script
}

#[test]
fn echo_replays_the_shell_transcripts() {
    // Both streams through one pipe, in write order, as a terminal shows
    // them; transcripts add `[exit N]` lines a terminal does not show.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shell/tests/transcripts");
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    let scratch = scratch("transcripts");
    let mut checked = 0;
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let transcript = fs::read_to_string(path).unwrap_or_default();
        // A syntax error ends a script but not a transcript.
        if transcript.contains("Syntax error") {
            continue;
        }
        let file = write(&scratch, "script.sh", &script_of(&transcript));
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("'{SAPLAY}' run --echo '{file}' 2>&1"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = String::from_utf8_lossy(&out.stdout);
        let expected: String =
            transcript.lines().filter(|l| !l.starts_with("[exit ")).map(|l| format!("{l}\n")).collect();
        let expected = expected.replace("\n>\n", "\n> \n");
        assert_eq!(shown, expected, "{}", path.display());
        checked += 1;
    }
    assert!(checked > 5, "only {checked} transcripts checked");
}

#[test]
fn seeds_give_different_uids_and_tokens() {
    let line = "kubectl get sa default -o yaml; kubectl create token default";
    let (seed1, _, _) = saplay(&["--seed", "1", "-c", line], "");
    let (seed2, _, _) = saplay(&["-c", line, "--seed", "2"], "");
    let (again, _, _) = saplay(&["run", "--seed", "1", "-"], line);
    let uid = |text: &str| text.lines().find(|l| l.trim_start().starts_with("uid:")).map(str::to_string);
    assert!(uid(&seed1).is_some(), "{seed1}");
    assert_ne!(uid(&seed1), uid(&seed2));
    assert_ne!(seed1.lines().last(), seed2.lines().last(), "tokens");
    assert_eq!(seed1, again, "the same seed gives the same run");
}

#[test]
fn start_sets_the_clock() {
    let (stdout, _, code) = saplay(&["--start", "2026-11-29T12:34:56Z", "-c", "date; sleep 1h; date"], "");
    assert_eq!(stdout, "Sun Nov 29 12:34:56 UTC 2026\nSun Nov 29 13:34:56 UTC 2026\n");
    assert_eq!(code, 0);
    let (stdout, _, _) = saplay(&["run", "-", "--start", "2025-06-01T02:00:00+02:00"], "date\n");
    assert_eq!(stdout, "Sun Jun  1 00:00:00 UTC 2025\n");
    let (stdout, _, _) = saplay(&["-c", "date"], "");
    assert_eq!(stdout, "Wed Jan  1 00:00:00 UTC 2025\n", "the default start");
}

#[test]
fn usage_errors_exit_2_as_clap_does() {
    let (stdout, stderr, code) = saplay(&["--bogus"], "");
    assert_eq!(stdout, "");
    assert!(stderr.starts_with("error: unexpected argument '--bogus' found"), "{stderr}");
    assert!(stderr.contains("Usage: saplay"), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["--start", "yesterday", "-c", "date"], "");
    assert!(stderr.starts_with("error: invalid value 'yesterday' for '--start <RFC3339>'"), "{stderr}");
    assert!(stderr.contains("2025-01-01T00:00:00Z"), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["--seed", "-1", "-c", "date"], "");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["--seed", "99999999999999999999999", "-c", "date"], "");
    assert!(stderr.contains("invalid value"), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["-c", "date", "run", "x"], "");
    assert!(stderr.starts_with("error: -c cannot be used with 'run'"), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["run"], "");
    assert!(stderr.contains("<FILE>"), "{stderr}");
    assert_eq!(code, 2);

    let (_, stderr, code) = saplay(&["run", "/nonexistent/script.sh"], "");
    assert_eq!(stderr, "saplay: cannot open /nonexistent/script.sh: No such file or directory (os error 2)\n");
    assert_eq!(code, 2);
}

#[test]
fn help_and_version() {
    let (stdout, _, code) = saplay(&["--help"], "");
    assert!(stdout.contains("Usage: saplay [OPTIONS] [COMMAND]"), "{stdout}");
    assert!(stdout.contains("--seed <N>") && stdout.contains("--start <RFC3339>") && stdout.contains("--echo"));
    assert_eq!(code, 0);
    let (stdout, _, code) = saplay(&["--version"], "");
    assert_eq!((stdout.as_str(), code), (concat!("saplay ", env!("CARGO_PKG_VERSION"), "\n"), 0));
}

/// A session on a pseudo-terminal: prompts, Tab completion, continuation
/// lines, Ctrl-C, history and `exit`.
#[test]
fn interactive_session_on_a_terminal() -> Result<(), rexpect::error::Error> {
    let home = scratch("home");
    let mut command = Command::new(SAPLAY);
    command.env("HOME", &home).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000))?;
    p.exp_string("$ ")?;
    p.send_line("kubectl create sa build-robot")?;
    p.exp_string("serviceaccount/build-robot created")?;
    p.exp_string("$ ")?;

    // One candidate: Tab completes the name and adds a space.
    p.send("kubectl get sa bu\t")?;
    p.flush()?;
    p.exp_string("build-robot ")?;
    p.send_line("-o name")?;
    p.exp_string("serviceaccount/build-robot")?;
    p.exp_string("$ ")?;

    // Several: Tab twice lists them; Ctrl-C drops the line.
    p.send("kubectl get s\t\t")?;
    p.flush()?;
    p.exp_string("serviceaccounts")?;
    p.send_control('c')?;
    // The line editor leaves its line (bracketed paste off) before the
    // next prompt; typing earlier would be flushed with the old line.
    p.exp_string("\x1b[?2004l")?;
    p.exp_string("$ ")?;

    // An open quote asks for more on a `> ` line.
    p.send_line("echo 'one")?;
    p.exp_string("> ")?;
    p.send_line("two'")?;
    p.exp_string("one\r\ntwo")?;
    p.exp_string("$ ")?;

    // Output without a final newline stays on the screen.
    p.send_line("echo -n no-; echo -n newline")?;
    p.exp_string("no-newline\r\n")?;
    p.exp_string("$ ")?;

    // A here-document.
    p.send_line("cat <<EOF")?;
    p.exp_string("> ")?;
    p.send_line("in the body")?;
    p.exp_string("> ")?;
    p.send_line("EOF")?;
    p.exp_string("in the body")?;
    p.exp_string("$ ")?;

    p.send_line("exit 3")?;
    p.exp_eof()?;
    let status = p.process_mut().wait()?;
    assert!(matches!(status, rexpect::process::WaitStatus::Exited(_, 3)), "{status:?}");

    let history = fs::read_to_string(home.join(".saplay_history")).unwrap_or_default();
    assert!(history.contains("kubectl get sa build-robot -o name"), "{history}");
    assert!(history.contains("exit 3"), "{history}");
    Ok(())
}

#[test]
fn interactive_without_history_file_and_ctrl_d() -> Result<(), rexpect::error::Error> {
    let home = scratch("home-no-history");
    let mut command = Command::new(SAPLAY);
    command.arg("--no-history").env("HOME", &home).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000))?;
    p.exp_string("$ ")?;
    p.send_line("false")?;
    p.exp_string("$ ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    let status = p.process_mut().wait()?;
    assert!(matches!(status, rexpect::process::WaitStatus::Exited(_, 1)), "{status:?}");
    assert!(!home.join(".saplay_history").exists());
    Ok(())
}

#[test]
fn interactive_pod_shell_changes_the_prompt_until_exit() -> Result<(), rexpect::error::Error> {
    let home = scratch("home-pod-shell");
    let mut command = Command::new(SAPLAY);
    command.arg("--no-history").env("HOME", &home).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(command, Some(20_000))?;
    p.exp_string("$ ")?;
    p.send_line("kubectl run web --image=nginx")?;
    p.exp_string("pod/web created")?;
    p.exp_string("$ ")?;
    p.send_line("kubectl exec -it web -- sh")?;
    p.exp_string("# ")?;
    p.send_line("cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo")?;
    p.exp_string("default")?;
    p.exp_string("# ")?;
    // Ctrl-D leaves the pod's shell, not saplay.
    p.send_control('d')?;
    p.exp_string("$ ")?;
    p.send_line("hostname")?;
    p.exp_string("workstation")?;
    p.exp_string("$ ")?;
    p.send_line("exit")?;
    p.exp_eof()?;
    let status = p.process_mut().wait()?;
    assert!(matches!(status, rexpect::process::WaitStatus::Exited(_, 0)), "{status:?}");
    Ok(())
}
