//! The charter's semver rule, checked mechanically: "public enums and response structs are
//! `#[non_exhaustive]`; requests are built with constructors and setters", so that adding what
//! ImageKit adds (a variant, a field) is never a breaking release.
//!
//! Every `pub enum`, and every `pub struct` with a public field, in the `src/` of the crates in
//! [`CRATES`] must carry `#[non_exhaustive]` or be in [`ALLOWED`] with the reason why
//! exhaustiveness is the point. A struct whose fields are all private is extensible already (no
//! one outside its crate can build or destructure it) and is not checked. The scan reads the
//! source text through a small lexer that drops comments and literals, so a `pub enum` in a doc
//! comment or a string does not count. A `macro_rules!` template counts as written (`pub enum
//! $name`); a macro call's arguments do not, since the macro's template decides the attributes.
//!
//! Each README's `compile_fail` example (an exhaustive `match` on a public enum, which must not
//! compile downstream) is checked to name exactly the variants of today, so that it keeps failing
//! for the one right reason: the missing wildcard arm.

use std::path::Path;

/// The crates whose public types are checked, as directories of the workspace.
const CRATES: &[&str] =
    &["crates/imagekit-url", "crates/imagekit-transport", "crates/imagekit", "crates/imagekit-types"];

/// Crates of [`CRATES`] that are not checked yet.
const SKIPPED: &[&str] = &[];

/// Public types that stay exhaustive on purpose: (crate directory, type name, why). The reason
/// says why the type can never grow, e.g. an enum mirroring a fixed mathematical choice.
const ALLOWED: &[(&str, &str, &str)] = &[(
    "crates/imagekit-types",
    "Scalar",
    "a string, a number or a boolean: JSON has exactly these three non-null scalar kinds, so no variant can \
     ever be added",
)];

