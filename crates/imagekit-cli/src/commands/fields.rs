//! `imagekit fields ls|create|update|rm`: custom metadata fields.

use imagekit::types::{
    CreateCustomMetadataFieldRequest, CustomMetadataField, FieldSchema, ListCustomMetadataFieldsQuery,
    UpdateCustomMetadataFieldRequest,
};
use serde_json::{Map, Value, json};

use crate::cli::{FieldsCommand, SchemaArgs};
use crate::config::Context;
use crate::error::{CliError, CliResult};
use crate::output::pad;

/// `imagekit fields ...`.
pub async fn run(ctx: &Context, command: FieldsCommand) -> CliResult {
    let client = ctx.client()?;
    let fields = client.custom_metadata_fields();
    match command {
        FieldsCommand::Ls { folder_path, include_deleted } => {
            let mut query = ListCustomMetadataFieldsQuery::new();
            query.folder_path = folder_path;
            query.include_deleted = include_deleted.then_some(true);
            let list = fields.list(query).await?;
            if !ctx.out.json {
                ctx.out.line(&format!("{}{}{}LABEL", pad("ID", 27), pad("NAME", 20), pad("TYPE", 14)))?;
            }
            for field in &list {
                ctx.out.either(|| row(field), field)?;
            }
            Ok(())
        }
        FieldsCommand::Create { name, label, kind, description, schema } => {
            let mut schema_json = schema_object(&schema)?;
            if let Some(kind) = kind {
                schema_json.insert("type".into(), Value::String(kind));
            }
            if !schema_json.contains_key("type") {
                return Err(CliError::usage(
                    "a new field needs a type: --type Text|Textarea|Number|Date|Boolean|SingleSelect|MultiSelect",
                ));
            }
            let label = label.unwrap_or_else(|| name.clone());
            let mut body = CreateCustomMetadataFieldRequest::new(name, label, to_schema(schema_json)?);
            body.description = description;
            let field = fields.create(body).await?;
            ctx.out.value(&field)
        }
        FieldsCommand::Update { id, label, description, schema } => {
            let schema_json = schema_object(&schema)?;
            let schema = if schema_json.is_empty() { None } else { Some(to_schema(schema_json)?) };
            if label.is_none() && description.is_none() && schema.is_none() {
                return Err(CliError::usage("nothing to update: give --label, --description or schema flags"));
            }
            let mut body = UpdateCustomMetadataFieldRequest::new();
            body.label = label;
            body.description = description;
            body.schema = schema;
            let field = fields.update(&id, body).await?;
            ctx.out.value(&field)
        }
        FieldsCommand::Rm { id } => {
            fields.delete(&id).await?;
            ctx.out.either(|| format!("deleted field {id}"), &json!({"id": id, "ok": true}))
        }
    }
}

fn row(field: &CustomMetadataField) -> String {
    let kind = field.schema.kind.as_ref().map_or("-", |k| k.as_str());
    format!("{}{}{}{}", pad(&field.id, 27), pad(&field.name, 20), pad(kind, 14), field.label)
}

/// The schema as a JSON object: `--schema`, then each flag over it.
fn schema_object(args: &SchemaArgs) -> CliResult<Map<String, Value>> {
    let mut schema = match &args.schema {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(CliError::usage("--schema must be a JSON object")),
            Err(e) => return Err(CliError::usage(format!("--schema is not JSON: {e}"))),
        },
    };
    if let Some(options) = &args.select_options {
        schema.insert("selectOptions".into(), Value::Array(options.iter().map(|o| scalar(o)).collect()));
    }
    if let Some(v) = &args.default_value {
        schema.insert("defaultValue".into(), scalar(v));
    }
    if args.required {
        schema.insert("isValueRequired".into(), Value::Bool(true));
    }
    if let Some(v) = &args.min_value {
        schema.insert("minValue".into(), scalar(v));
    }
    if let Some(v) = &args.max_value {
        schema.insert("maxValue".into(), scalar(v));
    }
    if let Some(n) = args.min_length {
        schema.insert("minLength".into(), n.into());
    }
    if let Some(n) = args.max_length {
        schema.insert("maxLength".into(), n.into());
    }
    Ok(schema)
}

fn to_schema(map: Map<String, Value>) -> CliResult<FieldSchema> {
    serde_json::from_value(Value::Object(map)).map_err(|e| CliError::usage(format!("invalid schema: {e}")))
}

/// A flag value as JSON when it is JSON (`42`, `true`, `["a","b"]`), else as text.
fn scalar(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_build_the_schema() {
        let args = SchemaArgs {
            schema: Some(r#"{"type":"Number"}"#.into()),
            select_options: None,
            default_value: Some("5".into()),
            required: true,
            min_value: Some("-1".into()),
            max_value: Some("10".into()),
            min_length: None,
            max_length: None,
        };
        let schema = schema_object(&args).unwrap_or_default();
        assert_eq!(
            Value::Object(schema),
            json!({"type":"Number","defaultValue":5,"isValueRequired":true,"minValue":-1,"maxValue":10})
        );
        assert_eq!(scalar("S"), json!("S"));
    }
}
