//! A small YAML highlighter for the editor: splits each line into pieces
//! (keys, strings, numbers, booleans, comments, `---`, list dashes) that
//! the editor colours in a layer behind its text area. No dependency, no
//! parsing beyond one line at a time (plus block scalars), so it never
//! fails on half-typed text.

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A mapping key.
    Key,
    /// A quoted or plain string, or a block scalar's text.
    Str,
    /// An integer or a float.
    Num,
    /// `true`, `false`, `null`, `~`.
    Bool,
    /// `# …`.
    Comment,
    /// `---` or `...`.
    Doc,
    /// A sequence item's `-`.
    Dash,
    /// `:`, `,`, brackets, braces, `|`, `>`.
    Punct,
    /// Spaces and anything else.
    Plain,
}

impl Class {
    /// The CSS class of the piece.
    pub fn css(self) -> &'static str {
        match self {
            Class::Key => "y-key",
            Class::Str => "y-str",
            Class::Num => "y-num",
            Class::Bool => "y-bool",
            Class::Comment => "y-comment",
            Class::Doc => "y-doc",
            Class::Dash => "y-dash",
            Class::Punct => "y-punct",
            Class::Plain => "y-plain",
        }
    }
}

/// One line's pieces; their texts joined give the line back.
pub type Pieces = Vec<(Class, String)>;

/// The pieces of every line of `text` (`text.split('\n')`, so a final
/// newline gives a last empty line).
pub fn highlight(text: &str) -> Vec<Pieces> {
    let mut block: Option<usize> = None;
    let mut out = Vec::new();
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block {
            if line.trim().is_empty() || indent > parent {
                out.push(vec![(Class::Str, line.to_string())]);
                continue;
            }
            block = None;
        }
        let pieces = highlight_line(line);
        // `key: |` or `- >-`: the deeper lines after it are text.
        let last = pieces.iter().rev().find(|(c, t)| *c != Class::Comment && !t.trim().is_empty());
        if last.is_some_and(|(c, t)| *c == Class::Punct && (t.starts_with('|') || t.starts_with('>'))) {
            block = Some(indent);
        }
        out.push(pieces);
    }
    out
}

/// The pieces of one line.
pub fn highlight_line(line: &str) -> Pieces {
    let mut out: Pieces = Vec::new();
    if line == "---" || line.starts_with("--- ") || line == "..." {
        out.push((Class::Doc, line.to_string()));
        return out;
    }
    let trimmed = line.trim_start_matches(' ');
    push(&mut out, Class::Plain, &line[..line.len() - trimmed.len()]);
    let mut rest = trimmed;
    while rest == "-" || rest.starts_with("- ") {
        push(&mut out, Class::Dash, "-");
        let after = &rest[1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        push(&mut out, Class::Plain, &after[..spaces]);
        rest = &after[spaces..];
    }
    if rest.starts_with('#') {
        push(&mut out, Class::Comment, rest);
        return out;
    }
    if let Some(end) = key_end(rest) {
        push(&mut out, Class::Key, &rest[..end]);
        push(&mut out, Class::Punct, ":");
        rest = &rest[end + 1..];
    }
    value(&mut out, rest);
    out
}

/// The byte length of the key at the start of `text` (before its `:`).
fn key_end(text: &str) -> Option<usize> {
    if let Some(q) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = text[1..].find(q)? + 1;
        let after = &text[close + 1..];
        return (after == ":" || after.starts_with(": ")).then_some(close + 1);
    }
    if text.starts_with(['[', '{', '|', '>', '&', '*', '!', '"', '\'']) {
        return None;
    }
    let end = text.find(": ").or_else(|| text.strip_suffix(':').map(str::len))?;
    let key = &text[..end];
    (!key.trim().is_empty() && !key.contains(" #")).then_some(end)
}

