//! The shipped exercises in web/exercises/: they parse, the index and
//! SHIPPED agree, and every step's goals are unmet before the step's
//! "try it" actions and met after them (for the risk labs: the attack
//! works, the fix holds, the same attack fails), with all goals met at
//! the end and checks that never change the cluster.

mod common;
use common::Must;

use std::path::PathBuf;

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_lessons::{Exercise, SHIPPED};
use saplay_shell::Shell;
use serde_json::Value;

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

fn load(path: &str) -> Exercise {
    let text = std::fs::read_to_string(web().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    Exercise::from_yaml(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_index_and_shipped_agree() {
    let text = std::fs::read_to_string(web().join("exercises/index.json")).must("index.json");
    let index: Value = serde_json::from_str(&text).must("index.json is JSON");
    let listed: Vec<(String, String)> = index
        .as_array()
        .must("an array")
        .iter()
        .map(|e| {
            (e["path"].as_str().unwrap_or_default().to_string(), e["title"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let shipped: Vec<(String, String)> = SHIPPED.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    assert_eq!(listed, shipped);
    assert!(SHIPPED.len() >= 8);
    assert_eq!(SHIPPED.first().map(|s| s.0), Some("exercises/00-chapter.yaml"));
    for entry in index.as_array().into_iter().flatten() {
        let path = entry["path"].as_str().unwrap_or_default();
        let exercise = load(path);
        assert_eq!(entry["id"].as_str(), Some(exercise.id.as_str()), "{path}");
        assert_eq!(entry["title"].as_str(), Some(exercise.title.as_str()), "{path}");
        let solution = entry["solution"].as_str().unwrap_or_default();
        assert!(web().join(solution).is_file(), "{solution}");
    }
    let on_disk = std::fs::read_dir(web().join("exercises"))
        .must("dir")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "yaml")));
    assert_eq!(on_disk.count(), SHIPPED.len(), "every exercise file is in the index");
}

#[test]
fn every_step_turns_green_only_after_its_actions() {
    for (path, _) in SHIPPED {
        let exercise = load(path);
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        for (line, out) in exercise.setup_lines().iter().zip(exercise.start(&mut shell)) {
            assert_eq!(out.exit_code, 0, "{path}: setup {line}\n{}", out.terminal_text());
        }
        for step in &exercise.steps {
            assert!(!step.goals.is_empty(), "{path}: step {} checks nothing", step.id);
            let before = exercise.evaluate(&shell);
            assert!(!step.met(&before), "{path}: step {} is done before its actions", step.id);
            for goal in &step.goals {
                let r = before.iter().find(|r| &r.goal == goal).must("goal");
                assert!(!r.met, "{path}: {goal} is met before step {} ({})", step.id, r.detail);
            }
            for action in &step.try_it {
                shell.run(&action.line());
            }
            let after = exercise.evaluate(&shell);
            assert!(step.met(&after), "{path}: step {} is not done after its actions", step.id);
            for goal in &step.goals {
                let r = after.iter().find(|r| &r.goal == goal).must("goal");
                assert!(r.met, "{path}: {goal} is not met after step {} ({})", step.id, r.detail);
            }
        }
        let audit = shell.cluster().audit_log().events().count();
        let revision = shell.cluster().store().revision();
        let end = exercise.evaluate(&shell);
        assert!(end.iter().all(|r| r.met), "{path}: {end:#?}");
        assert_eq!(shell.cluster().audit_log().events().count(), audit, "{path}: evaluation was audited");
        assert_eq!(shell.cluster().store().revision(), revision, "{path}: evaluation changed the store");
        let stepped: usize = exercise.steps.iter().map(|s| s.goals.len()).sum();
        assert!(stepped >= exercise.goals.len(), "{path}: a goal belongs to no step");
    }
}

#[test]
fn the_chapter_has_one_step_per_section() {
    let chapter = load("exercises/00-chapter.yaml");
    let ids: Vec<&str> = chapter.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "user-vs-service-accounts",
            "why-they-matter",
            "default-service-account",
            "tokens",
            "tokens-in-pods",
            "pod-with-service-account",
            "creating-service-accounts",
            "creating-tokens",
            "using-the-token",
            "rotation",
            "disable-mounting",
            "best-practices",
            "risks",
            "typical-usage",
        ]
    );
}

#[test]
fn nothing_is_met_on_a_fresh_start() {
    for (path, _) in SHIPPED {
        let exercise = load(path);
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        exercise.start(&mut shell);
        let results = exercise.evaluate(&shell);
        let met: Vec<&str> = results.iter().filter(|r| r.met).map(|r| r.goal.as_str()).collect();
        assert!(met.is_empty(), "{path}: met at the start: {met:?}");
    }
}

#[test]
fn no_prefix_of_a_shipped_file_panics_the_parser() {
    for (path, _) in SHIPPED {
        let text = std::fs::read_to_string(web().join(path)).must(path);
        let mut cut = 0;
        for (i, _) in text.char_indices().step_by(7) {
            if let (Some(middle), Some(prefix)) = (text.get(cut..i), text.get(..i)) {
                let _ = Exercise::from_yaml(middle);
                let _ = Exercise::from_yaml(prefix);
            }
            cut = i / 2;
        }
    }
}

#[test]
fn setup_lines_are_skipped_even_in_a_used_shell() {
    let text = "id: x\ntitle: X\nsetup:\n  commands: [kubectl create namespace x]\ngoals:\n  - id: listed\n    description: d\n    check:\n      ran: {pattern: kubectl get sa}\n";
    let exercise = Exercise::from_yaml(text).must("parses");
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    shell.run("kubectl get sa");
    exercise.start(&mut shell);
    assert!(!exercise.evaluate(&shell)[0].met, "a line from before the setup counted");
    shell.run("kubectl get sa");
    assert!(exercise.evaluate(&shell)[0].met);
}
