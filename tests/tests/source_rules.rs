//! Rules about the workspace's sources that ARCHITECTURE.md states, read from
//! the files themselves: no source file over 800 lines, and no circle of
//! imports between the files of one crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every directory whose `.rs` files are ours: the crates, tools, xtask, tests.
const ROOTS: &[&str] = &["crates", "tools", "xtask", "tests", "fuzz"];

/// ARCHITECTURE.md: "no source file over 800 lines" (the guideline is 600).
const MAX_LINES: usize = 800;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && !name.to_string_lossy().starts_with('.') {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ROOTS {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "found only {} files under {root:?}", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.strip_prefix(&root).unwrap().display()))
        })
        .collect();
    assert!(long.is_empty(), "split these into modules named for what they hold: {long:#?}");
}

/// A crate's `src/`: module path (`api::upload`) → file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(src).unwrap().with_extension("");
            let mut segs: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            match segs.last().map(String::as_str) {
                Some("lib" | "main") if segs.len() == 1 => segs.clear(),
                Some("mod") => {
                    segs.pop();
                }
                // A binary's other entry points (src/bin/x.rs) are crates of their own.
                _ if segs.first().is_some_and(|s| s == "bin") => return None,
                _ => {}
            }
            Some((segs, f))
        })
        .collect()
}

/// Code without comments and string literals, so a path in a doc comment or a
/// message is not an import.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_str && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && prev != '\'' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The module files that `file` (module `me`) names through `crate::` or
/// `super::` paths, including `use` groups (`crate::a::{b, c::d}`).
fn imports(me: &[String], text: &str, mods: &BTreeMap<Vec<String>, PathBuf>) -> BTreeSet<Vec<String>> {
    let code = code_only(text);
    let inline = inline_modules(&code);
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        let base: Option<(Vec<String>, usize)> = if boundary && rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if boundary && rest.starts_with("super::") {
            // Inside `mod tests { .. }`, the first `super` is this file's own
            // module; past the inline modules, `super` of a file is its parent.
            let mut inside = inline.iter().filter(|(start, end)| (*start..*end).contains(&i)).count();
            let mut parent = me.to_vec();
            let mut len = 0;
            let mut r = rest;
            while let Some(next) = r.strip_prefix("super::") {
                if inside > 0 {
                    inside -= 1;
                } else {
                    parent.pop();
                }
                len += "super::".len();
                r = next;
            }
            Some((parent, len))
        } else {
            None
        };
        if let Some((base, len)) = base {
            let end = i + len + path_tail_len(&code[i + len..]);
            for path in expand(&code[i + len..end]) {
                let mut full = base.clone();
                full.extend(path);
                // The longest prefix that is a module file is the file depended on.
                while !full.is_empty() && !mods.contains_key(&full) {
                    full.pop();
                }
                if full != me && mods.contains_key(&full) {
                    found.insert(full);
                }
            }
            i = end.max(i + 1);
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The byte ranges of inline modules (`mod tests { .. }`) in code.
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("mod ") {
        let start = from + at;
        from = start + 4;
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let after = code[from..].trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
        let Some(body) = after.trim_start().strip_prefix('{') else { continue };
        let open = code.len() - body.len() - 1;
        let mut depth = 0usize;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push((open, open + i));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The length of a path tail such as `a::b::{c, d::e}` (balanced braces).
fn path_tail_len(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == ':' => {}
            c if depth > 0 && (c.is_whitespace() || c == ',' || c == '*') => {}
            _ if depth == 0 => return i,
            _ => {}
        }
    }
    s.len()
}

/// `a::{b, c::{d, e}}` → `[[a, b], [a, c, d], [a, c, e]]`.
fn expand(s: &str) -> Vec<Vec<String>> {
    let s = s.trim();
    match s.find('{') {
        None => vec![s.split("::").map(str::trim).filter(|p| !p.is_empty() && *p != "*").map(String::from).collect()],
        Some(open) => {
            let prefix: Vec<String> =
                s[..open].split("::").map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect();
            let inner = &s[open + 1..s.rfind('}').unwrap_or(s.len())];
            let mut parts = Vec::new();
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            parts
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .flat_map(expand)
                .map(|tail| prefix.iter().cloned().chain(tail.into_iter().filter(|t| t != "self")).collect())
                .collect()
        }
    }
}

/// Every cycle (as a list of files) in a crate's import graph.
fn cycles(src: &Path) -> Vec<Vec<String>> {
    let mods = modules(src);
    let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> =
        mods.iter().map(|(m, f)| (m.clone(), imports(m, &std::fs::read_to_string(f).unwrap(), &mods))).collect();
    // Tarjan-free: a strongly connected component per node by mutual reachability (small graphs).
    let reach = |from: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in graph.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<_, _> = graph.keys().map(|m| (m.clone(), reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) || !reaches[m].contains(m) {
            continue;
        }
        let scc: Vec<Vec<String>> =
            graph.keys().filter(|n| reaches[m].contains(*n) && reaches[*n].contains(m)).cloned().collect();
        done.extend(scc.iter().cloned());
        out.push(scc.iter().map(|n| mods[n].strip_prefix(src).unwrap().display().to_string()).collect());
    }
    out
}

#[test]
fn no_import_circle_between_files() {
    let root = workspace();
    let mut crates: Vec<PathBuf> = ["crates", "tools"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().flatten().map(|e| e.path().join("src")))
        .filter(|p| p.is_dir())
        .collect();
    crates.push(root.join("xtask/src"));
    let found: Vec<String> = crates
        .iter()
        .flat_map(|src| {
            let name = src.strip_prefix(&root).unwrap().display().to_string();
            cycles(src).into_iter().map(move |c| format!("{name}: {}", c.join(" <-> ")))
        })
        .collect();
    assert!(found.is_empty(), "files that import each other (directly or around a circle): {found:#?}");
}

/// The checker finds what it must: a two-file circle through a `use` group and
/// a `super::` path, and no circle where imports point one way.
#[test]
fn the_circle_check_sees_use_groups_and_super_paths() {
    let dir = std::env::temp_dir().join(format!("ik-cycles-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("api")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod api;\nmod server;\n").unwrap();
    std::fs::write(src.join("api/mod.rs"), "mod upload;\n").unwrap();
    std::fs::write(src.join("server.rs"), "use crate::{api::upload::{handle, X as _}, util};\n// crate::nothing\n")
        .unwrap();
    std::fs::write(src.join("api/upload.rs"), "pub fn handle() {}\nfn f() { super::super::server::limit(); }\n")
        .unwrap();
    assert_eq!(cycles(&src), vec![vec!["api/upload.rs".to_owned(), "server.rs".to_owned()]]);
    std::fs::write(src.join("api/upload.rs"), "pub fn handle() { let _ = \"crate::server\"; }\n").unwrap();
    assert!(cycles(&src).is_empty());
    // `super` inside `mod tests { .. }` is the file's own module, not its parent.
    std::fs::write(src.join("api/mod.rs"), "mod upload;\nfn g() {}\n#[cfg(test)]\nmod tests {\n    use super::g;\n}\n")
        .unwrap();
    std::fs::write(src.join("api/upload.rs"), "fn h() { crate::server::limit(); }\n").unwrap();
    std::fs::write(src.join("server.rs"), "pub fn limit() {}\nmod tests { use super::super::api; }\n").unwrap();
    assert!(cycles(&src).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
