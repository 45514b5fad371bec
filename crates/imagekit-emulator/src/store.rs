//! The emulator's state: an in-memory working set, written through to an
//! embedded database (redb) and a blob directory when a data directory is
//! given, so everything survives a restart.
//!
//! Handlers validate first and mutate last: a `write` closure that returns an
//! error must not have changed anything. Should one (or should the database
//! commit fail), the write is undone in memory too, so memory and disk never
//! disagree; after a failed commit the database is reopened, as redb refuses
//! every later write on a handle whose commit failed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use imagekit_types::CreatedBy;
use redb::{ReadableDatabase, ReadableTable};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{Doc, FileRecord, FolderRecord, JobRecord};
use crate::web::ApiError;
pub use keys::Collection;
use keys::{Key, RECORDS};

mod keys;

/// Everything the emulator knows.
#[derive(Debug, Default)]
pub struct Db {
    /// Files by id.
    pub files: BTreeMap<String, FileRecord>,
    /// File path to file id (current versions).
    pub paths: BTreeMap<String, String>,
    /// Folders by path (no trailing slash).
    pub folders: BTreeMap<String, FolderRecord>,
    /// Bulk jobs and purges by id.
    pub jobs: BTreeMap<String, JobRecord>,
    /// Other documents by collection, then id (ids sort by creation).
    pub docs: BTreeMap<Collection, BTreeMap<String, Doc>>,
    /// Client-side upload tokens already used.
    pub used_tokens: BTreeSet<String>,
}

impl Db {
    /// The documents of a collection.
    pub fn docs(&self, c: Collection) -> impl Iterator<Item = &Doc> {
        self.docs.get(&c).into_iter().flat_map(|m| m.values())
    }

    /// One document.
    pub fn doc(&self, c: Collection, id: &str) -> Option<&Doc> {
        self.docs.get(&c).and_then(|m| m.get(id))
    }

    /// The file at `path`, if any.
    pub fn file_at(&self, path: &str) -> Option<&FileRecord> {
        self.paths.get(path).and_then(|id| self.files.get(id))
    }
}

/// A record as it was before a write first touched it.
enum Before {
    File(String, Option<Box<FileRecord>>),
    Folder(String, Option<FolderRecord>),
    Job(String, Option<JobRecord>),
    Doc(Collection, String, Option<Doc>),
    Token(String, bool),
}

/// Put back what a failed write changed, newest change last undone first.
fn undo(db: &mut Db, log: Vec<Before>) {
    let mut files_changed = false;
    for before in log.into_iter().rev() {
        match before {
            Before::File(id, old) => {
                files_changed = true;
                match old {
                    Some(rec) => db.files.insert(id, *rec),
                    None => db.files.remove(&id),
                };
            }
            Before::Folder(p, old) => {
                match old {
                    Some(rec) => db.folders.insert(p, rec),
                    None => db.folders.remove(&p),
                };
            }
            Before::Job(id, old) => {
                match old {
                    Some(rec) => db.jobs.insert(id, rec),
                    None => db.jobs.remove(&id),
                };
            }
            Before::Doc(c, id, old) => {
                let m = db.docs.entry(c).or_default();
                match old {
                    Some(doc) => m.insert(id, doc),
                    None => m.remove(&id),
                };
            }
            Before::Token(t, was) => {
                if !was {
                    db.used_tokens.remove(&t);
                }
            }
        }
    }
    // The path index follows the files; rebuilding it is simplest and exact.
    if files_changed {
        db.paths = db.files.values().map(|f| (f.current.file_path.clone(), f.file_id.clone())).collect();
    }
}

/// A write in progress: changes go to the working set at once and are
/// persisted together when the closure returns `Ok`, or undone.
pub struct Tx<'a> {
    db: &'a mut Db,
    dirty: BTreeSet<Key>,
    undo: Vec<Before>,
    creator: Option<&'a CreatedBy>,
}

