//! Nothing a learner types may panic the shell (a panic kills the wasm
//! app): thousands of command lines stitched from the shell's and
//! kubectl's vocabulary, with quotes, operators and here-documents in odd
//! places, run against one session. Deterministic: a fixed xorshift seed.

use saplay_cluster::{Cluster, ClusterConfig};
use saplay_shell::Shell;

const WORDS: &[&str] = &[
    "kubectl",
    "get",
    "describe",
    "create",
    "apply",
    "delete",
    "patch",
    "label",
    "annotate",
    "run",
    "exec",
    "wait",
    "edit",
    "replace",
    "job",
    "--image=busybox",
    "--force",
    "sa/default",
    "<<EOF\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nEOF",
    "--for=delete",
    "--for=condition=Ready",
    "--for=jsonpath={.status.phase}=Running",
    "--timeout=-1s",
    "events",
    "--types=Warning",
    "--for=pod/web",
    "auth",
    "can-i",
    "whoami",
    "explain",
    "config",
    "view",
    "set-context",
    "--current",
    "api-resources",
    "version",
    "token",
    "sa",
    "serviceaccount",
    "pods",
    "pod/web",
    "secrets",
    "roles",
    "rolebinding",
    "clusterrole",
    "ns",
    "default",
    "kube-system",
    "web",
    "build-robot",
    "-n",
    "-A",
    "-o",
    "yaml",
    "json",
    "name",
    "wide",
    "jsonpath={.items[*]}",
    "jsonpath='{..name}'",
    "custom-columns=N:.metadata.name",
    "-l",
    "a=b",
    "--as=system:serviceaccount:default:x",
    "--token=abc",
    "--duration=10m",
    "--duration=-1s",
    "--image=nginx",
    "-f",
    "-",
    "--",
    "sh",
    "-c",
    "ls",
    "cat",
    "/var/run/secrets/kubernetes.io/serviceaccount/token",
    "-it",
    "--type=json",
    "-p",
    "'[{\"op\":\"remove\"}]'",
    "'{\"a\":'",
    "echo",
    "printf",
    "%s%d%q",
    "grep",
    "-E",
    "(",
    "[",
    "]",
    "cut",
    "-d.",
    "-f2",
    "tr",
    "wc",
    "-l",
    "sort",
    "uniq",
    "base64",
    "-d",
    "jq",
    ".",
    "'.[] | .x'",
    "'def f: 1; f'",
    "curl",
    "-k",
    "-H",
    "-v",
    "https://172.18.0.2:6443/api",
    "https://kubernetes.default.svc",
    "sleep",
    "1h",
    "99999999999d",
    "date",
    "cd",
    "..",
    "/tmp",
    "mkdir",
    "-p",
    "rm",
    "-rf",
    "/",
    "touch",
    "x",
    "ls",
    "-la",
    "test",
    "-f",
    "export",
    "X=1",
    "unset",
    "env",
    "history",
    "clear",
    "help",
    "true",
    "false",
    "exit",
    "read",
    "if",
    "then",
    "else",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "while",
    "until",
    "break",
    "continue",
    "{",
    "}",
    "!",
    "$X",
    "${X:-y}",
    "${#X}",
    "$(echo a)",
    "`date`",
    "$((1/0))",
    "$((2**3))",
    "\"$X\"",
    "'single",
    "\"double",
    "\\",
    ";",
    "&&",
    "||",
    "|",
    ">",
    ">>",
    "<",
    "2>&1",
    "2>/dev/null",
    "<<EOF",
    "<<-'EOF'",
    "\n",
    "EOF",
    "#",
    "é",
    "\u{0}",
    "\t",
    "*",
    "?",
    "~",
    "--help",
    "-h",
    "--bogus",
    "-",
    "---",
    "configmap",
    "cm",
    "--from-literal=a=b",
    "--from-literal==",
    "--from-file=.",
    "--from-file=k=",
    "--from-env-file=/etc",
    "--non-resource-url=/x*",
    "--aggregation-rule=a=b",
    "--aggregation-rule=,",
    "-p",
    "'{\"a\":'",
    "'{\"a\": [1, tru]}'",
    "'{\"\\u12'",
    "--type=json",
    "--type=merge",
    "--dry-run",
    "--dry-run=t",
    "logs",
    "job",
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: x",
];

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_command_lines_never_panic() {
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    let mut answered = 0;
    let mut failed = 0;
    for _ in 0..100 {
        let mut shell = Shell::new(Cluster::new(ClusterConfig::default()));
        let setup = shell.run("kubectl run web --image=nginx; kubectl create sa build-robot");
        assert_eq!(setup.exit_code, 0, "{}", setup.terminal_text());
        for _ in 0..100 {
            let words = 1 + rng.below(9);
            let line: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            let out = shell.run(&line.join(" "));
            if out.stdout().is_empty() {
                failed += usize::from(out.exit_code != 0);
            } else {
                answered += 1;
            }
            // Leave a pod's shell so that the workstation's commands stay
            // in reach.
            if shell.prompt() != "$ " {
                shell.run("exit");
            }
        }
        // The session still works after all that.
        let out = shell.run("echo still alive");
        assert_eq!(out.stdout(), "still alive\n");
    }
    // The vocabulary reaches real work, not only errors.
    assert!(answered > 300 && failed > 3000, "answered {answered}, failed {failed}");
}
