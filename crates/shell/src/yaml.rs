//! YAML output the way kubectl writes it (sigs.k8s.io/yaml over go-yaml):
//! keys sorted, sequences not indented under their key, strings quoted with
//! double quotes only when they would read back as something else, and
//! multi-line strings as literal blocks.

use serde_json::Value;

/// Renders `value` as kubectl's `-o yaml` does.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    let mut first = true;
    for (key, value) in map {
        if !first {
            indent(out, level);
        }
        first = false;
        write_entry(out, key, value, level);
    }
}

/// Writes `key: value` whose key is already indented.
fn write_entry(out: &mut String, key: &str, value: &Value, level: usize) {
    out.push_str(&quote_if_needed(key));
    out.push(':');
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map(out, map, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            indent(out, level);
            write_seq(out, items, level);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, level + 2));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    let mut first = true;
    for item in items {
        if !first {
            indent(out, level);
        }
        first = false;
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map(out, map, level + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, level + 2),
            other => {
                out.push_str(&scalar(other, level + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.contains('\n') => literal_block(s, level),
        Value::String(s) => quote_if_needed(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

fn literal_block(s: &str, level: usize) -> String {
    let (body, chomp) = match s.strip_suffix('\n') {
        Some(body) if !body.ends_with('\n') => (body, "|"),
        Some(body) => (body, "|+"),
        None => (s, "|-"),
    };
    let mut out = chomp.to_string();
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(&mut out, level);
            out.push_str(line);
        }
    }
    out
}

/// Whether YAML 1.1 would read `s` as something other than this string.
fn resolves_to_other_type(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
        "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "-.inf", "-.Inf",
        "-.INF", "+.inf", ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let unsigned = s.trim_start_matches(['-', '+']);
    let digits = unsigned.replace('_', "");
    let number = !digits.is_empty()
        && (digits.parse::<f64>().is_ok()
            || digits.strip_prefix("0x").is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || digits.strip_prefix("0o").is_some_and(|o| !o.is_empty() && o.chars().all(|c| c.is_digit(8)))
            || digits.strip_prefix("0b").is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1')));
    // Base 60 (`12:30`, `1:20:30`): digits, then `:` groups of 0-59.
    let base_60 = unsigned.split_once(':').is_some_and(|(head, tail)| {
        let groups: Vec<&str> = tail.split(':').collect();
        head.starts_with(|c: char| c.is_ascii_digit())
            && head.chars().all(|c| c.is_ascii_digit() || c == '_')
            && groups.iter().enumerate().all(|(i, group)| {
                let group =
                    if i + 1 == groups.len() { group.split_once('.').map_or(*group, |(g, _)| g) } else { group };
                (1..=2).contains(&group.len()) && group.parse::<u8>().is_ok_and(|n| n < 60)
            })
    });
    // Timestamps: 2025-01-01, 2025-01-01T00:00:00Z and friends.
    let b = s.as_bytes();
    let timestamp = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    number || base_60 || timestamp
}

/// The string as kubectl's YAML printer (go-yaml v2 over libyaml's
/// emitter) writes it: double-quoted when, unquoted, it would read back as
/// another type (YAML 1.1: `yes`, `0644`, `12:30`…) or holds characters that
/// need escapes; single-quoted when it is a string but plain style cannot
/// hold it (`*`, `a: b`, `- x`, a leading space…); otherwise plain.
fn quote_if_needed(s: &str) -> String {
    if s.is_empty() || resolves_to_other_type(s) || s.chars().any(|c| c.is_control()) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Whether libyaml's emitter may write `s` as a plain scalar in block
/// context (its analysis of indicators and spaces).
fn plain_allowed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let blank_at = |i: usize| chars.get(i).is_none_or(|c| *c == ' ');
    if s.starts_with("---") || s.starts_with("...") || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    for (i, c) in chars.iter().enumerate() {
        let indicator = if i == 0 {
            matches!(c, '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`')
                || (matches!(c, '?' | ':' | '-') && blank_at(1))
        } else {
            (*c == ':' && blank_at(i + 1)) || (*c == '#' && chars[i - 1] == ' ')
        };
        if indicator {
            return false;
        }
    }
    true
}

/// `s` double-quoted, with YAML's escapes.
fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_style() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "web", "on": "true"}, "resourceVersion": "63", "name": "web"},
            "spec": {"containers": [{"image": "nginx", "name": "c", "ports": [{"containerPort": 80}]}], "volumes": [], "nodeSelector": {}},
            "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "namespace": "default", "empty": ""},
        });
        let want = "apiVersion: v1\ndata:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n  empty: \"\"\n  namespace: default\nkind: Pod\nmetadata:\n  creationTimestamp: \"2025-01-01T00:00:00Z\"\n  labels:\n    app: web\n    \"on\": \"true\"\n  name: web\n  resourceVersion: \"63\"\nspec:\n  containers:\n  - image: nginx\n    name: c\n    ports:\n    - containerPort: 80\n  nodeSelector: {}\n  volumes: []\n";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn quoting_rules() {
        for (s, q) in [
            ("plain", "plain"),
            ("a b", "a b"),
            ("1.5", "\"1.5\""),
            ("yes", "\"yes\""),
            ("a: b", "'a: b'"),
            ("*", "'*'"),
            ("-", "'-'"),
            ("-x", "-x"),
            ("system:masters", "system:masters"),
            ("", "\"\""),
        ] {
            assert_eq!(quote_if_needed(s), q, "{s}");
        }
        // What kubectl v1.32 printed for these ConfigMap values
        // (`kubectl create configmap x --from-literal=k=VALUE --dry-run=client -o yaml`).
        for (s, q) in [
            ("<<", "<<"),
            ("=", "="),
            ("?x", "?x"),
            ("12:30", "\"12:30\""),
            ("0b101", "\"0b101\""),
            ("'x", "'''x'"),
            ("\"x", "'\"x'"),
            (" x", "' x'"),
            ("x ", "'x '"),
            ("---x", "'---x'"),
            ("...", "'...'"),
            (":", "':'"),
            ("x:", "'x:'"),
            ("?", "'?'"),
            ("a\tb", "\"a\\tb\""),
            ("\u{e9}", "\u{e9}"),
            ("0644", "\"0644\""),
            ("yes", "\"yes\""),
            ("1_000", "\"1_000\""),
            ("- x", "'- x'"),
            ("12:70", "12:70"),
            ("1.5e3", "\"1.5e3\""),
            (".5", "\".5\""),
            ("+12", "\"+12\""),
            ("a,b", "a,b"),
            ("[x", "'[x'"),
            ("x]", "x]"),
            ("{", "'{'"),
            ("%x", "'%x'"),
            ("`x", "'`x'"),
            ("0o17", "\"0o17\""),
            ("0x1F", "\"0x1F\""),
            ("1:20:30", "\"1:20:30\""),
            ("-1:30", "\"-1:30\""),
            ("x #y", "'x #y'"),
            ("x# y", "x# y"),
            ("~", "\"~\""),
            ("Null", "\"Null\""),
            ("n", "\"n\""),
            ("Y", "\"Y\""),
        ] {
            assert_eq!(quote_if_needed(s), q, "{s}");
        }
    }
}
