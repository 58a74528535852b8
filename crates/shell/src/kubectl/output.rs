//! `-o/--output` formats shared by `get`, `create` and `apply`: YAML, JSON,
//! name, JSONPath (`-o jsonpath=…`, `-o jsonpath-as-json=…`), Go templates
//! (`-o go-template=…`) and custom columns, with kubectl's errors for bad
//! templates.

use serde_json::Value;

use super::gotemplate::GoTemplate;
use super::jsonpath::{go_json_indent, go_sharp_v, go_v, JsonPath};
use super::printers::tabwrite;
use super::Args;

/// One custom column: its header and its JSONPath.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    header: String,
    template: String,
}

/// A parsed `-o` value.
#[derive(Debug, Clone)]
pub(crate) enum Format {
    /// No `-o`: the command's own table or message.
    Default,
    /// `-o wide`.
    Wide,
    /// `-o yaml`.
    Yaml,
    /// `-o json`.
    Json,
    /// `-o name`.
    Name,
    /// `-o jsonpath=…` / `-o jsonpath-as-json=…`.
    JsonPath { path: Box<JsonPath>, template: String, as_json: bool },
    /// `-o go-template=…`, `-o template=…` and their `-file` forms.
    GoTemplate(GoTemplate),
    /// `-o custom-columns=…`.
    CustomColumns(Vec<Column>),
}

/// The formats kubectl lists for commands that print objects (`get`).
pub(crate) const GET_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

/// The formats kubectl lists for `create`, `apply` and other writers.
pub(crate) const WRITE_FORMATS: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// Reads `-o`, `--output`, `--template`, `--allow-missing-template-keys`
/// and the session's files (for `jsonpath-file=`, `go-template-file=`);
/// `allowed` is the list kubectl prints for an unknown format.
pub(crate) fn parse_format(
    args: &Args,
    allowed: &str,
    command: &str,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Result<Format, String> {
    // `--template` alone means `-o go-template`; with a template format it
    // is the template, and then `-o` must name the format alone.
    let template_flag = args.value(&["template"]).filter(|t| !t.is_empty());
    let Some(output) = args.value(&["o", "output"]).or(template_flag.map(|_| "go-template")) else {
        return Ok(Format::Default);
    };
    let (name, value) = match (output.split_once('='), template_flag) {
        (Some(_), Some(_)) if is_template_format(output.split('=').next().unwrap_or_default()) => {
            (output, template_flag)
        }
        (Some((n, v)), _) => (n, Some(v)),
        (None, flag) if is_template_format(output) => (output, flag),
        (None, _) => (output, None),
    };
    let allow_missing = match args.value(&["allow-missing-template-keys"]) {
        None | Some("1" | "t" | "T" | "true" | "TRUE" | "True") => true,
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => false,
        Some(other) => {
            return Err(format!(
                "Error: invalid argument \"{other}\" for \"--allow-missing-template-keys\" flag: strconv.ParseBool: parsing \"{other}\": invalid syntax\nSee 'kubectl {command} --help' for usage.\n"
            ))
        }
    };
    let unknown = || {
        format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: {allowed}\n"
        )
    };
    match (name, value) {
        ("" | "wide", None) if allowed.contains(",wide,") || name.is_empty() => {
            Ok(if name.is_empty() { Format::Default } else { Format::Wide })
        }
        ("yaml", None) => Ok(Format::Yaml),
        ("json", None) => Ok(Format::Json),
        ("name", None) => Ok(Format::Name),
        ("go-template" | "template" | "go-template-file" | "templatefile", _) => {
            let mut template = value.unwrap_or_default().to_string();
            if template.is_empty() {
                return Err("error: template format specified but no template given\n".to_string());
            }
            if name.ends_with("-file") || name == "templatefile" {
                template = read_file(&template).ok_or_else(|| {
                    format!("error: error reading --template {template}, open {template}: no such file or directory\n")
                })?;
            }
            let parsed = GoTemplate::parse(&template, allow_missing)
                .map_err(|e| format!("error: error parsing template {template}, {e}\n"))?;
            Ok(Format::GoTemplate(parsed))
        }
        ("jsonpath" | "jsonpath-as-json" | "jsonpath-file", _) => {
            let mut template = value.unwrap_or_default().to_string();
            if template.is_empty() {
                return Err("error: template format specified but no template given\n".to_string());
            }
            if name == "jsonpath-file" {
                template = read_file(&template).ok_or_else(|| {
                    format!("error: error reading --template {template}, open {template}: no such file or directory\n")
                })?;
            }
            let path = JsonPath::parse(&template)
                .map_err(|e| format!("error: error parsing jsonpath {template}, {e}\n"))?
                .allow_missing_keys(allow_missing);
            Ok(Format::JsonPath { path: Box::new(path), template, as_json: name == "jsonpath-as-json" })
        }
        ("custom-columns", _) if allowed.starts_with("custom-columns") => {
            let spec = value.unwrap_or_default();
            if spec.is_empty() {
                return Err("error: custom-columns format specified but no custom columns given\n".to_string());
            }
            let mut columns = Vec::new();
            for part in spec.split(',') {
                let Some((header, path)) = part.split_once(':') else {
                    return Err(format!(
                        "error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>\n"
                    ));
                };
                columns.push(Column { header: header.to_string(), template: relaxed(path)? });
            }
            Ok(Format::CustomColumns(columns))
        }
        _ => Err(unknown()),
    }
}

/// The formats that take a template (`--template` fills in for `=…`).
fn is_template_format(name: &str) -> bool {
    matches!(
        name,
        "go-template"
            | "template"
            | "go-template-file"
            | "templatefile"
            | "jsonpath"
            | "jsonpath-as-json"
            | "jsonpath-file"
    )
}

