// @generated automatically by Diesel CLI.

diesel::table! {
    api_keys (id) {
        id -> Integer,
        name -> Text,
        scope -> Text,
        prefix -> Text,
        key_hash -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    attachment_contents (sha256) {
        sha256 -> Text,
        bytes -> Binary,
    }
}

diesel::table! {
    attachments (id) {
        id -> Integer,
        document_id -> Integer,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    areas (id) {
        id -> Integer,
        parent_id -> Nullable<Integer>,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    article_references (article_id, number) {
        article_id -> Integer,
        number -> Text,
        issued_on -> Nullable<Date>,
        position -> Integer,
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
        comment_count -> BigInt,
        rating_total -> BigInt,
        rating_count -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        body_text -> Text,
        deleted_at -> Nullable<Timestamp>,
        rated_1 -> BigInt,
        rated_2 -> BigInt,
        rated_3 -> BigInt,
        rated_4 -> BigInt,
        rated_5 -> BigInt,
        was_public -> Bool,
        word_count -> Integer,
        featured -> Bool,
        meta_title -> Nullable<Text>,
        meta_description -> Nullable<Text>,
        cover_media_id -> Nullable<Integer>,
        og_media_id -> Nullable<Integer>,
        lang -> Text,
        translation_of -> Nullable<Integer>,
    }
}

diesel::table! {
    article_views (article_id) {
        article_id -> Integer,
        view_count -> BigInt,
    }
}

diesel::table! {
    article_revisions (id) {
        id -> Integer,
        article_id -> Integer,
        version -> Integer,
        title -> Text,
        summary -> Text,
        body_html -> Text,
        byline -> Text,
        category_id -> Nullable<Integer>,
        cover_image_url -> Nullable<Text>,
        tags -> Text,
        status -> Text,
        replaced_by_kind -> Text,
        replaced_by_id -> Nullable<Integer>,
        replaced_by_label -> Text,
        replaced_at -> Timestamp,
    }
}

diesel::table! {
    article_tags (article_id, tag) {
        article_id -> Integer,
        tag -> Text,
        tag_key -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Integer>,
        actor_label -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        details -> Text,
        request_id -> Nullable<Text>,
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
        description -> Text,
        version -> Integer,
        lang -> Text,
    }
}

diesel::table! {
    document_areas (document_id, area_id) {
        document_id -> Integer,
        area_id -> Integer,
    }
}

diesel::table! {
    document_relations (source_id, kind, target_id) {
        source_id -> Integer,
        kind -> Text,
        target_id -> Integer,
    }
}

diesel::table! {
    documents (id) {
        id -> Integer,
        number -> Text,
        kind -> Text,
        type_code -> Nullable<Text>,
        issuer_code -> Text,
        year -> Nullable<Integer>,
        issuing_body -> Text,
        issued_on -> Nullable<Date>,
        effective_on -> Nullable<Date>,
        expires_on -> Nullable<Date>,
        signer -> Text,
        title -> Text,
        is_draft -> Bool,
        consultation_from -> Nullable<Timestamp>,
        consultation_to -> Nullable<Timestamp>,
        view_count -> BigInt,
        download_count -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        lang -> Text,
    }
}

diesel::table! {
    comment_reactions (comment_id, voter) {
        comment_id -> Integer,
        voter -> Text,
        reaction -> Text,
    }
}

diesel::table! {
    comments (id) {
        id -> Integer,
        article_id -> Nullable<Integer>,
        document_id -> Nullable<Integer>,
        parent_id -> Nullable<Integer>,
        root_id -> Nullable<Integer>,
        depth -> Integer,
        body -> Text,
        author_user_id -> Nullable<Integer>,
        author_name -> Text,
        author_email -> Nullable<Text>,
        status -> Text,
        likes -> BigInt,
        dislikes -> BigInt,
        client_address -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        by_staff -> Bool,
    }
}

diesel::table! {
    ratings (article_id, voter) {
        article_id -> Integer,
        voter -> Text,
        stars -> Integer,
        rated_at -> Timestamp,
    }
}

diesel::table! {
    legacy_ids (source, kind, legacy_id) {
        source -> Text,
        kind -> Text,
        legacy_id -> BigInt,
        alias -> Text,
        target_id -> Integer,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    media (id) {
        id -> Integer,
        sha256 -> Text,
        content_type -> Text,
        width -> Integer,
        height -> Integer,
        byte_size -> BigInt,
        alt -> Text,
        caption -> Text,
        credit -> Text,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    media_variants (media_id, width, content_type) {
        media_id -> Integer,
        width -> Integer,
        height -> Integer,
        content_type -> Text,
        sha256 -> Text,
        byte_size -> BigInt,
    }
}

diesel::table! {
    pages (id) {
        id -> Integer,
        lang -> Text,
        slug -> Text,
        title -> Text,
        body_html -> Text,
        position -> Integer,
        published -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Integer,
        session_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        user_id -> Integer,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Integer,
        webhook_id -> Integer,
        event_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    collections (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        description -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collection_articles (collection_id, article_id) {
        collection_id -> Integer,
        article_id -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    preview_links (id) {
        id -> Integer,
        article_id -> Integer,
        token_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Integer,
        url -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        version -> Integer,
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
        version -> Integer,
    }
}

diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(article_references -> articles (article_id));
diesel::joinable!(article_revisions -> articles (article_id));
diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_views -> articles (article_id));
diesel::joinable!(collection_articles -> articles (article_id));
diesel::joinable!(collection_articles -> collections (collection_id));
diesel::joinable!(preview_links -> articles (article_id));
diesel::joinable!(attachments -> documents (document_id));
diesel::joinable!(document_areas -> documents (document_id));
diesel::joinable!(document_areas -> areas (area_id));
diesel::joinable!(articles -> categories (category_id));
diesel::joinable!(articles -> users (author_id));
diesel::joinable!(articles -> media (cover_media_id));
diesel::joinable!(media_variants -> media (media_id));
diesel::joinable!(comment_reactions -> comments (comment_id));
diesel::joinable!(ratings -> articles (article_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    areas,
    attachment_contents,
    attachments,
    article_references,
    article_revisions,
    article_tags,
    article_views,
    articles,
    audit_log,
    categories,
    collection_articles,
    collections,
    comment_reactions,
    comments,
    document_areas,
    document_relations,
    documents,
    legacy_ids,
    media,
    media_variants,
    pages,
    preview_links,
    ratings,
    refresh_tokens,
    sessions,
    users,
    webhook_deliveries,
    webhooks,
);
