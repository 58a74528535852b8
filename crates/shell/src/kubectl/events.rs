//! `kubectl events`: the namespace's core v1 Events (or every namespace's,
//! or one object's with `--for TYPE/NAME`), oldest first, as kubectl v1.32
//! lists them: its own table (LAST SEEN, TYPE, REASON, OBJECT as
//! `Kind/name`, MESSAGE), the `(x3 over 2m)` form for repeated events, the
//! `--types` filter, and the generic printers for `-o`.
//!
//! `--watch` streams events as they come; the shell has no streaming, so
//! it is answered that watching is not available here.

use saplay_cluster::resource::{self, ResourceInfo};
use serde_json::{json, Value};

use super::output::{self, Format};
use super::patch::ALLOWED_FORMATS;
use super::printers::tabwrite;
use super::workloads::event_interval;
use super::{parse_timestamp, Args, Kubectl};

/// The object `--for` names: its kind, `apiVersion` and name.
#[derive(Debug, PartialEq, Eq)]
struct ForObject {
    kind: &'static str,
    api_version: String,
    name: String,
}

/// Reads `--for` as kubectl's `decodeResourceTypeName` does: `TYPE/NAME`
/// with one slash, the type resolved as the REST mapper resolves it
/// (ignoring case). A value without a slash is refused.
fn parse_for(value: &str) -> Result<ForObject, String> {
    let Some((kind, name)) = value.split_once('/') else {
        return Err("error: --for must be in resource/name form\n".to_string());
    };
    if name.contains('/') {
        return Err("error: arguments in resource/name form may not have more than one slash\n".to_string());
    }
    let r = lookup(kind)?;
    Ok(ForObject { kind: r.kind, api_version: r.api_version(), name: name.to_string() })
}

/// The resource a `--for` type names, or kubectl's error for one the
/// server does not serve.
fn lookup(kind: &str) -> Result<&'static ResourceInfo, String> {
    resource::lookup(kind)
        .filter(|r| !r.is_review())
        .ok_or_else(|| super::patch::no_resource_type(&kind.to_ascii_lowercase()))
}

/// Reads `--types` (comma-separated, repeatable) as kubectl does: each
/// value must be `Normal` or `Warning` in any case; the set is deduplicated
/// and sorted. Empty means every type.
fn parse_types(values: &[&str]) -> Result<Vec<String>, String> {
    let mut types: Vec<String> =
        values.iter().filter(|v| !v.is_empty()).flat_map(|v| v.split(',')).map(str::to_string).collect();
    types.sort();
    types.dedup();
    if types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning")) {
        return Err("error: valid --types are Normal or Warning\n".to_string());
    }
    Ok(types)
}

/// Whether an event of type `type_` passes the `--types` filter.
fn type_wanted(types: &[String], type_: &str) -> bool {
    types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(type_))
}

/// When an event happened, for sorting, in Unix microseconds (kubectl's
/// `eventTime`): the series' last sighting, else `lastTimestamp`, else
/// `eventTime`; an event with none sorts first.
fn event_time(event: &Value) -> i64 {
    let micros = |v: &Value| v.as_str().and_then(timestamp_micros);
    if let Some(series) = event["series"].as_object() {
        return series.get("lastObservedTime").and_then(micros).unwrap_or(i64::MIN);
    }
    micros(&event["lastTimestamp"]).or_else(|| micros(&event["eventTime"])).unwrap_or(i64::MIN)
}

/// An RFC 3339 time (seconds, or a MicroTime's fraction) in Unix
/// microseconds.
fn timestamp_micros(s: &str) -> Option<i64> {
    parse_timestamp(s)?;
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_micros())
}

/// Events oldest first. kubectl's sort is Go's `sort.Sort`, which for the
/// few events a playground namespace holds (up to 12) is an insertion sort
/// and keeps equal times in the server's order, as this stable sort does.
fn sort_events(events: &mut [Value]) {
    events.sort_by_key(event_time);
}

