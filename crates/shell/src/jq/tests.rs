//! Unit tests of `jq`: options, formatting, errors and exit statuses.

use super::*;
use crate::files::{FileError, ReadFiles};

struct NoFiles;

impl ReadFiles for NoFiles {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        match path {
            "sa.json" => Ok("{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}\n".to_string()),
            "prog.jq" => Ok(".metadata.name\n".to_string()),
            "dir" => Err(FileError::IsADirectory),
            _ => Err(FileError::NotFound),
        }
    }
}

fn jq(args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let io = Io { stdin, files: &NoFiles };
    let out = run(&args, &io, 1_700_000_000_500);
    (out.stdout(), out.stderr(), out.exit_code)
}

#[test]
fn pretty_prints_with_two_spaces_keeping_key_order() {
    let (out, err, code) = jq(&["."], Some("{\"b\":1.0,\"a\":[1,2],\"c\":{}}"));
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("{\n  \"b\": 1.0,\n  \"a\": [\n    1,\n    2\n  ],\n  \"c\": {}\n}\n", "", 0)
    );
}

/// Arguments, standard input, expected stdout, stderr and status.
type Case<'a> = (&'a [&'a str], Option<&'a str>, &'a str, &'a str, i32);

fn check(cases: &[Case<'_>]) {
    for (args, stdin, out, err, code) in cases {
        let got = jq(args, *stdin);
        assert_eq!((got.0.as_str(), got.1.as_str(), got.2), (*out, *err, *code), "jq {args:?} <<< {stdin:?}");
    }
}

#[test]
fn output_options() {
    check(&[
        (&["-c", "."], Some("{\"a\": [1, 2]}"), "{\"a\":[1,2]}\n", "", 0),
        (&["--tab", "."], Some("[1]"), "[\n\t1\n]\n", "", 0),
        (&["--indent", "0", "."], Some("[1]"), "[1]\n", "", 0),
        (&["--indent", "7", "."], Some("[1]"), "[\n       1\n]\n", "", 0),
        (&["-r", ".[]"], Some("[\"a\",1,\"b\\nc\"]"), "a\n1\nb\nc\n", "", 0),
        (&["-j", ".[]"], Some("[\"a\",1]"), "a1", "", 0),
        (&["--raw-output0", ".[]"], Some("[\"a\",\"b\"]"), "a\0b\0", "", 0),
        (&["-ra", "."], Some("\"é\""), "\"\\u00e9\"\n", "", 0),
        (&["-S", "-c", "."], Some("{\"b\":1,\"a\":{\"d\":1,\"c\":2}}"), "{\"a\":{\"c\":2,\"d\":1},\"b\":1}\n", "", 0),
        (&["--seq", "-c", "."], Some("1"), "\u{1e}1\n", "", 0),
        (&["-rc", ".a"], Some("{\"a\":\"x\"}"), "x\n", "", 0),
    ]);
}

#[test]
fn input_options() {
    check(&[
        (&["-s", "-c", "."], Some("1 2\n3"), "[1,2,3]\n", "", 0),
        (&["-s", "-c", "."], Some(""), "[]\n", "", 0),
        (&["-R", "."], Some("a\nb"), "\"a\"\n\"b\"\n", "", 0),
        (&["-Rs", "."], Some("a\nb\n"), "\"a\\nb\\n\"\n", "", 0),
        (&["-n", "-c", "[inputs]"], Some("1 2"), "[1,2]\n", "", 0),
        (&["-n", "input, input"], Some("1 2"), "1\n2\n", "", 0),
        (&["-n", "."], None, "null\n", "", 0),
        (&["."], Some(""), "", "", 0),
        (&["."], None, "", "", 0),
        (
            &[".", "sa.json"],
            None,
            "{\n  \"kind\": \"ServiceAccount\",\n  \"metadata\": {\n    \"name\": \"default\"\n  }\n}\n",
            "",
            0,
        ),
        (&["-r", ".metadata.name", "sa.json", "sa.json"], None, "default\ndefault\n", "", 0),
        (&["-r", "input_filename", "sa.json"], None, "sa.json\n", "", 0),
        (&["-f", "prog.jq", "sa.json"], None, "\"default\"\n", "", 0),
        (&["-n", "-c", "--slurpfile", "s", "sa.json", "$s | length"], None, "1\n", "", 0),
        (&["-n", "--rawfile", "s", "prog.jq", "$s"], None, "\".metadata.name\\n\"\n", "", 0),
        (&["-n", "-c", "$ARGS", "--jsonargs", "1", "[2]"], None, "{\"positional\":[1,[2]],\"named\":{}}\n", "", 0),
        (&["-n", "-c", "[$a, $b]", "--arg", "a", "1", "--argjson", "b", "1"], None, "[\"1\",1]\n", "", 0),
        (&["", "-c"], Some("{\"a\":1}"), "{\"a\":1}\n", "", 0),
        (&["-c"], Some("{\"a\":1}"), "{\"a\":1}\n", "", 0),
    ]);
}

#[test]
fn usage_errors_exit_2() {
    let help = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n";
    let cases: [(&[&str], String); 7] = [
        (&["--frob", "."], format!("jq: Unknown option --frob\n{help}")),
        (&["-rx", "."], format!("jq: Unknown option -rx\n{help}")),
        (&["--arg", "x"], format!("jq: --arg takes two parameters (e.g. --arg varname value)\n{help}")),
        (&["--argjson", "x", "{", "."], format!("jq: invalid JSON text passed to --argjson\n{help}")),
        (&["--indent", "8", "."], format!("jq: --indent takes a number between -1 and 7\n{help}")),
        (&["--indent"], format!("jq: --indent takes one parameter\n{help}")),
        (
            &["--slurpfile", "a"],
            format!("jq: --slurpfile takes two parameters (e.g. --slurpfile varname filename)\n{help}"),
        ),
    ];
    for (args, err) in cases {
        assert_eq!(jq(args, None), (String::new(), err, 2), "{args:?}");
    }
    let (out, err, code) = jq(&[], None);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.starts_with(
        "jq - commandline JSON processor [version 1.7.1]\n\nUsage:\tjq [options] <jq filter> [file...]\n"
    ));
    assert!(err.ends_with(help));
    let (out, err, code) = jq(&["--help"], None);
    assert!(out.contains("  -n, --null-input") && out.contains("$ARGS.positional") && err.is_empty() && code == 0);
    assert_eq!(jq(&["-V"], None), ("jq-1.7.1\n".to_string(), String::new(), 0));
    check(&[
        (&[".", "nosuch"], None, "", "jq: error: Could not open file nosuch: No such file or directory\n", 2),
        (
            &[".", "dir", "sa.json"],
            None,
            "{\n  \"kind\": \"ServiceAccount\",\n  \"metadata\": {\n    \"name\": \"default\"\n  }\n}\n",
            "jq: error: Could not open file dir: Is a directory\n",
            2,
        ),
        (&["-f", "nosuch"], None, "", "jq: error: Could not open nosuch: No such file or directory\n", 2),
        (&["--stream", "."], None, "", "jq: --stream is not available in this playground\n", 2),
    ]);
}

