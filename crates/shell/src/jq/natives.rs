//! Native jq builtins written here rather than taken from `jaq-std`.
//!
//! `jaq-std` only hands out its non-core natives all together, and that set
//! includes date functions built on `jiff` with a bundled time-zone
//! database, which made the page's wasm much larger. So the crate is used
//! with its default features off, and this module provides what the rest
//! of its standard library calls: the date functions (over `chrono`, UTC
//! only, with jq 1.7.1's array layout and error messages), the string
//! formats, the regular expressions (over the `regex` crate the shell
//! already has for `grep`) and the `libm` math functions.

use std::fmt::Write as _;

use base64::Engine as _;
use chrono::format::{Parsed, StrftimeItems};
use chrono::{DateTime, Datelike, Timelike};
use jaq_core::native::{self, v, Filter};
use jaq_core::{Bind, Error, RunPtr};
use jaq_json::Val;
use jaq_std::ValT as _;

use super::JqData;

type Native = Filter<RunPtr<JqData>>;
type Result<T> = std::result::Result<T, Error<Val>>;

/// All natives of this module.
pub(super) fn funs() -> Vec<Native> {
    let mut funs = time_funs();
    funs.extend(format_funs());
    funs.extend(regex_funs());
    funs.extend(math_funs());
    funs
}

/// The text of a string value, else jaq's type error.
fn text(v: &Val) -> Result<String> {
    match v {
        Val::TStr(s) => Ok(String::from_utf8_lossy(s).into_owned()),
        other => Err(Error::typ(other.clone(), "string")),
    }
}

/// A number as a float, else jaq's type error.
fn float(v: &Val) -> Result<f64> {
    match (v, v.as_f64()) {
        (Val::Num(_), Some(x)) => Ok(x),
        _ => Err(Error::typ(v.clone(), "number")),
    }
}

/// A number as a C `int`, else jaq's type error.
fn int(v: &Val) -> Result<i32> {
    let x = float(v)?;
    Ok(x.trunc().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32)
}

/// A whole number as jq has it; beyond `isize` (wasm32 has 32 bits) as a
/// float, exact up to 2^53.
fn whole(n: i64) -> Val {
    isize::try_from(n).map_or(Val::from(n as f64), Val::from)
}

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(Error::str(message.into()))
}

// ---------------------------------------------------------------- time

/// A broken-down time as jq's `struct tm`: year (full), month 0–11, day,
/// hour, minute, second, weekday, day of the year.
type Tm = [i64; 8];

fn time_funs() -> Vec<Native> {
    vec![
        ("gmtime", v(0), |cv| native::bome(gmtime(&cv.1))),
        ("mktime", v(0), |cv| native::bome(mktime(&cv.1).map(whole))),
        ("strftime", v(1), |mut cv| {
            let format = cv.0.pop_var();
            native::bome(strftime(&cv.1, &format))
        }),
        ("strptime", v(1), |mut cv| {
            let format = cv.0.pop_var();
            native::bome(strptime(&cv.1, &format))
        }),
        ("todateiso8601", v(0), |cv| native::bome(strftime(&cv.1, &Val::from(ISO8601.to_string())))),
        ("fromdateiso8601", v(0), |cv| {
            let tm = strptime(&cv.1, &Val::from(ISO8601.to_string()));
            native::bome(tm.and_then(|tm| mktime(&tm)).map(whole))
        }),
    ]
}

/// The format of `todate` and `fromdate`.
const ISO8601: &str = "%Y-%m-%dT%H:%M:%SZ";

/// `gmtime`: seconds since the epoch to a broken-down time; the seconds
/// keep the input's fraction.
fn gmtime(v: &Val) -> Result<Val> {
    let Some(secs) = v.as_f64().filter(|_| matches!(v, Val::Num(_))) else {
        return err("gmtime() requires numeric inputs");
    };
    let tm = tm_of(secs)?;
    let fraction = secs - secs.floor();
    let mut out: Vec<Val> = tm.iter().map(|&n| whole(n)).collect();
    if fraction > 0.0 {
        if let Some(second) = out.get_mut(5) {
            *second = Val::from(tm[5] as f64 + fraction);
        }
    }
    Ok(out.into_iter().collect())
}

