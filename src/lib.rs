//! bulletin-api: a headless JSON REST service for the news portals of public
//! bodies. [`startup::Application`] is the way in.

pub mod api_keys;
pub mod areas;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod categories;
pub mod comments;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod feeds;
pub mod grouping;
pub mod http;
pub mod import;
pub mod legacy;
pub mod limits;
pub mod openapi;
pub mod ops;
pub mod permalinks;
pub mod ratings;
pub mod search;
pub mod slug;
pub mod startup;
pub mod telemetry;
pub mod text;
pub mod timestamps;
pub mod tree;
pub mod users;
pub mod views;
pub mod voters;
pub mod webhooks;
