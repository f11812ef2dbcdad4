//! The OpenAPI document: current, complete, served, and browsable offline.

use serde_json::Value;

use crate::helpers::{header, json_body, spawn_app};
use bulletin_api::openapi;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_document_is_the_generated_one() {
    let generated = openapi::to_pretty_json(&openapi::document());
    assert!(
        generated == COMMITTED,
        "openapi/openapi.json is stale: regenerate it with\n    cargo run -q -- openapi > openapi/openapi.json\nand review the difference"
    );
}

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = spawn_app().await;
    let mut response = app.get("/api/v1/openapi.json").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        header(&response, "content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let served = json_body(&mut response).await;
    let committed: Value = serde_json::from_str(COMMITTED).unwrap();
    assert_eq!(served, committed);
    assert_eq!(served["openapi"], "3.1.0");
}

fn operations(document: &Value) -> Vec<(String, &Value)> {
    document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(move |(method, operation)| {
                    (format!("{} {path}", method.to_uppercase()), operation)
                })
        })
        .collect()
}

/// Follows a `$ref` into the components.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &document["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Whether every value a schema describes has an example (itself, or all its parts).
fn missing_examples(document: &Value, schema: &Value, at: &str, missing: &mut Vec<String>) {
    if schema.get("example").is_some()
        || schema.get("examples").is_some()
        || schema.get("enum").is_some()
    {
        return;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        // A schema that contains itself (a comment's replies) is walked once.
        let cycle = format!("<{reference}>");
        if at.contains(&cycle) {
            return;
        }
        let at = format!("{at}{cycle}");
        return missing_examples(document, resolve(document, schema), &at, missing);
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema[combinator].as_array() {
            for part in parts {
                missing_examples(document, part, at, missing);
            }
            return;
        }
    }
    match schema["type"].as_str() {
        Some("null") => {}
        Some("array") => missing_examples(document, &schema["items"], &format!("{at}[]"), missing),
        Some("object") | None if schema.get("properties").is_some() => {
            for (name, property) in schema["properties"].as_object().unwrap() {
                missing_examples(document, property, &format!("{at}.{name}"), missing);
            }
        }
        _ => missing.push(at.to_owned()),
    }
}

#[test]
fn every_operation_is_named_tagged_summarised_exemplified_and_lists_its_errors() {
    let document: Value = serde_json::from_str(COMMITTED).unwrap();
    let mut operation_ids = std::collections::HashSet::new();
    for (name, operation) in operations(&document) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no operationId"));
        assert!(
            operation_ids.insert(id.to_owned()),
            "{name}: operationId {id} is not unique"
        );
        assert!(
            operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{name}: no summary"
        );
        assert!(
            operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{name}: no tags"
        );

        let responses = operation["responses"].as_object().unwrap();
        assert!(responses.contains_key("500"), "{name}: no 500");
        for (status, response) in responses {
            let content = response["content"].as_object();
            if status == "204" || status.starts_with('3') {
                assert!(
                    content.is_none_or(|c| c.is_empty()),
                    "{name} {status} has a body"
                );
                assert!(
                    status != "301" || response["headers"]["Location"].is_object(),
                    "{name} {status}: a redirect says where, in `Location`"
                );
            } else if status.starts_with('2') {
                let (media, body) = content
                    .and_then(|c| c.iter().next())
                    .unwrap_or_else(|| panic!("{name} {status}: no content"));
                if body.get("example").is_none() {
                    let mut missing = Vec::new();
                    missing_examples(&document, &body["schema"], media, &mut missing);
                    assert!(
                        missing.is_empty(),
                        "{name} {status}: no example for {missing:?}"
                    );
                }
            } else {
                let content = content.unwrap_or_else(|| panic!("{name} {status}: no content"));
                assert!(
                    content.contains_key("application/problem+json"),
                    "{name} {status}: errors are problem+json"
                );
            }
        }
    }
}

#[actix_web::test]
async fn the_docs_page_is_served_with_its_own_assets() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").send().await.unwrap();
    assert_eq!(redirect.status().as_u16(), 308);
    assert_eq!(header(&redirect, "location").as_deref(), Some("/docs/"));

    let mut page = app.get("/docs/").send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        header(&page, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
    let references: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.ends_with(".js") || part.ends_with(".css"))
        .collect();
    assert!(
        references.len() >= 3,
        "the page loads its scripts and styles: {references:?}"
    );
    for reference in references {
        assert!(
            !reference.contains("://") && !reference.starts_with("//"),
            "loads {reference} from elsewhere"
        );
        let path = format!("/docs/{}", reference.trim_start_matches("./"));
        let mut asset = app.get(&path).send().await.unwrap();
        assert_eq!(asset.status().as_u16(), 200, "{path}");
        assert!(
            !asset
                .body()
                .limit(8 * 1024 * 1024)
                .await
                .unwrap()
                .is_empty(),
            "{path}"
        );
    }

    let mut initializer = app
        .get("/docs/swagger-initializer.js")
        .send()
        .await
        .unwrap();
    let script = String::from_utf8(initializer.body().await.unwrap().to_vec()).unwrap();
    assert!(
        script.contains("/api/v1/openapi.json"),
        "the page reads our document"
    );
}

/// Every `{name}` of a path is declared as a path parameter of each of its
/// operations, and no operation declares one its path lacks: a generated
/// client builds its URLs from these.
#[test]
fn every_path_parameter_is_declared_as_its_path_names_it() {
    let document: Value = serde_json::from_str(COMMITTED).unwrap();
    let mut wrong = Vec::new();
    for (operation_name, operation) in operations(&document) {
        let path = operation_name.split_once(' ').unwrap().1;
        let mut in_path: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        let mut declared: Vec<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "path")
            .map(|parameter| parameter["name"].as_str().unwrap())
            .collect();
        in_path.sort_unstable();
        declared.sort_unstable();
        if in_path != declared {
            wrong.push(format!("{operation_name}: {declared:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// `fields` takes exactly the properties an article of a list has: its
/// pattern (a literal in the code) is held to the schema here.
#[test]
fn the_fields_parameter_names_every_property_of_a_listed_article() {
    let document: Value = serde_json::from_str(COMMITTED).unwrap();
    let properties: Vec<&str> = document["components"]["schemas"]["ArticleFields"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for path in ["/api/v1/articles", "/api/v1/articles/changes"] {
        let fields = document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == "fields")
            .unwrap();
        let pattern = fields["schema"]["pattern"].as_str().unwrap();
        let names = pattern
            .trim_start_matches("^(")
            .split(")(,(")
            .next()
            .unwrap();
        let mut named: Vec<&str> = names.split('|').collect();
        let mut expected = properties.clone();
        named.sort_unstable();
        expected.sort_unstable();
        assert_eq!(named, expected, "{path}");
    }
}