impl Tx<'_> {
    /// Mark `key` changed, remembering its value the first time.
    fn touch(&mut self, key: Key) {
        if self.dirty.contains(&key) {
            return;
        }
        let db = &*self.db;
        self.undo.push(match &key {
            Key::File(id) => Before::File(id.clone(), db.files.get(id).cloned().map(Box::new)),
            Key::Folder(p) => Before::Folder(p.clone(), db.folders.get(p).cloned()),
            Key::Job(id) => Before::Job(id.clone(), db.jobs.get(id).cloned()),
            Key::Doc(c, id) => Before::Doc(*c, id.clone(), db.doc(*c, id).cloned()),
            Key::Token(t) => Before::Token(t.clone(), db.used_tokens.contains(t)),
        });
        self.dirty.insert(key);
    }

    /// The state, for reading.
    pub fn db(&self) -> &Db {
        self.db
    }

    /// The user new folders are recorded as created by (`createdBy`), if any.
    pub fn folder_creator(&self) -> Option<&CreatedBy> {
        self.creator
    }

    /// Insert or replace a file (and its path index).
    pub fn put_file(&mut self, rec: FileRecord) {
        self.touch(Key::File(rec.file_id.clone()));
        if let Some(old) = self.db.files.get(&rec.file_id)
            && old.current.file_path != rec.current.file_path
        {
            let old_path = old.current.file_path.clone();
            self.db.paths.remove(&old_path);
        }
        self.db.paths.insert(rec.current.file_path.clone(), rec.file_id.clone());
        self.db.files.insert(rec.file_id.clone(), rec);
    }

    /// Remove a file; returns it.
    pub fn remove_file(&mut self, file_id: &str) -> Option<FileRecord> {
        if !self.db.files.contains_key(file_id) {
            return None;
        }
        self.touch(Key::File(file_id.to_owned()));
        let rec = self.db.files.remove(file_id)?;
        self.db.paths.remove(&rec.current.file_path);
        Some(rec)
    }

    /// Insert or replace a folder.
    pub fn put_folder(&mut self, rec: FolderRecord) {
        self.touch(Key::Folder(rec.path.clone()));
        self.db.folders.insert(rec.path.clone(), rec);
    }

    /// Remove a folder record (not its contents).
    pub fn remove_folder(&mut self, path: &str) -> Option<FolderRecord> {
        if !self.db.folders.contains_key(path) {
            return None;
        }
        self.touch(Key::Folder(path.to_owned()));
        let rec = self.db.folders.remove(path)?;
        Some(rec)
    }

    /// Create `path` and its missing parents (no trailing slash; `""` is the root).
    pub fn ensure_folder(&mut self, path: &str) {
        let mut acc = String::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            acc.push('/');
            acc.push_str(seg);
            if !self.db.folders.contains_key(&acc) {
                let now = crate::util::now_iso();
                self.put_folder(FolderRecord {
                    folder_id: crate::util::new_id(),
                    path: acc.clone(),
                    custom_metadata: Default::default(),
                    created_at: now.clone(),
                    updated_at: now,
                    created_by: self.creator.cloned(),
                });
            }
        }
    }

    /// Insert or replace a job or purge.
    pub fn put_job(&mut self, rec: JobRecord) {
        self.touch(Key::Job(rec.id.clone()));
        self.db.jobs.insert(rec.id.clone(), rec);
    }

    /// Insert or replace a document.
    pub fn put_doc(&mut self, c: Collection, doc: Doc) {
        self.touch(Key::Doc(c, doc.id.clone()));
        self.db.docs.entry(c).or_default().insert(doc.id.clone(), doc);
    }

    /// Remove a document.
    pub fn remove_doc(&mut self, c: Collection, id: &str) -> Option<Doc> {
        self.db.doc(c, id)?;
        self.touch(Key::Doc(c, id.to_owned()));
        let doc = self.db.docs.get_mut(&c)?.remove(id)?;
        Some(doc)
    }

    /// Mark a client-side upload token used; false if it already was.
    pub fn use_token(&mut self, token: &str) -> bool {
        if self.db.used_tokens.contains(token) {
            return false;
        }
        self.touch(Key::Token(token.to_owned()));
        self.db.used_tokens.insert(token.to_owned())
    }
}

/// Where blobs live.
enum Blobs {
    Memory(Mutex<HashMap<String, Bytes>>),
    Dir(PathBuf),
}

/// The database file and its handle, reopened after a failed commit.
struct Redb {
    path: PathBuf,
    /// `None` after a failed commit whose reopening failed too: retried at the next write.
    handle: Mutex<Option<redb::Database>>,
    /// Fault injection for tests: make the next commit fail.
    fail_next: AtomicBool,
}

/// The store: state, database and blobs.
pub struct Store {
    db: Mutex<Db>,
    redb: Option<Redb>,
    blobs: Blobs,
    creator: Option<CreatedBy>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Make a directory's entries (a rename into it) durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// A blob write's failure: 507 when the disk is full (the client may retry
/// once space is freed), otherwise a 500.
pub(crate) fn blob_error(e: std::io::Error) -> ApiError {
    use std::io::ErrorKind::{QuotaExceeded, StorageFull};
    if matches!(e.kind(), StorageFull | QuotaExceeded) {
        return ApiError::new(
            http::StatusCode::INSUFFICIENT_STORAGE,
            format!("The emulator's data directory is full; the upload was not stored ({e})."),
        );
    }
    storage_error(e)
}

fn storage_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("storage error: {e}"))
}

