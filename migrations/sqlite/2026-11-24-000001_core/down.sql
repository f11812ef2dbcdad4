DROP TABLE article_documents;
DROP TABLE documents;
DROP TABLE articles;
DROP TABLE categories;
DROP TABLE users;