/// kubectl's `escapeCell`: a cell is cut at the first line or form feed,
/// with `...` after it.
fn cell(text: &str) -> String {
    match text.find(['\u{c}', '\n', '\r']) {
        Some(i) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// The table kubectl's event printer writes.
fn table(events: &[Value], now: i64, all_namespaces: bool, no_headers: bool) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut rows = Vec::new();
    if !no_headers {
        let mut header = Vec::new();
        if all_namespaces {
            header.push("NAMESPACE".to_string());
        }
        header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(str::to_string));
        rows.push(header);
    }
    for event in events {
        let mut row = Vec::new();
        if all_namespaces {
            row.push(text(&event["metadata"]["namespace"]));
        }
        let involved = &event["involvedObject"];
        row.push(event_interval(event, now));
        row.push(cell(&text(&event["type"])));
        row.push(cell(&text(&event["reason"])));
        row.push(format!("{}/{}", cell(&text(&involved["kind"])), cell(&text(&involved["name"]))));
        row.push(cell(text(&event["message"]).trim()));
        rows.push(row);
    }
    tabwrite(&rows)
}

/// Reads `-o`: the formats kubectl's printer flags offer (no `wide`, no
/// custom columns).
fn check_output(k: &Kubectl<'_>, args: &Args) -> Result<Format, String> {
    output::parse_format(args, ALLOWED_FORMATS, "events", &|p| k.read_file(p))
}

