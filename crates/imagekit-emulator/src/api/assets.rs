//! `GET /v1/files`: list and search the media library.
//!
//! Query parameters, as ImageKit takes them:
//! - `type`: `file`, `file-version` (older versions only), `folder`, or `all`
//!   (files and folders, not versions; the default);
//! - `sort`: `ASC_`/`DESC_` + `NAME`, `CREATED` (the default is `ASC_CREATED`),
//!   `UPDATED`, `HEIGHT`, `WIDTH`, `SIZE`, `RELEVANCE` (no scores here: creation
//!   order), `DURATION` (of videos and audio, read from their container headers
//!   on upload) and `ORIGINAL_CREATION_DATE` (the date in the reserved custom
//!   metadata field `_internal_original_created_datetime`, else the upload
//!   time, as ImageKit documents; folders by their creation time). Items
//!   without a height, width, size or duration (folders, non-images, images)
//!   sort before those with one in ascending order. Ties keep creation order;
//! - `path`: only items directly in that folder (not in sub-folders);
//! - `searchQuery`: see [`crate::api::search`]; when present `type`, `tags` and
//!   `name` are ignored and every folder is searched (narrow it with `path`
//!   in the query, or the `path` parameter);
//! - `fileType`: `all` (default), `image`, `non-image`; it filters files,
//!   folders are kept;
//! - `skip` (default 0) and `limit` (1 to 1000, default 1000);
//! - legacy `tags` (comma-separated, any of them) and `name` (exact), without a
//!   `searchQuery`.
//!
//! Unknown values answer 400.

use imagekit_types::{Asset, AssetFileType, AssetSort, AssetType, ORIGINAL_CREATION_DATE_FIELD};

use crate::api::search::{Item, Query, normalize_folder};
use crate::dates::parse_iso_millis;
use crate::model::{FileRecord, FileVersion, FolderRecord};
use crate::render;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

/// Largest page.
const MAX_LIMIT: u64 = 1000;

/// A candidate result.
#[derive(Clone, Copy)]
enum Cand<'a> {
    File(&'a FileRecord, &'a FileVersion, bool),
    Folder(&'a FolderRecord),
}

