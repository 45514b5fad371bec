//! The workspace's dependency direction, read from `cargo metadata`:
//! `imagekit-types`, `imagekit-url` and `imagekit-transport` depend on no other
//! workspace crate; `imagekit` depends on all three; no library depends on
//! `imagekit`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

fn workspace_deps() -> BTreeMap<String, BTreeSet<String>> {
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
                // Normal dependencies only: a crate may test itself through a dev-dependency.
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .filter(|n| members.contains(n))
                .collect();
            (p["name"].as_str().unwrap().to_owned(), deps)
        })
        .collect()
}

#[test]
fn dependencies_point_one_way() {
    let deps = workspace_deps();
    for base in ["imagekit-types", "imagekit-url", "imagekit-transport"] {
        assert!(deps[base].is_empty(), "{base} must not depend on {:?}", deps[base]);
    }
    let sdk: BTreeSet<String> =
        ["imagekit-types", "imagekit-url", "imagekit-transport"].iter().map(|s| s.to_string()).collect();
    assert_eq!(deps["imagekit"], sdk);
    for (name, d) in &deps {
        if ["imagekit-types", "imagekit-url", "imagekit-transport"].contains(&name.as_str()) {
            assert!(!d.contains("imagekit"), "{name} depends on the SDK");
        }
    }
}
