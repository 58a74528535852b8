//! The exercise format: strict parsing with line-numbered errors, and the
//! simplest checks end to end on a real shell.

mod common;
use common::Must;

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
    let exercise = Exercise::from_yaml(SMALL).must("parses");
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
    let exercise = Exercise::from_yaml(&text).must("parses");
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
        let err = Exercise::from_yaml(&text).err().must("must fail");
        assert_eq!(err.line, Some(line), "{err}");
        assert!(err.to_string().contains(words), "{err}");
        assert!(err.to_string().starts_with(&format!("line {line}")), "{err}");
    }
}

fn schema() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/exercise.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).must("schema")).must("schema is JSON")
}

#[test]
fn the_schema_names_every_check_the_parser_takes() {
    let schema = schema();
    let kinds: Vec<String> = schema["$defs"]["check"]["oneOf"]
        .as_array()
        .must("oneOf")
        .iter()
        .filter_map(|c| c["required"][0].as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds.len(), 14);
    // Each kind the schema lists is one the parser knows: an unknown one
    // is "unknown variant", a known one with no fields "missing field" or
    // a type error.
    for kind in &kinds {
        let text = format!("id: x\ntitle: X\ngoals:\n  - id: g\n    description: d\n    check:\n      {kind}: {{}}\n");
        let err = Exercise::from_yaml(&text).err().map(|e| e.message).unwrap_or_default();
        assert!(!err.contains("unknown variant"), "{kind}: {err}");
    }
    let err =
        Exercise::from_yaml("id: x\ntitle: X\ngoals:\n  - id: g\n    description: d\n    check:\n      nope: {}\n")
            .err()
            .must("unknown");
    for kind in &kinds {
        assert!(err.message.contains(&format!("`{kind}`")), "{kind} not in: {}", err.message);
    }
    // And each kind the parser takes is in the schema.
    let expected = err.message.split("expected").nth(1).must("the parser's kinds");
    for taken in expected.split('`').skip(1).step_by(2) {
        assert!(kinds.iter().any(|k| k == taken), "the schema lacks `{taken}`");
    }
    let findings: Vec<&str> = schema["$defs"]["check"]["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["required"][0] == "no-finding")
        .and_then(|c| c["properties"]["no-finding"]["properties"]["check"]["enum"].as_array())
        .must("no-finding's enum")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(findings, saplay_lessons::practices::CHECKS);
}

#[test]
fn bad_values_are_refused_with_the_goal_line() {
    for (check, words) in [
        ("token-issued: {service-account: a, min: 5x}", "bad duration"),
        ("object: {kind: gadgets, name: a}", "unknown kind"),
        ("object: {kind: pod, name: a, field: '{.spec['}", "field"),
        ("no-finding: {check: nope}", "unknown check"),
        ("can-i: {as: u, verb: get, expect: true}", "either resource or path"),
        (
            "token-works: {token: {service-account: a}, verb: get, resource: pods, expect: allowed}",
            "variable, file, secret or pod",
        ),
        ("request: {token: {pod: a}, outcome: maybe}", "unknown variant `maybe`"),
    ] {
        let text = format!("id: x\ntitle: X\ngoals:\n  - id: g\n    description: d\n    check:\n      {check}\n");
        let err = Exercise::from_yaml(&text).err().must(check);
        assert!(err.message.contains(words), "{check}: {err}");
        assert!(err.line.is_some_and(|l| (4..=7).contains(&l)), "{check}: {err}");
    }
    let twice = "id: x\ntitle: X\ngoals:\n  - {id: g, description: d, check: {ran: {pattern: a}}}\n  - {id: g, description: d, check: {ran: {pattern: a}}}\n";
    assert!(Exercise::from_yaml(twice).err().must("twice").message.contains("used twice"));
    let bad_yaml = Exercise::from_yaml("id: x\ntitle: [X\n").err().must("bad YAML");
    assert!(bad_yaml.line.is_some(), "{bad_yaml}");
}

#[test]
fn object_fields_and_combinators_decide_as_documented() {
    let text = r#"id: x
title: X
goals:
  - id: absent
    description: d
    check: {object: {kind: sa, name: app, exists: false}}
  - id: label
    description: d
    check: {object: {kind: sa, name: app, field: '{.metadata.labels.team}', matches: '^pay'}}
  - id: no-automount-field
    description: d
    check: {object: {kind: sa, name: app, field: .automountServiceAccountToken, exists: false}}
  - id: any
    description: d
    check: {any: [{ran: {pattern: nothing}}, {object: {kind: sa, name: app}}]}
  - id: not
    description: d
    check: {not: {can-i: {as: "system:serviceaccount:default:app", verb: get, resource: secrets, expect: true}}}
  - id: all-empty
    description: d
    check: {all: []}
"#;
    let exercise = Exercise::from_yaml(text).must("parses");
    let mut shell = shell();
    let met = |shell: &Shell| -> Vec<bool> { exercise.evaluate(shell).iter().map(|r| r.met).collect() };
    assert_eq!(met(&shell), [true, false, true, false, true, true]);
    shell.run("kubectl create sa app");
    shell.run("kubectl label sa app team=payments");
    assert_eq!(met(&shell), [false, true, true, true, true, true]);
    shell.run("kubectl patch sa app -p '{\"automountServiceAccountToken\":false}'");
    shell.run("kubectl create role r --verb=get --resource=secrets");
    shell.run("kubectl create rolebinding r --role=r --serviceaccount=default:app");
    assert_eq!(met(&shell), [false, true, false, true, false, true]);
}
