//! Every response model from arbitrary bytes: parsing never panics, and what
//! parses serializes to JSON that parses back to the same value.
#![no_main]

use imagekit_types::*;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(v) = serde_json::from_slice::<T>(data) {
        let json = serde_json::to_vec(&v).expect("a parsed model serializes");
        let again: T = serde_json::from_slice(&json).expect("a serialized model parses");
        assert_eq!(again, v);
    }
}

/// A `LazyObject` accepts exactly what an eager `Object` accepts, and reads the same.
fn check_lazy(data: &[u8]) {
    let lazy = serde_json::from_slice::<LazyObject>(data);
    let eager = serde_json::from_slice::<Object>(data);
    match (lazy, eager) {
        (Ok(lazy), Ok(eager)) => assert_eq!(lazy.as_object(), &eager),
        (Err(_), Err(_)) => {}
        (lazy, eager) => panic!("lazy {lazy:?} but eager {eager:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check_lazy(data);
    check::<File>(data);
    check::<FileUpdateResponse>(data);
    check::<FileUploadResponse>(data);
    check::<Vec<Asset>>(data);
    check::<Metadata>(data);
    check::<CustomMetadataField>(data);
    check::<SavedExtension>(data);
    check::<NamedTransformation>(data);
    check::<Job>(data);
    check::<PurgeStatus>(data);
    check::<OriginResponse>(data);
    check::<UrlEndpointResponse>(data);
    check::<Usage>(data);
    check::<UsageAnalytics>(data);
    check::<ErrorBody>(data);
    check::<WebhookEvent>(data);
    check::<UpdateFileRequest>(data);
    check::<UploadParams>(data);
});
