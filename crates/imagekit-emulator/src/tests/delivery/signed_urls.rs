//! Private files and signed URLs: valid, expired, tampered, foreign, and with encoded characters.

use super::*;

#[tokio::test]
async fn private_files_need_a_valid_signature() {
    let f = Fixture::new();
    f.add("/private/secret.png", "image/png", png(80, 40), true);
    let key = key();

    let r = f.get(&format!("{ENDPOINT}/private/secret.png")).await;
    assert_eq!(r.status, 401);
    assert!(r.json()["message"].is_string());
    let r = f.get(&format!("{ENDPOINT}/tr:w-10/private/secret.png")).await;
    assert_eq!(r.status, 401);

    // Signed, never expiring, no transformation.
    let url = UrlOptions::new("/private/secret.png").url_endpoint(ENDPOINT).signed(&key).build().unwrap();
    assert!(url.contains("?ik-s=") && !url.contains("ik-t"), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (80, 40));
    assert!(r.header("cache-control").unwrap().starts_with("private"));

    // Signed with an expiry, the transformation in the path.
    let url = UrlOptions::new("private/secret.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(40))
        .position(TransformationPosition::Path)
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert!(url.contains("/tr:w-40/") && url.contains("?ik-t="), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (40, 20));

    // ... and in the query, after another query parameter.
    let url = UrlOptions::new("/private/secret.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(20).height(20))
        .transformation(Transformation::new().rotation(90))
        .query_parameter("v", "2 & more")
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert!(url.contains("?v=2+%26+more&tr=w-20,h-20:rt-90&ik-t="), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (20, 20));

    // An endpoint written with a trailing slash signs the same text.
    let url = UrlOptions::new("/private/secret.png").url_endpoint(format!("{ENDPOINT}/")).signed(&key).build().unwrap();
    assert_eq!(f.get(&url).await.status, 200, "{url}");
}

#[tokio::test]
async fn expired_tampered_and_foreign_signatures_are_401() {
    let f = Fixture::new();
    f.add("/private/p.png", "image/png", png(30, 30), true);
    f.add("/public/p.png", "image/png", png(30, 30), false);
    let key = key();

    // Expired: the signature is right, ik-t is in the past.
    let url = UrlOptions::new("/private/p.png")
        .url_endpoint(ENDPOINT)
        .signed(&key)
        .expires_in(10, now() - 100)
        .build()
        .unwrap();
    let r = f.get(&url).await;
    assert_eq!(r.status, 401, "{url}");
    assert!(r.json()["message"].as_str().unwrap().contains("expired"));

    let good = UrlOptions::new("/private/p.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(10))
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert_eq!(f.get(&good).await.status, 200);
    // Another transformation, a later expiry, another file, a flipped digit: all 401.
    let tampered = [
        good.replace("tr=w-10", "tr=w-20"),
        good.replace("ik-t=", "ik-t=1"),
        good.replace("/private/p.png", "/public/p.png"),
        {
            let i = good.len() - 1;
            let last = if good.ends_with('0') { "1" } else { "0" };
            format!("{}{last}", &good[..i])
        },
        good.replace("ik-t=", "ik-t=x"),
    ];
    for url in tampered {
        let r = f.get(&url).await;
        assert_eq!(r.status, 401, "{url}");
        assert!(r.json()["message"].is_string());
    }

    // Signed with another key.
    let other = PrivateKey::new("private_someone_else").unwrap();
    let url = UrlOptions::new("/private/p.png").url_endpoint(ENDPOINT).signed(&other).build().unwrap();
    assert_eq!(f.get(&url).await.status, 401);

    // A public file with a bad signature is checked too; without one it is served.
    let url = UrlOptions::new("/public/p.png").url_endpoint(ENDPOINT).signed(&other).build().unwrap();
    assert_eq!(f.get(&url).await.status, 401);
    let url = UrlOptions::new("/public/p.png").url_endpoint(ENDPOINT).signed(&key).build().unwrap();
    assert_eq!(f.get(&url).await.status, 200);
    assert_eq!(f.get(&format!("{ENDPOINT}/public/p.png")).await.status, 200);
}

#[tokio::test]
async fn signed_urls_with_encoded_characters() {
    let f = Fixture::new();
    f.add("/my folder/é photo.png", "image/png", png(30, 30), true);
    let key = key();
    // The path is percent-encoded by the builder, and signed encoded.
    let url = UrlOptions::new("/my folder/é photo.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(15))
        .position(TransformationPosition::Path)
        .signed(&key)
        .build()
        .unwrap();
    assert!(url.contains("my%20folder/%C3%A9%20photo.png"), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (15, 15));

    // A raw space in the transformation is signed raw but must be sent encoded.
    let url = UrlOptions::new("/my folder/é photo.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(15).raw("e-edit-prompt-make it vintage"))
        .signed(&key)
        .build()
        .unwrap();
    assert!(url.contains("prompt-make it vintage"), "{url}");
    let r = f.get(&url.replace(' ', "%20")).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("e-edit"));
}
