//! Command-line parsing as glibc's `getopt_long` does it for coreutils:
//! short options (clustered, with attached or separate arguments), long
//! options (with `=VALUE`, unambiguous prefixes), `--` and operands mixed
//! with options. Error texts are glibc's.

/// Whether an option takes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arg {
    /// `-x`, `--flag`.
    No,
    /// `-x VALUE`, `-xVALUE`, `--name VALUE`, `--name=VALUE`.
    Required,
    /// `--name` or `--name=VALUE` only.
    Optional,
}

/// One long option: its name, whether it takes an argument and the key it
/// is reported under (usually the matching short option).
pub(crate) type Long = (&'static str, Arg, char);

/// Options and operands in command-line order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// `(key, argument)` for each option given.
    pub opts: Vec<(char, Option<String>)>,
    /// The operands.
    pub operands: Vec<String>,
}

/// Parses `args` with short options `short` (`"cd:f:"`: a `:` after a letter
/// means it takes an argument) and long options `long`. The error is the
/// message to print after `PROG: `.
pub(crate) fn parse(args: &[String], short: &str, long: &[Long]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            parsed.operands.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let (full, has_arg, key) = find_long(long, name, arg)?;
            let value = match (has_arg, value) {
                (Arg::No, Some(_)) => return Err(format!("option '--{full}' doesn't allow an argument")),
                (Arg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(format!("option '--{full}' requires an argument")),
                },
                (_, value) => value,
            };
            parsed.opts.push((key, value));
            continue;
        }
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
            parsed.operands.push(arg.clone());
            continue;
        };
        for (at, c) in cluster.char_indices() {
            let spec = short.char_indices().find(|&(_, s)| s == c && s != ':');
            let Some((pos, _)) = spec else {
                return Err(format!("invalid option -- '{c}'"));
            };
            let takes = short.get(pos + c.len_utf8()..).is_some_and(|r| r.starts_with(':'));
            if !takes {
                parsed.opts.push((c, None));
                continue;
            }
            let rest = cluster.get(at + c.len_utf8()..).unwrap_or_default();
            if !rest.is_empty() {
                parsed.opts.push((c, Some(rest.to_string())));
            } else if let Some(v) = args.get(i) {
                i += 1;
                parsed.opts.push((c, Some(v.clone())));
            } else {
                return Err(format!("option requires an argument -- '{c}'"));
            }
            break;
        }
    }
    Ok(parsed)
}

fn find_long(long: &[Long], name: &str, arg: &str) -> Result<(&'static str, Arg, char), String> {
    if let Some(&(n, a, k)) = long.iter().find(|(n, _, _)| *n == name) {
        return Ok((n, a, k));
    }
    let candidates: Vec<&Long> = long.iter().filter(|(n, _, _)| n.starts_with(name)).collect();
    match candidates.as_slice() {
        [] => Err(format!("unrecognized option '{arg}'")),
        [&(n, a, k)] => Ok((n, a, k)),
        [first, ..] if candidates.iter().all(|c| c.1 == first.1 && c.2 == first.2) => Ok((first.0, first.1, first.2)),
        _ => {
            let names: Vec<String> = candidates.iter().map(|(n, _, _)| format!("'--{n}'")).collect();
            Err(format!("option '--{name}' is ambiguous; possibilities: {}", names.join(" ")))
        }
    }
}

/// Quotes `s` as coreutils' `quote()` does in a UTF-8 locale.
pub(crate) fn quote(s: &str) -> String {
    format!("\u{2018}{s}\u{2019}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    const LONG: &[Long] =
        &[("delimiter", Arg::Required, 'd'), ("decode", Arg::No, 'D'), ("fields", Arg::Required, 'f')];

    #[test]
    fn short_options_cluster_and_take_arguments() {
        let p = parse(&strings(&["-sd,", "x", "-f", "2", "--", "-y"]), "d:f:s", LONG);
        let p = p.unwrap_or_default();
        assert_eq!(p.opts, vec![('s', None), ('d', Some(",".into())), ('f', Some("2".into()))]);
        assert_eq!(p.operands, strings(&["x", "-y"]));
    }

    #[test]
    fn long_options_take_prefixes_and_values() {
        let p = parse(&strings(&["--fie=1", "--delim", ":", "-"]), "", LONG).unwrap_or_default();
        assert_eq!(p.opts, vec![('f', Some("1".into())), ('d', Some(":".into()))]);
        assert_eq!(p.operands, strings(&["-"]));
    }

    #[test]
    fn errors_are_worded_as_glibc() {
        let err = |args: &[&str]| parse(&strings(args), "d:s", LONG).err().unwrap_or_default();
        assert_eq!(err(&["-q"]), "invalid option -- 'q'");
        assert_eq!(err(&["-d"]), "option requires an argument -- 'd'");
        assert_eq!(err(&["--foo=bar"]), "unrecognized option '--foo=bar'");
        assert_eq!(err(&["--decode=x"]), "option '--decode' doesn't allow an argument");
        assert_eq!(err(&["--fields"]), "option '--fields' requires an argument");
        assert_eq!(err(&["--de"]), "option '--de' is ambiguous; possibilities: '--delimiter' '--decode'");
    }
}
