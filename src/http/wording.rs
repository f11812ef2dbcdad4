//! serde's error messages in the words of the API: a client reads "must be
//! a whole number, not text", never `invalid type: string "x", expected i32`.

/// `message` (serde's, or a parser's it relays) as a client should read it.
pub fn readable(message: &str) -> String {
    // serde_json's position: the field is named apart.
    let message = match message.rsplit_once(" at line ") {
        Some((head, position)) if position.contains(" column ") => head,
        _ => message,
    };
    // `invalid type: string "x", expected i32`; `invalid value: …` alike.
    let mismatch = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.split_once(", expected "));
    if let Some((found, expected)) = mismatch {
        return format!(
            "must be {}, not {}",
            expectation(expected),
            found_value(found)
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((found, expected)) => {
                format!("{} is not {}", unquote(found), choices(expected))
            }
            None => format!("{} is not a value this field takes", unquote(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let found = rest
            .split_once(", expected")
            .map_or(rest, |(found, _)| found);
        return match rest.split_once(", expected ") {
            Some((_, expected)) => format!(
                "{} is not a field of this request, which takes {}",
                unquote(found),
                list(expected)
            ),
            None => format!("{} is not a field of this request", unquote(found)),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("{} is required", unquote(rest));
    }
    if message.starts_with("data did not match any variant") {
        return "matches none of the forms this request takes (see its schema)".into();
    }
    if message.starts_with("invalid length")
        && let Some((_, expected)) = message.split_once(", expected ")
    {
        return format!("must be {}", expectation(expected));
    }
    match message {
        "invalid digit found in string" | "cannot parse integer from empty string" => {
            "must be a whole number".into()
        }
        "number too large to fit in target type" | "number too small to fit in target type" => {
            "is out of range".into()
        }
        "invalid float literal" => "must be a number".into(),
        "provided string was not `true` or `false`" => "must be true or false".into(),
        _ => message.to_owned(),
    }
}

/// What serde expected, in words: `i32` is a whole number.
fn expectation(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number".into()
        }
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" | "string" => "text".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        other if other.starts_with("struct ") => "an object".into(),
        other if other.starts_with("enum ") => "one of the values its schema lists".into(),
        other if other.starts_with("one of ") || other.starts_with('`') => choices(other),
        other => other.to_owned(),
    }
}

/// The value serde found, in words: `floating point `2.5`` is 2.5.
fn found_value(found: &str) -> String {
    let value = |prefix: &str| found.strip_prefix(prefix).map(unquote);
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for prefix in ["floating point ", "integer ", "boolean ", "character "] {
        if let Some(value) = value(prefix) {
            return value;
        }
    }
    match found {
        "unit value" | "null" => "null".into(),
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        other => other.to_owned(),
    }
}

/// `one of `a`, `b`` or `` `a` or `b` `` as "one of a, b".
fn choices(expected: &str) -> String {
    format!("one of {}", list(expected))
}

fn list(expected: &str) -> String {
    let names: Vec<String> = expected
        .trim_start_matches("one of ")
        .split([',', ' '])
        .filter(|part| part.starts_with('`'))
        .map(unquote)
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches('`').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_type_names_become_words() {
        assert_eq!(
            readable("invalid type: floating point `2.5`, expected i64"),
            "must be a whole number, not 2.5"
        );
        assert_eq!(
            readable("invalid type: string \"năm\", expected i32"),
            "must be a whole number, not the text \"năm\""
        );
        assert_eq!(
            readable("invalid type: null, expected a string"),
            "must be text, not null"
        );
        assert_eq!(
            readable("invalid digit found in string"),
            "must be a whole number"
        );
    }

    #[test]
    fn unknown_variants_and_fields_list_what_is_taken() {
        assert_eq!(
            readable("unknown variant `huh`, expected one of `like`, `dislike`"),
            "huh is not one of like, dislike"
        );
        assert_eq!(
            readable("unknown variant `x`, expected `a` or `b`"),
            "x is not one of a, b"
        );
        assert_eq!(
            readable("unknown field `titel`, expected `title` or `body`"),
            "titel is not a field of this request, which takes title, body"
        );
        assert_eq!(readable("missing field `title`"), "title is required");
    }

    #[test]
    fn no_message_names_a_rust_type() {
        for message in [
            "invalid type: map, expected u32",
            "invalid value: integer `-1`, expected u8",
            "invalid type: sequence, expected struct Verdict",
            "data did not match any variant of untagged enum ModerateRequest",
        ] {
            let words = readable(message);
            for rust in ["u32", "u8", "struct", "untagged", "enum", "i64"] {
                assert!(!words.contains(rust), "{message} → {words}");
            }
        }
    }
}
