//! `fields`: a client asks for a subset of an item's fields (a mobile list
//! needs the title, not the rating), and gets objects holding only those.

use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{RefOr, schema::AllOf};

use crate::error::ApiError;

/// The top-level field names of a schema, as documented: what `fields` may name.
pub fn names_of<T: utoipa::PartialSchema>() -> Vec<String> {
    let mut names = Vec::new();
    collect_names(&T::schema(), &mut names);
    names
}

fn collect_names(schema: &RefOr<Schema>, names: &mut Vec<String>) {
    match schema {
        RefOr::T(Schema::Object(object)) => names.extend(object.properties.keys().cloned()),
        RefOr::T(Schema::AllOf(AllOf { items, .. })) => {
            items.iter().for_each(|item| collect_names(item, names));
        }
        _ => {}
    }
}

/// The fields a client asked for, each one an item has. `id` is always kept,
/// so every object can still be told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSet(Vec<String>);

impl FieldSet {
    /// `input` is a comma-separated list (`id,title,published_at`).
    pub fn parse(input: &str, known: &[String]) -> Result<Self, ApiError> {
        let mut fields = vec!["id".to_owned()];
        for name in input.split(',') {
            if !known.iter().any(|known| known == name) {
                return Err(ApiError::validation(
                    "fields",
                    format!(
                        "no field is called `{name}`; the fields are {}",
                        known.join(", ")
                    ),
                ));
            }
            if !fields.iter().any(|kept| kept == name) {
                fields.push(name.to_owned());
            }
        }
        Ok(Self(fields))
    }

    /// `item` serialised, with only the fields asked for.
    pub fn select_from(&self, item: &impl serde::Serialize) -> Value {
        self.select(serde_json::to_value(item).expect("answers serialise"))
    }

    /// `item` with only the fields asked for. Items that are not objects
    /// pass unchanged.
    pub fn select(&self, mut item: Value) -> Value {
        if let Value::Object(object) = &mut item {
            object.retain(|name, _| self.0.contains(name));
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn known() -> Vec<String> {
        ["id", "title", "rating"].map(str::to_owned).to_vec()
    }

    #[test]
    fn only_the_fields_asked_for_are_kept_and_id_always() {
        let fields = FieldSet::parse("title,title", &known()).unwrap();
        assert!(
            FieldSet::parse("title, rating", &known()).is_err(),
            "as its pattern says"
        );
        let item = json!({"id": 1, "title": "Tin", "rating": {"count": 0}});
        assert_eq!(fields.select(item), json!({"id": 1, "title": "Tin"}));
    }

    #[test]
    fn an_unknown_field_is_refused_with_the_known_ones() {
        match FieldSet::parse("title,body", &known()) {
            Err(ApiError::Validation(errors)) => {
                assert_eq!(errors[0].field, "fields");
                assert!(errors[0].message.contains("`body`"));
                assert!(errors[0].message.contains("id, title, rating"));
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Sample {
        id: i32,
        title: String,
    }

    #[test]
    fn the_names_come_from_the_documented_schema() {
        assert_eq!(names_of::<Sample>(), ["id", "title"]);
    }
}
