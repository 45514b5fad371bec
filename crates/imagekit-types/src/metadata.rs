//! Image and video metadata (`GET /v1/files/{fileId}/metadata`, `GET /v1/metadata`
//! and the `metadata` of an upload response).

use serde::{Deserialize, Serialize};

use crate::Object;

/// Technical metadata of a file.
///
/// ```
/// let m: imagekit_types::Metadata =
///     serde_json::from_str(r#"{"height":68,"width":100,"format":"jpg","pHash":"f0d9","exif":{"image":{"Make":"Canon"}}}"#)?;
/// assert_eq!(m.width, Some(100));
/// assert_eq!(m.exif.unwrap().image.unwrap().make.as_deref(), Some("Canon"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Metadata {
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub height: Option<u64>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub width: Option<u64>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub size: Option<u64>,
    /// The format (`jpg`, `png`, `mp4`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Whether an ICC colour profile is embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_color_profile: Option<bool>,
    /// JPEG quality.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub quality: Option<u64>,
    /// Pixel density (DPI).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub density: Option<u64>,
    /// Whether the image has transparent pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_transparency: Option<bool>,
    /// Perceptual hash, hex (see `imagekit-url`'s pHash distance).
    #[serde(rename = "pHash", default, skip_serializing_if = "Option::is_none")]
    pub p_hash: Option<String>,
    /// Video/audio bit rate.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub bit_rate: Option<u64>,
    /// Video/audio duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::num::opt_u64")]
    pub duration: Option<u64>,
    /// Audio codec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// EXIF data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exif: Option<Exif>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// EXIF data, grouped as ImageKit groups it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Exif {
    /// IFD0 tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ExifImage>,
    /// IFD1 (thumbnail) tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<ExifThumbnail>,
    /// EXIF sub-IFD tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exif: Option<ExifDetails>,
    /// GPS tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gps: Option<ExifGps>,
    /// Interoperability tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interoperability: Option<ExifInteroperability>,
    /// Maker notes, free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub makernote: Option<Object>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Object,
}

/// Declares a struct of optional EXIF tags (PascalCase on the wire) plus `extra`.
/// Numbers are kept as `serde_json::Number`, exactly as written.
macro_rules! exif_struct {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:tt = $wire:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                #[doc = concat!("The `", $wire, "` tag.")]
                #[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<exif_struct!(@ty $ty)>,
            )*
            /// Tags this version of the crate does not know.
            #[serde(flatten)]
            pub extra: Object,
        }
    };
    (@ty num) => { serde_json::Number };
    (@ty text) => { String };
    (@ty nums) => { Vec<serde_json::Number> };
}

exif_struct! {
    /// IFD0 tags.
    ExifImage {
        make: text = "Make", model: text = "Model", orientation: num = "Orientation",
        x_resolution: num = "XResolution", y_resolution: num = "YResolution",
        resolution_unit: num = "ResolutionUnit", software: text = "Software",
        modify_date: text = "ModifyDate", y_cb_cr_positioning: num = "YCbCrPositioning",
        exif_offset: num = "ExifOffset", gps_info: num = "GPSInfo", artist: text = "Artist",
        copyright: text = "Copyright", image_description: text = "ImageDescription",
    }
}

exif_struct! {
    /// IFD1 (thumbnail) tags.
    ExifThumbnail {
        compression: num = "Compression", x_resolution: num = "XResolution",
        y_resolution: num = "YResolution", resolution_unit: num = "ResolutionUnit",
        thumbnail_offset: num = "ThumbnailOffset", thumbnail_length: num = "ThumbnailLength",
    }
}

exif_struct! {
    /// EXIF sub-IFD tags.
    ExifDetails {
        exposure_time: num = "ExposureTime", f_number: num = "FNumber",
        exposure_program: num = "ExposureProgram", iso: num = "ISO", exif_version: text = "ExifVersion",
        date_time_original: text = "DateTimeOriginal", create_date: text = "CreateDate",
        shutter_speed_value: num = "ShutterSpeedValue", aperture_value: num = "ApertureValue",
        brightness_value: num = "BrightnessValue", exposure_compensation: num = "ExposureCompensation",
        max_aperture_value: num = "MaxApertureValue", metering_mode: num = "MeteringMode",
        light_source: num = "LightSource", flash: num = "Flash", focal_length: num = "FocalLength",
        sub_sec_time: text = "SubSecTime", flashpix_version: text = "FlashpixVersion",
        color_space: num = "ColorSpace", exif_image_width: num = "ExifImageWidth",
        exif_image_height: num = "ExifImageHeight", interop_offset: num = "InteropOffset",
        focal_plane_x_resolution: num = "FocalPlaneXResolution",
        focal_plane_y_resolution: num = "FocalPlaneYResolution",
        focal_plane_resolution_unit: num = "FocalPlaneResolutionUnit",
        sensing_method: num = "SensingMethod", scene_type: text = "SceneType",
        custom_rendered: num = "CustomRendered", exposure_mode: num = "ExposureMode",
        white_balance: num = "WhiteBalance", focal_length_in_35mm_format: num = "FocalLengthIn35mmFormat",
        scene_capture_type: num = "SceneCaptureType", lens_model: text = "LensModel",
        user_comment: text = "UserComment",
    }
}

exif_struct! {
    /// GPS tags.
    ExifGps {
        gps_version_id: nums = "GPSVersionID", gps_latitude_ref: text = "GPSLatitudeRef",
        gps_latitude: nums = "GPSLatitude", gps_longitude_ref: text = "GPSLongitudeRef",
        gps_longitude: nums = "GPSLongitude", gps_altitude_ref: num = "GPSAltitudeRef",
        gps_altitude: num = "GPSAltitude", gps_time_stamp: nums = "GPSTimeStamp",
        gps_date_stamp: text = "GPSDateStamp", gps_img_direction_ref: text = "GPSImgDirectionRef",
        gps_img_direction: num = "GPSImgDirection",
    }
}

exif_struct! {
    /// Interoperability tags.
    ExifInteroperability {
        interop_index: text = "InteropIndex", interop_version: text = "InteropVersion",
    }
}
