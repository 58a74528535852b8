//! Goals about what the learner ran are met by every equivalent command:
//! kubectl's flags in any order, `TYPE/NAME`, the resource's aliases, and
//! commands run inside a pod, one-shot or in its interactive shell. An
//! unmet one says what to run, never a regular expression.

mod common;
use common::Must;

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_lessons::{Exercise, SHIPPED};
use saplay_shell::Shell;

fn chapter() -> Exercise {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/exercises/00-chapter.yaml");
    Exercise::from_yaml(&std::fs::read_to_string(path).must("chapter")).must("chapter parses")
}

/// Whether `goal` of `exercise` is met after its setup and `lines`.
fn met_after(exercise: &Exercise, goal: &str, lines: &[&str]) -> (bool, String) {
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    exercise.start(&mut shell);
    for line in lines {
        shell.run(line);
    }
    let r = exercise.evaluate(&shell).into_iter().find(|r| r.goal == goal).must(goal);
    (r.met, r.detail)
}

fn table(goal: &str, cases: &[(&[&str], bool)]) {
    let chapter = chapter();
    for (lines, expected) in cases {
        let (met, detail) = met_after(&chapter, goal, lines);
        assert_eq!(met, *expected, "{goal} after {lines:?}: {detail}");
    }
}

#[test]
fn listing_every_namespace_counts_with_the_flag_anywhere() {
    table(
        "listed-all-accounts",
        &[
            (&["kubectl get -A serviceaccounts"], true),
            (&["kubectl get serviceaccounts -A"], true),
            (&["kubectl get sa --all-namespaces"], true),
            (&["kubectl get --all-namespaces serviceaccount"], true),
            (&["kubectl get ServiceAccount -o wide -A"], true),
            (&["kubectl get sa,pods -A"], true),
            (&["kubectl -A get sa"], true),
            (&["kubectl get sa"], false),
            (&["kubectl get pods -A"], false),
            (&["kubectl get sa --all-namespaces=false"], false),
            (&["echo kubectl get sa -A"], false),
        ],
    );
}

/// Goals read what the learner asked for: a command kubectl refuses (a
/// flag it does not know, a value it rejects) still counts, read as the
/// shell's `read_args` documents.
#[test]
fn a_command_kubectl_refuses_still_counts_as_asked() {
    table(
        "listed-all-accounts",
        &[
            (&["kubectl get sa -A --frob"], true),
            (&["kubectl get --frob x sa -A"], true),
            (&["kubectl get sa -it -A"], true),
            (&["kubectl get sa --all-namespaces=yes"], true),
            (&["kubectl get --frob sa -A"], false),
        ],
    );
}

#[test]
fn describing_the_default_account_counts_in_every_form() {
    table(
        "described-default",
        &[
            (&["kubectl describe sa/default"], true),
            (&["kubectl describe serviceaccount default"], true),
            (&["kubectl describe serviceaccounts/default"], true),
            (&["kubectl describe sa default -n default"], true),
            (&["kubectl -n default describe sa default"], true),
            (&["kubectl describe sa"], true),
            (&["kubectl describe sa default -n kube-system"], false),
            (&["kubectl describe pod default"], false),
            (&["kubectl get sa default"], false),
        ],
    );
}

#[test]
fn asking_as_a_service_account_counts_with_the_flag_anywhere() {
    table(
        "asked-as-service-account",
        &[
            (&["kubectl auth can-i list pods --as=system:serviceaccount:default:default"], true),
            (&["kubectl --as system:serviceaccount:default:default auth can-i list pods"], true),
            (&["kubectl auth can-i --as=system:serviceaccount:default:default get pods -n default"], true),
            (&["kubectl auth can-i list pods"], false),
            (&["kubectl auth can-i list pods --as=jane"], false),
        ],
    );
    table(
        "listed-permissions",
        &[
            (&["kubectl auth can-i --list --as=system:serviceaccount:default:dashboard-sa"], true),
            (&["kubectl auth can-i --as system:serviceaccount:default:dashboard-sa --list -n default"], true),
            (&["kubectl auth can-i --list"], false),
            (&["kubectl auth can-i --list --as=system:serviceaccount:default:default"], false),
        ],
    );
}

const DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