impl Store {
    /// An in-memory store.
    pub fn in_memory() -> Store {
        Store { db: Mutex::new(Db::default()), redb: None, blobs: Blobs::Memory(Mutex::default()), creator: None }
    }

    /// Record new folders as created by `creator` (`createdBy`); `None`: unknown.
    pub fn with_folder_creator(mut self, creator: Option<CreatedBy>) -> Store {
        self.creator = creator;
        self
    }

    /// A store persisted under `dir` (created if missing), loading what is there.
    pub fn open(dir: &Path) -> Result<Store, String> {
        std::fs::create_dir_all(dir.join("blobs")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join("emulator.redb");
        let redb = redb::Database::create(&path).map_err(|e| format!("database: {e}"))?;
        let mut db = Db::default();
        {
            let read = redb.begin_read().map_err(|e| e.to_string())?;
            match read.open_table(RECORDS) {
                Ok(table) => {
                    for row in table.iter().map_err(|e| e.to_string())? {
                        let (k, v) = row.map_err(|e| e.to_string())?;
                        load_row(&mut db, k.value(), v.value())?;
                    }
                }
                Err(redb::TableError::TableDoesNotExist(_)) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        // Blobs written but never committed (a crash mid-upload) are left over: remove them.
        let referenced: BTreeSet<String> = db
            .files
            .values()
            .flat_map(|f| std::iter::once(&f.current).chain(&f.versions))
            .map(|v| v.blob.clone())
            .collect();
        if let Ok(entries) = std::fs::read_dir(dir.join("blobs")) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !referenced.contains(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let redb = Redb { path, handle: Mutex::new(Some(redb)), fail_next: AtomicBool::new(false) };
        Ok(Store { db: Mutex::new(db), redb: Some(redb), blobs: Blobs::Dir(dir.join("blobs")), creator: None })
    }

    /// Read the state.
    pub fn read<R>(&self, f: impl FnOnce(&Db) -> R) -> R {
        f(&lock(&self.db))
    }

    /// Change the state; on `Ok` the changes are persisted in one transaction.
    /// If the closure fails or the commit does, memory is put back as it was.
    pub fn write<R>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<R, ApiError>) -> Result<R, ApiError> {
        let mut guard = lock(&self.db);
        let mut tx = Tx { db: &mut guard, dirty: BTreeSet::new(), undo: Vec::new(), creator: self.creator.as_ref() };
        let out = f(&mut tx);
        let Tx { dirty, undo: log, .. } = tx;
        let out = out.and_then(|r| self.persist(&guard, &dirty).map(|()| r));
        if out.is_err() {
            undo(&mut guard, log);
        }
        out
    }

    /// Make the next database commit fail, as a full disk would (tests of
    /// failure handling). No effect on an in-memory store.
    #[doc(hidden)]
    pub fn fail_next_commit(&self) {
        if let Some(r) = &self.redb {
            r.fail_next.store(true, Ordering::SeqCst);
        }
    }

    fn persist(&self, db: &Db, dirty: &BTreeSet<Key>) -> Result<(), ApiError> {
        let Some(r) = &self.redb else { return Ok(()) };
        if dirty.is_empty() {
            return Ok(());
        }
        let mut handle = lock(&r.handle);
        if handle.is_none() {
            *handle = Some(redb::Database::create(&r.path).map_err(storage_error)?);
        }
        let Some(database) = handle.as_ref() else { return Err(storage_error("no database")) };
        let fail = r.fail_next.swap(false, Ordering::SeqCst);
        let result = persist(database, db, dirty, fail);
        if let Err(e) = result {
            // redb refuses all later writes on a handle whose commit failed:
            // close it (the file lock goes with it), then open it afresh.
            *handle = None;
            *handle = redb::Database::create(&r.path).ok();
            tracing::warn!(error = %e, reopened = handle.is_some(), "database commit failed; the write was undone");
            return Err(storage_error(e));
        }
        Ok(())
    }

    /// Store bytes; returns the blob id. On disk the file is written to a
    /// temporary name, synced, then renamed, so a blob is whole or absent.
    pub fn put_blob(&self, data: Bytes) -> Result<String, ApiError> {
        let id = crate::util::new_id();
        match &self.blobs {
            Blobs::Memory(m) => {
                lock(m).insert(id.clone(), data);
            }
            Blobs::Dir(dir) => {
                use std::io::Write;
                let tmp = dir.join(format!(".{id}.tmp"));
                let mut f = std::fs::File::create(&tmp).map_err(blob_error)?;
                f.write_all(&data).and_then(|()| f.sync_all()).map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    blob_error(e)
                })?;
                let path = dir.join(&id);
                std::fs::rename(&tmp, &path).map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    blob_error(e)
                })?;
                // The rename lives in the directory: sync it too, or a crash
                // can lose a blob whose record is committed.
                sync_dir(dir).map_err(|e| {
                    let _ = std::fs::remove_file(&path);
                    blob_error(e)
                })?;
            }
        }
        Ok(id)
    }

    /// Where upload bodies and blobs being received are spooled: the blob
    /// directory (so a blob is renamed into place, never copied), else the
    /// system's temporary directory.
    pub(crate) fn spool_dir(&self) -> PathBuf {
        match &self.blobs {
            Blobs::Dir(dir) => dir.clone(),
            Blobs::Memory(_) => std::env::temp_dir(),
        }
    }

    /// Store a file written in [`Store::spool_dir`] as a blob: synced, renamed
    /// to its id, the directory synced. The temporary file is gone either way.
    pub(crate) fn put_blob_file(&self, tmp: crate::spool::TempFile) -> Result<String, ApiError> {
        let id = crate::util::new_id();
        match &self.blobs {
            Blobs::Memory(m) => {
                let data = std::fs::read(tmp.path()).map_err(blob_error)?;
                lock(m).insert(id.clone(), Bytes::from(data));
            }
            Blobs::Dir(dir) => {
                std::fs::File::open(tmp.path()).and_then(|f| f.sync_all()).map_err(blob_error)?;
                let path = dir.join(&id);
                std::fs::rename(tmp.path(), &path).map_err(blob_error)?;
                let _ = tmp.keep();
                sync_dir(dir).map_err(|e| {
                    let _ = std::fs::remove_file(&path);
                    blob_error(e)
                })?;
            }
        }
        Ok(id)
    }

    /// The bytes of a blob.
    pub fn blob(&self, id: &str) -> Option<Bytes> {
        match &self.blobs {
            Blobs::Memory(m) => lock(m).get(id).cloned(),
            Blobs::Dir(dir) => std::fs::read(dir.join(id)).ok().map(Bytes::from),
        }
    }

    /// Forget a blob (after the record that used it is gone).
    pub fn delete_blob(&self, id: &str) {
        match &self.blobs {
            Blobs::Memory(m) => {
                lock(m).remove(id);
            }
            Blobs::Dir(dir) => {
                let _ = std::fs::remove_file(dir.join(id));
            }
        }
    }
}