/// The READMEs' `compile_fail` examples: (README, crate directory, the enum they match on).
const EXAMPLES: &[(&str, &str, &str)] = &[
    ("crates/imagekit-url/README.md", "crates/imagekit-url", "UrlError"),
    ("crates/imagekit-transport/README.md", "crates/imagekit-transport", "TransportErrorKind"),
    ("crates/imagekit/README.md", "crates/imagekit", "Error"),
    ("crates/imagekit-types/README.md", "crates/imagekit-types", "Asset"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn public_enums_and_readable_structs_are_non_exhaustive() {
    let mut violations = Vec::new();
    for dir in CRATES.iter().filter(|dir| !SKIPPED.contains(dir)) {
        let items = scan_crate(dir);
        assert!(
            items.iter().any(|i| i.kind == Kind::Enum && i.non_exhaustive),
            "{dir}: the scan found no #[non_exhaustive] enum at all, so it is not reading the source"
        );
        for item in items.iter().filter(|i| i.needs_non_exhaustive() && !i.non_exhaustive) {
            if !ALLOWED.iter().any(|(d, name, _)| d == dir && *name == item.name) {
                violations.push(item.to_string());
            }
        }
    }
    assert!(
        violations.is_empty(),
        "public types without #[non_exhaustive] (adding a variant or field to them would be a breaking \
         release): add the attribute (structs users build also get a constructor and setters), or \
         allow-list the type in tests/tests/semver/main.rs with the reason it can never grow:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_allowed_type_is_scanned_exhaustive_and_explained() {
    for (dir, name, reason) in ALLOWED {
        assert!(CRATES.contains(dir), "allow-listed {name}: {dir} is not in CRATES");
        assert!(reason.split_whitespace().count() >= 3, "allow-listed {dir} {name}: say why it can never grow");
        let items = scan_crate(dir);
        let found: Vec<&Item> = items.iter().filter(|i| i.name == *name).collect();
        assert!(!found.is_empty(), "allow-listed {dir} {name}: no such public type (remove the entry)");
        assert!(
            found.iter().any(|i| i.needs_non_exhaustive() && !i.non_exhaustive),
            "allow-listed {dir} {name}: nothing to allow (it is #[non_exhaustive] or has no public field)"
        );
    }
    for dir in SKIPPED {
        assert!(CRATES.contains(dir), "{dir} is skipped but not in CRATES");
    }
}

#[test]
fn compile_fail_examples_match_every_variant_of_today_and_nothing_else() {
    for (readme, dir, enum_name) in EXAMPLES {
        let items = scan_crate(dir);
        let target: Vec<&Item> = items.iter().filter(|i| i.kind == Kind::Enum && i.name == *enum_name).collect();
        assert_eq!(target.len(), 1, "{dir}: one `pub enum {enum_name}`");
        let target = target[0];
        assert!(target.non_exhaustive, "{target}: the README's compile_fail example depends on #[non_exhaustive]");

        let text = std::fs::read_to_string(root().join(readme)).unwrap();
        let blocks = code_blocks(&text);
        let prefix = format!("{enum_name}::");
        let failing: Vec<&(String, String)> =
            blocks.iter().filter(|(info, code)| info.contains("compile_fail") && code.contains(&prefix)).collect();
        assert_eq!(failing.len(), 1, "{readme}: one compile_fail example matching on {enum_name}");
        let code = &failing[0].1;
        assert!(
            !code.lines().any(|l| l.trim_start().starts_with("_ =>") || l.contains("| _ =>")),
            "{readme}: the compile_fail example must not have a wildcard arm"
        );
        let named = paths_after(code, &prefix);
        let missing: Vec<&String> = target.variants.iter().filter(|v| !named.contains(v)).collect();
        assert!(
            missing.is_empty(),
            "{readme}: the compile_fail example does not name {missing:?}, so it fails for that instead of \
             the missing wildcard arm; add an arm (`{enum_name}::Variant {{ .. }}` fits every variant shape)"
        );
        let unknown: Vec<&String> = named.iter().filter(|v| !target.variants.contains(v)).collect();
        assert!(unknown.is_empty(), "{readme}: the compile_fail example names variants that do not exist: {unknown:?}");

        let wildcard = blocks.iter().any(|(info, code)| {
            !info.contains("compile_fail")
                && !info.contains("ignore")
                && code.contains(&prefix)
                && code.contains("_ =>")
        });
        assert!(wildcard, "{readme}: a runnable example of the match on {enum_name} with its wildcard arm");
    }
}

/// The scanner on source written to trip it: items in comments and strings, lifetimes next to
/// char literals, restricted visibility, generics with `->`, where clauses, attributes, macro
/// definitions (their templates count, their matchers do not) and macro calls (skipped).
#[test]
fn the_scanner_sees_what_the_compiler_sees() {
    let src = r####"
        //! pub enum InModuleDoc { A }
        /// pub struct InDoc { pub a: u8 }
        /* pub enum InBlock { /* nested */ A } */
        const S: &str = "pub enum InString { A }";
        const R: &str = r#"pub struct InRaw { pub a: u8 } "# ;
        const C: char = '"';
        const Q: char = '\'';

        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Marked<'a> { #[doc = "x"] First(&'a str), Second { at: u8 }, Third = 3 }

        #[cfg_attr(docsrs, doc(cfg(feature = "x")))]
        pub enum Open { A, B(Vec<(u8, char)>), }

        pub struct Readable<F: Fn(u8) -> u8, 'a> { pub f: F, name: &'a str, pub(crate) n: u8 }
        pub struct Hidden { inner: std::collections::HashMap<String, Vec<u8>>, pub(crate) x: u8 }
        pub struct Tuple(pub u8, String);
        pub struct PrivateTuple(u8);
        pub struct Unit;
        pub struct Bounded<T> where T: Fn(u8) -> u8 { pub t: T }
        pub(crate) enum Internal { A }
        pub(crate) struct InternalStruct { pub a: u8 }
        macro_rules! make { ($name:ident) => { pub struct $name<'a> { client: &'a u8 } } }
        pub struct r#Raw { pub r#type: u8 }
        macro_rules! open { (pub enum $name:ident { $($v:ident),+ }) => { #[non_exhaustive] pub enum $name { $($v),+ } }; }
        open! { pub enum ByMacro { A } }
        bitflags::bitflags! { pub struct Flags: u8 { const A = 1; } }
    "####;
    let items = items(&lex(src), Path::new("sample.rs"));
    let seen: Vec<String> = items
        .iter()
        .map(|i| {
            let kind = if i.kind == Kind::Enum { "enum" } else { "struct" };
            let ne = if i.non_exhaustive { " non_exhaustive" } else { "" };
            format!("{kind} {}{ne} fields={:?} variants={:?} line={}", i.name, i.public_fields, i.variants, i.line)
        })
        .collect();
    let expected = [
        r#"enum Marked non_exhaustive fields=[] variants=["First", "Second", "Third"] line=12"#,
        r#"enum Open fields=[] variants=["A", "B"] line=15"#,
        r#"struct Readable fields=["f"] variants=[] line=17"#,
        r#"struct Hidden fields=[] variants=[] line=18"#,
        r#"struct Tuple fields=["0"] variants=[] line=19"#,
        r#"struct PrivateTuple fields=[] variants=[] line=20"#,
        r#"struct Unit fields=[] variants=[] line=21"#,
        r#"struct Bounded fields=["t"] variants=[] line=22"#,
        r#"struct $name fields=[] variants=[] line=25"#,
        r#"struct Raw fields=["type"] variants=[] line=26"#,
        r#"enum $name non_exhaustive fields=[] variants=[] line=27"#,
    ];
    assert_eq!(seen, expected);
    let flagged: Vec<&str> =
        items.iter().filter(|i| i.needs_non_exhaustive() && !i.non_exhaustive).map(|i| i.name.as_str()).collect();
    assert_eq!(flagged, ["Open", "Readable", "Tuple", "Bounded", "Raw"]);
}

mod scanner;

use scanner::*;
