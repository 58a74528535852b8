//! POSIX basic (BRE) and extended (ERE) regular expressions, with GNU's
//! extensions (`\|`, `\+`, `\?`, `\w`, `\s`, `\b`, `\<`, `\>`), turned into
//! the `regex` crate's syntax. Errors are worded as GNU grep words them.
//!
//! Not supported: back-references (`\1`), and POSIX's leftmost-longest
//! rule (alternatives are tried in order, as in Perl).

use std::fmt::Write as _;

/// The GNU names of the bracket classes.
const CLASSES: &[&str] =
    &["alpha", "upper", "lower", "digit", "xdigit", "space", "print", "punct", "graph", "cntrl", "blank", "alnum"];

/// A translated pattern, or GNU's message for why it is invalid; warnings
/// (GNU prints them and goes on) come with a translated pattern.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Translated {
    /// The pattern in `regex` syntax.
    pub pattern: String,
    /// `warning: …` messages.
    pub warnings: Vec<String>,
}

fn literal(out: &mut String, c: char) {
    out.push_str(&regex_lite::escape(c.encode_utf8(&mut [0u8; 4])));
}

/// Translates `pattern` (BRE unless `extended`).
pub(crate) fn translate(pattern: &str, extended: bool) -> Result<Translated, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut t = Translated::default();
    let out = &mut t.pattern;
    // Where the last atom began in `out`, and whether something was
    // repeated already (a second quantifier repeats the group).
    let mut atom: Option<usize> = None;
    let mut quantified = false;
    // Open groups: where each began in `out`.
    let mut groups: Vec<usize> = Vec::new();
    let mut closed_groups = 0usize;
    // True at the start of the pattern, after `(` and after `|`.
    let mut at_start = true;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let escaped = c == '\\';
        let c = if escaped {
            match chars.get(i) {
                Some(&n) => {
                    i += 1;
                    n
                }
                None => return Err("Trailing backslash".to_string()),
            }
        } else {
            c
        };
        // An operator: bare in an ERE, after a backslash in a BRE.
        let is_op = if extended { !escaped } else { escaped };
        let start_here = out.len();
        match c {
            '(' if is_op => {
                groups.push(out.len());
                out.push_str("(?:");
                at_start = true;
                atom = None;
                quantified = false;
                continue;
            }
            ')' if is_op => {
                let Some(begin) = groups.pop() else {
                    if extended {
                        literal(out, ')');
                        atom = Some(start_here);
                        quantified = false;
                        at_start = false;
                        continue;
                    }
                    return Err("Unmatched ) or \\)".to_string());
                };
                out.push(')');
                closed_groups += 1;
                atom = Some(begin);
                quantified = false;
                at_start = false;
                continue;
            }
            '|' if is_op => {
                out.push('|');
                at_start = true;
                atom = None;
                quantified = false;
                continue;
            }
            '*' if !escaped => {
                if at_start || atom.is_none() {
                    if extended {
                        t.warnings.push("warning: * at start of expression".to_string());
                        continue;
                    }
                    literal(out, '*');
                    atom = Some(start_here);
                    at_start = false;
                    continue;
                }
                quantify(out, atom, &mut quantified, "*");
                continue;
            }
            '+' | '?' if is_op => {
                if at_start || atom.is_none() {
                    if extended {
                        t.warnings.push(format!("warning: {c} at start of expression"));
                        continue;
                    }
                    literal(out, c);
                    atom = Some(start_here);
                    at_start = false;
                    continue;
                }
                quantify(out, atom, &mut quantified, if c == '+' { "+" } else { "?" });
                continue;
            }
            '{' if is_op => {
                let close = if extended { "}" } else { "\\}" };
                let rest: String = chars.get(i..).unwrap_or_default().iter().collect();
                let Some(end) = rest.find(close) else {
                    if extended {
                        literal(out, '{');
                        atom = Some(start_here);
                        at_start = false;
                        continue;
                    }
                    return Err("Unmatched \\{".to_string());
                };
                let body = rest.get(..end).unwrap_or_default();
                let bounds = interval(body);
                let Some((lo, hi)) = bounds else {
                    if extended {
                        literal(out, '{');
                        atom = Some(start_here);
                        at_start = false;
                        continue;
                    }
                    return Err("Invalid content of \\{\\}".to_string());
                };
                if hi.is_some_and(|h| h < lo) {
                    return Err("Invalid content of \\{\\}".to_string());
                }
                if lo > 32767 || hi.is_some_and(|h| h > 32767) {
                    return Err("Regular expression too big".to_string());
                }
                i += body.chars().count() + close.chars().count();
                if at_start || atom.is_none() {
                    if extended {
                        t.warnings.push("warning: { at start of expression".to_string());
                        continue;
                    }
                    literal(out, '{');
                    let _ = write!(out, "{}", regex_lite::escape(&format!("{body}}}")));
                    atom = Some(start_here);
                    at_start = false;
                    continue;
                }
                let q = match hi {
                    Some(h) if h == lo => format!("{{{lo}}}"),
                    Some(h) => format!("{{{lo},{h}}}"),
                    None => format!("{{{lo},}}"),
                };
                quantify(out, atom, &mut quantified, &q);
                continue;
            }
            _ => {}
        }
        quantified = false;
        if escaped {
            match c {
                '1'..='9' => {
                    let n = c.to_digit(10).unwrap_or(0) as usize;
                    if n > closed_groups {
                        return Err("Invalid back reference".to_string());
                    }
                    return Err("back-references (\\1 to \\9) are not supported here".to_string());
                }
                'w' | 'W' | 's' | 'S' => {
                    out.push('\\');
                    out.push(c);
                }
                'b' | 'B' | '<' | '>' | '`' | '\'' => {
                    out.push_str(match c {
                        'b' => "\\b",
                        'B' => "\\B",
                        '<' => "\\b{start}",
                        '>' => "\\b{end}",
                        '`' => "\\A",
                        _ => "\\z",
                    });
                    atom = None;
                    at_start = false;
                    continue;
                }
                other => literal(out, other),
            }
            atom = Some(start_here);
            at_start = false;
            continue;
        }
        match c {
            '^' if extended || at_start => {
                out.push('^');
                // `^*` repeats a literal star in a BRE.
                atom = None;
                continue;
            }
            '$' => {
                let next_ends = if extended {
                    true
                } else {
                    let rest: String = chars.get(i..).unwrap_or_default().iter().collect();
                    rest.is_empty() || rest.starts_with("\\)") || rest.starts_with("\\|")
                };
                if next_ends {
                    out.push('$');
                    atom = None;
                    at_start = false;
                    continue;
                }
                literal(out, '$');
            }
            '.' => out.push('.'),
            '[' => {
                let used = bracket(chars.get(i..).unwrap_or_default(), out)?;
                i += used;
            }
            other => literal(out, other),
        }
        atom = Some(start_here);
        at_start = false;
    }
    if !groups.is_empty() {
        return Err("Unmatched ( or \\(".to_string());
    }
    Ok(t)
}

