//! `kubectl edit`: kubectl opens the object in an editor and, once the
//! file is saved, sends the difference as a patch. The playground has no
//! terminal editor: `kubectl edit TYPE NAME` asks the page to open its YAML
//! editor (see [`EditorRequest`]), whose Save runs the same command with the
//! saved file as its standard input (`kubectl edit TYPE/NAME <<'EOF' …`).
//! That second step is what kubectl does after the editor closes, with its
//! messages: `edited`, `skipped`, `Edit cancelled, no changes made.`, and
//! its refusals of a changed name, kind or namespace.

use saplay_cluster::api::Request;
use saplay_cluster::decode::parse_manifests;
use saplay_cluster::resource::ResourceInfo;
use serde_json::Value;

use super::output::Format;
use super::patch::{for_output, json_text, namespace_for, print_outcome, targets};
use super::{api_error, Args, Kubectl};

/// The comment kubectl puts above the object it opens.
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// Starts an [`EditorRequest`] in an output; [`EDITOR_REQUEST_END`] ends it.
pub const EDITOR_REQUEST: &str = "\x1b]saplay-edit;";
/// Ends an [`EditorRequest`].
pub const EDITOR_REQUEST_END: &str = "\x07";

/// What `kubectl edit` asks the page to open: the file kubectl would hand
/// to the editor, and the command whose standard input the saved file
/// becomes. It travels in the command's standard output as an escape
/// sequence (as `clear`'s does), so it survives the shell's plumbing;
/// [`take_editor_request`] takes it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorRequest {
    /// The command to run with the saved text, without its here-document
    /// (e.g. `kubectl edit serviceaccount/default -n default`).
    pub command: String,
    /// The text to edit: kubectl's header, then the object.
    pub text: String,
}

impl EditorRequest {
    /// How a text terminal (the native `saplay`, the transcript tests)
    /// shows the request: a note, then the text the page's editor gets.
    pub fn as_text(&self) -> String {
        format!("[the page's editor opens this; its Save runs `{} <<EOF`]\n{}", self.command, self.text)
    }

    /// The request as it travels: JSON, whose escapes keep control
    /// characters (the end mark among them) out of it.
    fn encode(&self) -> String {
        serde_json::json!({"command": self.command, "text": self.text}).to_string()
    }
}

/// Takes the editor request out of `text`, if it holds one.
pub fn take_editor_request(text: &mut String) -> Option<EditorRequest> {
    let start = text.find(EDITOR_REQUEST)?;
    let body_start = start + EDITOR_REQUEST.len();
    let end = body_start + text[body_start..].find(EDITOR_REQUEST_END)?;
    let request = serde_json::from_str::<Value>(&text[body_start..end]).ok().and_then(|v| {
        Some(EditorRequest { command: v["command"].as_str()?.to_string(), text: v["text"].as_str()?.to_string() })
    });
    text.replace_range(start..end + EDITOR_REQUEST_END.len(), "");
    request
}

/// Lines that are not comments (kubectl's `StripComments`, which drops
/// every line whose first non-blank character is `#`).
fn strip_comments(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n")
}

/// `kubectl edit`. Out of line, as every command is, so that the
/// dispatcher a first command compiles stays small.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    if !args.values(&["f", "filename"]).is_empty() {
        return Err(
            "error: \"kubectl edit -f\" is not available in this playground; name the object instead\n".to_string()
        );
    }
    let json = match args.value(&["o", "output"]) {
        None | Some("" | "yaml") => false,
        Some("json") => true,
        Some(other) => {
            return Err(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,yaml\n"
            ))
        }
    };
    let named = targets(&args.positional)?;
    let [(r, name)] = named.as_slice() else {
        return Err("error: \"kubectl edit\" of several objects at once is not available in this playground; edit them one by one\n".to_string());
    };
    let namespace = namespace_for(k, r);
    let response = k.send(Request::get(r.object_path(namespace.as_deref(), name)));
    if !response.is_success() {
        return Err(api_error(&response, None));
    }
    let original = for_output(response.body, r);
    let shown = if json { json_text(&original) } else { crate::yaml::to_yaml(&original) };
    match k.stdin.take() {
        None => {
            let mut command = format!("kubectl edit {}/{name}", r.plural);
            if let Some(ns) = &namespace {
                command.push_str(&format!(" -n {ns}"));
            }
            if json {
                command.push_str(" -o json");
            }
            // JSON has no comments: kubectl leaves the header out then.
            let header = if json { "" } else { HEADER };
            let request = EditorRequest { command, text: format!("{header}{shown}") };
            let encoded = request.encode();
            k.print(&format!("{EDITOR_REQUEST}{encoded}{EDITOR_REQUEST_END}"));
            Ok(())
        }
        Some(saved) => save(k, args, r, &original, &shown, &saved, json),
    }
}

