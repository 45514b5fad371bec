//! Folders: create (`POST /v1/folder`), delete (`DELETE /v1/folder`), and the
//! copy, move and rename bulk jobs (`POST /v1/bulkJobs/...`, polled with
//! `GET /v1/bulkJobs/{jobId}`).
//!
//! Jobs do their work when submitted, in one write, and are stored as
//! [`JobRecord`]s that answer `Pending` on the first poll and `Completed`
//! afterwards, so clients that poll see both states.
//!
//! Copying or moving `/a/sub` to `/b` yields `/b/sub/...`, as on ImageKit.
//! Where a file already exists at a destination path, the incoming file's
//! versions are added to it (as file copy and move do); existing destination
//! folders are merged into. Copies get blobs of their own.

use std::collections::BTreeSet;

use imagekit_types::{
    CopyFolderRequest, CreateFolderRequest, DeleteFolderRequest, Job, JobCreated, JobStatus, JobType,
    MoveFolderRequest, RenameFolderRequest,
};
use serde_json::json;

use crate::api::files::{append_versions, blobs_of, delete_blobs, folder_key, normalize_folder, unreferenced_blobs};
use crate::model::{FileRecord, FileVersion, FolderRecord, JobRecord};
use crate::state::State;
use crate::store::{Db, Tx};
use crate::web::{ApiError, ApiResult, Req, Resp};

/// Attempts at a copy whose source changes while its bytes are copied.
const COPY_ATTEMPTS: usize = 5;

fn required(value: &str, name: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::bad_request(format!("Missing parameter {name}.")));
    }
    Ok(())
}

/// A folder path as given by a client to its record key: `/a/b` (`""` is the root).
fn key_of(path: &str) -> String {
    folder_key(&normalize_folder(path)).to_owned()
}

/// Whether `path` (a folder key or a file path) is `folder` or inside it.
fn within(path: &str, folder: &str) -> bool {
    path == folder || path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether the folder exists: a record, or files under it.
fn folder_exists(db: &Db, folder: &str) -> bool {
    db.folders.contains_key(folder) || files_under(db, folder).next().is_some()
}

/// The files (current path) under `folder`, at any depth.
fn files_under<'a>(db: &'a Db, folder: &'a str) -> impl Iterator<Item = &'a FileRecord> + 'a {
    let prefix = format!("{folder}/");
    db.paths
        .range(prefix.clone()..)
        .take_while(move |(p, _)| p.starts_with(&prefix))
        .filter_map(|(_, id)| db.files.get(id))
}

/// The folder records `folder` and under it, parents first.
fn folders_under(db: &Db, folder: &str) -> Vec<FolderRecord> {
    db.folders.values().filter(|f| within(&f.path, folder)).cloned().collect()
}

fn folder_not_found(path: &str) -> ApiError {
    ApiError::not_found(format!("No folder found with folderPath {}.", if path.is_empty() { "/" } else { path }))
}

/// The folder `parent` (a key) of a file path.
fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

fn job_created(tx: &mut Tx<'_>, kind: &str, purge: bool) -> String {
    let id = crate::util::new_id();
    let purge_request_id = purge.then(|| {
        let pid = crate::util::new_id();
        tx.put_job(JobRecord { id: pid.clone(), kind: "PURGE".into(), pending_polls: 1, purge_request_id: None });
        pid
    });
    tx.put_job(JobRecord { id: id.clone(), kind: kind.into(), pending_polls: 1, purge_request_id });
    id
}

/// `POST /v1/folder`: create `folderName` under `parentFolderPath`, and any
/// missing parents. In the name, anything but letters and digits becomes
/// `_`. Creating a folder that exists succeeds. Answers 201 `{}`.
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: CreateFolderRequest = req.json()?;
    required(&body.folder_name, "folderName")?;
    let name: String = body.folder_name.trim().chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
    let parent = key_of(&body.parent_folder_path);
    let path = format!("{parent}/{name}");
    state.store.write(|tx| {
        tx.ensure_folder(&path);
        Ok(())
    })?;
    Ok(Resp::json(http::StatusCode::CREATED, &json!({})))
}

