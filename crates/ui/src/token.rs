//! The token inspector: a token pasted, picked from the pod panel or
//! clicked in the terminal, decoded and judged by the cluster
//! ([`saplay_cluster::Cluster::inspect_token`]): header and claims with a
//! sentence each, the signature check, a timeline iat → warnafter → exp
//! with "now", the verdict and why, and the token as a curl command.

use yew::prelude::*;

use saplay_cluster::inspect::{SignatureCheck, TokenInspection, TokenKind, TokenStatus};
use saplay_cluster::Time;

use crate::state::{Action, State};

/// Where the learner's curl reaches the API server (`kubectl cluster-info`).
const API_SERVER: &str = "https://172.18.0.2:6443";

/// Properties of [`TokenPanel`].
#[derive(Properties, PartialEq)]
pub struct TokenProps {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
}

/// An instant as the clock bar shows it: `2025-01-01 00:48:10 UTC`.
pub fn when(at: Time) -> String {
    at.rfc3339().replace('T', " ").replace('Z', " UTC")
}

/// A length of time in words: `42 s`, `38 min`, `2 h 5 min`, `3 d 4 h`.
pub fn span(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 if (s % 3600) / 60 == 0 => format!("{} h", s / 3600),
        3600..86_400 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ if (s % 86_400) / 3600 == 0 => format!("{} d", s / 86_400),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// `at` relative to `now`: `in 38 min`, `5 s ago`, `now`.
pub fn relative(now: Time, at: Time) -> String {
    let diff = at.unix_seconds().saturating_sub(now.unix_seconds());
    match diff {
        0 => "now".to_string(),
        d if d > 0 => format!("in {}", span(d)),
        d => format!("{} ago", span(d)),
    }
}

/// Where instants sit on a bar from `start` to `end`, in percent.
fn percent(start: i64, end: i64, at: i64) -> f64 {
    if end <= start {
        return 100.0;
    }
    let p = (at.saturating_sub(start)) as f64 * 100.0 / (end - start) as f64;
    p.clamp(0.0, 100.0)
}

/// The timeline's marks: (label, instant, percent along the bar). The bar
/// runs from `iat` (or now, if earlier) to `exp` (or now, if later).
pub fn timeline(issued: Time, warn_after: Option<Time>, expires: Time, now: Time) -> Vec<(&'static str, Time, f64)> {
    let start = issued.unix_seconds().min(now.unix_seconds());
    let end = expires.unix_seconds().max(now.unix_seconds());
    let mut marks = vec![("iat", issued)];
    marks.extend(warn_after.map(|w| ("warnafter", w)));
    marks.push(("exp", expires));
    marks.push(("now", now));
    marks.into_iter().map(|(label, t)| (label, t, percent(start, end, t.unix_seconds()))).collect()
}

/// The curl command that sends `token` to the API server (single-quoted
/// for the shell, whatever was pasted).
pub fn curl_command(token: &str) -> String {
    let quoted = token.trim().replace('\'', "'\\''");
    format!("curl -k -H 'Authorization: Bearer {quoted}' {API_SERVER}/api")
}

/// The verdict in a few words.
fn status_label(status: &TokenStatus) -> String {
    match status {
        TokenStatus::Valid => "valid".to_string(),
        TokenStatus::Expired => "expired".to_string(),
        TokenStatus::NotYetValid => "not yet valid".to_string(),
        TokenStatus::BadSignature => "bad signature".to_string(),
        TokenStatus::WrongIssuer => "wrong issuer".to_string(),
        TokenStatus::WrongAudience => "wrong audience".to_string(),
        TokenStatus::BoundObjectGone { kind, name } if !kind.is_empty() => format!("bound object gone ({kind} {name})"),
        TokenStatus::BoundObjectGone { .. } => "bound object gone".to_string(),
        TokenStatus::ServiceAccountGone => "service account gone".to_string(),
        TokenStatus::LegacySecretGone => "legacy Secret gone".to_string(),
        TokenStatus::LegacyInvalidated => "legacy token invalidated".to_string(),
        TokenStatus::NotAJwt => "not a JWT".to_string(),
        TokenStatus::Rejected => "rejected".to_string(),
    }
}

fn signature_text(check: &SignatureCheck) -> String {
    match check {
        SignatureCheck::Valid => "Verified: signed with the key the cluster publishes in its JWKS.".to_string(),
        SignatureCheck::Invalid => {
            "Does not verify against the cluster's key: the token was changed after signing.".to_string()
        }
        SignatureCheck::UnknownKey(kid) => format!("The key id (kid) {kid:?} is not in the cluster's JWKS."),
        SignatureCheck::UnsupportedAlgorithm(alg) => {
            format!("The algorithm {alg:?} is not one the cluster's keys sign with.")
        }
        SignatureCheck::NotChecked => "Not checked: the text could not be decoded.".to_string(),
    }
}

fn kind_text(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Bound => "Bound token (TokenRequest API): it expires and dies with the objects it is bound to.",
        TokenKind::LegacySecret => "Legacy token from a Secret: it never expires; deleting the Secret revokes it.",
        TokenKind::Unknown => "Not a token of this cluster's service-account issuers.",
    }
}