/// What kubectl does once the editor closes on `saved`.
fn save(
    k: &mut Kubectl<'_>,
    args: &Args,
    r: &'static ResourceInfo,
    original: &Value,
    shown: &str,
    saved: &str,
    json: bool,
) -> Result<(), String> {
    // kubectl prints the outcome with the same -o it edited in.
    let printed = if json { Format::Json } else { Format::Default };
    let name = original["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let stripped = strip_comments(saved);
    if stripped.trim_end() == strip_comments(shown).trim_end() {
        k.eprint("Edit cancelled, no changes made.\n");
        return Ok(());
    }
    if stripped.trim().is_empty() {
        k.eprint("Edit cancelled, saved file was empty.\n");
        return Ok(());
    }
    let edited = match parse_manifests(&stripped) {
        Ok(mut documents) if documents.len() == 1 => documents.remove(0),
        Ok(_) => return Err("error: The edited file must hold the one object that was opened\n".to_string()),
        Err(e) => return Err(format!("error: The edited file had a syntax error: {e}\n")),
    };
    let namespace = namespace_for(k, r);
    if let (Some(expected), Some(got)) = (&namespace, edited["metadata"]["namespace"].as_str()) {
        if got != expected {
            return Err(format!("error: the namespace from the provided object \"{got}\" does not match the namespace \"{expected}\". You must pass '--namespace={got}' to perform this operation.\n"));
        }
    }
    if edited == *original {
        print_outcome(k, r, &edited, &printed, "skipped");
        return Ok(());
    }
    let changed = |a: &Value, b: &Value| a != b;
    if changed(&edited["apiVersion"], &original["apiVersion"])
        || changed(&edited["kind"], &original["kind"])
        || changed(&edited["metadata"]["name"], &original["metadata"]["name"])
    {
        return Err("error: At least one of apiVersion, kind and name was changed\n".to_string());
    }
    let patch = super::apply::two_way(original, &edited, r.kind);
    if args.is_set(&["output-patch"]) {
        k.print(&format!("Patch: {}\n", serde_json::to_string(&patch).unwrap_or_default()));
    }
    let manager = args.value(&["field-manager"]).unwrap_or("kubectl-edit");
    let path = format!("{}?fieldManager={manager}", r.object_path(namespace.as_deref(), &name));
    let response = k.send(Request::patch(path, "application/strategic-merge-patch+json", patch.to_string()));
    let resource = if r.group.is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group) };
    match response.code {
        _ if response.is_success() => {
            print_outcome(k, r, &response.body, &printed, "edited");
            Ok(())
        }
        422 => {
            // kubectl reopens the file with the causes in its header; the
            // playground's editor stays open and shows them.
            let mut text = format!("error: {resource} {name:?} is invalid\n");
            let causes = response.body["details"]["causes"].as_array().cloned().unwrap_or_default();
            if !causes.is_empty() {
                text.push_str(&format!("# {resource} {name:?} was not valid:\n"));
                for cause in causes {
                    let field = cause["field"].as_str().unwrap_or_default();
                    let message = cause["message"].as_str().unwrap_or_default();
                    text.push_str(&format!("# * {field}: {message}\n"));
                }
            }
            Err(text)
        }
        404 => Err(format!("error: {resource} {name:?} could not be found on the server\n")),
        _ => Err(format!("error: {resource} {name:?} could not be patched: {}\n", super::api_message(&response))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_travels_in_the_text_and_comes_out_whole() {
        let request =
            EditorRequest { command: "kubectl edit pods/web -n default".into(), text: "a: \"\u{7}\"\n".into() };
        let mut text = format!("before{EDITOR_REQUEST}{}{EDITOR_REQUEST_END}after", request.encode());
        assert_eq!(take_editor_request(&mut text), Some(request));
        assert_eq!(text, "beforeafter");
        assert_eq!(take_editor_request(&mut text), None);
        let mut broken = format!("{EDITOR_REQUEST}{{not json");
        assert_eq!(take_editor_request(&mut broken), None);
    }

    #[test]
    fn comments_are_lines_starting_with_a_hash() {
        assert_eq!(strip_comments("# a\nb: 1\n  # c\nd: '#'\n"), "b: 1\nd: '#'");
    }
}
