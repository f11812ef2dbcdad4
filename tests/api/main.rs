//! Integration tests: the real app on a random port, a fresh database (a
//! SQLite file in a temporary directory, or a PostgreSQL database of its own
//! when `BULLETIN_TEST_POSTGRES` names a server: `.ci/with-postgres cargo
//! test`), real HTTP.

mod accounts;
mod articles;
mod attachments;
mod auth;
mod cache;
mod categories;
mod cli;
mod collections;
mod comments;
mod documents;
mod editorial;
mod errors;
mod feeds;
mod filters;
mod helpers;
mod lists;
mod media;
mod middleware;
mod nodes;
mod nukeviet;
mod openapi;
mod operations;
mod pages;
mod previews;
mod ratings;
mod related;
mod reliability;
mod schema;
mod search;
mod sitemaps;
mod sorting;
mod static_pages;
mod storage;
mod sync;
mod translations;
mod views;
mod webhooks;