/// `DELETE /v1/folder` with `{folderPath}`: the folder, its sub-folders and
/// every file in them, versions and bytes included; 404 when there is no such
/// folder. Answers 204, no body.
pub fn delete(state: &State, req: &Req) -> ApiResult {
    let body: DeleteFolderRequest = req.json()?;
    required(&body.folder_path, "folderPath")?;
    let folder = key_of(&body.folder_path);
    if folder.is_empty() {
        return Err(ApiError::bad_request("The root folder cannot be deleted."));
    }
    let blobs = state.store.write(|tx| {
        if !folder_exists(tx.db(), &folder) {
            return Err(folder_not_found(&folder));
        }
        let ids: Vec<String> = files_under(tx.db(), &folder).map(|f| f.file_id.clone()).collect();
        let mut blobs = Vec::new();
        for id in ids {
            if let Some(rec) = tx.remove_file(&id) {
                blobs.extend(blobs_of(&rec));
            }
        }
        for f in folders_under(tx.db(), &folder) {
            tx.remove_folder(&f.path);
        }
        Ok(unreferenced_blobs(tx.db(), blobs))
    })?;
    delete_blobs(state, &blobs);
    Ok(Resp::no_content())
}

/// Source and destination of a copy or move, checked: the source folder key
/// and the key of the folder it becomes (`dest/<source name>`).
fn plan(source: &str, destination: &str) -> Result<(String, String), ApiError> {
    let src = key_of(source);
    if src.is_empty() {
        return Err(ApiError::bad_request("The root folder cannot be copied or moved."));
    }
    let dest = key_of(destination);
    if within(&dest, &src) {
        return Err(ApiError::bad_request("The destination folder cannot be the source folder or inside it."));
    }
    let name = src.rsplit('/').next().unwrap_or_default();
    Ok((src.clone(), format!("{dest}/{name}")))
}

/// `path` under `from` re-rooted under `to`.
fn rebase(path: &str, from: &str, to: &str) -> String {
    format!("{to}{}", path.get(from.len()..).unwrap_or_default())
}

/// Create the folder records of `from` (and under it) under `to`, keeping
/// custom metadata; folders already there stay as they are.
fn copy_folder_records(tx: &mut Tx<'_>, records: &[FolderRecord], from: &str, to: &str, keep_ids: bool) {
    tx.ensure_folder(parent_of(to));
    let now = crate::util::now_iso();
    for f in records {
        let path = rebase(&f.path, from, to);
        if tx.db().folders.contains_key(&path) {
            continue;
        }
        tx.ensure_folder(parent_of(&path));
        let rec = if keep_ids {
            FolderRecord { path, ..f.clone() }
        } else {
            FolderRecord {
                folder_id: crate::util::new_id(),
                path,
                custom_metadata: f.custom_metadata.clone(),
                created_at: now.clone(),
                updated_at: now.clone(),
                // A copy is a new folder, made by whoever copies it.
                created_by: tx.folder_creator().cloned(),
            }
        };
        tx.put_folder(rec);
    }
    tx.ensure_folder(to);
}

