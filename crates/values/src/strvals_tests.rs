//! Literal expectations for every strvals rule. Each case was checked
//! against helm 4.1.4 (`tests/differential` re-checks them against the
//! binary).

use super::*;
use serde_json::json;

fn run(
    mode: fn() -> Mode<'static>,
    args: &[&str],
) -> Result<(serde_json::Value, Vec<String>), String> {
    let mut data = Map::new();
    let mut ignored = Vec::new();
    for a in args {
        ignored.extend(parse_into(a, &mut data, mode())?.ignored);
    }
    Ok((Value::Map(Box::new(data)).to_json(), ignored))
}

fn set(args: &[&str]) -> serde_json::Value {
    match run(|| Mode::Typed, args) {
        Ok((v, ignored)) => {
            assert!(ignored.is_empty(), "{args:?} ignored {ignored:?}");
            v
        }
        Err(e) => panic!("{args:?} failed: {e}"),
    }
}

fn set_err(args: &[&str]) -> String {
    match run(|| Mode::Typed, args) {
        Ok((v, _)) => panic!("{args:?} should fail, gave {v}"),
        Err(e) => e,
    }
}

fn set_ignored(args: &[&str]) -> (serde_json::Value, Vec<String>) {
    let (v, ignored) = run(|| Mode::Typed, args).expect("parses");
    assert!(!ignored.is_empty(), "{args:?} should report ignored text");
    (v, ignored)
}

#[test]
fn dotted_names_nest_maps() {
    assert_eq!(set(&["a.b.c=1"]), json!({"a": {"b": {"c": 1}}}));
    assert_eq!(set(&["a.b=1,a.c=2"]), json!({"a": {"b": 1, "c": 2}}));
    assert_eq!(set(&["a.b=1", "a.c=2"]), json!({"a": {"b": 1, "c": 2}}));
}

#[test]
fn backslash_escapes_any_character_and_is_removed() {
    assert_eq!(set(&[r"a\.b=1"]), json!({"a.b": 1}));
    assert_eq!(set(&[r"a=x\,y"]), json!({"a": "x,y"}));
    assert_eq!(set(&[r"a\=b=c"]), json!({"a=b": "c"}));
    assert_eq!(set(&[r"a=\\"]), json!({"a": "\\"}));
    assert_eq!(
        set(&[r"a=\1\2"]),
        json!({"a": 12}),
        "escapes go before type inference"
    );
    assert_eq!(set(&[r"a\[0]=1"]), json!({"a[0]": 1}));
    // A trailing backslash is dropped.
    assert_eq!(set(&["a=b\\"]), json!({"a": "b"}));
}

#[test]
fn dispatch_traefik_annotation_as_bash_delivers_it() {
    let arg = r"argo-cd.server.ingress.annotations.traefik\.ingress\.kubernetes\.io\/auth-type=";
    assert_eq!(
        set(&[arg]),
        json!({"argo-cd": {"server": {"ingress": {"annotations": {
            "traefik.ingress.kubernetes.io/auth-type": ""}}}}})
    );
}