#[test]
fn exit_statuses() {
    check(&[
        (&["-e", "."], Some("null"), "null\n", "", 1),
        (&["-e", "."], Some("false"), "false\n", "", 1),
        (&["-e", "."], Some("0"), "0\n", "", 0),
        (&["-e", "empty"], Some("1"), "", "", 4),
        (&["-e", ".[]"], Some("[1, null]"), "1\nnull\n", "", 1),
        (&["-e", ".a"], Some("{\"a\":1} {}"), "1\nnull\n", "", 1),
        (&["empty"], Some("1"), "", "", 0),
        // jq reports the status of the last input only.
        (&[".a"], Some("1 {}"), "null\n", "jq: error (at <stdin>:0): Cannot index number with string \"a\"\n", 0),
        (&[".a"], Some("{} 1"), "null\n", "jq: error (at <stdin>:0): Cannot index number with string \"a\"\n", 5),
        (&["-n", "1, halt, 2"], None, "1\n", "", 0),
        (&["-n", "\"bye\\n\" | halt_error(3)"], None, "", "bye\n", 3),
        (&["-n", "{} | halt_error"], None, "", "{}\n", 5),
        (&["-n", "debug, stderr, 1"], None, "null\nnull\n1\n", "[\"DEBUG:\",null]\nnull", 0),
    ]);
}

