//! kubectl's output building blocks: the tab-aligned table writer and
//! `HumanDuration` ages.

/// Lays out rows as kubectl's tabwriter does (minimum cell width 6
/// including padding, padding 3 spaces, last column not padded).
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    tabwrite_with(rows, 6, 3)
}

/// Like [`tabwrite`] with explicit minimum width and padding (describe
/// output uses padding 2).
pub fn tabwrite_with(rows: &[Vec<String>], min_width: usize, padding: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        // The last cell of a row is not aligned.
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max((cell.chars().count() + padding).max(min_width));
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

/// The strings of a JSON array.
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

/// Go's `%v` of a string slice: `[a b]`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// PolicyRules as `kubectl auth can-i --list` and `kubectl describe role`
/// show them: one row per (group, resource, name) with verbs merged in
/// first-seen order, then one row per (URL, verb), each part sorted by the
/// rule's protobuf text (which starts with its verbs). Columns: Resources,
/// Non-Resource URLs, Resource Names, Verbs.
pub fn rule_rows(resource_rules: &[serde_json::Value], url_rules: &[serde_json::Value]) -> Vec<Vec<String>> {
    let mut merged: Vec<((String, String, String), Vec<String>)> = Vec::new();
    for rule in resource_rules {
        let verbs = strings(&rule["verbs"]);
        let names = strings(&rule["resourceNames"]);
        let names: Vec<String> = if names.is_empty() { vec![String::new()] } else { names };
        for group in strings(&rule["apiGroups"]) {
            for res in strings(&rule["resources"]) {
                for name in &names {
                    let key = (group.clone(), res.clone(), name.clone());
                    match merged.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, v)) => {
                            for verb in &verbs {
                                if !v.contains(verb) {
                                    v.push(verb.clone());
                                }
                            }
                        }
                        None => merged.push((key, verbs.clone())),
                    }
                }
            }
        }
    }
    let mut resource_lines: Vec<(String, Vec<String>)> = merged
        .into_iter()
        .map(|((group, res, name), verbs)| {
            let shown = match (group.as_str(), res.split_once('/')) {
                ("", _) => res.clone(),
                (g, Some((r, sub))) => format!("{r}.{g}/{sub}"),
                (g, None) => format!("{res}.{g}"),
            };
            let names = if name.is_empty() { Vec::new() } else { vec![name.clone()] };
            let sort_key = format!(
                "Verbs:{},APIGroups:[{group}],Resources:[{res}],ResourceNames:{}",
                go_list(&verbs),
                go_list(&names)
            );
            (sort_key, vec![shown, "[]".to_string(), go_list(&names), go_list(&verbs)])
        })
        .collect();
    resource_lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut url_lines: Vec<(String, Vec<String>)> = Vec::new();
    for rule in url_rules {
        for url in strings(&rule["nonResourceURLs"]) {
            for verb in strings(&rule["verbs"]) {
                let sort_key = format!("Verbs:[{verb}],NonResourceURLs:[{url}]");
                url_lines
                    .push((sort_key, vec![String::new(), format!("[{url}]"), "[]".to_string(), format!("[{verb}]")]));
            }
        }
    }
    url_lines.sort_by(|a, b| a.0.cmp(&b.0));
    resource_lines.into_iter().chain(url_lines).map(|(_, row)| row).collect()
}

/// Keys the API server writes first in an object, in its struct order.
const TOP_KEYS: &[&str] = &["kind", "apiVersion", "metadata"];

/// The struct order of the fields the server writes, for the kinds and
/// documents the simulator serves; other keys follow alphabetically.
const FIELD_ORDER: &[&str] = &[
    "major",
    "minor",
    "gitVersion",
    "gitCommit",
    "gitTreeState",
    "buildDate",
    "goVersion",
    "compiler",
    "platform",
    "issuer",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "keys",
    "use",
    "kty",
    "kid",
    "crv",
    "alg",
    "x",
    "y",
    "n",
    "e",
    "name",
    "singularName",
    "generateName",
    "namespace",
    "namespaced",
    "kind",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "groupVersion",
    "version",
    "versions",
    "preferredVersion",
    "serverAddressByClientCIDRs",
    "clientCIDR",
    "serverAddress",
    "groups",
    "resources",
    "verbs",
    "shortNames",
    "secrets",
    "imagePullSecrets",
    "automountServiceAccountToken",
    "immutable",
    "data",
    "stringData",
    "binaryData",
    "type",
    "rules",
    "aggregationRule",
    "subjects",
    "roleRef",
    "audiences",
    "expirationSeconds",
    "boundObjectRef",
    "token",
    "expirationTimestamp",
    "spec",
    "status",
    "items",
];

