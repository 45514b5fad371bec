//! Path and query encoding, as the official SDK does it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::Error;

/// Everything outside RFC 3986 `pchar` is escaped: the unreserved set plus
/// `!$&'()*+,;=:@` stay as they are.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// JavaScript's `encodeURIComponent`: escapes all but `A-Za-z0-9-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Encode one path parameter; empty, `.` and `..` are refused because they
/// would address a different resource.
pub(crate) fn path_param(name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidInput(format!("path parameter `{name}` must not be {value:?}")));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// Append `key=value` pairs, `encodeURIComponent`-encoded and `&`-joined.
pub(crate) fn append_query(out: &mut String, pairs: &[(String, String)]) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.extend(utf8_percent_encode(k, URI_COMPONENT));
        out.push('=');
        out.extend(utf8_percent_encode(v, URI_COMPONENT));
    }
}

/// Turn a serializable query struct into ordered pairs: strings as they are,
/// numbers in decimal, booleans as `true`/`false`, `null` as an empty value.
pub(crate) fn query_pairs<T: serde::Serialize>(query: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(query).map_err(|e| Error::encode("the query parameters", e))?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::InvalidInput("query parameters must be an object".into()));
    };
    map.into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                other => return Err(Error::InvalidInput(format!("query parameter `{k}` cannot be {other}"))),
            };
            Ok((k, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_escape_outside_pchar() {
        // The spec's example.
        assert_eq!(path_param("id", "id with space/slash?#&é").unwrap(), "id%20with%20space%2Fslash%3F%23&%C3%A9");
        assert_eq!(path_param("id", "a:b@c!$'()*+,;=-._~").unwrap(), "a:b@c!$'()*+,;=-._~");
        for bad in ["", ".", ".."] {
            assert!(matches!(path_param("fileId", bad), Err(Error::InvalidInput(_))), "{bad:?}");
        }
    }

    #[test]
    fn query_matches_encode_uri_component() {
        let mut s = String::new();
        append_query(
            &mut s,
            &[("path".into(), "/products/summer sale/".into()), ("q".into(), "a&b=c+d \"x\" [y]".into())],
        );
        assert_eq!(s, "?path=%2Fproducts%2Fsummer%20sale%2F&q=a%26b%3Dc%2Bd%20%22x%22%20%5By%5D");
    }
}