#[test]
fn errors_in_jq_words() {
    check(&[
        (&["."], Some("{\"a\":1"), "", "jq: parse error: Unfinished JSON term at EOF at line 1, column 6\n", 5),
        (&["-c", "."], Some("1 [2] x\n"), "1\n[2]\n", "jq: parse error: Invalid numeric literal at line 2, column 0\n", 5),
        (&["-s", "."], Some("1 x"), "", "jq: parse error: Invalid numeric literal at EOF at line 1, column 3\n", 5),
        (&[".a["], Some("{}"), "", "jq: error: syntax error, unexpected end of file (Unix shell quoting issues?) at <top-level>, line 1:\n.a[  \njq: 1 compile error\n", 3),
        (&["nope(1)"], Some("{}"), "", "jq: error: nope/1 is not defined at <top-level>, line 1:\nnope(1)\njq: 1 compile error\n", 3),
        (&["-n", "$x"], None, "", "jq: error: $x is not defined at <top-level>, line 1:\n$x\njq: 1 compile error\n", 3),
        (&["-n", "1 |\nfoo"], None, "", "jq: error: foo/0 is not defined at <top-level>, line 2:\nfoo\njq: 1 compile error\n", 3),
        (&["-n", "error(\"boom\")"], None, "", "jq: error (at <unknown>): boom\n", 5),
        (&["-n", "error({a:1})"], None, "", "jq: error (at <unknown>) (not a string): {\"a\":1}\n", 5),
        (&[".a.b"], Some("{\n\"a\": 1\n}\n"), "", "jq: error (at <stdin>:3): Cannot index number with string \"b\"\n", 5),
        (&[".[]"], Some("\"aaaaaaaaaaaaaaaaaaaa\""), "", "jq: error (at <stdin>:0): Cannot iterate over string (\"aaaaaaaaaa...)\n", 5),
        (&[".[0]"], Some("{}"), "null\n", "", 0),
        (&["-n", "[] | .a"], None, "", "jq: error (at <unknown>): Cannot index array with string \"a\"\n", 5),
        (&["-n", "{} - 1"], None, "", "jq: error (at <unknown>): object ({}) and number (1) cannot be subtracted\n", 5),
        (&["-n", "[] * 2"], None, "", "jq: error (at <unknown>): array ([]) and number (2) cannot be multiplied\n", 5),
        (&["-n", "10 % 0"], None, "", "jq: error (at <unknown>): number (10) and number (0) cannot be divided (remainder) because the divisor is zero\n", 5),
        (&["-n", "true | length"], None, "", "jq: error (at <unknown>): boolean (true) has no length\n", 5),
        (&["-n", "\"a\" | tonumber"], None, "", "jq: error (at <unknown>): Invalid numeric literal at EOF at line 1, column 1 (while parsing 'a')\n", 5),
        (&["-n", "\"Y\" | @base64d"], None, "", "jq: error (at <unknown>): string (\"Y\") trailing base64 byte found\n", 5),
        (&["-n", "{} | @csv"], None, "", "jq: error (at <unknown>): object ({}) cannot be csv-formatted, only an array can be\n", 5),
        (&["-n", "[{}] | @sh"], None, "", "jq: error (at <unknown>): object ({}) can not be escaped for shell\n", 5),
    ]);
}

