//! Every crate's `rust-version` is true, read from `cargo metadata` (the versions in Cargo.lock):
//! - at least that of every normal and build dependency, direct or not (a user building the crate
//!   builds all of them), and at least 1.85 for edition 2024;
//! - the libraries keep exactly the lowest version their dependencies allow, so none claims more
//!   than it needs;
//! - no crate below 1.88 uses let-chains (`if let .. && ..`), stable only since 1.88;
//! - the READMEs state the versions the crates declare.
//!
//! Standard-library APIs newer than a crate's `rust-version` are caught by clippy's
//! `incompatible_msrv` lint, which CI runs with `-D warnings`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const LIBRARIES: [&str; 4] = ["imagekit-types", "imagekit-url", "imagekit-transport", "imagekit"];
/// The first release with edition 2024.
const EDITION_2024: (u32, u32, u32) = (1, 85, 0);
/// The first release with let-chains (edition 2024).
const LET_CHAINS: (u32, u32, u32) = (1, 88, 0);

type Version = (u32, u32, u32);

fn parse(v: &str) -> Version {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or_else(|_| panic!("rust-version {v:?}")));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn show((a, b, c): Version) -> String {
    if c == 0 { format!("{a}.{b}") } else { format!("{a}.{b}.{c}") }
}

struct Metadata {
    packages: BTreeMap<String, Value>,
    nodes: BTreeMap<String, Value>,
    members: Vec<String>,
    root: PathBuf,
}

fn metadata() -> Metadata {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let host = String::from_utf8(Command::new("rustc").arg("-vV").output().expect("rustc -vV").stdout).unwrap();
    let host = host.lines().find_map(|l| l.strip_prefix("host: ")).expect("host triple").to_owned();
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked", "--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_id = |key: &str| -> BTreeMap<String, Value> {
        meta[key].as_array().unwrap().iter().map(|v| (v["id"].as_str().unwrap().to_owned(), v.clone())).collect()
    };
    Metadata {
        packages: by_id("packages"),
        nodes: meta["resolve"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["id"].as_str().unwrap().to_owned(), v.clone()))
            .collect(),
        members: meta["workspace_members"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().into()).collect(),
        root: PathBuf::from(meta["workspace_root"].as_str().unwrap()),
    }
}

impl Metadata {
    fn name(&self, id: &str) -> &str {
        self.packages[id]["name"].as_str().unwrap()
    }

    fn rust_version(&self, id: &str) -> Option<Version> {
        self.packages[id]["rust_version"].as_str().map(parse)
    }

    fn member(&self, name: &str) -> &str {
        self.members.iter().find(|id| self.name(id) == name).unwrap_or_else(|| panic!("no member {name}"))
    }

    /// Every package a build of `id` compiles: normal and build dependencies, transitively.
    fn build_closure(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![id.to_owned()];
        while let Some(next) = stack.pop() {
            for dep in self.nodes[&next]["deps"].as_array().unwrap() {
                let builds = dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].as_str() != Some("dev"));
                let pkg = dep["pkg"].as_str().unwrap();
                if builds && seen.insert(pkg.to_owned()) {
                    stack.push(pkg.to_owned());
                }
            }
        }
        seen
    }

    /// The highest `rust-version` among what a build of `id` compiles, and who sets it.
    fn needed(&self, id: &str) -> (Version, String) {
        let mut need = (EDITION_2024, "edition 2024".to_owned());
        for dep in self.build_closure(id) {
            if let Some(v) = self.rust_version(&dep) {
                if v > need.0 {
                    need = (v, format!("{} {}", self.name(&dep), self.packages[&dep]["version"].as_str().unwrap()));
                }
            }
        }
        need
    }
}

#[test]
fn no_crate_claims_less_than_its_dependencies_need() {
    let meta = metadata();
    let mut wrong = Vec::new();
    for id in &meta.members {
        let Some(declared) = meta.rust_version(id) else {
            wrong.push(format!("{} declares no rust-version", meta.name(id)));
            continue;
        };
        let (need, why) = meta.needed(id);
        if declared < need {
            wrong.push(format!("{} says {} but {why} needs {}", meta.name(id), show(declared), show(need)));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn libraries_keep_the_lowest_version_their_dependencies_allow() {
    let meta = metadata();
    for name in LIBRARIES {
        let id = meta.member(name);
        let (need, why) = meta.needed(id);
        assert_eq!(
            meta.rust_version(id).map(show),
            Some(show(need)),
            "{name}: its dependencies allow {} (set by {why}); a library must not ask for more",
            show(need)
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A let-chain on one line: `&& let` anywhere, or `if let`/`while let` followed by `&&` outside
/// any parentheses or brackets before the block opens (a closure's `&&` inside a call is not a
/// chain). Conditions split over lines put `&& let` on a continuation line, which the first
/// pattern catches.
fn let_chain(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    if code.contains("&& let ") {
        return true;
    }
    ["if let ", "while let "].iter().any(|kw| {
        let Some(at) = code.find(kw) else { return false };
        let cond = &code.as_bytes()[at..];
        let mut depth = 0usize;
        for (i, &b) in cond.iter().enumerate() {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                b'{' | b';' if depth == 0 => return false,
                b'&' if depth == 0 && cond.get(i + 1) == Some(&b'&') => return true,
                _ => {}
            }
        }
        false
    })
}

#[test]
fn let_chains_only_where_the_version_allows() {
    assert!(let_chain("    if let Some(x) = y && x > 1 {"));
    assert!(let_chain("        && let Some(z) = w"));
    assert!(!let_chain("    if let Some(x) = y {"));
    assert!(!let_chain("    if a && b {"));
    assert!(!let_chain("    if let Some(v) = x.filter(|v| v.is_finite() && *v >= 0.0) {"));
    assert!(let_chain("    while let Some(v) = it.next() && v > 0 {"));

    let meta = metadata();
    let mut found = Vec::new();
    for id in &meta.members {
        if meta.rust_version(id).is_some_and(|v| v >= LET_CHAINS) {
            continue;
        }
        let manifest = PathBuf::from(meta.packages[id]["manifest_path"].as_str().unwrap());
        let src = manifest.parent().unwrap().join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if let_chain(line) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "let-chains need Rust 1.88, above these crates' rust-version: {found:#?}");
}

#[test]
fn readmes_state_the_declared_versions() {
    let meta = metadata();
    for id in &meta.members {
        let manifest = PathBuf::from(meta.packages[id]["manifest_path"].as_str().unwrap());
        let readme = manifest.parent().unwrap().join("README.md");
        let (Some(version), Ok(text)) = (meta.rust_version(id), std::fs::read_to_string(&readme)) else { continue };
        let says = format!("Rust {} or newer", show(version));
        assert!(text.contains(&says), "{} should say {says:?}", readme.display());
    }
    // The main command (the quickstart) runs the emulator, so the top README names its version.
    let emulator = meta.rust_version(meta.member("imagekit-emulator")).unwrap();
    let top = std::fs::read_to_string(meta.root.join("README.md")).unwrap();
    assert!(top.contains(&format!("Rust {} or newer", show(emulator))), "README.md must state the main command's Rust");
}
