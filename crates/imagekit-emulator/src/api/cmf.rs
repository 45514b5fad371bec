//! Custom metadata fields (`/v1/customMetadataFields`), and the validation of
//! `customMetadata` values that uploads and file updates run:
//! [`validate_custom_metadata`] and [`check_required`].
//!
//! Fields are documents of [`Collection::CustomMetadataFields`] holding the
//! [`CustomMetadataField`] JSON. Deleting one is a soft delete: its name stays
//! taken forever, as on ImageKit.
//!
//! The reserved field [`ORIGINAL_CREATION_DATE_FIELD`] (`reserved: true`, a
//! `Date` labelled "Original creation date") exists once the dashboard setting
//! is on: here, with [`EmulatorBuilder::original_creation_date_field`]
//! (see [`ensure_original_creation_date_field`]). Its name cannot be used for a
//! new field and it cannot be deleted (400s).
//!
//! [`EmulatorBuilder::original_creation_date_field`]: crate::EmulatorBuilder::original_creation_date_field

use imagekit_types::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, FieldSchema, FieldType, ORIGINAL_CREATION_DATE_FIELD,
    Object, Scalar, ScalarOrList, Value,
};
use serde_json::json;

use crate::dates::parse_iso_millis;
use crate::model::Doc;
use crate::state::State;
use crate::store::{Collection, Db, Store};
use crate::web::{ApiError, ApiResult, Req, Resp};

const C: Collection = Collection::CustomMetadataFields;

/// Longest description accepted.
const MAX_DESCRIPTION: usize = 500;

fn field_of(doc: &Doc) -> Option<CustomMetadataField> {
    serde_json::from_value(doc.value.clone()).ok()
}

/// The fields not deleted, in creation order.
fn live_fields(db: &Db) -> impl Iterator<Item = CustomMetadataField> + '_ {
    db.docs(C).filter(|d| !d.deleted).filter_map(field_of)
}

/// A 400 whose body names the offending field in `errors`.
fn invalid(field: &str, reason: impl Into<String>) -> ApiError {
    let reason = reason.into();
    ApiError::bad_request(format!("Invalid value for {field}: {reason}")).with("errors", json!({ field: reason }))
}

// ---------------------------------------------------------------------------
// Values

/// Check custom metadata `values` (an upload's or a file update's
/// `customMetadata`) against the fields defined in `db`:
///
/// - every key must name an existing, not deleted field, else 400 naming it;
/// - every value must fit the field's schema: its type (string for `Text`,
///   `Textarea` and `Date`, number for `Number`, boolean for `Boolean`, one of
///   `selectOptions` for `SingleSelect`, an array of options for
///   `MultiSelect`), `minLength`/`maxLength` (characters), `minValue`/`maxValue`
///   (numbers, or ISO-8601 dates for `Date`);
/// - `null` unsets a value and is allowed, except for a field with
///   `isValueRequired`, which cannot be unset.
///
/// It does not check that required fields are present: uploads call
/// [`check_required`] as well. The 400 carries `errors: {key: reason}`.
pub fn validate_custom_metadata(db: &Db, values: &Object) -> Result<(), ApiError> {
    for (key, value) in values {
        let field = live_fields(db).find(|f| &f.name == key).ok_or_else(|| {
            ApiError::bad_request(format!("Custom metadata field `{key}` does not exist."))
                .with("errors", json!({ key: "field does not exist" }))
        })?;
        if value.is_null() {
            if field.schema.is_value_required == Some(true) {
                return Err(ApiError::bad_request(format!(
                    "Custom metadata field `{key}` is required; it cannot be unset."
                ))
                .with("errors", json!({ key: "value is required" })));
            }
            continue;
        }
        check_value(&field.schema, value).map_err(|reason| {
            ApiError::bad_request(format!("Invalid value for custom metadata field `{key}`: {reason}."))
                .with("errors", json!({ key: reason }))
        })?;
    }
    Ok(())
}