/// A PodSpec's fields in Go's struct order (the common ones).
const POD_SPEC_ORDER: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
];

/// Field orders that depend on where the object sits (`parent` key).
fn local_order(parent: &str) -> Option<&'static [&'static str]> {
    match parent {
        "containers" | "initContainers" => Some(&[
            "name",
            "image",
            "command",
            "args",
            "workingDir",
            "ports",
            "envFrom",
            "env",
            "resources",
            "resizePolicy",
            "restartPolicy",
            "volumeMounts",
            "volumeDevices",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "securityContext",
            "stdin",
            "stdinOnce",
            "tty",
        ]),
        "subjects" => Some(&["kind", "apiGroup", "name", "namespace"]),
        "roleRef" => Some(&["apiGroup", "kind", "name"]),
        "rules" => Some(&["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"]),
        "resources" => Some(&["name", "singularName", "namespaced", "kind", "verbs", "shortNames"]),
        "boundObjectRef" => Some(&["kind", "apiVersion", "name", "uid"]),
        "userInfo" | "user" => Some(&["username", "uid", "groups", "extra"]),
        _ => None,
    }
}

/// The body of `path` as kube-apiserver's own handlers write it, not as
/// an API object: `/version` indented, the issuer discovery documents
/// compact, in their structs' order, with no newline after the JSON.
/// `None` for any other path.
pub fn handler_text(path: &str, body: &serde_json::Value) -> Option<String> {
    match path.split('?').next().unwrap_or_default().trim_end_matches('/') {
        "/version" => Some(ordered_json(body, Some(2))),
        "/openid/v1/jwks" | "/.well-known/openid-configuration" => Some(ordered_json(body, None)),
        _ => None,
    }
}

/// JSON as the API server writes it: fields in struct order (as far as the
/// simulator knows it), compact or indented by `indent` spaces.
pub fn ordered_json(value: &serde_json::Value, indent: Option<usize>) -> String {
    fn rank(key: &str, top: bool, parent: &str, pod_spec: bool) -> (usize, String) {
        if let Some(order) = local_order(parent).or(pod_spec.then_some(POD_SPEC_ORDER)) {
            return match order.iter().position(|k| *k == key) {
                Some(p) => (p, String::new()),
                None => (usize::MAX, key.to_string()),
            };
        }
        let position = if top { TOP_KEYS.iter().position(|k| *k == key) } else { None };
        match position {
            Some(p) => (p, String::new()),
            None => match FIELD_ORDER.iter().position(|k| *k == key) {
                Some(p) => (TOP_KEYS.len() + p, String::new()),
                None => (usize::MAX, key.to_string()),
            },
        }
    }
    fn write(
        value: &serde_json::Value,
        top: bool,
        parent: &str,
        indent: Option<usize>,
        depth: usize,
        out: &mut String,
    ) {
        let newline = |out: &mut String, depth: usize| {
            if let Some(width) = indent {
                out.push('\n');
                out.push_str(&" ".repeat(width * depth));
            }
        };
        match value {
            serde_json::Value::Object(map) if !map.is_empty() => {
                let hoist = top || map.contains_key("apiVersion");
                let pod_spec = parent == "spec" && map.contains_key("containers");
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| rank(k, hoist, parent, pod_spec));
                out.push('{');
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    if let Some(v) = map.get(*key) {
                        write(v, false, key, indent, depth + 1, out);
                    }
                }
                newline(out, depth);
                out.push('}');
            }
            serde_json::Value::Array(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write(item, false, parent, indent, depth + 1, out);
                }
                newline(out, depth);
                out.push(']');
            }
            other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
        }
    }
    let mut out = String::new();
    write(value, true, "", indent, 0, &mut out);
    out
}

/// Go's `text/tabwriter` over text whose cells end in tabs: a column is
/// aligned over each run of consecutive lines that have a cell in it
/// (kubectl's describe output: minimum width 0, padding 2).
pub fn go_tabwriter(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_terminator('\n').map(|l| l.split('\t').collect()).collect();
    let mut widths: Vec<usize> = Vec::new();
    let mut out = String::new();
    format_block(&lines, 0, lines.len(), &mut widths, min_width, padding, &mut out);
    out
}

