//! The names ImageKit stores: how the service rewrites the file name and the
//! folder path an upload (or a rename) gives it.
//!
//! The SDK's `imagekit sync` compares local files with these names, and the
//! emulator stores files under them, so both agree on one rule.

/// The file name ImageKit stores for `name`: letters and digits (any script),
/// `.`, `_` and `-` stay; every other character becomes `_`. Surrounding
/// whitespace is dropped first.
///
/// ```
/// use imagekit_types::stored_file_name;
/// assert_eq!(stored_file_name("my photo (1).png"), "my_photo__1_.png");
/// assert_eq!(stored_file_name("été-ü_ß.png"), "été-ü_ß.png");
/// ```
pub fn stored_file_name(name: &str) -> String {
    name.trim().chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

/// The folder ImageKit stores for `folder` (`a/b`, `/a/b/`, `/`), in its
/// canonical form with a leading and a trailing slash (`/` for the root).
/// Empty segments are dropped; inside a segment, letters, digits (any script),
/// `_` and `-` stay and every other character becomes `_`.
///
/// ```
/// use imagekit_types::stored_folder;
/// assert_eq!(stored_folder("photos/c d"), "/photos/c_d/");
/// assert_eq!(stored_folder("//"), "/");
/// ```
pub fn stored_folder(folder: &str) -> String {
    let mut out = String::from("/");
    for seg in folder.split('/').map(str::trim).filter(|s| !s.is_empty()) {
        out.extend(seg.chars().map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-') { c } else { '_' }));
        out.push('/');
    }
    out
}

/// The file path ImageKit stores for a file `name` uploaded into `folder`:
/// [`stored_folder`] followed by [`stored_file_name`].
///
/// ```
/// use imagekit_types::stored_file_path;
/// assert_eq!(stored_file_path("/photos/c", "my photo (1).png"), "/photos/c/my_photo__1_.png");
/// ```
pub fn stored_file_path(folder: &str, name: &str) -> String {
    let mut path = stored_folder(folder);
    path.push_str(&stored_file_name(name));
    path
}
