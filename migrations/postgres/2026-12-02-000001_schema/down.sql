DROP TABLE login_throttle, rate_limits, service_secrets, legacy_ids, webhook_deliveries, webhooks, comment_reactions, comments, ratings,
    attachments, document_areas, areas, document_relations, documents, article_references,
    article_revisions, article_tags, audit_log, api_keys, refresh_tokens, sessions, articles,
    categories, users;
DROP FUNCTION bulletin_words(text, "char");
DROP TEXT SEARCH CONFIGURATION bulletin;
