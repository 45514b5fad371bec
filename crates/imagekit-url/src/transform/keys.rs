//! The v7 option → URL key table and the value rule each URL key follows.

/// How a resolved URL key treats its value (spec §2.2 "special value rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `key-value`.
    Plain,
    /// `true`, `"true"` or `"-"` emit the bare key; anything else drops the component.
    Flag,
    /// `true`, `"true"` or a blank string emit the bare key; anything else is `key-value`.
    Optional,
    /// `di`/`ff`: strip one leading and one trailing `/`, then `/` → `@@`.
    PathLike,
    /// `sr`: a list is joined with `_`.
    Sr,
    /// `t`: a blank value becomes `true`.
    Trim,
}

/// The rule is decided by the *resolved* key, so raw keys such as `e-grayscale` follow it too.
pub(crate) fn rule_for(key: &str) -> Rule {
    match key {
        "e-grayscale" | "e-contrast" | "e-removedotbg" | "e-bgremove" | "e-upscale" | "e-retouch" | "e-genvar" => {
            Rule::Flag
        }
        "e-sharpen" | "e-shadow" | "e-gradient" | "e-usm" | "e-dropshadow" => Rule::Optional,
        "di" | "ff" => Rule::PathLike,
        "sr" => Rule::Sr,
        "t" => Rule::Trim,
        _ => Rule::Plain,
    }
}

/// The v7 `supportedTransforms` table (option key → URL key).
pub(crate) const TABLE: &[(&str, &str)] = &[
    ("width", "w"),
    ("height", "h"),
    ("aspectRatio", "ar"),
    ("background", "bg"),
    ("border", "b"),
    ("crop", "c"),
    ("cropMode", "cm"),
    ("dpr", "dpr"),
    ("focus", "fo"),
    ("quality", "q"),
    ("x", "x"),
    ("xCenter", "xc"),
    ("y", "y"),
    ("yCenter", "yc"),
    ("format", "f"),
    ("videoCodec", "vc"),
    ("audioCodec", "ac"),
    ("radius", "r"),
    ("rotation", "rt"),
    ("blur", "bl"),
    ("named", "n"),
    ("defaultImage", "di"),
    ("flip", "fl"),
    ("original", "orig"),
    ("startOffset", "so"),
    ("endOffset", "eo"),
    ("duration", "du"),
    ("streamingResolutions", "sr"),
    ("grayscale", "e-grayscale"),
    ("aiUpscale", "e-upscale"),
    ("aiRetouch", "e-retouch"),
    ("aiVariation", "e-genvar"),
    ("aiDropShadow", "e-dropshadow"),
    ("aiChangeBackground", "e-changebg"),
    ("aiRemoveBackground", "e-bgremove"),
    ("aiRemoveBackgroundExternal", "e-removedotbg"),
    ("aiEdit", "e-edit"),
    ("contrastStretch", "e-contrast"),
    ("shadow", "e-shadow"),
    ("sharpen", "e-sharpen"),
    ("unsharpMask", "e-usm"),
    ("gradient", "e-gradient"),
    ("colorReplace", "cr"),
    ("colorize", "e-colorize"),
    ("distort", "e-distort"),
    ("progressive", "pr"),
    ("lossless", "lo"),
    ("colorProfile", "cp"),
    ("metadata", "md"),
    ("opacity", "o"),
    ("trim", "t"),
    ("zoom", "z"),
    ("page", "pg"),
    ("fontSize", "fs"),
    ("fontFamily", "ff"),
    ("fontColor", "co"),
    ("innerAlignment", "ia"),
    ("padding", "pa"),
    ("alpha", "al"),
    ("typography", "tg"),
    ("lineHeight", "lh"),
    ("fontOutline", "fol"),
    ("fontShadow", "fsh"),
    ("color", "co"),
    ("raw", "raw"),
];

/// `table[key] || table[key.toLowerCase()]`: the official key lookup, with its lower-case
/// fallback (`Width` → `w`, but `AspectRatio` does not map).
pub fn url_key(option_key: &str) -> Option<&'static str> {
    url_key_id(option_key).map(|i| TABLE[i as usize].1)
}

/// [`url_key`] as an index into the table.
pub(super) fn url_key_id(option_key: &str) -> Option<u32> {
    let find = |k: &str| TABLE.iter().position(|(o, _)| *o == k).map(|i| i as u32);
    find(option_key).or_else(|| {
        if option_key.chars().any(|c| !c.is_ascii_lowercase()) { find(&option_key.to_lowercase()) } else { None }
    })
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The table index of a URL key, at compile time (the setters' keys are all in the table).
pub(super) const fn key_id(url_key: &str) -> u32 {
    let mut i = 0;
    while i < TABLE.len() {
        if str_eq(TABLE[i].1, url_key) {
            return i as u32;
        }
        i += 1;
    }
    panic!("URL key missing from the table")
}

/// Marks a key that lives in the step's store (a key the table does not know).
pub(crate) const CUSTOM_KEY: u32 = 1 << 31;
