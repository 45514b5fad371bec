//! The literal unions of video transformation webhook events: codecs, output
//! formats, streaming protocols and failure reasons, as the official models list
//! them. Open enums: a value added by the API later is kept in `Unknown`.

open_enum! {
    /// `options.video_codec` of a video transformation.
    ///
    /// ```
    /// use imagekit_types::VideoCodec;
    /// assert_eq!(VideoCodec::from("av1"), VideoCodec::Av1);
    /// assert_eq!(VideoCodec::from("h265"), VideoCodec::Unknown("h265".into()));
    /// ```
    pub enum VideoCodec {
        /// H.264 / AVC.
        H264 = "h264",
        /// VP9.
        Vp9 = "vp9",
        /// AV1.
        Av1 = "av1",
    }
}

open_enum! {
    /// `options.audio_codec` of a video transformation.
    pub enum AudioCodec {
        /// AAC.
        Aac = "aac",
        /// Opus.
        Opus = "opus",
    }
}

open_enum! {
    /// `options.format` of a video transformation: a video container, or an image
    /// format for thumbnails.
    pub enum VideoFormat {
        /// MP4.
        Mp4 = "mp4",
        /// WebM.
        Webm = "webm",
        /// JPEG (thumbnails).
        Jpg = "jpg",
        /// PNG (thumbnails).
        Png = "png",
        /// WebP (thumbnails).
        Webp = "webp",
    }
}

open_enum! {
    /// `options.stream_protocol` of an adaptive bitrate streaming transformation
    /// (upper case here; an upload's `abs` post-transformation writes it lower
    /// case, see `StreamProtocol`).
    pub enum StreamingProtocol {
        /// HTTP Live Streaming.
        Hls = "HLS",
        /// MPEG-DASH.
        Dash = "DASH",
    }
}

open_enum! {
    /// `error.reason` of a failed video transformation.
    pub enum VideoErrorReason {
        /// The output could not be encoded.
        EncodingFailed = "encoding_failed",
        /// The source could not be downloaded.
        DownloadFailed = "download_failed",
        /// ImageKit failed internally.
        InternalServerError = "internal_server_error",
    }
}