/// Check that `values` (an upload's `customMetadata`, after
/// [`validate_custom_metadata`]) sets every field marked `isValueRequired` to a
/// value other than `null`; otherwise 400 naming the missing fields in `errors`.
pub fn check_required(db: &Db, values: &Object) -> Result<(), ApiError> {
    let missing: Vec<String> = live_fields(db)
        .filter(|f| f.schema.is_value_required == Some(true))
        .filter(|f| values.get(&f.name).is_none_or(Value::is_null))
        .map(|f| f.name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let errors: Object = missing.iter().map(|n| (n.clone(), Value::from("value is required"))).collect();
    Err(ApiError::bad_request(format!("Missing value for required custom metadata field(s): {}.", missing.join(", ")))
        .with("errors", Value::Object(errors)))
}

/// Give every required field missing from `values` its `defaultValue`
/// (service-facts §5): an upload that sends no `customMetadata` gets the
/// defaults of the required fields rather than a 400.
pub fn fill_required_defaults(db: &Db, values: &mut Object) {
    for field in live_fields(db).filter(|f| f.schema.is_value_required == Some(true)) {
        if values.get(&field.name).is_some_and(|v| !v.is_null()) {
            continue;
        }
        let default = match &field.schema.default_value {
            Some(ScalarOrList::One(s)) => Value::from(s.clone()),
            Some(ScalarOrList::List(l)) => Value::Array(l.iter().cloned().map(Value::from).collect()),
            // No usable default: `check_required` answers the 400.
            _ => continue,
        };
        values.insert(field.name, default);
    }
}

fn scalar_matches(option: &Scalar, v: &Value) -> bool {
    match (option, v) {
        (Scalar::String(a), Value::String(b)) => a == b,
        (Scalar::Bool(a), Value::Bool(b)) => a == b,
        (Scalar::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => false,
    }
}

fn bound_number(b: &Option<Scalar>) -> Option<f64> {
    b.as_ref().and_then(Scalar::as_f64)
}

fn bound_date(b: &Option<Scalar>) -> Option<i64> {
    b.as_ref().and_then(Scalar::as_str).and_then(parse_iso_millis)
}

fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s }
}

