use super::*;
use crate::model::{FileVersion, FolderRecord};

const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;

fn file(path: &str, size: u64, tags: &[&str], created: i64) -> FileVersion {
    let name = path.rsplit('/').next().unwrap_or_default().to_owned();
    let format = name.rsplit_once('.').map(|(_, e)| e.to_owned());
    let image = matches!(format.as_deref(), Some("jpg" | "png"));
    FileVersion {
        version_id: "v".into(),
        version_name: "Version 1".into(),
        name,
        file_path: path.into(),
        blob: "b".into(),
        size,
        mime: if image { "image/jpeg".into() } else { "application/pdf".into() },
        format,
        width: image.then_some(800),
        height: image.then_some(600),
        has_alpha: Some(false),
        duration: None,
        tags: (!tags.is_empty()).then(|| tags.iter().map(|t| t.to_string()).collect()),
        ai_tags: None,
        custom_coordinates: None,
        custom_metadata: serde_json::json!({"brand": "Nike", "price": 120, "colors": ["red", "blue"]})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        embedded_metadata: Default::default(),
        description: None,
        is_private: path.contains("private"),
        is_published: true,
        created_at: crate::dates::iso_from_millis(created),
        updated_at: crate::dates::iso_from_millis(created),
    }
}

fn folder(path: &str) -> FolderRecord {
    FolderRecord {
        folder_id: "f".into(),
        path: path.into(),
        custom_metadata: Default::default(),
        created_at: crate::dates::iso_from_millis(NOW - 100 * DAY),
        updated_at: crate::dates::iso_from_millis(NOW - 100 * DAY),
        created_by: None,
    }
}

fn q(s: &str) -> Query {
    match Query::parse(s, NOW) {
        Ok(q) => q,
        Err(e) => panic!("{s}: {}", e.message),
    }
}

fn err(s: &str) -> String {
    match Query::parse(s, NOW) {
        Ok(q) => panic!("{s} parsed: {q:?}"),
        Err(e) => {
            assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
            e.message
        }
    }
}

fn hit(query: &str, v: &FileVersion) -> bool {
    q(query).matches(&Item::File { version: v, current: true })
}