#[test]
fn builtins_jq_prints_its_own_way() {
    check(&[
        (
            &["-n", "-c", "[1,[2]] | tojson, tostring, @text, @json"],
            None,
            "\"[1,[2]]\"\n\"[1,[2]]\"\n\"[1,[2]]\"\n\"[1,[2]]\"\n",
            "",
            0,
        ),
        (&["-n", "10 / 2, (10 / 4 | tostring), (1e1000 | tojson)"], None, "5\n\"2.5\"\n\"1E+1000\"\n", "", 0),
        (&["-n", "now"], None, "1700000000.5\n", "", 0),
        (
            &["-n", "-c", "\"\\(1.0) \\(10/2) \\(1e1000)\", {\"a\\(1/2)\": 1}, @base64 \"x\\(1/2)\""],
            None,
            "\"1.0 5 1E+1000\"\n{\"a0.5\":1}\n\"xMC41\"\n",
            "",
            0,
        ),
        (&["-n", "input"], None, "", "jq: error (at <stdin>:0): break\n", 5),
        (&["-c", "[., input]"], Some("1 2 3\n"), "[1,2]\n", "jq: error (at <stdin>:1): break\n", 5),
        (&["-n", "-c", "env, $ENV"], None, "{}\n{}\n", "", 0),
        (&["-n", "\"eyJhIjoxfQ\" | @base64d | fromjson | .a"], None, "1\n", "", 0),
        (
            &["-n", "-r", "[\"a,\\\"b\",1,null,true] | @csv, @tsv"],
            None,
            "\"a,\"\"b\",1,,true\na,\"b\t1\t\ttrue\n",
            "",
            0,
        ),
        (&["-n", "-r", "[\"it's\", 1] | @sh"], None, "'it'\\''s' 1\n", "", 0),
        (&["-n", "1 | ltrimstr(\"a\"), (\"ab\" | ltrimstr(\"a\"), rtrimstr(\"b\"))"], None, "1\n\"b\"\n\"a\"\n", "", 0),
        (&["-n", "2 | IN(1, 2), IN(1, 2; 2)"], None, "true\ntrue\n", "", 0),
        (&["-n", "-c", "[{\"k\":\"a\"}] | INDEX(.k)"], None, "{\"a\":{\"k\":\"a\"}}\n", "", 0),
    ]);
}

#[test]
fn base64_decoding_follows_jq() {
    let cases = [
        ("eyJhIjoxfQ", Ok("{\"a\":1}")),
        ("eyJhIjoxfQ==", Ok("{\"a\":1}")),
        ("YQ", Ok("a")),
        ("YWI", Ok("ab")),
        ("", Ok("")),
        ("=", Ok("")),
        ("Y", Err("trailing base64 byte found")),
        ("eyJ-_w", Err("is not valid base64 data")),
        ("a b", Err("is not valid base64 data")),
        ("/w", Ok("\u{FFFD}")),
    ];
    for (input, want) in cases {
        assert_eq!(base64_decode(input).as_deref().map_err(|e| *e), want, "{input}");
    }
}

#[test]
fn hostile_input_never_panics() {
    let deep = "[".repeat(5000);
    let huge = "9".repeat(10_000);
    let cases: [(&[&str], Option<&str>); 10] = [
        (&["."], Some(&deep)),
        (&["."], Some(&huge)),
        (&[". + 1"], Some(&huge)),
        (&["-n", "1e99999999999999999999 * 10"], None),
        (&["-n", "[limit(3; repeat(1))] | .[999999999999]"], None),
        (&["-n", "\"\\ud800\""], None),
        (&["-n", "[.[]?"], None),
        (&["-n", "}{"], None),
        (&["-n", "\"\\(1;2)\""], None),
        (&["-n", "@nosuchformat \"x\""], None),
    ];
    for (args, stdin) in cases {
        let (_, _, code) = jq(args, stdin);
        assert!(code >= 0, "{args:?}");
    }
}