fn pretty(value: Option<&serde_json::Value>) -> String {
    value.and_then(|v| serde_json::to_string_pretty(v).ok()).unwrap_or_default()
}

fn timeline_view(i: &TokenInspection) -> Html {
    let (Some(issued), Some(expires)) = (i.issued_at, i.expires) else {
        let text = match i.issued_at {
            Some(_) => "No exp claim: this token never expires.",
            None => "No iat or exp claims: no timeline to draw.",
        };
        return html! { <p class="hint">{ text }</p> };
    };
    let marks = timeline(issued, i.warn_after, expires, i.now);
    let now_at = marks.iter().find(|(l, _, _)| *l == "now").map_or(0.0, |(_, _, p)| *p);
    let exp_at = marks.iter().find(|(l, _, _)| *l == "exp").map_or(100.0, |(_, _, p)| *p);
    html! {
        <figure class="timeline" aria-label="Token lifetime">
            // SVG geometry, not inline styles: the page's CSP allows no
            // style attributes.
            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect class="track" x="0" y="2" width="100" height="6" />
                <rect class="life" x="0" y="2" width={format!("{exp_at:.2}")} height="6" />
                <rect class="elapsed" x="0" y="2" width={format!("{now_at:.2}")} height="6" />
                { for marks.iter().map(|(label, _, p)| html! {
                    <rect class={classes!("mark", *label)} x={format!("{:.2}", (p - 0.4).clamp(0.0, 99.2))} y="0" width="0.8" height="10" />
                }) }
            </svg>
            <figcaption>
                <ul class="marks">
                    { for marks.iter().map(|(label, t, _)| html! {
                        <li class={*label}><strong>{ *label }</strong>{ " " }
                            <time datetime={t.rfc3339()}>{ when(*t) }</time>
                            if *label != "now" { <span class="relative">{ format!(" ({})", relative(i.now, *t)) }</span> }
                        </li>
                    }) }
                </ul>
            </figcaption>
        </figure>
    }
}

/// The token panel.
#[function_component(TokenPanel)]
pub fn token_panel(props: &TokenProps) -> Html {
    let state = &props.state;
    let curl_shown = use_state(|| None::<bool>);
    let token = state.token.clone().unwrap_or_default();
    let oninput = {
        let state = state.clone();
        let curl_shown = curl_shown.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                curl_shown.set(None);
                state.dispatch(Action::InspectToken(area.value()));
            }
        })
    };
    let field = html! {
        <label class="token-field">{ "Token" }
            <textarea value={token.clone()} {oninput} rows="4" spellcheck="false" autocomplete="off"
                placeholder="Paste a token (eyJ…), or pick one in the Pod panel or in the terminal's output" />
        </label>
    };
    if token.trim().is_empty() {
        return html! {
            <div class="token-inspector">
                { field }
                <p class="hint">{ "Try kubectl create token default, then click the token in the terminal." }</p>
            </div>
        };
    }
    // What was pasted may be a whole header value (`Bearer eyJ…`): the
    // token is what follows the scheme.
    let (token, header) = without_bearer(&token);
    let i = state.shell().cluster().inspect_token(&token);
    let ok = i.status == TokenStatus::Valid;
    let curl = curl_command(&token);
    let copy = {
        let curl = curl.clone();
        let curl_shown = curl_shown.clone();
        Callback::from(move |_: MouseEvent| curl_shown.set(Some(crate::storage::copy_to_clipboard(&curl))))
    };
    let run = {
        let state = state.clone();
        let curl = curl.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Run(curl.clone())))
    };
    html! {
        <div class="token-inspector">
            { field }
            <section class={classes!("verdict", if ok { "ok" } else { "bad" })} role="status" aria-label="Verdict">
                <p class="status"><strong>{ "Status: " }</strong><span class="label">{ status_label(&i.status) }</span></p>
                <p class="why">{ i.why.clone() }</p>
                if let Some(reason) = &i.authenticator_reason {
                    <p class="reason">{ "The authenticator's reason (as the audit log records it): " }<code>{ reason.clone() }</code></p>
                }
            </section>
            if header {
                <p class="hint bearer">{ "Read without its " }<code>{ "Bearer" }</code>{ " prefix: that word belongs to the Authorization header (Authorization: Bearer TOKEN), not to the token." }</p>
            }
            if i.header.is_some() {
                <dl class="facts">
                    <dt>{ "Signature" }</dt><dd class="signature">{ signature_text(&i.signature) }</dd>
                    <dt>{ "Kind" }</dt><dd>{ kind_text(i.kind) }</dd>
                    if let Some(user) = &i.username {
                        <dt>{ "Authenticates as" }</dt><dd><code>{ user.clone() }</code></dd>
                    }
                </dl>
                <h3>{ "Lifetime" }</h3>
                { timeline_view(&i) }
                <h3>{ "Claims" }</h3>
                <table class="claims">
                    <thead><tr><th>{ "Claim" }</th><th>{ "Value" }</th><th>{ "Meaning" }</th></tr></thead>
                    <tbody>
                        { for i.claims_explained.iter().map(|c| html! {
                            <tr><td><code>{ for c.claim.split_inclusive('.').map(|part| html! { <>{ part.to_string() }<wbr /></> }) }</code></td><td class="value"><code>{ c.value.clone() }</code></td><td>{ c.meaning.clone() }</td></tr>
                        }) }
                    </tbody>
                </table>
                <details>
                    <summary>{ "Decoded header and claims (JSON)" }</summary>
                    <pre class="output header">{ pretty(i.header.as_ref()) }</pre>
                    <pre class="output claims-json">{ pretty(i.claims.as_ref()) }</pre>
                </details>
            } else if let Some(error) = &i.parse_error {
                <p class="hint">{ format!("Decoding failed: {error}") }</p>
            }
            // A request with something that is not a token teaches nothing.
            if i.header.is_some() {
                <div class="curl">
                    <button type="button" onclick={copy}>{ "Copy as curl" }</button>
                    <button type="button" onclick={run}>{ "Run it in the terminal" }</button>
                    if let Some(copied) = *curl_shown {
                        <p class="hint">{ if copied { "Copied to the clipboard:" } else { "Copy this command:" } }</p>
                        <pre class="output curl-command">{ curl }</pre>
                    }
                </div>
            }
        </div>
    }
}