#[test]
fn names_and_prefixes() {
    let f = file("/shop/red-dress-summer.jpg", 1000, &[], NOW);
    assert!(hit(r#"name = "red-dress-summer.jpg""#, &f));
    assert!(!hit(r#"name = "red-dress""#, &f));
    assert!(hit(r#"name : "red-dress""#, &f));
    assert!(hit(r#"name:"red""#, &f));
    assert!(!hit(r#"name : "dress""#, &f));
    assert!(hit(r#"name HAS "SUMMER dress""#, &f));
    assert!(hit(r#"name IN ["a.jpg", "red-dress-summer.jpg"]"#, &f));
    assert!(hit(r#"name NOT IN ["a.jpg"]"#, &f));
    assert!(hit(r#"name NOT = "a.jpg""#, &f));
    assert!(hit(r#"NOT name = "a.jpg""#, &f));
    assert!(!hit(r#"NOT name : "red""#, &f));
    assert!(hit(r#""name" = "red-dress-summer.jpg""#, &f));
}

#[test]
fn tags() {
    let f = file("/a.jpg", 1, &["summer", "banner"], NOW);
    let none = file("/b.jpg", 1, &[], NOW);
    assert!(hit(r#"tags = "summer""#, &f));
    assert!(hit(r#"tags IN ["winter", "banner"]"#, &f));
    assert!(!hit(r#"tags IN ["winter"]"#, &f));
    assert!(hit(r#"tags NOT IN ["winter"]"#, &f));
    assert!(!hit(r#"tags NOT IN ["summer"]"#, &f));
    assert!(hit(r#"tags : "sum""#, &f));
    assert!(!hit(r#"tags = "summer""#, &none));
    assert!(hit(r#"tags NOT EXISTS"#, &none));
    assert!(hit(r#"tags EXISTS"#, &f));
}

#[test]
fn single_quoted_values_as_in_imagekit_guides() {
    let f = file("/a.png", 60 * 1024, &["tag-1", "x"], NOW - DAY);
    let old = file("/b.jpg", 60 * 1024, &["y"], NOW - 400 * DAY);
    assert!(hit("createdAt >= '2d'", &f));
    assert!(!hit("createdAt >= '2d'", &old));
    assert!(hit("size < '2mb'", &f));
    assert!(hit("format='png'", &f));
    assert!(!hit("format='png'", &old));
    assert!(hit("createdAt >= '2d' OR size < '2mb' OR format='png'", &old));
    assert!(hit("tags IN ['tag-1', 'tag-2']", &f));
    assert!(!hit("tags IN ['tag-1', 'tag-2']", &old));
    // A double quote inside single quotes is text, and vice versa.
    assert!(!hit(r#"name = 'a"b'"#, &f));
    assert!(err("name = 'x").contains("unterminated string"));
}

#[test]
fn sizes_with_units() {
    let f = file("/a.jpg", 60 * 1024, &[], NOW);
    assert!(hit("size > 50kb", &f));
    assert!(!hit("size > 1mb", &f));
    assert!(hit(r#"size < "1mb""#, &f));
    assert!(hit("size <= 60KB", &f));
    assert!(hit("size >= 61440", &f));
    assert!(hit("size = 61440b", &f));
    assert!(hit("size < 0.5mb", &f));
    assert!(hit("size < 2gb", &f));
    assert!(hit("size IN [1, 61440]", &f));
    assert!(err("size > lots").contains("not a size"));
    assert!(err(r#"size : 5"#).contains("operator `:` is not supported for field `size`"));
}

#[test]
fn width_height_format_private_transparency() {
    let f = file("/a.jpg", 1, &[], NOW);
    let pdf = file("/private/doc.pdf", 1, &[], NOW);
    assert!(hit("width > 500 AND height = 600", &f));
    assert!(!hit("width > 500", &pdf));
    assert!(hit("NOT width > 500", &pdf));
    assert!(hit(r#"format = "JPG""#, &f));
    assert!(hit(r#"format IN ["png", "jpg"]"#, &f));
    assert!(hit("private = true", &pdf));
    assert!(hit(r#"private = "false""#, &f));
    assert!(hit("transparency = false", &f));
    assert!(err("private = maybe").contains("true or false"));
    assert!(err("private > true").contains("not supported"));
}

#[test]
fn dates_relative_and_absolute() {
    let recent = file("/a.jpg", 1, &[], NOW - 2 * DAY);
    let old = file("/b.jpg", 1, &[], NOW - 400 * DAY);
    assert!(hit(r#"createdAt > "7d""#, &recent));
    assert!(!hit(r#"createdAt > "7d""#, &old));
    assert!(hit("createdAt < 7d", &old));
    assert!(hit(r#"createdAt > "1w""#, &recent));
    assert!(hit(r#"createdAt > "1m""#, &recent));
    assert!(hit(r#"createdAt < "1y""#, &old));
    assert!(hit(r#"createdAt > "72h""#, &recent));
    assert!(hit("updatedAt > 2025-12-01", &recent));
    assert!(hit(r#"updatedAt < "2025-12-01T00:00:00Z""#, &old));
    assert!(hit("createdAt = 2025-12-30", &recent));
    assert!(hit("createdAt <= 2025-12-30", &recent));
    assert!(!hit("createdAt > 2025-12-30", &recent));
    assert!(hit("createdAt >= 2025-12-30", &recent));
    assert!(err(r#"createdAt > "yesterday""#).contains("not a date"));
    assert!(err(r#"createdAt > "7x""#).contains("not a date"));
    assert!(err(r#"createdAt : "7d""#).contains("not supported"));
}

#[test]
fn boolean_logic_and_precedence() {
    let f = file("/a.jpg", 2 * 1024 * 1024, &["sale"], NOW);
    assert!(hit(r#"name = "x" OR name = "a.jpg""#, &f));
    assert!(!hit(r#"name = "x" AND name = "a.jpg""#, &f));
    // AND binds tighter than OR.
    assert!(hit(r#"name = "a.jpg" OR name = "x" AND size < 1"#, &f));
    assert!(!hit(r#"(name = "a.jpg" OR name = "x") AND size < 1"#, &f));
    assert!(hit(r#"(size < "1mb" AND width > 500) OR (tags IN ["sale","banner"])"#, &f));
    assert!(hit(r#"NOT (name = "x" OR size < 1)"#, &f));
    assert!(hit(r#"NOT NOT name = "a.jpg""#, &f));
    assert!(hit(r#"name = "a.jpg" and size > 1 or name = "x""#, &f));
}

#[test]
fn types_paths_and_folders() {
    let f = file("/shop/shoes/a.jpg", 1, &[], NOW);
    let d = folder("/shop/shoes");
    let root_file = file("/top.pdf", 1, &[], NOW);
    let fi = Item::File { version: &f, current: true };
    let old = Item::File { version: &f, current: false };
    let di = Item::Folder(&d);
    assert!(q(r#"type = "file""#).matches(&fi));
    assert!(!q(r#"type = "file""#).matches(&old));
    assert!(q(r#"type = "file-version""#).matches(&old));
    assert!(q(r#"type = "folder""#).matches(&di));
    assert!(q(r#"type IN ["folder", "file"]"#).matches(&fi));
    assert!(q(r#"type = "image""#).matches(&fi));
    assert!(q(r#"type = "file-version""#).wants_versions());
    assert!(!q(r#"type = "file""#).wants_versions());
    assert!(q(r#"path = "/shop/shoes""#).matches(&fi));
    assert!(q(r#"path = "/shop/shoes/""#).matches(&fi));
    assert!(!q(r#"path = "/shop""#).matches(&fi));
    assert!(q(r#"path : "/shop""#).matches(&fi));
    assert!(!q(r#"path : "/sho""#).matches(&fi));
    assert!(q(r#"path = "/shop""#).matches(&di));
    assert!(q(r#"path = "/""#).matches(&Item::File { version: &root_file, current: true }));
    assert!(q(r#"name = "shoes""#).matches(&di));
    assert!(!q("size > 0").matches(&di));
    assert!(err(r#"type = "video""#).contains("not a type"));
}

#[test]
fn custom_metadata() {
    let f = file("/a.jpg", 1, &[], NOW);
    assert!(hit(r#""customMetadata.brand" = "Nike""#, &f));
    assert!(hit(r#"customMetadata.brand : "Ni""#, &f));
    assert!(hit(r#""customMetadata.price" > 100"#, &f));
    assert!(!hit(r#""customMetadata.price" < 100"#, &f));
    assert!(hit(r#""customMetadata.colors" IN ["green", "red"]"#, &f));
    assert!(hit(r#""customMetadata.brand" EXISTS"#, &f));
    assert!(hit(r#""customMetadata.missing" NOT EXISTS"#, &f));
}

#[test]
fn syntax_errors_name_the_problem() {
    assert!(err("").contains("empty"));
    assert!(err("   ").contains("empty"));
    assert!(err(r#"colour = "red""#).contains("unsupported field `colour`"));
    assert!(err(r#"description = "x""#).contains("unsupported field `description`"));
    assert!(err(r#"name = "x"#).contains("unterminated string"));
    assert!(err(r#"name "x""#).contains("an operator after `name`"));
    assert!(err("name =").contains("a value"));
    assert!(err(r#"(name = "x""#).contains("`)`"));
    assert!(err(r#"name = "x")"#).contains("end of the query"));
    assert!(err(r#"name = "x" name = "y""#).contains("end of the query"));
    assert!(err(r#"name = "x" AND"#).contains("a field name"));
    assert!(err(r#"tags IN "x""#).contains("`[`"));
    assert!(err(r#"tags IN ["x" "y"]"#).contains("`,` or `]`"));
    assert!(err(r#"tags IN ["x","#).contains("a value"));
    assert!(err(r#"name != "x""#).contains("unsupported character `!`"));
    assert!(err(r#"name = 'x"#).contains("unterminated string"));
    assert!(err(r#"createdAt IN [1d]"#).contains("operator `IN` is not supported"));
    let deep = format!("{}name = \"x\"{}", "(".repeat(200), ")".repeat(200));
    assert!(err(&deep).contains("nested deeper"));
    let nots = format!("{}name = \"x\"", "NOT ".repeat(200));
    assert!(err(&nots).contains("nested deeper"));
}

#[test]
fn long_chains_stay_flat() {
    let f = file("/a.jpg", 1, &[], NOW);
    let long = vec![r#"name = "a.jpg""#; 50_000].join(" AND ");
    assert!(hit(&long, &f));
    let long = vec![r#"name = "x""#; 50_000].join(" or ");
    assert!(!hit(&long, &f));
}

#[test]
fn never_panics_on_odd_input() {
    for s in
        ["\"", "\\", "\"\\", "((((", "))))", "[", "]", ",", "=", "<=", "é = \"x\"", "name = \"é\u{0}\"", "NOT", "IN"]
    {
        let _ = Query::parse(s, NOW);
    }
    let f = file("/a.jpg", 1, &[], NOW);
    assert!(hit("name = \"\u{e9}\" OR size > 0", &f));
}
