//! `saplay check`: every shipped exercise passes with its solution and
//! fails with an empty one; results, exit statuses and file errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SAPLAY: &str = env!("CARGO_BIN_EXE_saplay");

fn saplay(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(SAPLAY).args(args).output().unwrap_or_else(|e| panic!("cannot start saplay: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("saplay-check").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

#[test]
fn every_shipped_exercise_passes_with_its_solution_and_fails_without() {
    let empty = scratch("empty").join("empty.sh");
    fs::write(&empty, "").unwrap_or_else(|e| panic!("{e}"));
    for (path, _) in saplay_lessons::SHIPPED {
        let exercise = web().join(path);
        let name = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let solution = web().join("exercises/solutions").join(format!("{name}.sh"));
        let (out, err, code) =
            saplay(&["check", &exercise.to_string_lossy(), "--solution", &solution.to_string_lossy()]);
        assert_eq!(code, 0, "{path}:\n{out}{err}");
        assert_eq!(err, "", "{path}");
        assert!(!out.contains('✗'), "{path}:\n{out}");
        let (out, _, code) = saplay(&["check", &exercise.to_string_lossy(), "--solution", &empty.to_string_lossy()]);
        assert_eq!(code, 1, "{path}:\n{out}");
        assert!(!out.contains('✓'), "{path}: a goal is met by the setup alone:\n{out}");
    }
}

const EXERCISE: &str = "id: tiny
title: Tiny
goals:
  - id: sa
    description: Service account app exists.
    check:
      object: {kind: sa, name: app}
  - id: ran
    description: You listed service accounts.
    check:
      ran: {pattern: 'kubectl get sa'}
";

#[test]
fn results_show_each_goal_with_its_detail() {
    let dir = scratch("tiny");
    let exercise = dir.join("tiny.yaml");
    fs::write(&exercise, EXERCISE).unwrap_or_else(|e| panic!("{e}"));
    let half = dir.join("half.sh");
    fs::write(&half, "kubectl create sa app\n").unwrap_or_else(|e| panic!("{e}"));
    let (out, _, code) = saplay(&["check", &exercise.to_string_lossy(), "--solution", &half.to_string_lossy()]);
    assert_eq!(
        out,
        "Tiny\n✓ sa: Service account app exists. (sa app exists)\n✗ ran: You listed service accounts. (no command matching /kubectl get sa/ yet)\n1 of 2 goals met\n"
    );
    assert_eq!(code, 1);
    let (out, _, code) =
        saplay(&["check", &exercise.to_string_lossy(), "--echo", "--solution", &half.to_string_lossy()]);
    assert!(out.starts_with("$ kubectl create sa app\nserviceaccount/app created\n\nTiny\n"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn a_bad_exercise_is_an_error_with_its_line() {
    let dir = scratch("bad");
    let exercise = dir.join("bad.yaml");
    fs::write(&exercise, EXERCISE.replace("    description: You listed", "    descripton: You listed"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (out, err, code) = saplay(&["check", &exercise.to_string_lossy()]);
    assert_eq!(out, "");
    assert!(
        err.starts_with(&format!(
            "saplay: {}: line 9, column 5: goals[1]: unknown field `descripton`",
            exercise.display()
        )),
        "{err}"
    );
    assert_eq!(code, 2);
    let (_, err, code) = saplay(&["check", "/nonexistent/x.yaml"]);
    assert!(err.starts_with("saplay: cannot open /nonexistent/x.yaml"), "{err}");
    assert_eq!(code, 2);
}
