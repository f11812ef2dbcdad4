//! Staff and reader roles, each including the powers of the one below it.

use crate::db::text_enum;

text_enum! {
    /// Declared lowest first, so `Ord` ranks them: `admin > editor > author > member`.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Member = "member",
        Author = "author",
        Editor = "editor",
        Admin = "admin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_outranks_the_one_below() {
        assert!(Role::Admin > Role::Editor);
        assert!(Role::Editor > Role::Author);
        assert!(Role::Author > Role::Member);
    }

    #[test]
    fn roles_are_stored_and_sent_in_snake_case() {
        assert_eq!(Role::Editor.as_str(), "editor");
        assert_eq!(serde_json::to_value(Role::Admin).unwrap(), "admin");
        assert_eq!("author".parse::<Role>().unwrap(), Role::Author);
        assert!("root".parse::<Role>().is_err());
        crate::db::assert_json_matches_storage(Role::ALL, |r| r.as_str());
    }
}