#[test]
fn type_inference_is_bool_null_and_i64_only() {
    let cases = [
        ("true", json!(true)),
        ("TRUE", json!(true)),
        ("False", json!(false)),
        ("NuLl", json!(null)),
        ("0", json!(0)),
        ("1", json!(1)),
        ("+1", json!(1)),
        ("-1", json!(-1)),
        ("-0", json!(0)),
        ("9223372036854775807", json!(9_223_372_036_854_775_807_i64)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("9223372036854775808", json!("9223372036854775808")),
        ("00", json!("00")),
        ("0777", json!("0777")),
        ("1.5", json!("1.5")),
        ("1e5", json!("1e5")),
        ("0x1F", json!("0x1F")),
        ("1_000", json!("1_000")),
        (" 1", json!(" 1")),
        ("yes", json!("yes")),
        ("on", json!("on")),
        ("", json!("")),
        ("fal\u{17F}e", json!(false)),
    ];
    for (text, want) in cases {
        assert_eq!(
            set(&[&format!("a={text}")]),
            json!({ "a": want }),
            "a={text}"
        );
    }
}

#[test]
fn set_string_and_literal_never_infer() {
    let s = run(|| Mode::String, &["a=true,b=1,c=null"])
        .expect("parses")
        .0;
    assert_eq!(s, json!({"a": "true", "b": "1", "c": "null"}));
    let l = run(|| Mode::Literal, &[r"a.b=x,y=1\n{z}"])
        .expect("parses")
        .0;
    assert_eq!(l, json!({"a": {"b": "x,y=1\\n{z}"}}));
    // Literal keys have no escapes: the backslash stays and the dot splits.
    let l = run(|| Mode::Literal, &[r"a\.b=1"]).expect("parses").0;
    assert_eq!(l, json!({"a\\": {"b": "1"}}));
    // Commas belong to the key in literal mode.
    let l = run(|| Mode::Literal, &["a,b=1"]).expect("parses").0;
    assert_eq!(l, json!({"a,b": "1"}));
    let l = run(|| Mode::Literal, &["a[1]=x"]).expect("parses").0;
    assert_eq!(l, json!({"a": [null, "x"]}));
}

#[test]
fn brace_lists() {
    assert_eq!(set(&["a={x,1,true}"]), json!({"a": ["x", 1, true]}));
    assert_eq!(set(&["a={x},b=2"]), json!({"a": ["x"], "b": 2}));
    assert_eq!(
        set(&["a={}"]),
        json!({"a": [""]}),
        "Helm reads {{}} as one empty item"
    );
    assert_eq!(set(&["a={,}"]), json!({"a": ["", ""]}));
    assert_eq!(set(&[r"a={x\,y}"]), json!({"a": ["x,y"]}));
    assert!(set_err(&["a={x,y"]).contains("must end with '}'"));
    assert_eq!(set(&["a[0]={x,y}"]), json!({"a": [["x", "y"]]}));
}

#[test]
fn list_indexes_pad_with_null_and_nest() {
    assert_eq!(set(&["a[2]=x"]), json!({"a": [null, null, "x"]}));
    assert_eq!(set(&["a[0]=x,a[1]=y"]), json!({"a": ["x", "y"]}));
    assert_eq!(set(&["a[1]=y", "a[0]=x"]), json!({"a": ["x", "y"]}));
    assert_eq!(
        set(&["a[0].b=1,a[0].c=2"]),
        json!({"a": [{"b": 1, "c": 2}]})
    );
    assert_eq!(set(&["a[0][1]=x"]), json!({"a": [[null, "x"]]}));
    assert_eq!(set(&["a[+1]=x"]), json!({"a": [null, "x"]}));
    assert_eq!(set(&["a[0]="]), json!({"a": [""]}));
    // A scalar element is replaced by a map when a name follows the index.
    assert_eq!(set(&["a[0]=1", "a[0].b=2"]), json!({"a": [{"b": 2}]}));
}

#[test]
fn list_index_limits() {
    let max = set(&[&format!("a[{MAX_INDEX}]=x")]);
    assert_eq!(max["a"].as_array().map(Vec::len), Some(MAX_INDEX + 1));
    assert!(set_err(&[&format!("a[{}]=x", MAX_INDEX + 1)]).contains("65536"));
    assert!(set_err(&["a[-1]=x"]).contains("negative"));
    assert!(set_err(&["a[x]=1"]).contains("not a whole number"));
    assert!(set_err(&["a[]=1"]).contains("not a whole number"));
    assert!(set_err(&["a[0]x=1"]).contains("unexpected text \"x\""));
}

#[test]
fn name_nesting_limit() {
    let ok = vec!["k"; MAX_NESTED_NAME_LEVEL + 1].join(".") + "=1";
    set(&[&ok]);
    let deep = vec!["k"; MAX_NESTED_NAME_LEVEL + 2].join(".") + "=1";
    assert!(set_err(&[&deep]).contains("nested more than 30"));
}

#[test]
fn malformed_pairs_fail() {
    assert!(set_err(&["a"]).contains("key \"a\" has no value"));
    assert!(set_err(&["a,b=1"]).contains("cannot end with ','"));
    assert!(set_err(&[",a=1"]).contains("key \"\" has no value"));
    assert!(set_err(&["a.=1"]).contains("key map \"a\" has no value"));
    assert!(set_err(&["a..b=1"]).contains("key map \"a\" has no value"));
    assert!(set_err(&["a.b"]).contains("key \"b\" has no value"));
}

#[test]
fn helm_ignores_some_incomplete_input_and_rudder_reports_it() {
    assert_eq!(set_ignored(&["a[0"]).0, json!({}));
    assert_eq!(set_ignored(&["b=1,a[0"]).0, json!({"b": 1}));
    assert_eq!(set_ignored(&["a[0]"]).0, json!({"a": []}));
    assert_eq!(set_ignored(&["a."]).0, json!({}));
    assert_eq!(set_ignored(&["a.b."]).0, json!({}));
    assert_eq!(set_ignored(&["a[0]."]).0, json!({"a": []}));
    assert_eq!(set_ignored(&["a[0].b="]).0, json!({"a": []}));
    assert_eq!(set_ignored(&["a.="]).0, json!({}));
    assert_eq!(set(&["a[0].b=,c=1"]), json!({"a": [{"b": ""}], "c": 1}));
    assert_eq!(set(&["a.b="]), json!({"a": {"b": ""}}));
}

#[test]
fn empty_names_are_dropped_and_reported() {
    assert_eq!(set_ignored(&[".a=1"]), (json!({}), vec![".a=1".to_owned()]));
    assert_eq!(set_ignored(&["=x"]), (json!({}), vec!["=x".to_owned()]));
    assert_eq!(
        set_ignored(&["=x,b=1"]),
        (json!({"b": 1}), vec!["=x".to_owned()])
    );
    assert_eq!(
        set_ignored(&["b=1,=x"]),
        (json!({"b": 1}), vec!["=x".to_owned()])
    );
    assert_eq!(
        set_ignored(&["[0]=x"]),
        (json!({}), vec!["[0]=x".to_owned()])
    );
    assert_eq!(set_ignored(&["a[0].=1"]).0, json!({"a": [{}]}));
    assert_eq!(set(&["a=1,"]), json!({"a": 1}));
}

#[test]
fn a_later_flag_cannot_change_a_kind() {
    assert!(set_err(&["a=1", "a.b=2"]).contains("cannot also be a map"));
    assert!(set_err(&["a=null", "a.b=1"]).contains("\"a\" is already null"));
    assert!(set_err(&["a.b=1", "a[0]=2"]).contains("cannot also be a list"));
    assert!(set_err(&["a=x", "a[0]=2"]).contains("cannot also be a list"));
    assert!(set_err(&["a[0]=x", "a[0][0]=2"]).contains("cannot also be a list"));
    // Replacing a whole value is always fine.
    assert_eq!(set(&["a.b=1", "a=2"]), json!({"a": 2}));
    assert_eq!(set(&["a[0]=1", "a=2"]), json!({"a": 2}));
}

#[test]
fn set_json_values() {
    let j = |args: &[&str]| run(|| Mode::Json, args).map(|r| r.0);
    assert_eq!(
        j(&[r#"a={"b":[1,2.5,"x"]}"#]),
        Ok(json!({"a": {"b": [1, 2.5, "x"]}}))
    );
    assert_eq!(j(&["a=1,b=true"]), Ok(json!({"a": 1, "b": true})));
    assert_eq!(j(&["a= ,b=null"]), Ok(json!({"a": null, "b": null})));
    assert_eq!(j(&["a="]), Ok(json!({"a": null})));
    assert_eq!(j(&[r#"a="x,y""#]), Ok(json!({"a": "x,y"})));
    assert_eq!(j(&["a[1]=[1]"]), Ok(json!({"a": [null, [1]]})));
    // Go's decoder stops a number at the first character that cannot continue it.
    assert_eq!(j(&["a=1b=2"]), Ok(json!({"a": 1, "b": 2})));
    assert_eq!(
        j(&["a=18446744073709551615"]),
        Ok(json!({"a": 18_446_744_073_709_551_615_u64}))
    );
    assert!(j(&["a=x"]).is_err_and(|e| e.contains("double quotes")));
    assert!(j(&["a={"]).is_err_and(|e| e.contains("invalid JSON")));
    assert!(j(&["a=1."]).is_err());
}

#[test]
fn set_file_reads_each_value_as_a_path() {
    let mut seen = Vec::new();
    let mut read = |p: &str| -> Result<Value, String> {
        seen.push(p.to_owned());
        if p == "missing" {
            Err(format!("cannot read {p}"))
        } else {
            Ok(Value::String(format!("<{p}>")))
        }
    };
    let mut data = Map::new();
    parse_into(r"a=x.txt,b={y,z\,w}", &mut data, Mode::File(&mut read)).expect("parses");
    assert_eq!(
        Value::Map(Box::new(data)).to_json(),
        json!({"a": "<x.txt>", "b": ["<y>", "<z,w>"]})
    );
    let mut data = Map::new();
    let err = parse_into("a=missing", &mut data, Mode::File(&mut read)).expect_err("fails");
    assert_eq!(err, "cannot read missing");
    assert_eq!(seen, ["x.txt", "y", "z,w", "missing"]);
}

#[test]
fn unicode_keys_and_values() {
    assert_eq!(set(&["ключ.名前=値🚀"]), json!({"ключ": {"名前": "値🚀"}}));
    assert_eq!(set(&[r"a\é=e\u{301}"]), json!({"aé": "eu{301}"}));
}

/// The pair an error quotes, for an argument and a mode.
fn piece(text: &str, mode: Mode<'_>) -> String {
    let mut data = Map::new();
    match parse_into_at(text, &mut data, mode) {
        Ok(_) => panic!("{text:?} should fail"),
        Err(f) => f.piece,
    }
}

#[test]
fn errors_quote_only_the_offending_pair() {
    let t = || Mode::Typed;
    assert_eq!(piece("user=me,password=s3cret,a[x]=1", t()), "a[x]=1");
    assert_eq!(piece("a[x]=1,password=s3cret", t()), "a[x]=1");
    assert_eq!(piece("password=s3cret,a,b=1", t()), "a");
    assert_eq!(piece("pw=s3cret,l={x,y", t()), "l={x,y");
    assert_eq!(piece(r"pw=a\,b,k[0]x=1,z=2", t()), "k[0]x=1");
    assert_eq!(piece("pw=s3cret,k[-1]={a,b},z=2", t()), "k[-1]={a,b}");
    let j = || Mode::Json;
    assert_eq!(piece(r#"pw="s,3",a=bad,b={"x":1,"y":"p,w"}"#, j()), "a=bad");
    assert_eq!(
        piece(r#"b={"x":[1,2],"y":"p,w"},a=bad,pw="s""#, j()),
        "a=bad"
    );
    // --set-literal has one pair: the whole argument.
    assert_eq!(piece("a[x]=p,w", Mode::Literal), "a[x]=p,w");
}

#[test]
fn messages_never_show_an_earlier_value_or_a_later_pair() {
    let e = set_err(&["password=s3cret", "password.x=1"]);
    assert!(
        e.contains("\"password\" is already a string") && !e.contains("s3cret"),
        "{e}"
    );
    let mut data = Map::new();
    let e = parse_into("a=bad,pw=\"s3cret\"", &mut data, Mode::Json).unwrap_err();
    assert!(
        e.contains("invalid JSON value \"bad\"") && !e.contains("s3cret"),
        "{e}"
    );
    let e = parse_into("a=-x,pw=\"s3cret\"", &mut data, Mode::Json).unwrap_err();
    assert!(e.contains("\"-x\"") && !e.contains("s3cret"), "{e}");
}