/// `kubectl events`. Out of line, as every command is, so that the
/// dispatcher a first command compiles stays small.
#[inline(never)]
pub(super) fn run(k: &mut Kubectl<'_>, args: &Args) -> Result<(), String> {
    // kubectl's order: --for, then the printer, then --types.
    let for_object = match args.value(&["for"]).filter(|v| !v.is_empty()) {
        Some(value) => Some(parse_for(value)?),
        None => None,
    };
    let format = check_output(k, args)?;
    let types = parse_types(&args.values(&["types"]))?;
    if args.is_set(&["w", "watch"]) {
        return Err("error: \"kubectl events --watch\" is not available in this playground; run kubectl events again to see what is new\n".to_string());
    }
    let all_namespaces = args.is_set(&["A", "all-namespaces"]);
    let namespace = k.namespace();
    // `--for pod/` names no object: kubectl then filters nothing.
    let fields = for_object.filter(|f| !f.name.is_empty()).map(|f| {
        format!(
            "involvedObject.kind={},involvedObject.apiVersion={},involvedObject.name={}",
            f.kind, f.api_version, f.name
        )
    });
    let events_resource = resource::by_plural_name("events").ok_or_else(|| super::patch::no_resource_type("events"))?;
    let ns = (!all_namespaces).then_some(namespace.as_str());
    let mut events: Vec<Value> = super::get::list(k, events_resource, ns, None, fields.as_deref())?
        .into_iter()
        .filter(|e| type_wanted(&types, e["type"].as_str().unwrap_or_default()))
        .map(|e| super::patch::for_output(e, events_resource))
        .collect();
    if events.is_empty() {
        if all_namespaces {
            k.eprint("No events found.\n");
        } else {
            k.eprint(&format!("No events found in {namespace} namespace.\n"));
        }
        return Ok(());
    }
    sort_events(&mut events);
    match &format {
        Format::Name => {
            for event in &events {
                k.print(&format!("event/{}\n", event["metadata"]["name"].as_str().unwrap_or_default()));
            }
        }
        Format::Default | Format::Wide | Format::CustomColumns(_) => {
            let text = table(&events, k.now_seconds(), all_namespaces, args.is_set(&["no-headers"]));
            k.print(&text);
        }
        other => {
            let list = json!({"apiVersion": "v1", "items": events, "kind": "EventList", "metadata": {}});
            if let Some((text, result)) = output::render(other, &list) {
                k.print(&text);
                result?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn for_takes_one_type_and_name() {
        assert_eq!(
            parse_for("pod/web"),
            Ok(ForObject { kind: "Pod", api_version: "v1".to_string(), name: "web".to_string() })
        );
        assert_eq!(
            parse_for("Deploy/web"),
            Ok(ForObject { kind: "Deployment", api_version: "apps/v1".to_string(), name: "web".to_string() })
        );
        assert_eq!(parse_for("po/").map(|f| f.name), Ok(String::new()));
        assert_eq!(parse_for("web").err().as_deref(), Some("error: --for must be in resource/name form\n"));
        assert_eq!(
            parse_for("pod/web/x").err().as_deref(),
            Some("error: arguments in resource/name form may not have more than one slash\n")
        );
        assert_eq!(
            parse_for("Foo/web").err().as_deref(),
            Some("error: the server doesn't have a resource type \"foo\"\n")
        );
    }

    #[test]
    fn types_are_normal_or_warning_in_any_case() {
        assert_eq!(parse_types(&["Warning,normal", "Warning"]), Ok(vec!["Warning".to_string(), "normal".to_string()]));
        assert_eq!(parse_types(&[""]), Ok(Vec::new()));
        let refused = Err("error: valid --types are Normal or Warning\n".to_string());
        assert_eq!(parse_types(&["Normal,Error"]), refused);
        assert_eq!(parse_types(&["Normal,"]), refused);
        let types = parse_types(&["warning"]).unwrap_or_default();
        assert!(type_wanted(&types, "Warning"));
        assert!(!type_wanted(&types, "Normal"));
        assert!(type_wanted(&[], "Normal"));
    }

    #[test]
    fn events_sort_by_series_then_last_then_event_time() {
        let mut events = vec![
            json!({"n": 1, "lastTimestamp": "2025-01-01T00:00:10Z"}),
            json!({"n": 2, "eventTime": "2025-01-01T00:00:05.500000Z"}),
            json!({"n": 3, "lastTimestamp": "2025-01-01T00:00:05Z", "eventTime": "2025-01-01T00:00:20.000000Z"}),
            json!({"n": 4, "series": {"lastObservedTime": "2025-01-01T00:00:01.000000Z"},
                "lastTimestamp": "2025-01-01T00:00:30Z"}),
            json!({"n": 5}),
            json!({"n": 6, "lastTimestamp": "2025-01-01T00:00:05Z"}),
        ];
        sort_events(&mut events);
        let order: Vec<i64> = events.iter().map(|e| e["n"].as_i64().unwrap_or(0)).collect();
        assert_eq!(order, [5, 4, 3, 6, 2, 1]);
    }

    #[test]
    fn interval_shows_repeats_over_the_first_sighting() {
        let now = parse_timestamp("2025-01-01T00:10:00Z").unwrap_or(0);
        let once =
            json!({"count": 1, "firstTimestamp": "2025-01-01T00:09:30Z", "lastTimestamp": "2025-01-01T00:09:30Z"});
        assert_eq!(event_interval(&once, now), "30s");
        let repeated =
            json!({"count": 4, "firstTimestamp": "2025-01-01T00:02:00Z", "lastTimestamp": "2025-01-01T00:09:50Z"});
        assert_eq!(event_interval(&repeated, now), "10s (x4 over 8m)");
        let new_api = json!({"eventTime": "2025-01-01T00:08:00.250000Z"});
        assert_eq!(event_interval(&new_api, now), "2m");
        let series = json!({"eventTime": "2025-01-01T00:05:00.000000Z",
            "series": {"count": 2, "lastObservedTime": "2025-01-01T00:09:00.000000Z"}});
        assert_eq!(event_interval(&series, now), "60s (x2 over 5m)");
        assert_eq!(event_interval(&json!({}), now), "<unknown>");
    }

    #[test]
    fn table_names_the_object_by_kind_and_cuts_multiline_messages() {
        let now = parse_timestamp("2025-01-01T00:10:00Z").unwrap_or(0);
        let event = json!({"metadata": {"namespace": "dev"}, "type": "Warning", "reason": "BackOff",
            "involvedObject": {"kind": "Pod", "name": "web"}, "message": " first\nsecond ",
            "firstTimestamp": "2025-01-01T00:09:00Z", "lastTimestamp": "2025-01-01T00:09:00Z", "count": 1});
        assert_eq!(
            table(std::slice::from_ref(&event), now, true, false),
            "NAMESPACE   LAST SEEN   TYPE      REASON    OBJECT    MESSAGE\ndev         60s         Warning   BackOff   Pod/web   first...\n"
        );
        assert_eq!(
            table(std::slice::from_ref(&event), now, false, true),
            "60s   Warning   BackOff   Pod/web   first...\n"
        );
    }
}