#[test]
fn date_builtins_as_jq_1_7_1() {
    check(&[
        (&["-n", "1735693200 | todate"], None, "\"2025-01-01T01:00:00Z\"\n", "", 0),
        (
            &["-n", "1735693200 | todateiso8601, date"],
            None,
            "\"2025-01-01T01:00:00Z\"\n\"2025-01-01T01:00:00Z\"\n",
            "",
            0,
        ),
        (&["-c", "gmtime"], Some("1735693200"), "[2025,0,1,1,0,0,3,0]\n", "", 0),
        (&["-c", "gmtime"], Some("1735693200.25"), "[2025,0,1,1,0,0.25,3,0]\n", "", 0),
        (&["-c", "gmtime"], Some("-1.5"), "[1969,11,31,23,59,59.5,3,364]\n", "", 0),
        (&["fromdate"], Some("\"2025-01-01T01:00:00Z\""), "1735693200\n", "", 0),
        (&["fromdateiso8601"], Some("\"1970-01-01T00:00:00Z\""), "0\n", "", 0),
        (
            &["-c", "strptime(\"%Y-%m-%dT%H:%M:%SZ\")"],
            Some("\"2025-01-01T01:00:00Z\""),
            "[2025,0,1,1,0,0,3,0]\n",
            "",
            0,
        ),
        (&["-c", "strptime(\"%Y-%m-%d\")"], Some("\"2025-03-04\""), "[2025,2,4,0,0,0,2,62]\n", "", 0),
        (&["-c", "strptime(\"%Y-%m-%d\")"], Some("\"2025-03-04 x\""), "[2025,2,4,0,0,0,2,62,\" x\"]\n", "", 0),
        (&["-c", "strptime(\"%H:%M\")"], Some("\"10:20\""), "[1900,0,0,10,20,0,8,367]\n", "", 0),
        (&["mktime"], Some("[2025,0,1,1,0,0,3,0]"), "1735693200\n", "", 0),
        (&["mktime"], Some("[2025,13,40,1,0,0,0,0]"), "1773277200\n", "", 0),
        (&["mktime"], Some("[2025,0,1,1,0,0.9,3,0]"), "1735693200\n", "", 0),
        (
            &["-r", "strftime(\"%A, %B %d, %Y %j %Z %z %s %e %I%p %c\")"],
            Some("1735693200"),
            "Wednesday, January 01, 2025 001 UTC +0000 1735693200  1 01AM Wed Jan  1 01:00:00 2025\n",
            "",
            0,
        ),
        (&["-r", "strftime(\"%Y-%m-%dT%H:%M:%SZ\")"], Some("[2025,0,1,1,0,0,3,0]"), "2025-01-01T01:00:00Z\n", "", 0),
        (
            &["-n", "1735693200 | dateadd(\"seconds\"; 10), datesub(\"seconds\"; 10)"],
            None,
            "1735693210\n1735693190\n",
            "",
            0,
        ),
        (&["-n", "now | todate"], None, "\"2023-11-14T22:13:20Z\"\n", "", 0),
    ]);
}

