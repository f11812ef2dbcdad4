//! Enums stored as TEXT: one definition gives the Rust type its database
//! mapping, its JSON form and its OpenAPI schema.
//!
//! The stored strings must be the snake_case of the variant names: serde and
//! utoipa derive the JSON and schema forms with `rename_all = "snake_case"`
//! (utoipa does not see per-variant renames made inside `macro_rules!`), and
//! each enum's tests check, over `ALL`, that the forms agree.

/// A stored value that is not one of the enum's strings: the row was written
/// by something other than this service.
#[derive(Debug, thiserror::Error)]
#[error("`{value}` is not a known {type_name}")]
pub struct UnknownVariant {
    pub type_name: &'static str,
    pub value: String,
}

macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::db::UnknownVariant;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::db::UnknownVariant {
                        type_name: stringify!($name),
                        value: value.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // Stored as its string on any engine that stores strings.
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(value)?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

pub(crate) use text_enum;

/// Asserts that an enum's stored strings are its JSON strings.
#[cfg(test)]
pub fn assert_json_matches_storage<T>(all: &[T], as_str: impl Fn(&T) -> &'static str)
where
    T: serde::Serialize + std::fmt::Debug,
{
    for variant in all {
        let json = serde_json::to_value(variant).expect("enums serialise");
        assert_eq!(
            json,
            as_str(variant),
            "{variant:?} is sent as {json} but stored otherwise"
        );
    }
}