/// The broken-down UTC time of `secs` (truncated to whole seconds).
fn tm_of(secs: f64) -> Result<Tm> {
    let whole = secs.trunc();
    let dt = (whole.is_finite() && whole.abs() < 1e17).then(|| DateTime::from_timestamp(whole as i64, 0)).flatten();
    let Some(dt) = dt else {
        return err("errror converting number of seconds since epoch to datetime");
    };
    Ok([
        i64::from(dt.year()),
        i64::from(dt.month0()),
        i64::from(dt.day()),
        i64::from(dt.hour()),
        i64::from(dt.minute()),
        i64::from(dt.second()),
        i64::from(dt.weekday().num_days_from_sunday()),
        i64::from(dt.ordinal0()),
    ])
}

/// jq's `jv2tm`: an array of at least eight numbers, each truncated.
fn tm_from(v: &Val) -> Option<Tm> {
    let Val::Arr(items) = v else { return None };
    let mut tm = [0i64; 8];
    for (i, field) in tm.iter_mut().enumerate() {
        let item = items.get(i)?;
        if !matches!(item, Val::Num(_)) {
            return None;
        }
        let n = item.as_f64()?;
        // A C double-to-int conversion; out-of-range values saturate here.
        *field = if n.is_nan() { 0 } else { n.trunc().clamp(i32::MIN.into(), i32::MAX.into()) as i64 };
    }
    Some(tm)
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `timegm`: a broken-down time, out-of-range fields carried over, to
/// seconds since the epoch.
fn timegm(tm: &Tm) -> Option<i64> {
    let year = tm[0].checked_add(tm[1].div_euclid(12))?;
    let month = tm[1].rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1).checked_add(tm[2] - 1)?;
    days.checked_mul(86_400)?.checked_add(tm[3] * 3600 + tm[4] * 60 + tm[5])
}

/// `mktime`: a broken-down time to seconds since the epoch.
fn mktime(v: &Val) -> Result<i64> {
    let Val::Arr(items) = v else {
        return err("mktime requires array inputs");
    };
    if items.len() < 6 {
        return err("mktime requires parsed datetime inputs");
    }
    let Some(tm) = tm_from(v) else {
        return err("mktime requires parsed datetime inputs");
    };
    match timegm(&tm) {
        Some(t) => Ok(t),
        None => err("invalid gmtime representation"),
    }
}

/// `strftime(fmt)` of a number (through `gmtime`) or a broken-down time.
fn strftime(v: &Val, format: &Val) -> Result<Val> {
    let tm = match v {
        Val::Num(_) => tm_of(v.as_f64().unwrap_or(f64::NAN))?,
        Val::Arr(_) => {
            let Val::TStr(_) = format else {
                return err("strftime/1 requires a string format");
            };
            match tm_from(v) {
                Some(tm) => tm,
                None => return err("strftime/1 requires parsed datetime inputs"),
            }
        }
        _ => return err("strftime/1 requires parsed datetime inputs"),
    };
    let Val::TStr(_) = format else {
        return err("strftime/1 requires a string format");
    };
    let format = &text(format)?;
    let dt = timegm(&tm).and_then(|t| DateTime::from_timestamp(t, 0));
    let mut text = String::new();
    match dt {
        // C's strftime reports an empty result as a failure too.
        Some(dt) if write!(text, "{}", dt.format(format)).is_ok() && !text.is_empty() => Ok(Val::from(text)),
        _ => err("strftime/1: unknown system failure"),
    }
}