#[test]
fn looking_inside_the_pod_counts_from_its_shell_too() {
    let run = "kubectl run web --image=nginx";
    let ls = format!("ls {DIR}");
    let cat = format!("cat {DIR}/token");
    let one_shot = format!("kubectl exec web -- ls {DIR}");
    let substituted = format!("TOKEN=$(kubectl exec web -- cat {DIR}/token)");
    let sh_c = format!("kubectl exec web -- sh -c 'ls {DIR}'");
    let container = format!("kubectl exec web -c web -- cat {DIR}/namespace");
    let other_namespace = format!("kubectl exec -n kube-system web -- ls {DIR}");
    let echo = format!("echo {DIR}");
    table(
        "looked-inside-pod",
        &[
            (&[run, &one_shot], true),
            (&[run, "kubectl exec -it web -- sh", &ls, "exit"], true),
            (&[run, "kubectl exec -it web -- sh", &cat], true),
            (&[run, "kubectl exec -ti pod/web -- bash", &format!("cd {DIR}"), "ls"], true),
            (
                &[
                    run,
                    "kubectl exec --stdin --tty web -- /bin/sh",
                    "cd /var/run/secrets/kubernetes.io",
                    "cat serviceaccount/token",
                ],
                true,
            ),
            (
                &[
                    run,
                    "kubectl exec -it web -- sh",
                    "cd /var/run/secrets/kubernetes.io/serviceaccount/..",
                    "ls -la serviceaccount",
                ],
                true,
            ),
            (&[run, &substituted], true),
            (&[run, &sh_c], true),
            (&[run, &container], true),
            (&[run, &ls], false),
            (&[run, "kubectl exec -it web -- sh", "exit", &ls], false),
            (&[run, "kubectl exec web -- sh", &ls], false),
            (&[run, "kubectl exec -it web -- sh", &echo], false),
            (&[run, "kubectl exec -it web -- sh", "ls /var/run/secrets"], false),
            (&[run, &other_namespace], false),
            (&[&one_shot], false),
        ],
    );
}

#[test]
fn unmet_goals_say_what_to_run_not_a_pattern() {
    let chapter = chapter();
    let (_, detail) = met_after(&chapter, "listed-all-accounts", &[]);
    assert_eq!(detail, "no `kubectl get serviceaccounts -A` yet");
    let (_, detail) = met_after(&chapter, "looked-inside-pod", &["kubectl run web --image=nginx"]);
    assert_eq!(detail, format!("no `kubectl exec web -- ls {DIR}` yet"));
    for (path, _) in SHIPPED {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web").join(path);
        let exercise = Exercise::from_yaml(&std::fs::read_to_string(file).must(path)).must(path);
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        exercise.start(&mut shell);
        for r in exercise.evaluate(&shell) {
            assert!(!r.detail.contains("matching /"), "{path}: {}: {}", r.goal, r.detail);
        }
    }
}

#[test]
fn a_kubectl_goal_without_an_example_shows_one_made_from_its_fields() {
    let text = "id: x\ntitle: X\ngoals:\n  - id: g\n    description: d\n    check:\n      kubectl: {command: get, resource: sa, name: app, namespace: team, flags: [show-labels], values: {output: yaml}}\n";
    let exercise = Exercise::from_yaml(text).must("parses");
    let (met, detail) = met_after(&exercise, "g", &["kubectl get sa app -n team --show-labels"]);
    assert!(!met);
    assert_eq!(detail, "no `kubectl get sa app -n team --show-labels --output=…` yet");
    let (met, detail) = met_after(&exercise, "g", &["kubectl get -o yaml --show-labels sa/app --namespace=team"]);
    assert!(met, "{detail}");
    assert_eq!(detail, "ran: kubectl get -o yaml --show-labels sa/app --namespace=team");
}

#[test]
fn bad_kubectl_and_pod_checks_are_refused() {
    for (check, words) in [
        ("kubectl: {command: get, resource: gadgets}", "unknown resource"),
        ("kubectl: {command: ' '}", "command is empty"),
        ("kubectl: {command: get, flags: [-A]}", "long name"),
        ("kubectl: {command: get, values: {output: '('}}", "values"),
        ("ran-in-pod: {pod: web, path: var/run}", "absolute"),
    ] {
        let text = format!("id: x\ntitle: X\ngoals:\n  - id: g\n    description: d\n    check:\n      {check}\n");
        let err = Exercise::from_yaml(&text).err().must(check);
        assert!(err.message.contains(words), "{check}: {err}");
    }
}

