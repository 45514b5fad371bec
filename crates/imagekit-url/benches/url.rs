//! URL building benchmarks. Every iteration builds from fresh options, as a caller would;
//! only the private key (a reusable signer) is prepared once.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use imagekit_url::{
    Overlay, PrivateKey, Transformation, TransformationPosition, UrlOptions, authentication_parameters, build_url,
};

const ENDPOINT: &str = "https://ik.imagekit.io/demo";
const SRC: &str = "/default-image.jpg";
const KEY: &str = "private_key_perf_anchor_0001";
const NOW: u64 = 1_700_000_000;

fn simple(position: TransformationPosition) -> UrlOptions<'static> {
    UrlOptions::new(black_box(SRC))
        .url_endpoint(black_box(ENDPOINT))
        .transformation(Transformation::new().width(300).height(300))
        .position(position)
}

fn benches(c: &mut Criterion) {
    let key = PrivateKey::new(KEY).unwrap();

    c.bench_function("build/simple", |b| b.iter(|| build_url(&simple(TransformationPosition::Path)).unwrap()));
    c.bench_function("build/query", |b| b.iter(|| build_url(&simple(TransformationPosition::Query)).unwrap()));
    c.bench_function("build/signed", |b| {
        b.iter(|| {
            let opts = simple(TransformationPosition::Path).signed(&key).expires_in(300, black_box(NOW));
            build_url(&opts).unwrap()
        })
    });
    c.bench_function("build/chained", |b| {
        b.iter(|| {
            let opts = UrlOptions::new(black_box(SRC))
                .url_endpoint(black_box(ENDPOINT))
                .transformation(
                    Transformation::new().width(400).height(300).crop("maintain_ratio").quality(80).format("webp"),
                )
                .transformation(
                    Transformation::new().rotation(90).blur(10).radius(20).background("FFFFFF").border("5_FF0000"),
                )
                .transformation(
                    Transformation::new().width(600).height(400).quality(90).overlay(
                        Overlay::text("Hello ImageKit")
                            .x(10)
                            .y(20)
                            .transformation(Transformation::new().font_size(40).font_color("FFFFFF").typography("b")),
                    ),
                )
                .position(TransformationPosition::Path);
            build_url(&opts).unwrap()
        })
    });
    // The same options with strict mode: the cost of the checks on top of building.
    c.bench_function("build/chained_strict", |b| {
        b.iter(|| {
            let opts = UrlOptions::new(black_box(SRC))
                .url_endpoint(black_box(ENDPOINT))
                .transformation(
                    Transformation::new().width(400).height(300).crop("maintain_ratio").quality(80).format("webp"),
                )
                .transformation(
                    Transformation::new().rotation(90).blur(10).radius(20).background("FFFFFF").border("5_FF0000"),
                )
                .transformation(
                    Transformation::new().width(600).height(400).quality(90).overlay(
                        Overlay::text("Hello ImageKit")
                            .x(10)
                            .y(20)
                            .transformation(Transformation::new().font_size(40).font_color("FFFFFF").typography("b")),
                    ),
                )
                .position(TransformationPosition::Path)
                .strict();
            build_url(&opts).unwrap()
        })
    });
    c.bench_function("auth_params", |b| {
        b.iter(|| authentication_parameters(&key, black_box("perf-token-0001"), black_box(1_700_001_800)).unwrap())
    });
}

criterion_group!(url, benches);
criterion_main!(url);