/// Whether `v` (not null) fits `schema`; the reason when it does not.
fn check_value(schema: &FieldSchema, v: &Value) -> Result<(), String> {
    let options = schema.select_options.as_deref().unwrap_or_default();
    let in_options = |x: &Value| options.iter().any(|o| scalar_matches(o, x));
    match schema.kind.as_ref() {
        Some(FieldType::Text | FieldType::Textarea) => {
            let s = v.as_str().ok_or("must be a string")?;
            let n = s.chars().count() as f64;
            if let Some(min) = schema.min_length
                && n < min
            {
                return Err(format!("must be at least {min} characters long"));
            }
            if let Some(max) = schema.max_length
                && n > max
            {
                return Err(format!("must be at most {max} characters long"));
            }
        }
        Some(FieldType::Number) => {
            let x = v.as_f64().ok_or("must be a number")?;
            if let Some(min) = bound_number(&schema.min_value)
                && x < min
            {
                return Err(format!("must be at least {min}"));
            }
            if let Some(max) = bound_number(&schema.max_value)
                && x > max
            {
                return Err(format!("must be at most {max}"));
            }
        }
        Some(FieldType::Date) => {
            let t = v.as_str().and_then(parse_iso_millis).ok_or("must be an ISO-8601 date")?;
            if let Some(min) = bound_date(&schema.min_value)
                && t < min
            {
                return Err(format!(
                    "must not be before {}",
                    schema.min_value.as_ref().and_then(Scalar::as_str).unwrap_or("")
                ));
            }
            if let Some(max) = bound_date(&schema.max_value)
                && t > max
            {
                return Err(format!(
                    "must not be after {}",
                    schema.max_value.as_ref().and_then(Scalar::as_str).unwrap_or("")
                ));
            }
        }
        Some(FieldType::Boolean) => {
            if !v.is_boolean() {
                return Err("must be a boolean".into());
            }
        }
        Some(FieldType::SingleSelect) => {
            if !in_options(v) {
                return Err(format!("{} is not one of the select options", describe(v)));
            }
        }
        Some(FieldType::MultiSelect) => {
            let items = v.as_array().ok_or("must be an array of select options")?;
            if let Some(bad) = items.iter().find(|x| !in_options(x)) {
                return Err(format!("{} is not one of the select options", describe(bad)));
            }
        }
        // `Unknown`, and any type a later imagekit-types names.
        Some(other) => return Err(format!("the field has an unsupported type {other}")),
        None => return Err("the field has no type".into()),
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Schemas

/// Validate a whole schema (on create, and after an update is merged in).
fn validate_schema(schema: &FieldSchema) -> Result<(), ApiError> {
    let kind = match &schema.kind {
        None => return Err(invalid("schema.type", "is required")),
        Some(FieldType::Unknown(t)) => {
            return Err(invalid(
                "schema.type",
                format!("`{t}` is not one of Text, Textarea, Number, Date, Boolean, SingleSelect, MultiSelect"),
            ));
        }
        Some(k) => k.clone(),
    };
    let select = matches!(kind, FieldType::SingleSelect | FieldType::MultiSelect);
    let text = matches!(kind, FieldType::Text | FieldType::Textarea);
    let ranged = matches!(kind, FieldType::Number | FieldType::Date);
    match (&schema.select_options, select) {
        (None, true) => return Err(invalid("schema.selectOptions", format!("is required for type {kind}"))),
        (Some(o), true) if o.is_empty() => return Err(invalid("schema.selectOptions", "must not be empty")),
        (Some(_), false) => {
            return Err(invalid(
                "schema.selectOptions",
                format!("is allowed only for SingleSelect and MultiSelect, not {kind}"),
            ));
        }
        _ => {}
    }
    if !ranged {
        for (name, b) in [("schema.minValue", &schema.min_value), ("schema.maxValue", &schema.max_value)] {
            if b.is_some() {
                return Err(invalid(name, format!("is allowed only for Number and Date, not {kind}")));
            }
        }
    }
    if !text {
        for (name, b) in [("schema.minLength", schema.min_length), ("schema.maxLength", schema.max_length)] {
            if b.is_some() {
                return Err(invalid(name, format!("is allowed only for Text and Textarea, not {kind}")));
            }
        }
    }
    match kind {
        FieldType::Number => {
            for (name, b) in [("schema.minValue", &schema.min_value), ("schema.maxValue", &schema.max_value)] {
                if b.is_some() && bound_number(b).is_none() {
                    return Err(invalid(name, "must be a number for a Number field"));
                }
            }
            if let (Some(min), Some(max)) = (bound_number(&schema.min_value), bound_number(&schema.max_value))
                && min > max
            {
                return Err(invalid("schema.minValue", "must not be greater than maxValue"));
            }
        }
        FieldType::Date => {
            for (name, b) in [("schema.minValue", &schema.min_value), ("schema.maxValue", &schema.max_value)] {
                if b.is_some() && bound_date(b).is_none() {
                    return Err(invalid(name, "must be an ISO-8601 date string for a Date field"));
                }
            }
            if let (Some(min), Some(max)) = (bound_date(&schema.min_value), bound_date(&schema.max_value))
                && min > max
            {
                return Err(invalid("schema.minValue", "must not be after maxValue"));
            }
        }
        FieldType::Text | FieldType::Textarea => {
            if let (Some(min), Some(max)) = (schema.min_length, schema.max_length)
                && min > max
            {
                return Err(invalid("schema.minLength", "must not be greater than maxLength"));
            }
        }
        _ => {}
    }
    match &schema.default_value {
        None => {
            if schema.is_value_required == Some(true) {
                return Err(invalid("schema.defaultValue", "is required when isValueRequired is true"));
            }
        }
        Some(default) => {
            let v = match default {
                ScalarOrList::One(s) => Value::from(s.clone()),
                ScalarOrList::List(l) => Value::Array(l.iter().cloned().map(Value::from).collect()),
                // A shape a later imagekit-types reads.
                other => {
                    let json = serde_json::to_string(other).unwrap_or_default();
                    return Err(invalid("schema.defaultValue", format!("{json} is not a value or a list of values")));
                }
            };
            check_value(schema, &v).map_err(|reason| invalid("schema.defaultValue", reason))?;
            if schema.is_value_required == Some(true) && v.as_array().is_some_and(Vec::is_empty) {
                return Err(invalid("schema.defaultValue", "must not be empty when isValueRequired is true"));
            }
        }
    }
    Ok(())
}

fn check_description(d: &Option<String>) -> Result<(), ApiError> {
    match d {
        Some(d) if d.chars().count() > MAX_DESCRIPTION => {
            Err(invalid("description", format!("must be at most {MAX_DESCRIPTION} characters long")))
        }
        _ => Ok(()),
    }
}

fn check_label(db: &Db, label: &str, except_id: Option<&str>) -> Result<(), ApiError> {
    if label.trim().is_empty() {
        return Err(invalid("label", "is required"));
    }
    if live_fields(db).any(|f| f.label == label && Some(f.id.as_str()) != except_id) {
        return Err(invalid("label", format!("a custom metadata field with label `{label}` already exists")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Handlers

/// `GET /v1/customMetadataFields`: the fields in creation order; deleted ones
/// only with `includeDeleted=true`. `folderPath` is accepted; every field
/// applies to every folder here (no path policies).
pub fn list(state: &State, req: &Req) -> ApiResult {
    let include_deleted = match req.query("includeDeleted") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!("includeDeleted must be true or false, not `{other}`")));
        }
    };
    let fields: Vec<CustomMetadataField> =
        state.store.read(|db| db.docs(C).filter(|d| include_deleted || !d.deleted).filter_map(field_of).collect());
    Ok(Resp::ok(&fields))
}

/// `POST /v1/customMetadataFields`: create a field; answers 201 with it and its new id.
pub fn create(state: &State, req: &Req) -> ApiResult {
    let body: CreateCustomMetadataFieldRequest = req.json()?;
    let name = body.name.trim();
    if name.is_empty() {
        return Err(invalid("name", "is required"));
    }
    if name == ORIGINAL_CREATION_DATE_FIELD {
        return Err(invalid("name", format!("`{name}` is a reserved name and cannot be used")));
    }
    validate_schema(&body.schema)?;
    check_description(&body.description)?;
    let field = state.store.write(|tx| {
        if tx.db().docs(C).filter_map(field_of).any(|f| f.name == name) {
            return Err(invalid(
                "name",
                format!("a custom metadata field named `{name}` exists or existed; names cannot be reused"),
            ));
        }
        check_label(tx.db(), &body.label, None)?;
        let mut field = CustomMetadataField::new(crate::util::new_id(), name, body.label.clone(), body.schema.clone());
        field.description = body.description.clone().filter(|d| !d.is_empty());
        let value = serde_json::to_value(&field).map_err(|e| ApiError::internal(e.to_string()))?;
        tx.put_doc(C, Doc { id: field.id.clone(), value, deleted: false });
        Ok(field)
    })?;
    Ok(Resp::json(http::StatusCode::CREATED, &field))
}

/// `PATCH /v1/customMetadataFields/{id}`: change `label`, `description` (`""`
/// clears it) and `schema`. At least one of `label` and `schema` is needed.
/// The schema sent is merged into the current one key by key (a key set to
/// `null` is removed); `type` cannot change and is ignored. The result must be
/// a valid schema.
pub fn update(state: &State, req: &Req, id: &str) -> ApiResult {
    let body: Value = req.json()?;
    let Value::Object(body) = body else {
        return Err(ApiError::bad_request("Invalid request body: expected a JSON object"));
    };
    let label = match body.get("label") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("label", "must be a string")),
    };
    let description = match body.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("description", "must be a string")),
    };
    let schema_patch = match body.get("schema") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => return Err(invalid("schema", "must be an object")),
    };
    if label.is_none() && schema_patch.is_none() {
        return Err(ApiError::bad_request("At least one of label and schema is required.")
            .with("errors", json!({"label": "label or schema is required"})));
    }
    check_description(&description)?;
    let field = state.store.write(|tx| {
        let doc = tx.db().doc(C, id).filter(|d| !d.deleted).ok_or_else(|| not_found(id))?;
        let mut field = field_of(doc).ok_or_else(|| ApiError::internal("stored custom metadata field is corrupt"))?;
        if let Some(label) = &label {
            check_label(tx.db(), label, Some(id))?;
            field.label = label.clone();
        }
        if let Some(patch) = &schema_patch {
            let Value::Object(mut merged) =
                serde_json::to_value(&field.schema).map_err(|e| ApiError::internal(e.to_string()))?
            else {
                return Err(ApiError::internal("stored schema is not an object"));
            };
            for (k, v) in patch {
                if k == "type" {
                    continue;
                }
                if v.is_null() {
                    merged.shift_remove(k);
                } else {
                    merged.insert(k.clone(), v.clone());
                }
            }
            let schema: FieldSchema = serde_json::from_value(Value::Object(merged))
                .map_err(|e| ApiError::bad_request(format!("Invalid schema: {e}")))?;
            validate_schema(&schema)?;
            field.schema = schema;
        }
        if let Some(d) = &description {
            field.description = (!d.is_empty()).then(|| d.clone());
        }
        let value = serde_json::to_value(&field).map_err(|e| ApiError::internal(e.to_string()))?;
        tx.put_doc(C, Doc { id: id.to_owned(), value, deleted: false });
        Ok(field)
    })?;
    Ok(Resp::ok(&field))
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No custom metadata field found with id {id}."))
}

