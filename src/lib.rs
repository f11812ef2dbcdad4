//! bulletin-api: a headless JSON REST service for the news portals of public
//! bodies. [`startup::Application`] is the way in.

pub mod api_keys;
pub mod areas;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod categories;
pub mod collections;
pub mod comments;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod feeds;
pub mod http;
pub mod identity;
pub mod import;
pub mod legacy;
pub mod limits;
pub mod media;
pub mod openapi;
pub mod ops;
pub mod previews;
pub mod ratings;
pub mod readers;
pub mod routes;
pub mod sitemaps;
pub mod startup;
pub mod static_pages;
pub mod support;
pub mod text;
pub mod users;
pub mod webhooks;