/// `POST /v1/bulkJobs/copyFolder`: copy `sourceFolderPath` into
/// `destinationPath` (created when missing), with file versions when
/// `includeVersions`; 404 when the source does not exist. Answers `{jobId}`.
pub fn copy(state: &State, req: &Req) -> ApiResult {
    let body: CopyFolderRequest = req.json()?;
    required(&body.source_folder_path, "sourceFolderPath")?;
    required(&body.destination_path, "destinationPath")?;
    let (src, to) = plan(&body.source_folder_path, &body.destination_path)?;
    if src == to {
        return Err(ApiError::bad_request("The folder is already in the destination folder."));
    }
    let include_versions = body.include_versions == Some(true);
    for _ in 0..COPY_ATTEMPTS {
        let (files, folders) = state.store.read(|db| {
            if !folder_exists(db, &src) {
                return Err(folder_not_found(&src));
            }
            Ok((files_under(db, &src).cloned().collect::<Vec<_>>(), folders_under(db, &src)))
        })?;
        // Copy the bytes outside the lock; the write checks the source did not change.
        let mut new_blobs = Vec::new();
        let mut copies: Vec<(String, Vec<FileVersion>)> = Vec::with_capacity(files.len());
        for rec in &files {
            let mut picked: Vec<FileVersion> = if include_versions { rec.versions.clone() } else { Vec::new() };
            picked.push(rec.current.clone());
            for v in &mut picked {
                let copied = state
                    .store
                    .blob(&v.blob)
                    .ok_or_else(|| ApiError::internal(format!("The bytes of {} are missing.", v.file_path)))
                    .and_then(|bytes| state.store.put_blob(bytes));
                match copied {
                    Ok(id) => {
                        v.blob = id.clone();
                        new_blobs.push(id);
                    }
                    Err(e) => {
                        delete_blobs(state, &new_blobs);
                        return Err(e);
                    }
                }
            }
            copies.push((rebase(&rec.current.file_path, &src, &to), picked));
        }
        let outcome = state.store.write(|tx| {
            let unchanged = files_under(tx.db(), &src).eq(files.iter()) && folders_under(tx.db(), &src) == folders;
            if !unchanged {
                return Ok(None);
            }
            // Plan every file first: nothing changes unless all of them fit.
            let now = crate::util::now_iso();
            let mut planned = Vec::with_capacity(copies.len());
            for (dest_path, mut picked) in copies {
                for v in &mut picked {
                    v.created_at = now.clone();
                    v.updated_at = now.clone();
                }
                match tx.db().file_at(&dest_path).cloned() {
                    Some(mut dest) => {
                        append_versions(&mut dest, picked)?;
                        planned.push(dest);
                    }
                    None => planned.extend(FileRecord::from_versions(picked, &dest_path)),
                }
            }
            copy_folder_records(tx, &folders, &src, &to, false);
            for rec in planned {
                tx.ensure_folder(parent_of(&rec.current.file_path));
                tx.put_file(rec);
            }
            Ok(Some(job_created(tx, "COPY_FOLDER", false)))
        });
        match outcome {
            Ok(Some(job_id)) => return Ok(Resp::ok(&JobCreated::new(job_id))),
            Ok(None) => delete_blobs(state, &new_blobs),
            Err(e) => {
                delete_blobs(state, &new_blobs);
                return Err(e);
            }
        }
    }
    Err(ApiError::conflict("The source folder kept changing during the copy; try again."))
}

/// Move everything under `src` to `to` in `tx`: folder records keep their
/// ids; a file landing on an existing one is added to its versions. Nothing
/// changes when it fails (too many versions).
fn relocate(tx: &mut Tx<'_>, src: &str, to: &str) -> Result<(), ApiError> {
    if src == to {
        return Ok(());
    }
    let files: Vec<FileRecord> = files_under(tx.db(), src).cloned().collect();
    let moving: BTreeSet<String> = files.iter().map(|f| f.file_id.clone()).collect();
    let folders = folders_under(tx.db(), src);
    // Plan first. Paths of files being moved count as free: they are vacated.
    let now = crate::util::now_iso();
    let mut planned = Vec::with_capacity(files.len());
    for mut rec in files {
        let dest_path = rebase(&rec.current.file_path, src, to);
        let existing = tx.db().file_at(&dest_path).filter(|d| !moving.contains(&d.file_id)).cloned();
        match existing {
            Some(mut dest) => {
                let mut moved = std::mem::take(&mut rec.versions);
                moved.push(rec.current);
                append_versions(&mut dest, moved)?;
                dest.current.updated_at = now.clone();
                planned.push(dest);
            }
            None => {
                for v in std::iter::once(&mut rec.current).chain(&mut rec.versions) {
                    v.file_path = dest_path.clone();
                }
                rec.current.updated_at = now.clone();
                planned.push(rec);
            }
        }
    }
    for id in &moving {
        tx.remove_file(id);
    }
    for f in &folders {
        tx.remove_folder(&f.path);
    }
    copy_folder_records(tx, &folders, src, to, true);
    for rec in planned {
        tx.ensure_folder(parent_of(&rec.current.file_path));
        tx.put_file(rec);
    }
    Ok(())
}

