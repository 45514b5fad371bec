//! `searchQuery` over HTTP: operators, sizes, dates, logic, error messages.

use super::*;

#[tokio::test]
async fn search_operators() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, r#"name = "a.jpg""#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"name : "sho""#).await, s(&["shoes", "shop"]));
    assert_eq!(search(&client, r#"name IN ["a.jpg", "d.jpg", "zzz"]"#).await, s(&["a.jpg", "d.jpg"]));
    assert_eq!(search(&client, r#"name NOT IN ["a.jpg", "shop", "shoes"]"#).await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"tags = "sale""#).await, s(&["a.jpg", "d.jpg"]));
    assert_eq!(search(&client, r#""tags" IN ["winter", "summer"]"#).await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, r#"format = "png""#).await, s(&["c.png"]));
    assert_eq!(search(&client, "width > 100").await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, "width >= 100").await, s(&["a.jpg", "c.png", "d.jpg"]));
    assert_eq!(search(&client, "height < 200").await, s(&["a.jpg"]));
    assert_eq!(search(&client, "height <= 200").await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, "width = 800").await, s(&["d.jpg"]));
    assert_eq!(search(&client, "private = true").await, s(&["b.pdf"]));
    assert_eq!(search(&client, "transparency = true").await, s(&["c.png"]));
    assert_eq!(search(&client, r#""customMetadata.brand" = "Nike""#).await, s(&["c.png"]));
    assert_eq!(search(&client, r#""customMetadata.price" >= 100"#).await, s(&["c.png"]));
}

#[tokio::test]
async fn search_sizes_with_units() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, "size > 50kb").await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"size < "1mb""#).await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, "size >= 2mb").await, s(&["b.pdf", "d.jpg"]));
    assert_eq!(search(&client, "size > 4MB").await, s(&["b.pdf"]));
    assert_eq!(search(&client, "size < 1gb AND size > 1000").await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, "size = 1000").await, s(&["a.jpg"]));
}

#[tokio::test]
async fn search_dates() {
    let client = emulator();
    library(&client);
    // The folders were made just now.
    assert_eq!(search(&client, r#"createdAt > "7d""#).await, s(&["c.png", "d.jpg", "shop", "shoes"]));
    assert_eq!(search(&client, r#"createdAt > 1d AND type = "file""#).await, s(&["d.jpg"]));
    assert_eq!(search(&client, r#"createdAt > "12h" AND NOT type = "folder""#).await, Vec::<String>::new());
    assert_eq!(search(&client, r#"createdAt > "2w" AND type = "file""#).await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"createdAt > "2m" AND type = "file""#).await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"createdAt < "1y""#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"updatedAt < "1y""#).await, s(&["a.jpg"]));
    let cutoff = iso(now_ms() - 10 * DAY);
    assert_eq!(search(&client, &format!(r#"createdAt < "{cutoff}""#)).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, &format!("createdAt < {}", &cutoff[..10])).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, "createdAt > 2000-01-01 AND createdAt < 2000-01-02").await, Vec::<String>::new());
}

#[tokio::test]
async fn search_logic_paths_and_types() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, r#"name = "a.jpg" OR name = "b.pdf""#).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, r#"tags = "sale" AND width > 500"#).await, s(&["d.jpg"]));
    assert_eq!(search(&client, r#"NOT type = "folder" AND NOT tags = "sale""#).await, s(&["b.pdf", "c.png"]));
    assert_eq!(
        search(&client, r#"(size < "1mb" AND width > 200) OR (tags IN ["summer", "banner"])"#).await,
        s(&["a.jpg", "c.png"])
    );
    assert_eq!(search(&client, r#"name = "a.jpg" OR name = "b.pdf" AND private = false"#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"(name = "a.jpg" OR name = "b.pdf") AND private = true"#).await, s(&["b.pdf"]));
    // The query searches every folder; path inside it narrows.
    assert_eq!(search(&client, r#"path = "/shop""#).await, s(&["c.png", "shoes"]));
    assert_eq!(search(&client, r#"path : "/shop""#).await, s(&["c.png", "shoes", "d.jpg"]));
    assert_eq!(search(&client, r#"path : "/shop" AND type = "file""#).await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"type = "folder""#).await, s(&["shop", "shoes"]));
    // Versions only when asked for.
    let (_, v) = get(&client, &format!("/v1/files?searchQuery={}", enc(r#"type = "file-version""#))).await;
    assert_eq!(names(&v), ["c.png"]);
    assert_eq!(v[0]["type"], "file-version");
    // With a searchQuery, type/tags/name are ignored; path, fileType, sort and paging still apply.
    let q = enc(r#"tags = "sale""#);
    assert_eq!(
        sorted(list(&client, &format!("?searchQuery={q}&type=folder&name=x&tags=winter")).await),
        s(&["a.jpg", "d.jpg"])
    );
    assert_eq!(list(&client, &format!("?searchQuery={q}&path=/shop/shoes")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("?searchQuery={q}&sort=DESC_NAME&limit=1")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("?searchQuery={q}&fileType=non-image")).await, Vec::<String>::new());
}

#[tokio::test]
async fn search_errors_name_the_problem() {
    let client = emulator();
    for (q, needle) in [
        (r#"colour = "red""#, "unsupported field `colour`"),
        (r#"name < "x""#, "operator `<` is not supported for field `name`"),
        (r#"createdAt > "soon""#, "`soon` is not a date"),
        ("size > huge", "`huge` is not a size"),
        ("private = yes", "`yes` is not true or false"),
        (r#"name = "x" AND"#, "expected a field name"),
        (r#"(name = "x""#, "expected `)`"),
        (r#"name = "x"#, "unterminated string"),
        (r#"tags IN "x""#, "`[`"),
        (r#"name != "x""#, "unsupported character `!`"),
        (r#"name = "x" extra"#, "end of the query"),
    ] {
        let (status, body) = get(&client, &format!("/v1/files?searchQuery={}", enc(q))).await;
        assert_error(status, &body, 400);
        assert_message(&body, needle);
    }
}