#[test]
fn odd_lines_never_panic_the_reading() {
    let chapter = chapter();
    let deep = format!("{}x{}", "$(".repeat(200), ")".repeat(200));
    let lines = [
        "kubectl",
        "kubectl exec",
        "kubectl exec -it",
        "kubectl exec -it web --",
        "kubectl exec web -- sh -c",
        "kubectl get -n",
        "kubectl get sa/ /x -A",
        "kubectl describe / ,, -n",
        "sh -c 'sh -c \"kubectl get sa -A\"'",
        "$(",
        "if true; then kubectl exec -it web -- sh; fi",
        "cd ../../..",
        "ls ü/../../é",
        "exit",
        deep.as_str(),
    ];
    let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
    chapter.start(&mut shell);
    for line in lines {
        shell.run(line);
        let _ = chapter.evaluate(&shell);
    }
}

#[test]
fn retrying_a_dead_token_counts_however_it_is_written() {
    let load = |path: &str| {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/exercises").join(path);
        Exercise::from_yaml(&std::fs::read_to_string(file).must(path)).must(path)
    };
    let leaked = load("11-lab-leaked-token.yaml");
    let steal = "LEAKED=$(kubectl exec inventory -- cat /var/run/secrets/kubernetes.io/serviceaccount/token)";
    let save = "kubectl get pod inventory -o json | jq 'del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp)' > /tmp/inventory.json";
    let url = "https://172.18.0.2:6443/api/v1/namespaces/default/secrets";
    for (lines, expected) in [
        (
            vec![
                steal,
                save,
                "kubectl delete --force pods/inventory --grace-period=0",
                "kubectl create -f /tmp/inventory.json",
            ],
            false,
        ),
        (
            vec![
                steal,
                save,
                "kubectl delete --force pods/inventory --grace-period=0",
                "kubectl create -f /tmp/inventory.json",
                &format!("curl -k -H \"Authorization: Bearer ${{LEAKED}}\" {url}"),
            ],
            true,
        ),
        (
            vec![
                steal,
                save,
                "kubectl -n default delete po inventory --grace-period=0 --force",
                "kubectl create -f /tmp/inventory.json",
                "kubectl --token=$LEAKED get secrets",
            ],
            true,
        ),
    ] {
        let (met, detail) = met_after(&leaked, "attack-retried", &lines);
        assert_eq!(met, expected, "{lines:?}: {detail}");
    }
    let short = load("21-short-lived-token.yaml");
    let token = "TOKEN=$(kubectl create token metrics-reader --duration=15m)";
    let (met, detail) =
        met_after(&short, "expired", &[token, "date; sleep 20m", "kubectl --token \"$TOKEN\" get pods"]);
    assert!(met, "{detail}");
}

/// Lab 21's expiry goal reads the cluster, not the history: the clock moved
/// by the UI's buttons (no `sleep` line) counts, and so does any request the
/// expired token made that was refused, but not a request made before it
/// expired, nor another token's refusal.
#[test]
fn an_expired_token_refused_counts_however_the_clock_moved() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/exercises/21-short-lived-token.yaml");
    let short = Exercise::from_yaml(&std::fs::read_to_string(file).must("lab 21")).must("lab 21");
    let token = "TOKEN=$(kubectl create token metrics-reader --duration=15m)";
    let curl = "curl -k -s -H \"Authorization: Bearer $TOKEN\" https://172.18.0.2:6443/api/v1/namespaces/default/pods";
    let other = "OTHER=$(kubectl create token metrics-reader --duration=10m)";
    let cases: &[(&[&str], i64, &[&str], bool)] = &[
        (&[token], 20 * 60, &[curl], true),
        (&[token], 20 * 60, &["kubectl --token=$TOKEN get pods"], true),
        // Used before it expired, not after.
        (&[token, curl], 20 * 60, &[], false),
        // Another expired token refused does not count for $TOKEN.
        (&[token, other], 20 * 60, &["kubectl --token=$OTHER get pods"], false),
        (&[token, other], 20 * 60, &["kubectl --token=$OTHER get pods", curl], true),
        (&[token], 5 * 60, &[curl], false),
    ];
    for (before, seconds, after, expected) in cases {
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        short.start(&mut shell);
        for line in *before {
            shell.run(line);
        }
        // What the clock's buttons do: the cluster's time moves, no line runs.
        shell.cluster_mut().advance_seconds(*seconds);
        for line in *after {
            shell.run(line);
        }
        let r = short.evaluate(&shell).into_iter().find(|r| r.goal == "expired").must("expired");
        assert_eq!(r.met, *expected, "{before:?} +{seconds}s {after:?}: {}", r.detail);
    }
}
