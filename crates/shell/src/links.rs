//! Where a command's output names something a front end can open: the
//! objects in `kubectl get` tables and in `kind/name` lines, and tokens
//! (JWTs) anywhere.
//!
//! Pure text analysis: a front end passes the command line it ran and the
//! text it printed and gets byte ranges back, so it can make those spans
//! clickable while showing the text unchanged. Which resource a table is
//! about comes from the command line, read with kubectl's own flag parser.

use std::ops::Range;

use saplay_cluster::resource::{self, ResourceInfo};

use crate::kubectl::cli;
use crate::syntax::{self, Command, Part};

/// What a span of output names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An API object.
    Object {
        /// The resource's plural (`serviceaccounts`).
        resource: String,
        /// Its namespace (`""` for cluster-scoped objects).
        namespace: String,
        /// Its name.
        name: String,
    },
    /// A compact JWT.
    Token,
}

/// A span of output text that names something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// What it names.
    pub target: Target,
}

/// The plural of the resource a kubectl TYPE argument names (`sa`,
/// `serviceaccount`, `ServiceAccounts`, `roles.rbac.authorization.k8s.io`
/// → `serviceaccounts`, `roles`), as kubectl's REST mapper reads it.
pub fn resource_plural(typed: &str) -> Option<&'static str> {
    resource::lookup(typed).filter(|r| !r.is_review()).map(|r| r.plural)
}

/// What a `kubectl get` command line lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCommand {
    /// The resources named by the TYPE argument (`sa,pods` gives two).
    pub resources: Vec<&'static str>,
    /// `-n`/`--namespace`, if given.
    pub namespace: Option<String>,
    /// `-A`/`--all-namespaces`.
    pub all_namespaces: bool,
    /// `-o`/`--output`, if given.
    pub output: Option<String>,
    /// `--no-headers`.
    pub no_headers: bool,
}

