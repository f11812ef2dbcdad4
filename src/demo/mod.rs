//! The demo content a new database starts with: the department's page from
//! `seed-article.json` (a copy of the project's fixture) as a published
//! article in the category "Cải cách hành chính", with the six documents it cites.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::articles::ArticleStatus;
use crate::articles::model::{ArticleText, NewArticle};
use crate::categories::NewCategory;
use crate::db::{Database, StoreError};
use crate::documents::{CreateDocumentRequest, DocumentKind, NewDocument};
use crate::support::timestamps::CalendarDate;
use crate::text::lang::Lang;
use crate::text::slug::Slug;
use crate::{articles, categories, documents, ratings};

const SEED: &str = include_str!("seed-article.json");
const CATEGORY_NAME: &str = "Cải cách hành chính";

#[derive(Deserialize)]
struct Seed {
    article: SeedArticle,
    documents: Vec<SeedDocument>,
}

#[derive(Deserialize)]
struct SeedArticle {
    title: String,
    published_at: DateTime<FixedOffset>,
    byline: String,
    view_count: i64,
    rating: SeedRating,
    body_html: String,
    summary: String,
}

#[derive(Deserialize)]
struct SeedRating {
    total: i64,
    count: i64,
}

#[derive(Deserialize)]
struct SeedDocument {
    number: String,
    kind: DocumentKind,
    issued_on: CalendarDate,
    issuing_body: String,
    title: String,
}

impl SeedDocument {
    fn as_request(&self) -> CreateDocumentRequest {
        CreateDocumentRequest {
            number: self.number.clone(),
            title: self.title.clone(),
            issuing_body: self.issuing_body.clone(),
            kind: Some(self.kind),
            issued_on: Some(self.issued_on),
            effective_on: Some(self.issued_on),
            expires_on: None,
            signer: None,
            draft: false,
            consultation_from: None,
            consultation_to: None,
            related: None,
            area_ids: None,
            lang: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the embedded demo content is invalid: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Loads the demo content in one transaction, unless the newsroom already has
/// articles or categories (another process got there first); answers the
/// article's slug when it loaded it.
pub async fn load(db: &Database) -> Result<Option<String>, DemoError> {
    let seed: Seed = serde_json::from_str(SEED).map_err(|e| DemoError::Invalid(e.to_string()))?;
    let slug =
        Slug::from_title(&seed.article.title).map_err(|e| DemoError::Invalid(e.to_string()))?;
    let category_slug =
        Slug::from_title(CATEGORY_NAME).map_err(|e| DemoError::Invalid(e.to_string()))?;
    let returned_slug = slug.to_string();
    let now = crate::support::timestamps::now();
    let document_fields = seed
        .documents
        .iter()
        .map(|document| {
            documents::new_fields(&document.as_request(), &Lang::default(), now)
                .map_err(|e| DemoError::Invalid(format!("{}: {e:?}", document.number)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body_text = crate::text::html_to_text(&seed.article.body_html);
    db.write(move |conn| {
        if articles::queries::any(conn)? || categories::queries::any(conn)? {
            return Ok(None);
        }
        let category_id = categories::queries::insert(
            conn,
            &NewCategory {
                parent_id: None,
                slug: category_slug.as_str(),
                name: CATEGORY_NAME,
                description: "",
                // The seed page is Vietnamese, whatever the site's language.
                lang: "vi",
                created_at: now,
                updated_at: now,
            },
        )?
        .id;
        let article = &seed.article;
        let published_at = article.published_at.naive_utc();
        let article_id = articles::queries::insert(
            conn,
            &NewArticle {
                category_id: Some(category_id),
                view_count: article.view_count,
                rating_total: article.rating.total,
                rating_count: article.rating.count,
                ..NewArticle::new(
                    ArticleText {
                        slug: slug.as_str(),
                        title: &article.title,
                        summary: &article.summary,
                        body_html: &article.body_html,
                        body_text: &body_text,
                        byline: &article.byline,
                        lang: "vi",
                    },
                    ArticleStatus::Published,
                    Some(published_at),
                    published_at,
                )
            },
        )?;
        for fields in &document_fields {
            documents::queries::insert(
                conn,
                &NewDocument {
                    fields: fields.clone(),
                    created_at: now,
                },
            )?;
        }
        // The page's votes are known only as an aggregate: 3 points from 3 votes.
        let rating = &seed.article.rating;
        ratings::queries::set_aggregate(conn, article_id, rating.total, rating.count)?;
        // The article is linked to the documents its text cites, as any article is.
        articles::writes::link_citations(conn, article_id)?;
        Ok::<_, StoreError>(Some(returned_slug.clone()))
    })
    .await
    .map_err(DemoError::from)
}