/// Applies quantifier `q` to the atom that starts at `atom`; a second
/// quantifier in a row applies to the quantified atom as a whole.
fn quantify(out: &mut String, atom: Option<usize>, quantified: &mut bool, q: &str) {
    if let Some(start) = atom {
        if *quantified && start <= out.len() {
            out.insert_str(start, "(?:");
            out.push(')');
        }
    }
    out.push_str(q);
    *quantified = true;
}

/// `m`, `m,`, `,n`, `m,n` of an interval.
fn interval(body: &str) -> Option<(u32, Option<u32>)> {
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(s.parse::<u32>().unwrap_or(u32::MAX))
    };
    match body.split_once(',') {
        None => {
            let n = number(body)?;
            Some((n, Some(n)))
        }
        Some((lo, hi)) => {
            let lo = if lo.is_empty() { 0 } else { number(lo)? };
            let hi = if hi.is_empty() { None } else { Some(number(hi)?) };
            Some((lo, hi))
        }
    }
}

/// A bracket expression after its `[`: writes the class, returns how many
/// characters it used.
fn bracket(chars: &[char], out: &mut String) -> Result<usize, String> {
    let unmatched = || "Unmatched [, [^, [:, [., or [=".to_string();
    let mut i = 0;
    let mut class = String::from("[");
    if chars.first() == Some(&'^') {
        class.push('^');
        i += 1;
    }
    let body_start = i;
    // The characters of the expression, for the `[:space:]` check.
    let mut items: Vec<char> = Vec::new();
    let mut previous: Option<char> = None;
    loop {
        let Some(&c) = chars.get(i) else {
            if i == body_start {
                return Err("Invalid regular expression".to_string());
            }
            return Err(unmatched());
        };
        if c == ']' && i > body_start {
            i += 1;
            break;
        }
        i += 1;
        if c == '[' {
            if let Some(&kind @ (':' | '.' | '=')) = chars.get(i) {
                let rest: String = chars.get(i + 1..).unwrap_or_default().iter().collect();
                let close = format!("{kind}]");
                let Some(end) = rest.find(&close) else { return Err(unmatched()) };
                let name = rest.get(..end).unwrap_or_default();
                i += 1 + name.chars().count() + 2;
                if kind == ':' {
                    if !CLASSES.contains(&name) {
                        return Err("Invalid character class name".to_string());
                    }
                    let _ = write!(class, "[:{name}:]");
                    previous = None;
                } else {
                    let mut it = name.chars();
                    match (it.next(), it.next()) {
                        (Some(ch), None) => {
                            push_class_char(&mut class, ch);
                            previous = Some(ch);
                        }
                        _ => return Err("Invalid collation character".to_string()),
                    }
                }
                continue;
            }
        }
        items.push(c);
        if c == '-' && previous.is_some() && chars.get(i).is_some_and(|n| *n != ']') {
            let Some(&end) = chars.get(i) else { return Err(unmatched()) };
            let end = if end == '[' && chars.get(i + 1) == Some(&'.') {
                let rest: String = chars.get(i + 2..).unwrap_or_default().iter().collect();
                let Some(stop) = rest.find(".]") else { return Err(unmatched()) };
                let mut it = rest.get(..stop).unwrap_or_default().chars();
                i += 2 + stop + 2 - 1;
                it.next().unwrap_or(end)
            } else {
                end
            };
            i += 1;
            if previous.is_some_and(|p| end < p) {
                return Err("Invalid range end".to_string());
            }
            class.push('-');
            push_class_char(&mut class, end);
            previous = None;
            continue;
        }
        push_class_char(&mut class, c);
        previous = Some(c);
    }
    if items.len() >= 2 && items.first() == Some(&':') && items.last() == Some(&':') {
        let name: String = items.iter().collect();
        return Err(format!("character class syntax is [[{name}]], not [{name}]"));
    }
    class.push(']');
    out.push_str(&class);
    Ok(i)
}

