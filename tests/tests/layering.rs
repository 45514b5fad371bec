//! The workspace's dependency rules as ARCHITECTURE.md states them, read from
//! `cargo metadata`:
//! - `imagekit-types`, `imagekit-url` and `imagekit-transport` depend on no other
//!   workspace crate;
//! - `imagekit` depends on exactly those three;
//! - the emulator depends on those three and never on the SDK, in any kind of
//!   dependency (normal, dev or build), so SDK tests against it compare two
//!   independent implementations;
//! - no library and not the emulator depends on the CLI or a tool;
//! - the CLI and `tools/loadgen` sit on top (SDK and emulator); `xtask`
//!   depends on no workspace crate.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

const BASE: [&str; 3] = ["imagekit-types", "imagekit-url", "imagekit-transport"];

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Workspace member → the workspace members it depends on; `all_kinds`
/// includes dev- and build-dependencies.
fn workspace_deps(all_kinds: bool) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let members: BTreeSet<String> =
        meta["packages"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                // A crate may test itself through a dev-dependency; `all_kinds` counts those too.
                .filter(|d| all_kinds || d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .filter(|n| members.contains(n))
                .collect();
            (p["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

#[test]
fn base_crates_depend_on_no_workspace_crate() {
    let deps = workspace_deps(false);
    for base in BASE {
        assert!(deps[base].is_empty(), "{base} must not depend on {:?}", deps[base]);
    }
}

#[test]
fn the_sdk_depends_on_exactly_the_three_base_crates() {
    assert_eq!(workspace_deps(false)["imagekit"], set(&BASE));
}

#[test]
fn the_emulator_never_depends_on_the_sdk() {
    // Dev- and build-dependencies count: a test of the emulator through the SDK
    // would check the SDK's reading of the contract against itself.
    let deps = workspace_deps(true);
    let emulator = &deps["imagekit-emulator"];
    assert!(!emulator.contains("imagekit"), "imagekit-emulator depends on the SDK: {emulator:?}");
    assert!(emulator.is_subset(&set(&BASE)), "imagekit-emulator may depend only on {BASE:?}, not {emulator:?}");
}

#[test]
fn nothing_below_depends_on_the_cli_or_the_tools() {
    let deps = workspace_deps(true);
    let above = set(&["imagekit-cli", "imagekit-loadgen", "xtask", "imagekit-workspace-tests"]);
    for name in BASE.iter().chain(&["imagekit", "imagekit-emulator"]) {
        let wrong: Vec<_> = deps[*name].intersection(&above).collect();
        assert!(wrong.is_empty(), "{name} depends on {wrong:?}");
    }
}

#[test]
fn the_cli_and_the_tools_sit_on_top() {
    let deps = workspace_deps(false);
    let on_top = set(&["imagekit", "imagekit-emulator"]);
    for name in ["imagekit-cli", "imagekit-loadgen"] {
        assert!(on_top.is_subset(&deps[name]), "{name} depends on {:?}", deps[name]);
    }
    assert!(workspace_deps(true)["xtask"].is_empty(), "xtask must depend on no workspace crate");
}