fn format_block(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    min_width: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines.get(this).map_or(0, Vec::len) {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = min_width;
        while this < line1 {
            let Some(line) = lines.get(this) else { break };
            if column + 1 >= line.len() {
                break;
            }
            let cell = line.get(column).map_or(0, |c| c.chars().count());
            width = width.max(cell + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, min_width, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in lines.get(from..to).unwrap_or_default() {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(width) = widths.get(j) {
                if j + 1 < line.len() {
                    out.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.chars().count())));
                }
            }
        }
        out.push('\n');
    }
}

/// apimachinery's `HumanDuration`: `5s`, `3m20s`, `2h`, `12d`, `3y45d`.
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    let s = seconds.max(0);
    let (minute, hour, day, year) = (60, 3600, 86_400, 86_400 * 365);
    if s < 2 * minute {
        return format!("{s}s");
    }
    let minutes = s / minute;
    if minutes < 10 {
        let rest = s % minute;
        return if rest == 0 { format!("{minutes}m") } else { format!("{minutes}m{rest}s") };
    }
    if s < 3 * hour {
        return format!("{minutes}m");
    }
    let hours = s / hour;
    if hours < 8 {
        let rest = (s % hour) / minute;
        return if rest == 0 { format!("{hours}h") } else { format!("{hours}h{rest}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = s / day;
    if hours < 8 * 24 {
        let rest = (s % day) / hour;
        return if rest == 0 { format!("{days}d") } else { format!("{days}d{rest}h") };
    }
    if days < 2 * 365 {
        return format!("{days}d");
    }
    let years = s / year;
    if years < 8 {
        let rest = (s % year) / day;
        return if rest == 0 { format!("{years}y") } else { format!("{years}y{rest}d") };
    }
    format!("{years}y")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        let rows = [
            (-5, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (200, "3m20s"),
            (599, "9m59s"),
            (600, "10m"),
            (3 * 3600 - 1, "179m"),
            (3 * 3600, "3h"),
            (7 * 3600 + 1800, "7h30m"),
            (47 * 3600, "47h"),
            (48 * 3600, "2d"),
            (7 * 86_400 + 3 * 3600, "7d3h"),
            (12 * 86_400, "12d"),
            (3 * 365 * 86_400 + 45 * 86_400, "3y45d"),
            (9 * 365 * 86_400, "9y"),
        ];
        for (seconds, want) in rows {
            assert_eq!(human_duration(seconds), want, "{seconds}");
        }
    }

    #[test]
    fn ordered_json_follows_the_server() {
        let sa = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount", "secrets": [], "metadata": {"uid": "u", "name": "x", "zzz": 1}});
        assert_eq!(
            ordered_json(&sa, None),
            "{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"uid\":\"u\",\"zzz\":1},\"secrets\":[]}"
        );
        assert_eq!(
            ordered_json(&serde_json::json!({"b": [1], "a": {}}), Some(2)),
            "{\n  \"a\": {},\n  \"b\": [\n    1\n  ]\n}"
        );
    }

    #[test]
    fn go_tabwriter_aligns_blocks() {
        let text = "Name:\tweb\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\nContainers:\n  Type\tStatus\n  Ready \tTrue \n";
        assert_eq!(
            go_tabwriter(text, 0, 2),
            "Name:             web\nService Account:  default\nIPs:\n  IP:  10.0.0.1\nContainers:\n  Type    Status\n  Ready   True \n"
        );
        assert_eq!(go_tabwriter("a\t\nbb\tx\n", 0, 2), "a   \nbb  x\n");
        assert_eq!(go_tabwriter("", 0, 2), "");
    }

    #[test]
    fn tables_align_like_kubectl() {
        let rows = vec![
            vec!["NAME".to_string(), "SECRETS".to_string(), "AGE".to_string()],
            vec!["build-robot".to_string(), "0".to_string(), "5s".to_string()],
            vec!["default".to_string(), "0".to_string(), "12d".to_string()],
        ];
        assert_eq!(
            tabwrite(&rows),
            "NAME          SECRETS   AGE\nbuild-robot   0         5s\ndefault       0         12d\n"
        );
        let short = vec![vec!["A".to_string(), "B".to_string()]];
        assert_eq!(tabwrite(&short), "A     B\n", "minimum width 6");
    }
}