/// A value: scalars, flow collections and a trailing comment.
fn value(out: &mut Pieces, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces > 0 {
            push(out, Class::Plain, &rest[..spaces]);
            rest = &rest[spaces..];
            continue;
        }
        let Some(first) = rest.chars().next() else { break };
        if first == '#' {
            push(out, Class::Comment, rest);
            return;
        }
        if first == '"' || first == '\'' {
            let end = closing_quote(rest, first).unwrap_or(rest.len());
            push(out, Class::Str, &rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if "[]{},:".contains(first) {
            push(out, Class::Punct, &rest[..1]);
            rest = &rest[1..];
            continue;
        }
        if (first == '|' || first == '>') && rest[1..].chars().all(|c| "+-0123456789".contains(c)) {
            push(out, Class::Punct, rest);
            return;
        }
        // A scalar runs to a flow character, or to ` #`.
        let in_flow = out.iter().any(|(c, t)| *c == Class::Punct && (t == "[" || t == "{"));
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if (in_flow && "[]{},".contains(c)) || (c == '#' && rest[..i].ends_with(' ')) {
                end = i;
                break;
            }
        }
        let scalar = rest[..end].trim_end();
        let end = if scalar.is_empty() { end.max(first.len_utf8()) } else { scalar.len() };
        let scalar = &rest[..end];
        push(out, classify(scalar), scalar);
        rest = &rest[end..];
    }
}

/// The byte index after the closing quote of the string opening `text`.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i + c.len_utf8()),
            _ => escaped = false,
        }
    }
    None
}

fn classify(scalar: &str) -> Class {
    match scalar {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~" => Class::Bool,
        s if !s.is_empty() && (s.parse::<i64>().is_ok() || (s.parse::<f64>().is_ok() && s.contains('.'))) => Class::Num,
        _ => Class::Str,
    }
}

fn push(out: &mut Pieces, class: Class, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((last, existing)) if *last == class && class != Class::Punct => existing.push_str(text),
        _ => out.push((class, text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(Class, &str)> {
        // Leaked only in tests, to compare with literals.
        highlight_line(line).into_iter().map(|(c, t)| (c, &*Box::leak(t.into_boxed_str()))).collect()
    }

    #[test]
    fn pieces_give_the_line_back() {
        let text = "apiVersion: v1\n---\n# c\nrules:\n- apiGroups: [\"\"]\n  verbs: [\"get\", list] # why\n  n: 12\n  f: 1.5\n  ok: true\n  s: 'it''s'\n  x: |\n    kind: not a key\n  y: z\n\u{e9}t\u{e9}: \"\u{fc}\"\n- - a\n-\n";
        for (line, pieces) in text.split('\n').zip(highlight(text)) {
            assert_eq!(pieces.iter().map(|(_, t)| t.as_str()).collect::<String>(), line);
        }
    }

    #[test]
    fn each_kind_of_piece() {
        assert_eq!(
            classes("kind: Pod"),
            [(Class::Key, "kind"), (Class::Punct, ":"), (Class::Plain, " "), (Class::Str, "Pod")]
        );
        assert_eq!(classes("---"), [(Class::Doc, "---")]);
        assert_eq!(classes("  # note"), [(Class::Plain, "  "), (Class::Comment, "# note")]);
        assert_eq!(
            classes("- name: a # x"),
            [
                (Class::Dash, "-"),
                (Class::Plain, " "),
                (Class::Key, "name"),
                (Class::Punct, ":"),
                (Class::Plain, " "),
                (Class::Str, "a"),
                (Class::Plain, " "),
                (Class::Comment, "# x")
            ]
        );
        assert_eq!(classes("port: 80")[3], (Class::Num, "80"));
        assert_eq!(classes("on: false")[3], (Class::Bool, "false"));
        assert_eq!(classes("url: http://x#y")[3], (Class::Str, "http://x#y"));
        let flow = classes("verbs: [\"get\", list]");
        assert_eq!(
            flow[3..],
            [
                (Class::Punct, "["),
                (Class::Str, "\"get\""),
                (Class::Punct, ","),
                (Class::Plain, " "),
                (Class::Str, "list"),
                (Class::Punct, "]")
            ]
        );
        // A block scalar's lines are text, not keys.
        let block = highlight("data: |\n  a: b\nnext: 1");
        assert_eq!(block[1], vec![(Class::Str, "  a: b".to_string())]);
        assert_eq!(block[2][0], (Class::Key, "next".to_string()));
        // Half-typed text never fails.
        for odd in ["\"", "'a", "- ", "a:", ":", "[", "key: \"unclosed", "|", "- - -"] {
            assert_eq!(highlight_line(odd).iter().map(|(_, t)| t.as_str()).collect::<String>(), odd);
        }
    }
}