fn persist(redb: &redb::Database, db: &Db, dirty: &BTreeSet<Key>, fail: bool) -> Result<(), String> {
    let write = redb.begin_write().map_err(|e| e.to_string())?;
    {
        let mut table = write.open_table(RECORDS).map_err(|e| e.to_string())?;
        for key in dirty {
            let value: Option<Vec<u8>> = match key {
                Key::File(id) => db.files.get(id).map(to_json),
                Key::Folder(p) => db.folders.get(p).map(to_json),
                Key::Job(id) => db.jobs.get(id).map(to_json),
                Key::Doc(c, id) => db.doc(*c, id).map(to_json),
                Key::Token(t) => db.used_tokens.contains(t).then(Vec::new),
            };
            let k = key.text();
            match value {
                Some(v) => {
                    table.insert(k.as_str(), v.as_slice()).map_err(|e| e.to_string())?;
                }
                None => {
                    table.remove(k.as_str()).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    if fail {
        // Dropping the transaction uncommitted aborts it.
        return Err("injected commit failure".into());
    }
    write.commit().map_err(|e| e.to_string())
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

fn load_row(db: &mut Db, key: &str, value: &[u8]) -> Result<(), String> {
    fn parse<T: DeserializeOwned>(key: &str, v: &[u8]) -> Result<T, String> {
        serde_json::from_slice(v).map_err(|e| format!("record {key}: {e}"))
    }
    let (kind, id) = key.split_once('/').ok_or_else(|| format!("bad key {key}"))?;
    match kind {
        "file" => {
            let rec: FileRecord = parse(key, value)?;
            db.paths.insert(rec.current.file_path.clone(), rec.file_id.clone());
            db.files.insert(rec.file_id.clone(), rec);
        }
        "folder" => {
            let rec: FolderRecord = parse(key, value)?;
            db.folders.insert(rec.path.clone(), rec);
        }
        "job" => {
            let rec: JobRecord = parse(key, value)?;
            db.jobs.insert(rec.id.clone(), rec);
        }
        "token" => {
            db.used_tokens.insert(id.to_owned());
        }
        other => {
            let c =
                Collection::ALL.into_iter().find(|c| c.prefix() == other).ok_or_else(|| format!("bad key {key}"))?;
            let doc: Doc = parse(key, value)?;
            db.docs.entry(c).or_default().insert(doc.id.clone(), doc);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