/// kubectl's `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and
/// `{.a.b}` all become `{.a.b}`.
pub(crate) fn relaxed(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let no_braces = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
    let inner = path
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .and_then(|p| p.strip_prefix('.').filter(|p| no_braces(p)).or(Some(p).filter(|p| no_braces(p))))
        .or_else(|| path.strip_prefix('.').filter(|p| no_braces(p)).or(Some(path).filter(|p| no_braces(p))));
    match inner {
        Some(inner) => Ok(format!("{{.{inner}}}")),
        None => Err("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n".to_string()),
    }
}

/// Prints `object` with a JSONPath template, or kubectl's debugging error.
pub(crate) fn print_jsonpath(path: &JsonPath, template: &str, as_json: bool, object: &Value) -> Result<String, String> {
    let result = if as_json { path.execute_json(object) } else { path.execute(object) };
    result.map_err(|e| {
        format!(
            "error: error executing jsonpath {template:?}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            go_sharp_v(object)
        )
    })
}

/// The custom-columns table for `items` (header unless `no_headers`).
pub(crate) fn custom_columns(columns: &[Column], items: &[&Value], no_headers: bool) -> Result<String, String> {
    let mut paths = Vec::new();
    for column in columns {
        paths.push(JsonPath::parse(&column.template).map_err(|e| format!("error: {e}\n"))?);
    }
    let mut rows = Vec::new();
    if !no_headers {
        rows.push(columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>());
    }
    for item in items {
        let mut cells = Vec::new();
        for path in &paths {
            let sets = path.find_results(item).map_err(|e| format!("error: {e}\n"))?;
            let mut values = Vec::new();
            if sets.first().is_none_or(Vec::is_empty) {
                values.push("<none>".to_string());
            }
            for set in &sets {
                values.extend(set.iter().map(|v| go_v(v)));
            }
            cells.push(values.join(","));
        }
        rows.push(cells);
    }
    Ok(tabwrite(&rows))
}

/// `object` in YAML, JSON, JSONPath or a Go template, for stdout, and the
/// error kubectl then fails with; `None` for the other formats. A Go
/// template that fails still prints: its output so far and kubectl's
/// debugging text.
pub(crate) fn render(format: &Format, object: &Value) -> Option<(String, Result<(), String>)> {
    let done = |result: Result<String, String>| match result {
        Ok(text) => (text, Ok(())),
        Err(e) => (String::new(), Err(e)),
    };
    match format {
        Format::Yaml => Some((crate::yaml::to_yaml(object), Ok(()))),
        Format::Json => Some((go_json_indent(object) + "\n", Ok(()))),
        Format::JsonPath { path, template, as_json } => Some(done(print_jsonpath(path, template, *as_json, object))),
        Format::GoTemplate(template) => Some(match template.execute(object) {
            Ok(text) => (text, Ok(())),
            Err(failure) => (failure.stdout, Err(failure.error)),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Args {
        Args { positional: Vec::new(), flags: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    #[test]
    fn custom_columns_print_none_and_joined_values() {
        let format = parse_format(
            &args(&[("o", "custom-columns=NAME:.metadata.name,SECRETS:.secrets[*].name,X:{.nope}")]),
            GET_FORMATS,
            "get",
            &|_| None,
        );
        let Ok(Format::CustomColumns(columns)) = format else { panic!("custom columns") };
        let a = serde_json::json!({"metadata": {"name": "a"}, "secrets": [{"name": "s1"}, {"name": "s2"}]});
        let b = serde_json::json!({"metadata": {"name": "long-name"}});
        assert_eq!(
            custom_columns(&columns, &[&a, &b], false),
            Ok("NAME        SECRETS   X\na           s1,s2     <none>\nlong-name   <none>    <none>\n".to_string())
        );
        assert_eq!(custom_columns(&columns, &[], true), Ok(String::new()));
    }

    #[test]
    fn output_flags_are_checked() {
        let read = |_: &str| None;
        for (flags, want) in [
            (vec![("o", "jsonpath")], "error: template format specified but no template given\n"),
            (vec![("o", "jsonpath-file=x")], "error: error reading --template x, open x: no such file or directory\n"),
            (vec![("o", "wide")], "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n"),
        ] {
            let got = parse_format(&args(&flags), WRITE_FORMATS, "create", &read).err();
            assert_eq!(got.as_deref(), Some(want), "{flags:?}");
        }
        assert!(matches!(parse_format(&args(&[("o", "wide")]), GET_FORMATS, "get", &read), Ok(Format::Wide)));
        assert_eq!(
            parse_format(&args(&[("o", "custom-columns")]), GET_FORMATS, "get", &read).err().as_deref(),
            Some("error: custom-columns format specified but no custom columns given\n")
        );
        assert!(matches!(parse_format(&args(&[]), GET_FORMATS, "get", &read), Ok(Format::Default)));
    }

    #[test]
    fn relaxed_paths() {
        for (path, want) in [
            ("metadata.name", Ok("{.metadata.name}")),
            (".metadata.name", Ok("{.metadata.name}")),
            ("{metadata.name}", Ok("{.metadata.name}")),
            ("{.metadata.name}", Ok("{.metadata.name}")),
            ("", Ok("")),
            ("{.a}{.b}", Err(())),
            ("{}", Err(())),
            (".", Ok("{..}")),
            ("{.}", Ok("{..}")),
        ] {
            assert_eq!(relaxed(path).map_err(|_| ()), want.map(str::to_string), "{path}");
        }
    }
}