/// `DELETE /v1/customMetadataFields/{id}`: a soft delete (the name stays
/// taken); answers 204, or 404 if there is no such field (or it is already
/// deleted).
pub fn delete(state: &State, id: &str) -> ApiResult {
    state.store.write(|tx| {
        let mut doc = tx.db().doc(C, id).filter(|d| !d.deleted).cloned().ok_or_else(|| not_found(id))?;
        if field_of(&doc).is_some_and(|f| f.is_reserved()) {
            return Err(ApiError::bad_request(format!(
                "The custom metadata field {id} is reserved (managed by ImageKit) and cannot be deleted."
            )));
        }
        doc.deleted = true;
        tx.put_doc(C, doc);
        Ok(())
    })?;
    Ok(Resp::no_content())
}

/// Create the reserved [`ORIGINAL_CREATION_DATE_FIELD`] (a `Date` field
/// labelled "Original creation date", `reserved: true`) unless a field of that
/// name exists, as enabling the original creation date setting does.
pub fn ensure_original_creation_date_field(store: &Store) -> Result<(), ApiError> {
    store.write(|tx| {
        if tx.db().docs(C).filter_map(field_of).any(|f| f.name == ORIGINAL_CREATION_DATE_FIELD) {
            return Ok(());
        }
        let mut field = CustomMetadataField::new(
            crate::util::new_id(),
            ORIGINAL_CREATION_DATE_FIELD,
            "Original creation date",
            FieldSchema::new(FieldType::Date),
        );
        field.reserved = Some(true);
        let value = serde_json::to_value(&field).map_err(|e| ApiError::internal(e.to_string()))?;
        tx.put_doc(C, Doc { id: field.id, value, deleted: false });
        Ok(())
    })
}
