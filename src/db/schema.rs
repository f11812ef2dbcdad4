// @generated automatically by Diesel CLI.

diesel::table! {
    article_documents (article_id, document_id) {
        article_id -> Integer,
        document_id -> Integer,
    }
}

diesel::table! {
    articles (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        summary -> Text,
        body_html -> Text,
        cover_image_url -> Nullable<Text>,
        byline -> Text,
        category_id -> Nullable<Integer>,
        author_id -> Nullable<Integer>,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        view_count -> BigInt,
        comment_count -> BigInt,
        rating_total -> BigInt,
        rating_count -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        parent_id -> Nullable<Integer>,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Integer,
        number -> Text,
        kind -> Text,
        issuing_body -> Text,
        issued_on -> Nullable<Date>,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        display_name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(article_documents -> articles (article_id));
diesel::joinable!(article_documents -> documents (document_id));
diesel::joinable!(articles -> categories (category_id));
diesel::joinable!(articles -> users (author_id));

diesel::allow_tables_to_appear_in_same_query!(
    article_documents,
    articles,
    categories,
    documents,
    users,
);
