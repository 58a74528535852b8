//! The `saplay` binary: one line with `-c`, a script on standard input,
//! exit status from the last command.

use std::io::Write;
use std::process::{Command, Stdio};

fn saplay(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saplay"))
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

#[test]
fn one_line_with_dash_c() {
    let (stdout, stderr, code) = saplay(&["-c", "kubectl get sa"], "");
    assert_eq!(stdout, "NAME      SECRETS   AGE\ndefault   0         0s\n");
    assert_eq!((stderr.as_str(), code), ("", 0));
}

#[test]
fn a_script_on_standard_input_with_a_here_document() {
    let script = "cat <<EOF > /tmp/x\nhello\nEOF\ncat /tmp/x\nkubectl get sa nosuch\n";
    let (stdout, stderr, code) = saplay(&["run", "-"], script);
    assert_eq!(stdout, "hello\n");
    assert_eq!(stderr, "Error from server (NotFound): serviceaccounts \"nosuch\" not found\n");
    assert_eq!(code, 1, "the last command's status");
}

#[test]
fn usage_errors() {
    let (_, stderr, code) = saplay(&["--bogus", "x", "y"], "");
    assert!(stderr.contains("usage: saplay"), "{stderr}");
    assert_ne!(code, 0);
}