impl<'a> Cand<'a> {
    fn item(self) -> Item<'a> {
        match self {
            Cand::File(_, v, current) => Item::File { version: v, current },
            Cand::Folder(f) => Item::Folder(f),
        }
    }

    fn name(self) -> &'a str {
        match self {
            Cand::File(_, v, _) => &v.name,
            Cand::Folder(f) => f.name(),
        }
    }

    fn created(self) -> &'a str {
        match self {
            Cand::File(_, v, _) => &v.created_at,
            Cand::Folder(f) => &f.created_at,
        }
    }

    fn updated(self) -> &'a str {
        match self {
            Cand::File(_, v, _) => &v.updated_at,
            Cand::Folder(f) => &f.updated_at,
        }
    }

    fn id(self) -> &'a str {
        match self {
            Cand::File(rec, v, _) => {
                if v.version_id.is_empty() {
                    &rec.file_id
                } else {
                    &v.version_id
                }
            }
            Cand::Folder(f) => &f.folder_id,
        }
    }

    /// The folder it is in, as `/a/b` (`/` for the root).
    fn parent(self) -> String {
        match self {
            Cand::File(_, v, _) => normalize_folder(v.folder()),
            Cand::Folder(f) => normalize_folder(f.path.rsplit_once('/').map_or("", |(p, _)| p)),
        }
    }

    fn number(self, key: SortKey) -> Option<f64> {
        let Cand::File(_, v, _) = self else { return None };
        match key {
            SortKey::Height => v.height.map(f64::from),
            SortKey::Width => v.width.map(f64::from),
            SortKey::Size => Some(v.size as f64),
            SortKey::Duration => v.duration,
            _ => None,
        }
    }

    /// The original creation date (Unix ms): a file's value of the reserved
    /// field when it holds a date, else its upload (creation) time.
    fn original_creation(self) -> Option<i64> {
        let set = match self {
            Cand::File(_, v, _) => {
                v.custom_metadata.get(ORIGINAL_CREATION_DATE_FIELD).and_then(|d| d.as_str()).and_then(parse_iso_millis)
            }
            Cand::Folder(_) => None,
        };
        set.or_else(|| parse_iso_millis(self.created()))
    }

    fn render(self, state: &State) -> Asset {
        match self {
            Cand::File(rec, v, current) => Asset::File(render::file(state, rec, v, current)),
            Cand::Folder(f) => Asset::Folder(render::folder(f)),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Name,
    Created,
    Updated,
    Height,
    Width,
    Size,
    Relevance,
    Duration,
    OriginalCreation,
}

fn bad_param(name: &str, value: &str, allowed: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid value `{value}` for query parameter {name}. Allowed: {allowed}."))
}

fn parse_sort(value: Option<&str>) -> Result<(SortKey, bool), ApiError> {
    let Some(value) = value else { return Ok((SortKey::Created, false)) };
    let sort = AssetSort::from(value);
    Ok(match sort {
        AssetSort::AscName => (SortKey::Name, false),
        AssetSort::DescName => (SortKey::Name, true),
        AssetSort::AscCreated => (SortKey::Created, false),
        AssetSort::DescCreated => (SortKey::Created, true),
        AssetSort::AscUpdated => (SortKey::Updated, false),
        AssetSort::DescUpdated => (SortKey::Updated, true),
        AssetSort::AscHeight => (SortKey::Height, false),
        AssetSort::DescHeight => (SortKey::Height, true),
        AssetSort::AscWidth => (SortKey::Width, false),
        AssetSort::DescWidth => (SortKey::Width, true),
        AssetSort::AscSize => (SortKey::Size, false),
        AssetSort::DescSize => (SortKey::Size, true),
        AssetSort::AscRelevance => (SortKey::Relevance, false),
        AssetSort::DescRelevance => (SortKey::Relevance, true),
        AssetSort::AscDuration => (SortKey::Duration, false),
        AssetSort::DescDuration => (SortKey::Duration, true),
        AssetSort::AscOriginalCreationDate => (SortKey::OriginalCreation, false),
        AssetSort::DescOriginalCreationDate => (SortKey::OriginalCreation, true),
        // `Unknown`, and any sort a later imagekit-types names that this emulator does not serve.
        _ => {
            return Err(bad_param(
                "sort",
                value,
                "ASC_/DESC_ followed by NAME, CREATED, UPDATED, HEIGHT, WIDTH, SIZE, RELEVANCE, DURATION or \
                 ORIGINAL_CREATION_DATE",
            ));
        }
    })
}

fn parse_count(req: &Req, name: &str, min: u64, max: u64, default: u64) -> Result<u64, ApiError> {
    let Some(raw) = req.query(name) else { return Ok(default) };
    let bad = || {
        ApiError::bad_request(format!(
            "Invalid value `{raw}` for query parameter {name}: an integer from {min} to {max}."
        ))
    };
    let n: u64 = raw.trim().parse().map_err(|_| bad())?;
    if n < min || n > max {
        return Err(bad());
    }
    Ok(n)
}

/// `GET /v1/files`: files, file versions and folders, filtered, sorted and
/// paged; a JSON array of `File` and `Folder` objects.
pub fn list(state: &State, req: &Req) -> ApiResult {
    let kind = match req.query("type") {
        None => AssetType::All,
        Some(t) => match AssetType::from(t) {
            AssetType::Unknown(_) => return Err(bad_param("type", t, "file, file-version, folder, all")),
            k => k,
        },
    };
    let (sort, desc) = parse_sort(req.query("sort"))?;
    let file_type = match req.query("fileType") {
        None => AssetFileType::All,
        Some(t) => match AssetFileType::from(t) {
            AssetFileType::Unknown(_) => return Err(bad_param("fileType", t, "all, image, non-image")),
            k => k,
        },
    };
    let limit = parse_count(req, "limit", 1, MAX_LIMIT, MAX_LIMIT)?;
    let skip = parse_count(req, "skip", 0, u64::MAX, 0)?;
    let path = req.query("path").filter(|p| !p.trim().is_empty()).map(normalize_folder);
    let search = match req.query("searchQuery").filter(|q| !q.trim().is_empty()) {
        Some(q) => Some(Query::parse(q, crate::util::now_millis())?),
        None => None,
    };
    // Legacy filters, ignored with a searchQuery.
    let legacy_tags: Option<Vec<String>> = req
        .query("tags")
        .filter(|_| search.is_none())
        .map(|t| t.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
        .filter(|t: &Vec<String>| !t.is_empty());
    let legacy_name = req.query("name").filter(|n| search.is_none() && !n.is_empty());

    let (files, versions, folders) = match (&search, &kind) {
        (Some(q), _) => (true, q.wants_versions(), true),
        (None, AssetType::File) => (true, false, false),
        (None, AssetType::FileVersion) => (false, true, false),
        (None, AssetType::Folder) => (false, false, true),
        (None, _) => (true, false, true),
    };

    let page = state.store.read(|db| {
        let mut cands: Vec<Cand<'_>> = Vec::new();
        for rec in db.files.values() {
            if files {
                cands.push(Cand::File(rec, &rec.current, true));
            }
            if versions {
                cands.extend(rec.versions.iter().map(|v| Cand::File(rec, v, false)));
            }
        }
        if folders {
            cands.extend(db.folders.values().map(Cand::Folder));
        }
        cands.retain(|c| {
            if let Some(p) = &path
                && &c.parent() != p
            {
                return false;
            }
            if let Cand::File(_, v, _) = c {
                match file_type {
                    AssetFileType::Image if v.file_type() != "image" => return false,
                    AssetFileType::NonImage if v.file_type() == "image" => return false,
                    _ => {}
                }
                if let Some(tags) = &legacy_tags
                    && !v.tags.as_ref().is_some_and(|have| have.iter().any(|t| tags.contains(t)))
                {
                    return false;
                }
            } else if legacy_tags.is_some() {
                return false;
            }
            if let Some(name) = legacy_name
                && c.name() != name
            {
                return false;
            }
            search.as_ref().is_none_or(|q| q.matches(&c.item()))
        });
        // Creation order first, so that ties keep it.
        cands.sort_by(|a, b| a.created().cmp(b.created()).then_with(|| a.id().cmp(b.id())));
        match sort {
            SortKey::Name => cands.sort_by(|a, b| a.name().cmp(b.name())),
            SortKey::Created | SortKey::Relevance => {}
            SortKey::Updated => cands.sort_by(|a, b| a.updated().cmp(b.updated())),
            SortKey::OriginalCreation => cands.sort_by_cached_key(|c| c.original_creation()),
            key => cands.sort_by(|a, b| a.number(key).partial_cmp(&b.number(key)).unwrap_or(std::cmp::Ordering::Equal)),
        }
        if desc {
            cands.reverse();
        }
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        cands.into_iter().skip(skip).take(limit).map(|c| c.render(state)).collect::<Vec<Asset>>()
    });
    Ok(Resp::ok(&page))
}
