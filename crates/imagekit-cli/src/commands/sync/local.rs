//! The local side of `sync`: the files under a directory, one at a time, each
//! with the path ImageKit will store it under; and their SHA-256.

use std::fs::DirEntry;
use std::io::Read;
use std::path::{Path, PathBuf};

use imagekit::types::{stored_file_name, stored_folder};
use sha2::{Digest, Sha256};

/// One local file and where ImageKit will store it.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// The file on disk.
    pub source: PathBuf,
    /// How it is named in output: under the directory as given.
    pub display: String,
    /// The stored folder, `/a/b/` (or `/`).
    pub folder: String,
    /// The stored file name.
    pub name: String,
    /// Its size when walked.
    pub size: u64,
}

impl LocalFile {
    /// The stored file path, `/a/b/name`.
    pub fn stored_path(&self) -> String {
        format!("{}{}", self.folder, self.name)
    }
}

/// What the walk yields: a file, or a part of the tree it could not read.
#[derive(Debug)]
pub enum Walked {
    /// A file to sync.
    File(LocalFile),
    /// Something unreadable (named as shown), and why.
    Unreadable(String, String),
}

/// One directory being walked: its entries in name order, and where they go.
struct Level {
    entries: std::vec::IntoIter<DirEntry>,
    display: String,
    /// The folder as given plus the relative directories, not yet sanitised.
    folder: String,
    stored: String,
}

/// Walk `dir` depth-first in name order, handing each file to `emit` as soon
/// as it is found; only the entries of the directories on the current path
/// are held. Stops early when `emit` returns false. Symbolic links to files
/// are followed; links to directories are skipped (no cycles).
pub fn walk(dir: &Path, folder: &str, mut emit: impl FnMut(Walked) -> bool) {
    let display = dir.display().to_string();
    let mut stack = Vec::new();
    match level(dir, display.clone(), folder.to_owned()) {
        Ok(l) => stack.push(l),
        Err(e) => {
            emit(Walked::Unreadable(display, e.to_string()));
            return;
        }
    }
    while let Some(top) = stack.last_mut() {
        let Some(entry) = top.entries.next() else {
            stack.pop();
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = format!("{}/{}", top.display.trim_end_matches('/'), name);
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            let sub_folder = format!("{}/{name}", top.folder);
            match level(&path, shown.clone(), sub_folder) {
                Ok(l) => stack.push(l),
                Err(e) => {
                    if !emit(Walked::Unreadable(shown, e.to_string())) {
                        return;
                    }
                }
            }
            continue;
        }
        let item = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => Walked::File(LocalFile {
                source: path,
                display: shown,
                folder: top.stored.clone(),
                name: stored_file_name(&name),
                size: m.len(),
            }),
            Ok(m) if m.is_dir() => {
                eprintln!("imagekit: skipping {shown}: a link to a directory");
                continue;
            }
            Ok(_) => continue,
            Err(e) => Walked::Unreadable(shown, e.to_string()),
        };
        if !emit(item) {
            return;
        }
    }
}

fn level(dir: &Path, display: String, folder: String) -> std::io::Result<Level> {
    let mut entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(DirEntry::file_name);
    let stored = stored_folder(&folder);
    Ok(Level { entries: entries.into_iter(), display, folder, stored })
}

/// The SHA-256 of a file's contents, lower-case hex, and how many bytes it read.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_contents() {
        let dir = std::env::temp_dir().join(format!("ik-sync-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("abc");
        std::fs::write(&file, b"abc").unwrap();
        // `printf abc | sha256sum`
        let (hash, len) = sha256_file(&file).unwrap();
        assert_eq!(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(len, 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn walk_yields_stored_names_in_order() {
        let dir = std::env::temp_dir().join(format!("ik-sync-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a b/c.d")).unwrap();
        std::fs::write(dir.join("a b/c.d/x (1).txt"), b"x").unwrap();
        std::fs::write(dir.join("top.txt"), b"top").unwrap();
        let mut got = Vec::new();
        walk(&dir, "/site x", |w| {
            if let Walked::File(f) = w {
                got.push((f.stored_path(), f.size));
            }
            true
        });
        assert_eq!(got, [("/site_x/a_b/c_d/x__1_.txt".to_owned(), 1), ("/site_x/top.txt".to_owned(), 3)]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