/// `POST /v1/bulkJobs/moveFolder`: move `sourceFolderPath` into
/// `destinationPath` (created when missing); 404 when the source does not
/// exist. Answers `{jobId}`.
pub fn move_folder(state: &State, req: &Req) -> ApiResult {
    let body: MoveFolderRequest = req.json()?;
    required(&body.source_folder_path, "sourceFolderPath")?;
    required(&body.destination_path, "destinationPath")?;
    let (src, to) = plan(&body.source_folder_path, &body.destination_path)?;
    let job_id = state.store.write(|tx| {
        if !folder_exists(tx.db(), &src) {
            return Err(folder_not_found(&src));
        }
        relocate(tx, &src, &to)?;
        Ok(job_created(tx, "MOVE_FOLDER", false))
    })?;
    Ok(Resp::ok(&JobCreated::new(job_id)))
}

/// `POST /v1/bulkJobs/renameFolder`: rename `folderPath` to `newFolderName`
/// (anything but letters, digits and `-` becomes `_`) in place; 404 when it
/// does not exist, 409 when a folder with the new name exists. With
/// `purgeCache`, a purge request is recorded and the job reports its id.
/// Answers `{jobId}`.
pub fn rename(state: &State, req: &Req) -> ApiResult {
    let body: RenameFolderRequest = req.json()?;
    required(&body.folder_path, "folderPath")?;
    required(&body.new_folder_name, "newFolderName")?;
    let src = key_of(&body.folder_path);
    if src.is_empty() {
        return Err(ApiError::bad_request("The root folder cannot be renamed."));
    }
    let name: String =
        body.new_folder_name.trim().chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let to = format!("{}/{name}", parent_of(&src));
    let purge = body.purge_cache == Some(true);
    let job_id = state.store.write(|tx| {
        if !folder_exists(tx.db(), &src) {
            return Err(folder_not_found(&src));
        }
        if to != src && folder_exists(tx.db(), &to) {
            return Err(ApiError::conflict(format!("A folder named {name} already exists there.")));
        }
        relocate(tx, &src, &to)?;
        Ok(job_created(tx, "RENAME_FOLDER", purge))
    })?;
    Ok(Resp::ok(&JobCreated::new(job_id)))
}

/// `GET /v1/bulkJobs/{jobId}`: `Pending` on the first poll, `Completed`
/// afterwards; 404 for an unknown id.
pub fn job(state: &State, job_id: &str) -> ApiResult {
    let job = state.store.write(|tx| {
        let mut rec = tx
            .db()
            .jobs
            .get(job_id)
            .filter(|j| j.kind != "PURGE")
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("No job found with jobId {job_id}.")))?;
        let status = if rec.pending_polls > 0 {
            rec.pending_polls -= 1;
            tx.put_job(rec.clone());
            JobStatus::Pending
        } else {
            JobStatus::Completed
        };
        let mut job = Job::default();
        job.job_id = Some(rec.id.clone());
        job.kind = Some(JobType::from(rec.kind.as_str()));
        job.status = Some(status);
        job.purge_request_id = rec.purge_request_id.clone();
        Ok(job)
    })?;
    Ok(Resp::ok(&job))
}
