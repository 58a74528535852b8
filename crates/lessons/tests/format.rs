//! The exercise format: strict parsing with line-numbered errors, and the
//! simplest checks end to end on a real shell.

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_lessons::Exercise;
use saplay_shell::Shell;

const SMALL: &str = r#"id: small
title: A small exercise
description: Create a service account.
setup:
  commands:
    - kubectl create namespace team
steps:
  - id: create
    title: Create it
    text: Run `kubectl create serviceaccount app -n team`.
    try-it:
      - terminal:
          command: kubectl create serviceaccount app -n team
    goals: [sa-exists, ran-create]
goals:
  - id: sa-exists
    description: The service account team/app exists.
    check:
      object: {kind: serviceaccount, namespace: team, name: app}
  - id: ran-create
    description: You created it with kubectl.
    check:
      ran: {pattern: 'kubectl create (serviceaccount|sa) app'}
"#;

fn shell() -> Shell {
    Shell::new(Cluster::new(ClusterConfig::default()))
}

#[test]
fn a_small_exercise_is_met_only_after_its_action() {
    let exercise = Exercise::from_yaml(SMALL).expect("parses");
    let mut shell = shell();
    let outputs = exercise.start(&mut shell);
    assert!(outputs.iter().all(|o| o.exit_code == 0), "{outputs:?}");
    let before = exercise.evaluate(&shell);
    assert!(before.iter().all(|r| !r.met), "{before:?}");
    shell.run("kubectl create serviceaccount app -n team");
    let after = exercise.evaluate(&shell);
    assert!(after.iter().all(|r| r.met), "{after:?}");
}

#[test]
fn setup_commands_do_not_count_as_the_learners() {
    let text = SMALL.replace(
        "- kubectl create namespace team",
        "- kubectl create namespace team\n    - kubectl create sa app -n team",
    );
    let exercise = Exercise::from_yaml(&text).expect("parses");
    let mut shell = shell();
    exercise.start(&mut shell);
    let results = exercise.evaluate(&shell);
    assert!(results[0].met);
    assert!(!results[1].met, "{results:?}");
}

#[test]
fn errors_name_their_line() {
    let cases = [
        (SMALL.replace("    text: Run", "    txet: Run"), 10, "unknown field `txet`"),
        (SMALL.replace("[sa-exists, ran-create]", "[sa-exists, nope]"), 14, "names goal \"nope\""),
        (SMALL.replace("ran: {pattern", "ran-it: {pattern"), 23, "unknown variant `ran-it`"),
        (SMALL.replace("id: small", "id: Small One"), 1, "kebab-case"),
        (SMALL.replace("(serviceaccount|sa)", "(serviceaccount"), 20, "ran:"),
        (SMALL.replace("title: Create it", "title: [Create"), 9, ""),
    ];
    for (text, line, words) in cases {
        let err = Exercise::from_yaml(&text).expect_err("must fail");
        assert_eq!(err.line, Some(line), "{err}");
        assert!(err.to_string().contains(words), "{err}");
        assert!(err.to_string().starts_with(&format!("line {line}")), "{err}");
    }
}
