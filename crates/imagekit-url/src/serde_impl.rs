//! `serde` support: the options types deserialize from the official SDK's camelCase JSON,
//! keeping the key order of transformation steps. Inputs the official helper silently drops
//! (an overlay without `type`, text or input; a falsy step) are dropped here too, so a
//! configuration renders exactly as it would in Node.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::build::{TransformationPosition, UrlOptions};
use crate::responsive::ResponsiveOptions;
use crate::transform::{
    LAYER_MODE_SLOT, Overlay, OverlayEncoding, OverlayKind, POSITION_SLOTS, TIMING_SLOTS, Transformation,
};
use crate::value::{Value, write_f64};

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean, null or array")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(String::from(v))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Value<'static>>()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
}

/// Strings, numbers, booleans, `null` and arrays; objects are refused (the official helper
/// would print `[object Object]`).
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, 'a> Deserialize<'de> for Value<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// A `transformation` field: a list of steps; anything else counts as no transformation.
struct Steps(Vec<Transformation<'static>>);

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Steps;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of transformation steps")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Steps, A::Error> {
                let mut steps = Vec::new();
                while let Some(step) = seq.next_element::<Step>()? {
                    if let Some(t) = step.0 {
                        steps.push(t);
                    }
                }
                Ok(Steps(steps))
            }
            // `buildTransformationString` returns "" for a non-array.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Steps, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Steps(Vec::new()))
            }
            fn visit_unit<E>(self) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_none<E>(self) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> Result<Steps, E> {
                Ok(Steps(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One array element: an object, or a falsy value that is skipped.
struct Step(Option<Transformation<'static>>);

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Step;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a transformation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Step, A::Error> {
                TransformationVisitor.visit_map(map).map(|t| Step(Some(t)))
            }
            fn visit_unit<E>(self) -> Result<Step, E> {
                Ok(Step(None))
            }
            fn visit_none<E>(self) -> Result<Step, E> {
                Ok(Step(None))
            }
            // Numbers and booleans have no own keys: they add nothing.
            fn visit_bool<E>(self, _: bool) -> Result<Step, E> {
                Ok(Step(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Step, E> {
                Ok(Step(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Step, E> {
                Ok(Step(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Step, E> {
                Ok(Step(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Step, E> {
                if v.is_empty() { Ok(Step(None)) } else { Err(E::custom("a transformation step must be an object")) }
            }
        }
        d.deserialize_any(V)
    }
}

struct TransformationVisitor;

impl<'de> Visitor<'de> for TransformationVisitor {
    type Value = Transformation<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transformation object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut t = Transformation::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "overlay" => match map.next_value::<OverlayField>()? {
                    OverlayField::Overlay(Some(o)) => t = t.overlay(*o),
                    OverlayField::Overlay(None) | OverlayField::Value(Value::Null) => {}
                    OverlayField::Value(v) => t = t.param(key, v),
                },
                "raw" => {
                    let v: Value<'static> = map.next_value()?;
                    if v != Value::Null {
                        t = t.raw(v);
                    }
                }
                _ => {
                    let v: Value<'static> = map.next_value()?;
                    if v != Value::Null {
                        t = t.param(key, v);
                    }
                }
            }
        }
        Ok(t)
    }
}

/// Deserializes one step from a JSON object; key order is kept.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, 'a> Deserialize<'de> for Transformation<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TransformationVisitor)
    }
}

/// The value of an `overlay` key: an object (a layer, or `None` when the official helper
/// would drop it) or any other value (written as a plain `overlay-…` parameter).
enum OverlayField {
    Overlay(Option<alloc::boxed::Box<Overlay<'static>>>),
    Value(Value<'static>),
}

impl<'de> Deserialize<'de> for OverlayField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OverlayField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an overlay object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OverlayField, A::Error> {
                overlay_from_map(map).map(|o| OverlayField::Overlay(o.map(alloc::boxed::Box::new)))
            }
            // An array is an object in JavaScript, without a `type`: dropped.
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OverlayField, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(OverlayField::Overlay(None))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<OverlayField, E> {
                ValueVisitor.visit_bool(v).map(OverlayField::Value)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<OverlayField, E> {
                ValueVisitor.visit_i64(v).map(OverlayField::Value)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<OverlayField, E> {
                ValueVisitor.visit_u64(v).map(OverlayField::Value)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<OverlayField, E> {
                ValueVisitor.visit_f64(v).map(OverlayField::Value)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OverlayField, E> {
                ValueVisitor.visit_str(v).map(OverlayField::Value)
            }
            fn visit_unit<E>(self) -> Result<OverlayField, E> {
                Ok(OverlayField::Value(Value::Null))
            }
            fn visit_none<E>(self) -> Result<OverlayField, E> {
                Ok(OverlayField::Value(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// Named slots of `position` / `timing`.
fn slots_from<'de, A: MapAccess<'de>, const N: usize>(
    map: &mut A,
    names: [&str; N],
) -> Result<[Option<Value<'static>>; N], A::Error> {
    struct Slots<const N: usize>(Vec<(String, Value<'static>)>);
    impl<'de, const N: usize> Deserialize<'de> for Slots<N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const N: usize>;
            impl<'de, const N: usize> Visitor<'de> for V<N> {
                type Value = Slots<N>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Slots<N>, A::Error> {
                    let mut v = Vec::new();
                    while let Some((k, val)) = m.next_entry::<String, Value<'static>>()? {
                        v.push((k, val));
                    }
                    Ok(Slots(v))
                }
            }
            d.deserialize_map(V::<N>)
        }
    }
    let slots: Slots<N> = map.next_value()?;
    let mut out: [Option<Value<'static>>; N] = core::array::from_fn(|_| None);
    for (k, v) in slots.0 {
        if let Some(i) = names.iter().position(|n| *n == k) {
            out[i] = Some(v);
        }
    }
    Ok(out)
}

fn overlay_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Overlay<'static>>, A::Error> {
    let mut ty = Value::Null;
    let mut text = Value::Null;
    let mut input = Value::Null;
    let mut color = Value::Null;
    let mut encoding = OverlayEncoding::Auto;
    let mut layer_mode = None;
    let mut position = Default::default();
    let mut timing = Default::default();
    let mut steps = Vec::new();
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            "type" => ty = map.next_value()?,
            "text" => text = map.next_value()?,
            "input" => input = map.next_value()?,
            "color" => color = map.next_value()?,
            "encoding" => {
                let v: Value<'static> = map.next_value()?;
                encoding = if v.is_str("plain") {
                    OverlayEncoding::Plain
                } else if v.is_str("base64") {
                    OverlayEncoding::Base64
                } else {
                    OverlayEncoding::Auto
                };
            }
            "layerMode" => layer_mode = Some(map.next_value()?),
            "position" => position = slots_from(&mut map, ["x", "y", "xCenter", "yCenter", "focus", "anchorPoint"])?,
            "timing" => timing = slots_from(&mut map, ["start", "end", "duration"])?,
            "transformation" => steps = map.next_value::<Steps>()?.0,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    if !ty.is_truthy() {
        return Ok(None);
    }
    let js = |v: &Value<'static>| Cow::Owned(v.to_js_string());
    let path = |v: &Value<'static>| match v {
        Value::Str(s) => Ok(Cow::Owned(String::from(&**s))),
        _ => Err(de::Error::custom("overlay input must be a string")),
    };
    let kind = match &ty {
        Value::Str(t) if t == "text" => {
            if !text.is_truthy() {
                return Ok(None);
            }
            OverlayKind::Text(js(&text))
        }
        Value::Str(t) if t == "image" || t == "video" || t == "subtitle" => {
            if !input.is_truthy() {
                return Ok(None);
            }
            let p = path(&input)?;
            match &**t {
                "image" => OverlayKind::Image(p),
                "video" => OverlayKind::Video(p),
                _ => OverlayKind::Subtitle(p),
            }
        }
        Value::Str(t) if t == "solidColor" => {
            if !color.is_truthy() {
                return Ok(None);
            }
            OverlayKind::SolidColor(js(&color))
        }
        other => OverlayKind::Other(js(other)),
    };
    let mut o = Overlay::new(kind).encoding(encoding);
    if let Some(v) = layer_mode {
        o.set_slot(LAYER_MODE_SLOT, v);
    }
    let position: [Option<Value<'static>>; 6] = position;
    let timing: [Option<Value<'static>>; 3] = timing;
    for (i, v) in position.into_iter().enumerate() {
        if let Some(v) = v {
            o.set_slot(POSITION_SLOTS + i, v);
        }
    }
    for (i, v) in timing.into_iter().enumerate() {
        if let Some(v) = v {
            o.set_slot(TIMING_SLOTS + i, v);
        }
    }
    o.layer.transformation = steps.into();
    Ok(Some(o))
}

/// `parseInt(String(n))` for a positive number (so `1.9` → 1, `5e-7` → 5).
fn js_parse_int(n: f64) -> u64 {
    let mut s = String::new();
    write_f64(&mut s, n);
    s.bytes().take_while(u8::is_ascii_digit).fold(0u64, |a, b| a.saturating_mul(10).saturating_add(u64::from(b - b'0')))
}

struct SrcVisitor {
    responsive: bool,
}

impl<'de> Visitor<'de> for SrcVisitor {
    type Value = ResponsiveOptions<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SrcOptions object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut r = ResponsiveOptions::default();
        let mut position = None;
        while let Some(key) = map.next_key::<String>()? {
            let o = &mut r.url;
            match key.as_str() {
                "src" => o.src = Cow::Owned(opt_string(map.next_value()?)),
                "urlEndpoint" => o.url_endpoint = Cow::Owned(opt_string(map.next_value()?)),
                "transformation" => o.transformation = map.next_value::<Steps>()?.0.into(),
                "transformationPosition" => position = Some(map.next_value::<Value<'static>>()?),
                "queryParameters" => {
                    let q: Option<QueryParams> = map.next_value()?;
                    o.query_parameters = q.map(|q| q.0).unwrap_or_default();
                }
                "signed" => o.signed = map.next_value::<Value<'static>>()? == Value::Bool(true),
                "expiresIn" => {
                    let v: Value<'static> = map.next_value()?;
                    let n = match v {
                        Value::Int(i) => i as f64,
                        Value::Float(f) => f,
                        Value::Null => 0.0,
                        _ => return Err(de::Error::custom("expiresIn must be a number")),
                    };
                    if n > 0.0 {
                        o.signed = true;
                        o.expires_in = js_parse_int(n);
                    }
                }
                "width" if self.responsive => r.width = map.next_value()?,
                "sizes" if self.responsive => r.sizes = map.next_value::<Option<String>>()?.map(Cow::Owned),
                "deviceBreakpoints" if self.responsive => r.device_breakpoints = map.next_value()?,
                "imageBreakpoints" if self.responsive => r.image_breakpoints = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // Only "query" (or nothing) means query; any other value means path.
        r.url.position = match position {
            None => TransformationPosition::Query,
            Some(v) if !v.is_truthy() || v.is_str("query") => TransformationPosition::Query,
            Some(_) => TransformationPosition::Path,
        };
        Ok(r)
    }
}

fn opt_string(v: Option<String>) -> String {
    v.unwrap_or_default()
}

struct QueryParams(Vec<(Cow<'static, str>, Value<'static>)>);

impl<'de> Deserialize<'de> for QueryParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = QueryParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of query parameters")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<QueryParams, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = m.next_entry::<String, Value<'static>>()? {
                    v.push((Cow::Owned(k), val));
                }
                Ok(QueryParams(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Deserializes the official `SrcOptions` (`src`, `urlEndpoint`, `transformation`,
/// `transformationPosition`, `queryParameters`, `signed`, `expiresIn`). The private key is
/// never part of the JSON: add it with [`UrlOptions::private_key`], and the clock with
/// [`UrlOptions::now`] (or let `std` read it).
///
/// ```
/// use imagekit_url::{build_url, UrlOptions};
///
/// let json = r#"{"src":"/a.jpg","urlEndpoint":"https://ik.imagekit.io/demo",
///               "transformation":[{"height":300,"width":400}],"transformationPosition":"path"}"#;
/// let opts: UrlOptions = serde_json::from_str(json).unwrap();
/// assert_eq!(build_url(&opts).unwrap(), "https://ik.imagekit.io/demo/tr:h-300,w-400/a.jpg");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, 'a> Deserialize<'de> for UrlOptions<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SrcVisitor { responsive: false }).map(|r| r.url)
    }
}

/// Deserializes `SrcOptions` plus `width`, `sizes`, `deviceBreakpoints`, `imageBreakpoints`.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, 'a> Deserialize<'de> for ResponsiveOptions<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SrcVisitor { responsive: true })
    }
}

/// Deserializes an overlay object (`type`, `text`/`input`/`color`, `encoding`, `layerMode`,
/// `position`, `timing`, `transformation`). One the official helper would drop is an error
/// here, since there is no step to drop it from.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de, 'a> Deserialize<'de> for Overlay<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Overlay<'static>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an overlay object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                overlay_from_map(map)?.ok_or_else(|| de::Error::custom("overlay has no type, text, input or color"))
            }
        }
        d.deserialize_map(V)
    }
}