/// `strptime(fmt)`: a string to a broken-down time.
fn strptime(v: &Val, format: &Val) -> Result<Val> {
    let (Val::TStr(_), Val::TStr(_)) = (v, format) else {
        return err("strptime/1 requires string inputs and arguments");
    };
    let input = &text(v)?;
    let fmt = &text(format)?;
    let mismatch = || err(format!("date \"{input}\" does not match format \"{fmt}\""));
    // Like C's strptime, text after the format is allowed when it starts
    // with white space; jq adds it to the array.
    let cuts = input.char_indices().filter(|(_, c)| c.is_whitespace()).map(|(i, _)| i);
    let parsed = std::iter::once(input.len()).chain(cuts).find_map(|cut| {
        let mut parsed = Parsed::new();
        let head = input.get(..cut)?;
        chrono::format::parse(&mut parsed, head, StrftimeItems::new(fmt)).ok()?;
        Some((parsed, input.get(cut..).unwrap_or("")))
    });
    let Some((parsed, rest)) = parsed else {
        return mismatch();
    };
    // jq's sentinels for a weekday and day of the year it cannot work out.
    let mut tm: Tm = [1900, 0, 0, 0, 0, 0, 8, 367];
    if let Some(t) = parsed.timestamp() {
        let Ok(t) = tm_of(t as f64) else { return mismatch() };
        tm = t;
    } else {
        if let Some(y) = parsed.year() {
            tm[0] = i64::from(y);
        }
        if let Some(m) = parsed.month() {
            tm[1] = i64::from(m) - 1;
        }
        if let Some(d) = parsed.day() {
            tm[2] = i64::from(d);
        }
        let hour = parsed.hour_div_12().unwrap_or(0) * 12 + parsed.hour_mod_12().unwrap_or(0);
        tm[3] = i64::from(hour);
        tm[4] = i64::from(parsed.minute().unwrap_or(0));
        tm[5] = i64::from(parsed.second().unwrap_or(0));
        if tm[2] != 0 && (0..12).contains(&tm[1]) {
            let days = days_from_civil(tm[0], tm[1] + 1, tm[2]);
            tm[6] = (days + 4).rem_euclid(7);
            tm[7] = days - days_from_civil(tm[0], 1, 1);
        }
    }
    let mut out: Vec<Val> = tm.iter().map(|&n| whole(n)).collect();
    if !rest.is_empty() {
        out.push(Val::from(rest.to_string()));
    }
    Ok(out.into_iter().collect())
}

// ---------------------------------------------------------------- formats

fn format_funs() -> Vec<Native> {
    vec![
        ("escape_html", v(0), |cv| native::bome(map_str(&cv.1, escape_html))),
        ("unescape_html", v(0), |cv| native::bome(map_str(&cv.1, unescape_html))),
        ("encode_uri", v(0), |cv| native::bome(map_str(&cv.1, encode_uri))),
        ("decode_uri", v(0), |cv| native::bome(map_str(&cv.1, decode_uri))),
        ("encode_base64", v(0), |cv| {
            native::bome(map_str(&cv.1, |s| base64::engine::general_purpose::STANDARD.encode(s)))
        }),
    ]
}

fn map_str(v: &Val, f: impl FnOnce(&str) -> String) -> Result<Val> {
    Ok(Val::from(f(&text(v)?)))
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&")
}