/// `text` without a leading `Authorization:` and `Bearer` scheme (any
/// case), trimmed; and whether there was a scheme.
fn without_bearer(text: &str) -> (String, bool) {
    let mut rest = text.trim();
    if rest.get(..14).is_some_and(|h| h.eq_ignore_ascii_case("authorization:")) {
        rest = rest[14..].trim_start();
    }
    match rest.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => (rest[7..].trim().to_string(), true),
        _ => (text.to_string(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_scheme_is_dropped() {
        for (pasted, token, header) in [
            ("eyJa.b.c", "eyJa.b.c", false),
            ("  eyJa.b.c\n", "  eyJa.b.c\n", false),
            ("Bearer eyJa.b.c", "eyJa.b.c", true),
            ("bearer   eyJa.b.c ", "eyJa.b.c", true),
            ("Authorization: Bearer eyJa.b.c", "eyJa.b.c", true),
            ("Bearer", "Bearer", false),
            ("Beärer x", "Beärer x", false),
            ("é", "é", false),
        ] {
            assert_eq!(without_bearer(pasted), (token.to_string(), header), "{pasted:?}");
        }
    }

    fn t(s: i64) -> Time {
        Time::from_unix_seconds(s)
    }

    #[test]
    fn spans_and_relative_times_read_naturally() {
        assert_eq!(span(42), "42 s");
        assert_eq!(span(38 * 60 + 59), "38 min");
        assert_eq!(span(7200), "2 h");
        assert_eq!(span(7500), "2 h 5 min");
        assert_eq!(span(86_400 * 3 + 3600 * 4), "3 d 4 h");
        assert_eq!(span(86_400), "1 d");
        assert_eq!(relative(t(100), t(100 + 2280)), "in 38 min");
        assert_eq!(relative(t(100), t(95)), "5 s ago");
        assert_eq!(relative(t(100), t(100)), "now");
        assert!(relative(t(i64::MIN / 1000), t(i64::MAX / 1000)).starts_with("in "));
    }

    #[test]
    fn the_timeline_stretches_to_include_now() {
        let marks = timeline(t(0), Some(t(80)), t(100), t(50));
        let at: Vec<(&str, f64)> = marks.iter().map(|(l, _, p)| (*l, *p)).collect();
        assert_eq!(at, vec![("iat", 0.0), ("warnafter", 80.0), ("exp", 100.0), ("now", 50.0)]);
        // Expired: the bar runs to now, exp sits before it.
        let marks = timeline(t(0), None, t(100), t(200));
        let at: Vec<(&str, f64)> = marks.iter().map(|(l, _, p)| (*l, *p)).collect();
        assert_eq!(at, vec![("iat", 0.0), ("exp", 50.0), ("now", 100.0)]);
        // A degenerate token (exp = iat = now) does not divide by zero.
        assert!(timeline(t(5), None, t(5), t(5)).iter().all(|(_, _, p)| *p == 100.0));
    }

    #[test]
    fn curl_sends_the_token_as_a_bearer() {
        assert_eq!(
            curl_command(" eyJa.b.c\n"),
            "curl -k -H 'Authorization: Bearer eyJa.b.c' https://172.18.0.2:6443/api"
        );
        assert_eq!(curl_command("a'b"), "curl -k -H 'Authorization: Bearer a'\\''b' https://172.18.0.2:6443/api");
    }
}
