use http::StatusCode;

use super::plan::{Component, Crop, OutFormat, Plan, aspect_ratio, hex_color, split_path_transformation, split_steps};
use super::render::pixels;
use super::strip_prefix;
use crate::web::ApiError;

fn keys(steps: &[Vec<Component>]) -> Vec<Vec<&str>> {
    steps.iter().map(|s| s.iter().map(|c| c.key.as_str()).collect()).collect()
}

fn no_named(_: &str) -> Result<Option<String>, ApiError> {
    Ok(None)
}

#[test]
fn splits_steps_components_and_layers() {
    let steps = split_steps("w-300,h-200:rt-90,e-sharpen-10,l-text,i-Hi,co-red:fs-32,l-end,q-50");
    assert_eq!(keys(&steps), vec![vec!["w", "h"], vec!["rt", "e-sharpen", "l-text", "q"]]);
    assert_eq!(steps[1][1].value, "10");
    assert_eq!(split_steps("ar-4-3")[0][0], Component { key: "ar".into(), value: "4-3".into() });
    assert_eq!(keys(&split_steps("e-grayscale,,:")), vec![vec!["e-grayscale"]]);
    assert!(split_steps("").is_empty());
}

#[test]
fn parses_plans_and_reports_ignored_keys() {
    let plan = Plan::parse("w-0.5,h-100,c-at_max,f-webp,q-70,fo-face,z-0.5:rt--90,fl-h_v,foo", &no_named).unwrap();
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(plan.steps[0].w, Some(0.5));
    assert_eq!(plan.steps[0].crop, Some(Crop::AtMax));
    assert_eq!(plan.steps[1].rotate, 270);
    assert!(plan.steps[1].flip_h && plan.steps[1].flip_v);
    assert_eq!(plan.format, Some(Some(OutFormat::Webp)));
    assert_eq!(plan.quality, Some(70));
    assert_eq!(plan.ignored, vec!["fo", "z", "foo"]);
    let plan = Plan::parse("w-abc,rt-45,c-weird,n-unknown", &no_named).unwrap();
    assert_eq!(plan.ignored, vec!["w", "rt", "c", "n"]);
}

#[test]
fn expands_named_transformations() {
    let named = |n: &str| Ok(if n == "thumb" { Some("w-10,h-10:rt-90".to_owned()) } else { None });
    let plan = Plan::parse("n-thumb:f-png", &named).unwrap();
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(plan.format, Some(Some(OutFormat::Png)));
    assert_eq!(plan.steps[0].w, Some(10.0));
    assert_eq!(plan.steps[1].rotate, 90);
    let disabled = |_: &str| Err(ApiError::bad_request("disabled"));
    assert!(Plan::parse("n-x", &disabled).is_err());
}

#[test]
fn colors_and_ratios() {
    assert_eq!(hex_color("FF000080"), Some([255, 0, 0, 128]));
    assert_eq!(hex_color("00ff00"), Some([0, 255, 0, 255]));
    assert_eq!(hex_color("red"), None);
    assert_eq!(aspect_ratio("16-9"), Some(16.0 / 9.0));
    assert_eq!(aspect_ratio("16"), None);
}

#[test]
fn paths() {
    assert_eq!(strip_prefix("/emulator/a.jpg", "/emulator"), Some("/a.jpg"));
    assert_eq!(strip_prefix("/emulatorx/a.jpg", "/emulator"), None);
    assert_eq!(split_path_transformation("/tr:w-1/a/b.jpg"), (Some("w-1"), "/a/b.jpg"));
    assert_eq!(split_path_transformation("/a/tr:w-1/b.jpg"), (None, "/a/tr:w-1/b.jpg"));
}

#[test]
fn dimension_limits() {
    assert_eq!(pixels(0.2, "width").unwrap(), 1);
    assert_eq!(pixels(10_000.0, "width").unwrap(), 10_000);
    assert_eq!(pixels(10_001.0, "width").unwrap_err().status, StatusCode::BAD_REQUEST);
    assert!(pixels(f64::INFINITY, "width").is_err());
}