/// `@uri`: everything but jq's unreserved characters as `%XX`.
fn encode_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn decode_uri(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(decoded) if b == b'%' => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------- regex

fn regex_funs() -> Vec<Native> {
    let vv = || -> Box<[Bind]> { [Bind::Var(()), Bind::Var(())].into() };
    vec![
        ("matches", vv(), |cv| native::bome(regex_run(cv, false, true))),
        ("split_matches", vv(), |cv| native::bome(regex_run(cv, true, true))),
        ("split_", vv(), |cv| native::bome(regex_run(cv, true, false))),
    ]
}

/// Regular-expression flags as jq takes them.
#[derive(Default, Clone, Copy)]
struct Flags {
    global: bool,
    skip_empty: bool,
    case_insensitive: bool,
    multi_line: bool,
    dot_all: bool,
    swap_greed: bool,
    extended: bool,
}

impl Flags {
    fn new(text: &str) -> std::result::Result<Flags, char> {
        let mut f = Flags::default();
        for c in text.chars() {
            match c {
                'g' => f.global = true,
                'n' => f.skip_empty = true,
                'i' => f.case_insensitive = true,
                'm' => f.multi_line = true,
                's' => f.dot_all = true,
                'l' => f.swap_greed = true,
                'x' => f.extended = true,
                'p' => {
                    f.multi_line = true;
                    f.dot_all = true;
                }
                other => return Err(other),
            }
        }
        Ok(f)
    }
}

/// One match object: offset and length in characters and the text; for a
/// capture group also its name (`null` when unnamed). jq puts `string`
/// before `length` for an empty or missing group.
fn match_object(s: &str, m: Option<regex_lite::Match<'_>>, name: Option<Option<&str>>) -> Val {
    let key = |k: &str| Val::from(k.to_string());
    let mut fields = match m {
        Some(m) => {
            let offset = Val::from(s.get(..m.start()).map_or(0, |p| p.chars().count()));
            let string = Val::from(m.as_str().to_string());
            if m.as_str().is_empty() && name.is_some() {
                vec![(key("offset"), offset), (key("string"), string), (key("length"), Val::from(0usize))]
            } else {
                let length = Val::from(m.as_str().chars().count());
                vec![(key("offset"), offset), (key("length"), length), (key("string"), string)]
            }
        }
        None => {
            vec![(key("offset"), Val::from(-1isize)), (key("string"), Val::Null), (key("length"), Val::from(0usize))]
        }
    };
    if let Some(name) = name {
        fields.push((key("name"), name.map_or(Val::Null, |n| Val::from(n.to_string()))));
    }
    Val::obj(fields.into_iter().collect())
}

/// The work of `matches`, `split_matches` and `split_`: text between
/// matches (`split`) and/or each match with its groups (`matches`).
fn regex_run(mut cv: jaq_core::Cv<'_, JqData>, split: bool, matches: bool) -> Result<Val> {
    let flags = cv.0.pop_var();
    let re = cv.0.pop_var();
    let flags = Flags::new(&text(&flags)?).map_err(|c| Error::str(format!("invalid regex flag: {c}")))?;
    let re = regex_lite::RegexBuilder::new(&text(&re)?)
        .case_insensitive(flags.case_insensitive)
        .multi_line(flags.multi_line)
        .dot_matches_new_line(flags.dot_all)
        .swap_greed(flags.swap_greed)
        .ignore_whitespace(flags.extended)
        .build()
        .map_err(|e| Error::str(format!("invalid regex: {e}")))?;
    let s = &text(&cv.1)?;
    let mut out = Vec::new();
    let mut last = 0;
    for caps in re.captures_iter(s) {
        let Some(whole) = caps.get(0) else { continue };
        if flags.skip_empty && whole.as_str().is_empty() {
            continue;
        }
        if split {
            out.push(Val::from(s.get(last..whole.start()).unwrap_or("").to_string()));
            last = whole.end();
        }
        if matches {
            let groups = caps
                .iter()
                .zip(re.capture_names())
                .enumerate()
                .map(|(i, (m, name))| match_object(s, m, (i > 0).then_some(name)));
            out.push(groups.collect());
        }
        if !flags.global {
            break;
        }
    }
    if split {
        out.push(Val::from(s.get(last..).unwrap_or("").to_string()));
    }
    Ok(out.into_iter().collect())
}

// ---------------------------------------------------------------- math

/// A float-to-float function of `.`.
macro_rules! f_f {
    ($name:literal, $f:expr) => {
        ($name, v(0), |cv| native::bome(float(&cv.1).map(|x| Val::from($f(x)))))
    };
}

/// A function of two float arguments, ignoring `.`.
macro_rules! ff_f {
    ($name:literal, $f:expr) => {
        ($name, v(2), |mut cv| {
            let y = cv.0.pop_var();
            let x = cv.0.pop_var();
            native::bome((|| Ok(Val::from($f(float(&x)?, float(&y)?))))())
        })
    };
}

fn math_funs() -> Vec<Native> {
    vec![
        f_f!("acos", libm::acos),
        f_f!("acosh", libm::acosh),
        f_f!("asin", libm::asin),
        f_f!("asinh", libm::asinh),
        f_f!("atan", libm::atan),
        f_f!("atanh", libm::atanh),
        f_f!("cbrt", libm::cbrt),
        f_f!("cos", libm::cos),
        f_f!("cosh", libm::cosh),
        f_f!("erf", libm::erf),
        f_f!("erfc", libm::erfc),
        f_f!("exp", libm::exp),
        f_f!("exp10", libm::exp10),
        f_f!("exp2", libm::exp2),
        f_f!("expm1", libm::expm1),
        f_f!("fabs", libm::fabs),
        f_f!("j0", libm::j0),
        f_f!("j1", libm::j1),
        f_f!("lgamma", libm::lgamma),
        f_f!("log", libm::log),
        f_f!("log10", libm::log10),
        f_f!("log1p", libm::log1p),
        f_f!("log2", libm::log2),
        f_f!("nearbyint", libm::round),
        f_f!("rint", libm::rint),
        f_f!("sin", libm::sin),
        f_f!("sinh", libm::sinh),
        f_f!("sqrt", libm::sqrt),
        f_f!("tan", libm::tan),
        f_f!("tanh", libm::tanh),
        f_f!("tgamma", libm::tgamma),
        f_f!("trunc", libm::trunc),
        f_f!("y0", libm::y0),
        f_f!("y1", libm::y1),
        ("ilogb", v(0), |cv| native::bome(float(&cv.1).map(|x| Val::from(libm::ilogb(x) as isize)))),
        ("frexp", v(0), |cv| {
            native::bome(float(&cv.1).map(|x| {
                let (m, e) = libm::frexp(x);
                [Val::from(m), Val::from(e as isize)].into_iter().collect()
            }))
        }),
        ("modf", v(0), |cv| {
            native::bome(float(&cv.1).map(|x| {
                let (f, i) = libm::modf(x);
                [Val::from(f), Val::from(i)].into_iter().collect()
            }))
        }),
        ff_f!("atan2", libm::atan2),
        ff_f!("copysign", libm::copysign),
        ff_f!("fdim", libm::fdim),
        ff_f!("fmax", libm::fmax),
        ff_f!("fmin", libm::fmin),
        ff_f!("fmod", libm::fmod),
        ff_f!("hypot", libm::hypot),
        ff_f!("nextafter", libm::nextafter),
        ff_f!("pow", libm::pow),
        ff_f!("remainder", libm::remainder),
        ("ldexp", v(2), |mut cv| {
            let e = cv.0.pop_var();
            let x = cv.0.pop_var();
            native::bome((|| Ok(Val::from(libm::ldexp(float(&x)?, int(&e)?))))())
        }),
        ("scalbln", v(2), |mut cv| {
            let e = cv.0.pop_var();
            let x = cv.0.pop_var();
            native::bome((|| Ok(Val::from(libm::scalbn(float(&x)?, int(&e)?))))())
        }),
        ("jn", v(2), |mut cv| {
            let x = cv.0.pop_var();
            let n = cv.0.pop_var();
            native::bome((|| Ok(Val::from(libm::jn(int(&n)?, float(&x)?))))())
        }),
        ("yn", v(2), |mut cv| {
            let x = cv.0.pop_var();
            let n = cv.0.pop_var();
            native::bome((|| Ok(Val::from(libm::yn(int(&n)?, float(&x)?))))())
        }),
        ("fma", v(3), |mut cv| {
            let z = cv.0.pop_var();
            let y = cv.0.pop_var();
            let x = cv.0.pop_var();
            native::bome((|| Ok(Val::from(libm::fma(float(&x)?, float(&y)?, float(&z)?))))())
        }),
    ]
}
