DROP TRIGGER documents_search_insert;
DROP TRIGGER documents_search_update;
DROP TRIGGER documents_search_delete;
DROP TABLE documents_search;
DROP TABLE document_areas;
DROP TABLE areas;
DROP TABLE document_relations;
CREATE TABLE article_documents (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, document_id)
);
INSERT INTO article_documents (article_id, document_id)
    SELECT cited.article_id, documents.id
    FROM article_references cited JOIN documents ON documents.number = cited.number;
DROP TABLE article_references;