#[test]
fn date_builtin_errors_as_jq_1_7_1() {
    let e = |m: &str| format!("jq: error (at <stdin>:0): {m}\n");
    check(&[
        (&["todate"], Some("\"x\""), "", &e("strftime/1 requires parsed datetime inputs"), 5),
        (&["fromdate"], Some("\"x\""), "", &e("date \"x\" does not match format \"%Y-%m-%dT%H:%M:%SZ\""), 5),
        (&["fromdate"], Some("1"), "", &e("strptime/1 requires string inputs and arguments"), 5),
        (&["mktime"], Some("\"abc\""), "", &e("mktime requires array inputs"), 5),
        (&["mktime"], Some("[2025,0,1,1,0,0]"), "", &e("mktime requires parsed datetime inputs"), 5),
        (&["mktime"], Some("[\"a\",1,2,3,4,5,6,7]"), "", &e("mktime requires parsed datetime inputs"), 5),
        (&["gmtime"], Some("\"a\""), "", &e("gmtime() requires numeric inputs"), 5),
        (&["gmtime"], Some("1e20"), "", &e("errror converting number of seconds since epoch to datetime"), 5),
        (&["strftime(\"%Y\")"], Some("[1]"), "", &e("strftime/1 requires parsed datetime inputs"), 5),
        (&["strftime(1)"], Some("[2025,0,1,1,0,0,3,0]"), "", &e("strftime/1 requires a string format"), 5),
        (&["strftime(\"\")"], Some("1735693200"), "", &e("strftime/1: unknown system failure"), 5),
        (&["strftime(\"%Q\")"], Some("1735693200"), "", &e("strftime/1: unknown system failure"), 5),
        (&["mktime"], Some("[2100,0,1,0,0,0,5,0]"), "4102444800\n", "", 0),
        (&["-c", "gmtime"], Some("4102444800"), "[2100,0,1,0,0,0,5,0]\n", "", 0),
        (&["gmtime"], Some("1e400"), "", &e("errror converting number of seconds since epoch to datetime"), 5),
    ]);
}

#[test]
fn formats_regex_and_math_without_jaq_std_extras() {
    check(&[
        (&["-r", "@html"], Some("\"<&'\\\">\""), "&lt;&amp;&#39;&quot;&gt;\n", "", 0),
        (&["-r", "@uri"], Some("\"a b/é?\""), "a%20b%2F%C3%A9%3F\n", "", 0),
        (&["-r", "@base64"], Some("\"sa1\""), "c2Ex\n", "", 0),
        (
            &["-c", "[match(\"(b)(x)?\"; \"g\")]"],
            Some("\"abcb\""),
            "[{\"offset\":1,\"length\":1,\"string\":\"b\",\"captures\":[{\"offset\":1,\"length\":1,\"string\":\"b\",\"name\":null},{\"offset\":-1,\"string\":null,\"length\":0,\"name\":null}]},{\"offset\":3,\"length\":1,\"string\":\"b\",\"captures\":[{\"offset\":3,\"length\":1,\"string\":\"b\",\"name\":null},{\"offset\":-1,\"string\":null,\"length\":0,\"name\":null}]}]\n",
            "",
            0,
        ),
        (&["-c", "capture(\"(?<x>a)\")"], Some("\"ab\""), "{\"x\":\"a\"}\n", "", 0),
        (&["-c", "[splits(\"[0-9]\")]"], Some("\"a1b2\""), "[\"a\",\"b\",\"\"]\n", "", 0),
        (&["test(\"T\"; \"i\")"], Some("\"test\""), "true\n", "", 0),
        (&["sub(\"X\"; \"y\"; \"g\")"], Some("\"aXbX\""), "\"ayby\"\n", "", 0),
        (&["-c", "[match(\"é(.)\").captures[0].offset]"], Some("\"aéb\""), "[2]\n", "", 0),
        (&["test(\"(\")"], Some("\"a\""), "", "jq: error (at <stdin>:0): invalid regex: found open group without closing ')'\n", 5),
        (&["test(\"a\"; \"q\")"], Some("\"a\""), "", "jq: error (at <stdin>:0): invalid regex flag: q\n", 5),
        (&["-c", "[pow(2; 10), sqrt, log, (1.5 | frexp, modf), fabs, ldexp(3; 2)]"], Some("2"), "[1024,1.4142135623730951,0.6931471805599453,[0.75,1],[0.5,1],2,12]\n", "", 0),
        (&["sqrt"], Some("\"a\""), "", "jq: error (at <stdin>:0): string (\"a\") cannot be used as number\n", 5),
    ]);
}