fn push_class_char(class: &mut String, c: char) {
    if matches!(c, '\\' | '[' | ']' | '&' | '~' | '-' | '^') {
        class.push('\\');
    }
    class.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bre(p: &str) -> String {
        translate(p, false).map(|t| t.pattern).unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn ere(p: &str) -> String {
        translate(p, true).map(|t| t.pattern).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn bre_operators_are_escaped_and_bare_ones_literal() {
        assert_eq!(bre("a\\|b"), "a|b");
        assert_eq!(bre("a|b+c?"), "a\\|b\\+c\\?");
        assert_eq!(bre("\\(ab\\)*"), "(?:ab)*");
        assert_eq!(bre("a\\{2,3\\}"), "a{2,3}");
        assert_eq!(bre("*a"), "\\*a");
        assert_eq!(bre("\\+"), "\\+");
        assert_eq!(bre("a^b$c$"), "a\\^b\\$c$");
        assert_eq!(bre("^*"), "^\\*");
        assert_eq!(bre("(x)"), "\\(x\\)");
        assert_eq!(bre("x\\{2\\}"), "x{2}");
        assert_eq!(bre("\\.\\*"), "\\.\\*");
    }

    #[test]
    fn ere_operators() {
        assert_eq!(ere("(a|b)+c?"), "(?:a|b)+c?");
        assert_eq!(ere("a{,2}x"), "a{0,2}x");
        assert_eq!(ere("a{1,2"), "a\\{1,2");
        assert_eq!(ere("a**"), "(?:a*)*");
        assert_eq!(ere("a*?"), "(?:a*)?");
        assert_eq!(ere(")"), "\\)");
        assert_eq!(ere("\\(x\\)"), "\\(x\\)");
        assert_eq!(ere("\\w+\\s\\<x\\>"), "\\w+\\s\\b{start}x\\b{end}");
        assert_eq!(
            translate("*a", true).map(|t| t.warnings),
            Ok(vec!["warning: * at start of expression".to_string()])
        );
    }

    #[test]
    fn brackets() {
        assert_eq!(bre("[]a-c]"), "[\\]a-c]");
        assert_eq!(bre("[^[:space:]x-]"), "[^[:space:]x\\-]");
        assert_eq!(bre("[\\&~[]"), "[\\\\\\&\\~\\[]");
        assert_eq!(bre("[[.a.]-[.c.]]"), "[a-c]");
    }

    #[test]
    fn errors_are_gnus() {
        assert_eq!(bre("\\("), "ERR Unmatched ( or \\(");
        assert_eq!(ere("("), "ERR Unmatched ( or \\(");
        assert_eq!(bre("\\)"), "ERR Unmatched ) or \\)");
        assert_eq!(bre("[a"), "ERR Unmatched [, [^, [:, [., or [=");
        assert_eq!(bre("["), "ERR Invalid regular expression");
        assert_eq!(bre("[]"), "ERR Unmatched [, [^, [:, [., or [=");
        assert_eq!(bre("[z-a]"), "ERR Invalid range end");
        assert_eq!(bre("a\\{1"), "ERR Unmatched \\{");
        assert_eq!(bre("x\\{2,1\\}"), "ERR Invalid content of \\{\\}");
        assert_eq!(bre("x\\{99999\\}"), "ERR Regular expression too big");
        assert_eq!(bre("[[:foo:]]"), "ERR Invalid character class name");
        assert_eq!(bre("[:space:]"), "ERR character class syntax is [[:space:]], not [:space:]");
        assert_eq!(bre("\\1"), "ERR Invalid back reference");
        assert_eq!(bre("\\(a\\)\\1"), "ERR back-references (\\1 to \\9) are not supported here");
        assert_eq!(bre("a\\"), "ERR Trailing backslash");
    }
}
