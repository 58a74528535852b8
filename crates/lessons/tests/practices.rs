//! The best-practice checker, rule by rule: each finding is there after
//! its set-up and gone after running the finding's own fix lines.

mod common;
use common::Must;

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_lessons::practices::{self, best_practices};
use saplay_shell::Shell;

fn shell() -> Shell {
    Shell::new(Cluster::new(ClusterConfig::default()))
}

/// The step ids of the chapter lesson.
fn chapter_steps() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/exercises/00-chapter.yaml");
    let text = std::fs::read_to_string(path).must("the chapter lesson");
    let chapter = saplay_lessons::Exercise::from_yaml(&text).must("parses");
    chapter.steps.into_iter().map(|s| s.id).collect()
}

fn run(shell: &mut Shell, line: &str) {
    let out = shell.run(line);
    assert_eq!(out.exit_code, 0, "{line}\n{}", out.terminal_text());
}

const TOKEN_POD: &str = "kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: leaky}
spec:
  serviceAccountName: app
  containers:
  - name: app
    image: nginx
    env:
    - {name: API_TOKEN, value: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln}
EOF";

/// (check, object, set-up lines).
const RULES: &[(&str, &str, &[&str])] = &[
    (practices::DEFAULT_SA_TOKEN, "pod default/web", &["kubectl run web --image=nginx"]),
    (
        practices::DEFAULT_SA,
        "pod default/web",
        &["kubectl patch sa default -p '{\"automountServiceAccountToken\":false}'", "kubectl run web --image=nginx"],
    ),
    (
        practices::AUTOMOUNT,
        "pod default/web",
        &["kubectl create sa app", "kubectl run web --image=nginx --overrides='{\"spec\":{\"serviceAccountName\":\"app\"}}'"],
    ),
    (
        practices::CRB_CLUSTER_ADMIN,
        "clusterrolebinding ci-admin",
        &["kubectl create sa ci", "kubectl create clusterrolebinding ci-admin --clusterrole=cluster-admin --serviceaccount=default:ci"],
    ),
    (
        practices::RB_CLUSTER_ADMIN,
        "rolebinding default/ci-admin",
        &["kubectl create sa ci", "kubectl create rolebinding ci-admin --clusterrole=cluster-admin --serviceaccount=default:ci"],
    ),
    (practices::WILDCARD, "role default/all", &["kubectl create role all --verb='*' --resource=pods"]),
    (practices::WILDCARD, "clusterrole everything", &["kubectl create clusterrole everything --verb=get --resource='*'"]),
    (
        practices::LEGACY_SECRET,
        "secret default/ci-token",
        &["kubectl create sa ci", "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  annotations:\n    kubernetes.io/service-account.name: ci\ntype: kubernetes.io/service-account-token\nEOF"],
    ),
    (practices::LONG_LIVED, "serviceaccount default/ci", &["kubectl create sa ci", "kubectl create token ci --duration=48h > /dev/null"]),
    (
        practices::CREATE_PODS,
        "serviceaccount default/deployer",
        &["kubectl create sa deployer", "kubectl create role pods --verb=create --resource=pods", "kubectl create rolebinding deployer --role=pods --serviceaccount=default:deployer"],
    ),
    (
        practices::CREATE_PODS,
        "serviceaccount team/default",
        &["kubectl create namespace team", "kubectl create rolebinding all-accounts -n team --clusterrole=edit --group=system:serviceaccounts:team"],
    ),
    (
        practices::READ_SECRETS,
        "serviceaccount default/reader",
        &["kubectl create sa reader", "kubectl create clusterrolebinding reader --clusterrole=view --serviceaccount=default:reader", "kubectl create role secrets --verb=get,list --resource=secrets", "kubectl create rolebinding reader --role=secrets --serviceaccount=default:reader"],
    ),
    (
        practices::IMPERSONATE,
        "serviceaccount default/sudo",
        &["kubectl create sa sudo", "kubectl apply -f - <<'EOF'\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: imp}\nrules:\n- {apiGroups: [''], resources: [users], verbs: [impersonate]}\nEOF", "kubectl create clusterrolebinding sudo --clusterrole=imp --serviceaccount=default:sudo"],
    ),
    (practices::ENV_TOKEN, "pod default/leaky", &["kubectl create sa app", TOKEN_POD]),
    (
        practices::CONFIGMAP_TOKEN,
        "configmap default/settings",
        &["kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {token: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln}\nEOF"],
    ),
];

#[test]
fn a_fresh_cluster_has_no_findings() {
    assert_eq!(best_practices(shell().cluster()), Vec::new());
}

#[test]
fn every_rule_finds_its_case_and_its_fix_removes_it() {
    for (check, object, setup) in RULES {
        let mut shell = shell();
        for line in *setup {
            run(&mut shell, line);
        }
        let findings = best_practices(shell.cluster());
        let Some(finding) = findings.iter().find(|f| f.check == *check && f.object == *object) else {
            panic!("{check} on {object} not found in {findings:#?}");
        };
        assert!(!finding.fix.is_empty(), "{finding:?}");
        let step = finding.lesson_step.must("a lesson step");
        assert!(chapter_steps().iter().any(|s| s == step), "{check}: no chapter step {step}");
        assert!(practices::CHECKS.contains(check));
        for line in finding.fix.clone() {
            run(&mut shell, &line);
        }
        let after = best_practices(shell.cluster());
        assert!(
            !after.iter().any(|f| f.check == *check && f.object == *object),
            "{check} on {object} still there after {:?}: {after:#?}",
            finding.fix
        );
    }
}

#[test]
fn every_check_name_has_a_rule_test() {
    for check in practices::CHECKS {
        assert!(RULES.iter().any(|(c, _, _)| c == check), "{check}");
    }
}

#[test]
fn the_checker_reads_only() {
    let mut shell = shell();
    run(&mut shell, "kubectl run web --image=nginx");
    let audit = shell.cluster().audit_log().events().count();
    let revision = shell.cluster().store().revision();
    let _ = best_practices(shell.cluster());
    assert_eq!(shell.cluster().audit_log().events().count(), audit);
    assert_eq!(shell.cluster().store().revision(), revision);
}
