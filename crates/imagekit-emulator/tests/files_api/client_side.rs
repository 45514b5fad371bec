//! Client-side uploads (v1 signature, v2 JWT) and authentication of malformed requests.

use super::*;

#[tokio::test]
async fn client_side_v1_signature() {
    let emu = emulator();
    let bytes = png(3, 3, false);
    let expire = (now() + 600).to_string();
    let token = "token-v1-valid";
    let sig = v1_signature(token, expire.parse().unwrap());
    let signed = |token: &'static str, sig: String, expire: String, public: &'static str| (token, sig, expire, public);
    let go = |(token, sig, expire, public): (&'static str, String, String, &'static str)| {
        let emu = emu.clone();
        let bytes = bytes.clone();
        async move {
            upload_to(
                &emu,
                "v1",
                &[
                    Part::Text("fileName", "client.png"),
                    Part::Text("publicKey", public),
                    Part::Text("signature", &sig),
                    Part::Text("expire", &expire),
                    Part::Text("token", token),
                    Part::File("client.png", &bytes),
                ],
                false,
            )
            .await
        }
    };
    let (status, body) = go(signed(token, sig.clone(), expire.clone(), PUBLIC)).await;
    assert_eq!(status, 200, "{body}");
    // The same token again fails.
    let (status, body) = go(signed(token, sig.clone(), expire.clone(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already been used"), "{body}");

    // A wrong signature.
    let (status, body) = go(signed("token-v1-badsig", sig.clone(), expire.clone(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("Invalid signature"), "{body}");
    // Expired.
    let past = now() - 10;
    let (status, body) =
        go(signed("token-v1-expired", v1_signature("token-v1-expired", past), past.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("expire"), "{body}");
    // More than an hour ahead.
    let far = now() + 7200;
    let (status, body) = go(signed("token-v1-far", v1_signature("token-v1-far", far), far.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("less than 1 hour"), "{body}");
    // The wrong public key.
    let (status, body) =
        go(signed("token-v1-pub", v1_signature("token-v1-pub", far - 7000), (far - 7000).to_string(), "public_other"))
            .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("publicKey"), "{body}");
    // Some but not all client-side fields.
    let (status, body) = upload_to(
        &emu,
        "v1",
        &[Part::Text("fileName", "c.png"), Part::Text("token", "only-a-token"), Part::File("c.png", &bytes)],
        false,
    )
    .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("Missing"), "{body}");
    // A failed upload still spends a token whose signature was valid.
    let e = now() + 300;
    let t = "token-v1-spent";
    let (status, body) = upload_to(
        &emu,
        "v1",
        &[
            Part::Text("fileName", "client.png"),
            Part::Text("publicKey", PUBLIC),
            Part::Text("signature", &v1_signature(t, e)),
            Part::Text("expire", &e.to_string()),
            Part::Text("token", t),
            Part::Text("customCoordinates", "bad"),
            Part::File("client.png", &bytes),
        ],
        false,
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = go(signed(t, v1_signature(t, e), e.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already been used"), "{body}");
}

#[tokio::test]
async fn client_side_v2_jwt() {
    let emu = emulator();
    let bytes = png(3, 3, false);
    let iat = now();
    // Claims for the three fields sent; `age` makes each token distinct.
    let claims = |age: u64, extra: Value| {
        let mut c = json!({"fileName": "jwt.png", "tags": "a,b", "useUniqueFileName": "false",
                           "iat": iat - age, "exp": iat - age + 600});
        if let (Value::Object(c), Value::Object(e)) = (&mut c, extra) {
            c.extend(e);
        }
        c
    };
    let fields = |token: &str| {
        vec![
            ("fileName".to_owned(), "jwt.png".to_owned()),
            ("tags".to_owned(), "a,b".to_owned()),
            ("useUniqueFileName".to_owned(), "false".to_owned()),
            ("token".to_owned(), token.to_owned()),
        ]
    };
    let go = |fields: Vec<(String, String)>| {
        let emu = emu.clone();
        let bytes = bytes.clone();
        async move {
            let mut parts: Vec<Part<'_>> = fields.iter().map(|(k, v)| Part::Text(k, v)).collect();
            parts.push(Part::File("jwt.png", &bytes));
            upload_to(&emu, "v2", &parts, false).await
        }
    };
    let refused = |(status, body): (StatusCode, Value), why: &str| {
        assert_error(status, &body, 400);
        assert!(body["message"].as_str().unwrap().contains(why), "expected {why:?}: {body}");
    };
    let token = jwt(PRIVATE, PUBLIC, claims(0, json!({})));
    let (status, body) = go(fields(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filePath"], "/jwt.png");
    assert_eq!(body["name"], "jwt.png");
    refused(go(fields(&token)).await, "already been used");

    // A field whose value differs from its claim.
    let mut f = fields(&jwt(PRIVATE, PUBLIC, claims(1, json!({}))));
    f[1].1 = "a,b,c".into();
    refused(go(f).await, "does not match the token's claim");
    // A claim the request did not send.
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(2, json!({"folder": "/x"}))))).await, "was not sent as a field");
    // A field the token does not cover.
    let mut f = fields(&jwt(PRIVATE, PUBLIC, claims(3, json!({}))));
    f.push(("folder".into(), "/x".into()));
    refused(go(f).await, "is not in the token's claims");
    // A tampered payload: the claim matches the field, the signature no longer does.
    let token = jwt(PRIVATE, PUBLIC, claims(4, json!({})));
    let mut pieces: Vec<String> = token.split('.').map(str::to_owned).collect();
    pieces[1] = URL_SAFE_NO_PAD.encode(claims(4, json!({"tags": "a,b,c"})).to_string());
    let mut f = fields(&pieces.join("."));
    f[1].1 = "a,b,c".into();
    refused(go(f).await, "signature does not match");
    // Signed with the wrong key, the wrong kid, expired, too long-lived, not a JWT.
    refused(go(fields(&jwt("private_other", PUBLIC, claims(5, json!({}))))).await, "signature does not match");
    refused(go(fields(&jwt(PRIVATE, "public_other", claims(6, json!({}))))).await, "kid");
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(700, json!({"exp": iat - 100}))))).await, "expired");
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(7, json!({"exp": iat + 7200}))))).await, "lifetime");
    refused(go(fields("not.a.jwt")).await, "Invalid token");
    refused(go(fields("nodots")).await, "Invalid token");
    // Refused tokens did not store anything.
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Fjwt.png", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["width"], 3);
    // Basic auth works for V2 too, and no auth at all is a 401.
    let (status, body) =
        upload_to(&emu, "v2", &[Part::Text("fileName", "b.png"), Part::File("b.png", &bytes)], true).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        upload_to(&emu, "v2", &[Part::Text("fileName", "b.png"), Part::File("b.png", &bytes)], false).await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn auth_and_malformed_requests() {
    let emu = emulator();
    let bytes = png(2, 2, false);
    let (status, body) =
        upload_to(&emu, "v1", &[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)], false).await;
    assert_error(status, &body, 401);
    assert_eq!(body["message"], "Your request does not contain private API key.");
    let (status, body) = send(&emu, Method::GET, "/v1/files/abc/details", &[], Vec::new()).await;
    assert_error(status, &body, 401);
    let wrong = format!("Basic {}", STANDARD.encode("private_wrong:"));
    let (status, body) = send(&emu, Method::GET, "/v1/files/abc/details", &[("authorization", &wrong)], vec![]).await;
    assert_error(status, &body, 401);
    let (status, body) =
        upload_to(&emu, "v1", &[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)], false).await;
    assert_error(status, &body, 401);

    // Malformed multipart: truncated, wrong boundary, not multipart at all.
    let auth = basic();
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut truncated = multipart(&[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)]);
    truncated.truncate(truncated.len() - 30);
    for (ct, body) in [
        (ct.as_str(), truncated),
        ("multipart/form-data; boundary=other", multipart(&[Part::Text("fileName", "a.png")])),
        ("multipart/form-data", b"garbage".to_vec()),
        ("application/json", b"{\"fileName\":\"a.png\"}".to_vec()),
        (ct.as_str(), Vec::new()),
    ] {
        let (status, body) =
            send(&emu, Method::POST, "/api/v1/files/upload", &[("content-type", ct), ("authorization", &auth)], body)
                .await;
        assert_error(status, &body, 400);
    }
    // Missing fileName, missing file.
    let (status, body) = upload(&emu, &[Part::File("a.png", &bytes)]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("fileName"));
    let (status, body) = upload(&emu, &[Part::Text("fileName", "a.png")]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("file"));
    // Malformed JSON bodies elsewhere.
    let (status, body) = send(
        &emu,
        Method::PATCH,
        "/v1/files/abc/details",
        &[("authorization", &auth), ("content-type", "application/json")],
        b"{not json".to_vec(),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(json!({"sourceFilePath": 5}))).await;
    assert_error(status, &body, 400);
}