/// The literal words of the first command of a one-pipeline command line,
/// `None` when the line holds expansions, several commands or a syntax
/// error.
fn first_command_words(line: &str) -> Option<Vec<String>> {
    let script = syntax::parse(line).ok()?;
    let [(_, pipeline)] = script.as_slice() else { return None };
    let Some(Command::Simple(simple)) = pipeline.commands.first() else { return None };
    simple
        .words
        .iter()
        .map(|word| {
            word.iter()
                .map(|part| match part {
                    Part::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Option<String>>()
        })
        .collect()
}

/// The namespace flag of a kubectl command line (`-n`/`--namespace`),
/// if the line is one kubectl command.
fn kubectl_args(line: &str) -> Option<cli::Parsed> {
    let words = first_command_words(line)?;
    let (first, rest) = words.split_first()?;
    if first != "kubectl" {
        return None;
    }
    cli::parse(rest).ok()
}

fn flag(parsed: &cli::Parsed, names: &[&str]) -> Option<String> {
    parsed.flags.iter().rev().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone())
}

/// Reads a `kubectl get` command line; `None` for anything else.
pub fn get_command(line: &str) -> Option<GetCommand> {
    let parsed = kubectl_args(line)?;
    if parsed.path != "get" {
        return None;
    }
    let types = parsed.positional.first()?;
    let resources = types.split(',').map(resource_plural).collect::<Option<Vec<_>>>()?;
    Some(GetCommand {
        resources,
        namespace: flag(&parsed, &["n", "namespace"]),
        all_namespaces: flag(&parsed, &["A", "all-namespaces"]).is_some_and(|v| v != "false"),
        output: flag(&parsed, &["o", "output"]),
        no_headers: flag(&parsed, &["no-headers"]).is_some_and(|v| v != "false"),
    })
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Byte ranges of JWT-looking strings: `eyJ…` then two more base64url
/// parts after dots.
pub fn tokens(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = text.get(i..).and_then(|rest| rest.find("eyJ")) {
        let start = i + found;
        let boundary = start == 0 || bytes.get(start - 1).is_none_or(|b| !is_b64url(*b));
        let mut end = start;
        let mut parts = 0;
        let mut complete = boundary;
        while complete && parts < 3 {
            let from = end;
            while bytes.get(end).is_some_and(|b| is_b64url(*b)) {
                end += 1;
            }
            if end == from {
                complete = false;
                break;
            }
            parts += 1;
            if parts < 3 {
                if bytes.get(end) == Some(&b'.') {
                    end += 1;
                } else {
                    complete = false;
                }
            }
        }
        let ends_cleanly = bytes.get(end).is_none_or(|b| !is_b64url(*b) && *b != b'.');
        if complete && ends_cleanly {
            out.push(start..end);
            i = end;
        } else {
            i = start + 3;
        }
    }
    out
}

fn by_kind_group(prefix: &str) -> Option<&'static ResourceInfo> {
    resource::RESOURCES.iter().find(|r| !r.is_review() && r.kind_group() == prefix)
}

/// The object a `kind/name` word names (`pod/web`, or `Pod/web` as
/// `kubectl events` writes it).
fn kind_slash_name(word: &str, namespace: &str) -> Option<Target> {
    let (kind, name) = word.split_once('/')?;
    let r = by_kind_group(kind).or_else(|| resource::RESOURCES.iter().find(|r| !r.is_review() && r.kind == kind))?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(Target::Object {
        resource: r.plural.to_string(),
        namespace: if r.namespaced { namespace.to_string() } else { String::new() },
        name: name.to_string(),
    })
}

/// The whitespace-separated words of a line with their byte ranges.
fn words(line: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s..i, line.get(s..i).unwrap_or_default()));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// The links in `output`, which command line `command` printed;
/// `context_namespace` is the kubeconfig's namespace (`None`: `default`).
pub fn find(command: &str, output: &str, context_namespace: Option<&str>) -> Vec<Link> {
    let mut links: Vec<Link> = tokens(output).into_iter().map(|range| Link { range, target: Target::Token }).collect();
    let kubectl = kubectl_args(command);
    if kubectl.is_none() && !command.contains("kubectl") {
        links.sort_by_key(|l| l.range.start);
        return links;
    }
    let get = get_command(command);
    let namespace = kubectl
        .as_ref()
        .and_then(|p| flag(p, &["n", "namespace"]))
        .or(context_namespace.map(str::to_string))
        .unwrap_or_else(|| "default".to_string());
    let table = get.as_ref().filter(|g| g.output.as_deref().is_none_or(|o| o == "wide"));
    // Events tables (`kubectl events`, `kubectl get events`) name their
    // objects in the OBJECT column, found at the header's offset.
    let events = kubectl
        .as_ref()
        .is_some_and(|p| p.path == "events" || get.as_ref().is_some_and(|g| g.resources.as_slice() == ["events"]));
    let mut object_column: Option<(usize, bool)> = None;
    let mut in_table = table.is_some_and(|g| g.no_headers);
    let mut offset = 0;
    for line in output.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let line = line.trim_end_matches('\n');
        let cols = words(line);
        if line.trim().is_empty() {
            in_table = table.is_some_and(|g| g.no_headers);
            continue;
        }
        if events {
            if line.starts_with("LAST SEEN") || line.starts_with("NAMESPACE") {
                object_column = line.find("OBJECT").map(|at| (at, line.starts_with("NAMESPACE")));
                continue;
            }
            if let Some((column, namespaced)) = object_column {
                let ns = if namespaced {
                    cols.first().map_or(namespace.clone(), |(_, w)| w.to_string())
                } else {
                    namespace.clone()
                };
                if let Some((range, word)) = cols.iter().find(|(r, _)| r.start == column) {
                    if let Some(target) = kind_slash_name(word, &ns) {
                        links.push(Link { range: at + range.start..at + range.end, target });
                    }
                }
                continue;
            }
        }
        if let Some(g) = table {
            let header = if g.all_namespaces { "NAMESPACE" } else { "NAME" };
            if cols.first().is_some_and(|(_, w)| *w == header) && line.starts_with(header) {
                in_table = true;
                continue;
            }
            if in_table {
                let (row_ns, name) = if g.all_namespaces {
                    (cols.first().map(|(_, w)| w.to_string()), cols.get(1))
                } else {
                    (None, cols.first())
                };
                let Some((range, word)) = name else { continue };
                let ns = row_ns.unwrap_or_else(|| namespace.clone());
                let target = match (kind_slash_name(word, &ns), g.resources.as_slice()) {
                    (Some(t), _) => Some(t),
                    (None, [only]) => resource::by_plural_name(only).map(|r| Target::Object {
                        resource: r.plural.to_string(),
                        namespace: if r.namespaced { ns.clone() } else { String::new() },
                        name: word.to_string(),
                    }),
                    _ => None,
                };
                if let Some(target) = target {
                    links.push(Link { range: at + range.start..at + range.end, target });
                }
                continue;
            }
        }
        // `kind/name` at the start of a line: `-o name`, `created`, `deleted`.
        if let Some((range, word)) = cols.first().filter(|(r, _)| r.start == 0) {
            if let Some(target) = kind_slash_name(word, &namespace) {
                links.push(Link { range: at + range.start..at + range.end, target });
            }
        }
    }
    links.sort_by_key(|l| l.range.start);
    links.dedup_by(|b, a| b.range.start < a.range.end);
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(resource: &str, namespace: &str, name: &str) -> Target {
        Target::Object { resource: resource.into(), namespace: namespace.into(), name: name.into() }
    }

    fn named(command: &str, output: &str) -> Vec<(String, Target)> {
        find(command, output, None)
            .into_iter()
            .map(|l| (output.get(l.range.clone()).unwrap_or_default().to_string(), l.target))
            .collect()
    }

    #[test]
    fn kubectl_type_words_map_to_plurals() {
        for (typed, plural) in [
            ("sa", "serviceaccounts"),
            ("serviceaccount", "serviceaccounts"),
            ("serviceaccounts", "serviceaccounts"),
            ("po", "pods"),
            ("rolebinding", "rolebindings"),
            ("clusterroles.rbac.authorization.k8s.io", "clusterroles"),
        ] {
            assert_eq!(resource_plural(typed), Some(plural), "{typed}");
        }
        assert_eq!(resource_plural("deploy"), Some("deployments"));
        assert_eq!(resource_plural("flowschemas"), None);
        assert_eq!(resource_plural("tokenreviews"), None);
    }

    #[test]
    fn get_command_lines_are_read_with_kubectls_flags() {
        let g = get_command("kubectl get sa,po -n kube-system -o wide").unwrap_or_else(|| panic!("parsed"));
        assert_eq!(g.resources, vec!["serviceaccounts", "pods"]);
        assert_eq!(g.namespace.as_deref(), Some("kube-system"));
        assert_eq!(g.output.as_deref(), Some("wide"));
        assert!(!g.all_namespaces);
        assert!(get_command("kubectl get pods -A").is_some_and(|g| g.all_namespaces));
        assert!(get_command("kubectl --namespace=x get pods --no-headers").is_some_and(|g| g.no_headers));
        assert_eq!(get_command("kubectl describe sa default"), None);
        assert_eq!(get_command("kubectl get"), None);
        assert_eq!(get_command("kubectl get frobs"), None);
        assert_eq!(get_command("kubectl get $KIND"), None);
        assert_eq!(get_command("echo get sa"), None);
        assert_eq!(get_command("kubectl get 'unterminated"), None);
    }

    #[test]
    fn table_names_link_to_their_objects() {
        let out = "NAME          SECRETS   AGE\nbuild-robot   0         5s\ndefault       0         1m\n";
        let links = named("kubectl get sa", out);
        assert_eq!(
            links,
            vec![
                ("build-robot".to_string(), object("serviceaccounts", "default", "build-robot")),
                ("default".to_string(), object("serviceaccounts", "default", "default")),
            ]
        );
        let links = find("kubectl get sa -n kube-system", out, Some("ignored"));
        assert!(links
            .iter()
            .all(|l| matches!(&l.target, Target::Object { namespace, .. } if namespace == "kube-system")));
        // The context's namespace applies without -n.
        let links = find("kubectl get sa", out, Some("team-a"));
        assert!(links.iter().all(|l| matches!(&l.target, Target::Object { namespace, .. } if namespace == "team-a")));
    }

    #[test]
    fn events_tables_link_their_objects() {
        let out = "LAST SEEN            TYPE      REASON         OBJECT                      MESSAGE\n10s (x13 over 30s)   Warning   FailedCreate   ReplicaSet/api-67d79b8744   Error creating: pods \"api-\" is forbidden\n2m                   Normal    Scheduled      Pod/web                     Successfully assigned default/web to node-1\n";
        assert_eq!(
            named("kubectl events", out),
            vec![
                ("ReplicaSet/api-67d79b8744".to_string(), object("replicasets", "default", "api-67d79b8744")),
                ("Pod/web".to_string(), object("pods", "default", "web")),
            ]
        );
        let all = "NAMESPACE     LAST SEEN   TYPE     REASON    OBJECT    MESSAGE\nteam-a        0s          Normal   Started   Pod/web   Started container web\n";
        assert_eq!(named("kubectl events -A", all), vec![("Pod/web".to_string(), object("pods", "team-a", "web"))]);
        let get = "LAST SEEN   TYPE     REASON    OBJECT    MESSAGE\n0s          Normal   Started   pod/web   Started container web\n";
        assert_eq!(named("kubectl get events", get), vec![("pod/web".to_string(), object("pods", "default", "web"))]);
        assert_eq!(named("kubectl get pods", get), vec![], "only events tables have an OBJECT column");
    }

    #[test]
    fn all_namespaces_tables_take_the_namespace_column() {
        let out = "NAMESPACE     NAME   READY   STATUS    RESTARTS   AGE\nteam-a        web    1/1     Running   0          1m\n";
        assert_eq!(named("kubectl get pods -A", out), vec![("web".to_string(), object("pods", "team-a", "web"))]);
    }

    #[test]
    fn cluster_scoped_and_multi_type_tables() {
        let out = "NAME    CREATED AT\nadmin   2025-01-01T00:00:00Z\n";
        assert_eq!(
            named("kubectl get clusterroles", out),
            vec![("admin".to_string(), object("clusterroles", "", "admin"))]
        );
        let out = "NAME                     SECRETS   AGE\nserviceaccount/default   0         1m\n\nNAME      READY   STATUS    RESTARTS   AGE\npod/web   1/1     Running   0          1m\n";
        assert_eq!(
            named("kubectl get sa,pods", out),
            vec![
                ("serviceaccount/default".to_string(), object("serviceaccounts", "default", "default")),
                ("pod/web".to_string(), object("pods", "default", "web")),
            ]
        );
    }

    #[test]
    fn kind_slash_name_lines_link() {
        let out = "serviceaccount/build-robot created\n";
        assert_eq!(
            named("kubectl create sa build-robot -n team-a", out),
            vec![("serviceaccount/build-robot".to_string(), object("serviceaccounts", "team-a", "build-robot"))]
        );
        let out = "role.rbac.authorization.k8s.io/reader\nclusterrole.rbac.authorization.k8s.io/view\n";
        let links = named("kubectl get roles,clusterroles -o name", out);
        assert_eq!(links.len(), 2);
        assert_eq!(links[1].1, object("clusterroles", "", "view"));
        // Other commands' text is left alone, and so is YAML output.
        assert_eq!(named("echo pod/web", "pod/web\n"), vec![]);
        assert_eq!(named("kubectl get sa default -o yaml", "NAME: x\nname: default\n"), vec![]);
    }

    #[test]
    fn jwts_are_found_with_clean_edges() {
        let jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_";
        let text = format!("token: {jwt}\nnot: xeyJa.b.c and eyJa.b and eyJa.b.c.d\n");
        let found = tokens(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(text.get(found[0].clone()), Some(jwt));
        assert_eq!(named("cat token", jwt), vec![(jwt.to_string(), Target::Token)]);
        assert_eq!(tokens("eyJ"), Vec::<Range<usize>>::new());
        assert_eq!(tokens("ééeyJa.é.c"), Vec::<Range<usize>>::new());
    }
}
