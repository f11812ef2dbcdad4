//! What clients receive for articles.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;
use utoipa::openapi::schema::{AdditionalProperties, AnyOfBuilder, ObjectBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::content::MetaDescription;
use super::model::{ArticleStatus, AuthorRow};
use super::queries::{ArticleWithContext, LinkedArticle, RevisionRow, Translation};
use crate::categories::{CategoryResponse, CategoryRow};
use crate::documents::DocumentSummaryResponse;
use crate::documents::queries::CitedDocument;
use crate::error::ApiError;
use crate::http::permalinks::Permalinks;
use crate::media::{ImageResponse, StoredImage};
use crate::ratings::RatingSummary;
use crate::support::timestamps::SiteOffset;
use crate::text::non_empty;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

/// The staff account that wrote an article (distinct from its `byline`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorResponse {
    #[schema(example = 2)]
    pub id: i32,
    #[schema(example = "Nguyễn Văn A")]
    pub display_name: String,
}

impl From<AuthorRow> for AuthorResponse {
    fn from(row: AuthorRow) -> Self {
        Self {
            id: row.id,
            display_name: row.display_name,
        }
    }
}

/// What an answer about articles is shown with: the site's offset for
/// times, and the frontend's permalinks for `url`. Handlers take it from
/// the app's data.
#[derive(Debug, Clone)]
pub struct Showing {
    pub offset: SiteOffset,
    pub links: web::Data<Permalinks>,
}

impl FromRequest for Showing {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let offset = req
            .app_data::<web::Data<SiteOffset>>()
            .map(|offset| *offset.get_ref());
        let links = req.app_data::<web::Data<Permalinks>>().cloned();
        std::future::ready(match (offset, links) {
            (Some(offset), Some(links)) => Ok(Showing { offset, links }),
            _ => Err(
                ApiError::Internal("the site offset or permalinks are not registered".into())
                    .into(),
            ),
        })
    }
}

/// An article as listed: everything but its body and citations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummaryResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// The page that shows it: `BULLETIN_ARTICLE_URL` with its slug and id,
    /// or this API's resource when that is unset.
    #[schema(
        example = "https://sonoivu.binhdinh.gov.vn/tin-tuc/tin-noi-bat-cua-phong-cai-cach-hanh-chinh"
    )]
    pub url: String,
    #[schema(example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH")]
    pub title: String,
    /// The language it is written in, a BCP 47 tag; its slug is unique within it.
    #[schema(example = "vi")]
    pub lang: String,
    /// The id of the original it translates; null for an original (or an
    /// article with no translations).
    #[schema(example = json!(null))]
    pub translation_of: Option<i32>,
    /// Plain text; null for an article with no text.
    #[schema(
        example = "Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo về đẩy mạnh cải cách hành chính…"
    )]
    pub summary: Option<String>,
    /// An image elsewhere, as given; see `cover_image` for one of the
    /// media library.
    #[schema(example = json!(null))]
    pub cover_image_url: Option<String>,
    /// Its cover from the media library (`cover_media_id`), with the
    /// narrower variants for `srcset`; null for none.
    pub cover_image: Option<ImageResponse>,
    /// Among the featured news ("tin nổi bật") editors choose.
    #[schema(example = false)]
    pub featured: bool,
    /// Who the article is credited to, as printed ("Tác giả bài viết"); null for none.
    #[schema(example = "Phòng CCHC-VTLT")]
    pub byline: Option<String>,
    pub category: Option<CategoryResponse>,
    /// Free-text tags.
    #[schema(example = json!(["cải cách hành chính"]))]
    pub tags: Vec<String>,
    /// The staff account that wrote it; null for imported or demo content.
    pub author: Option<AuthorResponse>,
    pub status: ArticleStatus,
    /// RFC 3339 at the site's offset.
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub published_at: Option<DateTime<FixedOffset>>,
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
    /// Minutes to read the body, at 200 words a minute, rounded up; 0 for
    /// an article with no text.
    #[schema(example = 3, minimum = 0)]
    pub reading_time: i32,
    #[schema(example = 268)]
    pub view_count: i64,
    /// Approved comments, replies included (a thread's `total` counts its
    /// top-level comments only, the ones it pages by).
    #[schema(example = 0)]
    pub comment_count: i64,
    pub rating: RatingSummary,
    /// Increases with every change; send it back (or its ETag) to update safely.
    #[schema(example = 1)]
    pub version: i32,
    /// With `q`: about 30 words of the text, as HTML, matches in `<mark>`,
    /// everything else escaped: where every term of `q` first shows, else
    /// where the most of them do (then the most matches), in the body's
    /// first 6,000 characters, or the summary or title. Absent without `q`,
    /// or when no term shows there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "…hài lòng của người dân trên địa bàn tỉnh Bình <mark>Định</mark> giai đoạn 2022-2025…"
    )]
    pub snippet: Option<String>,
}

/// An article in a list: its summary, and what `include` asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleListItem {
    #[serde(flatten)]
    pub summary: ArticleSummaryResponse,
    /// With `include=documents`: the official documents it cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!([{"id": 1, "number": "5359/QĐ-UBND", "kind": "decision",
        "title": "Ban hành Đề án đo lường sự hài lòng của người dân, tổ chức…",
        "issuing_body": "UBND tỉnh Bình Định", "issued_on": "2021-12-31",
        "status": "in_force", "url": "/api/v1/documents/1"}]))]
    pub documents: Option<Vec<DocumentSummaryResponse>>,
    /// With `include=breadcrumbs`: its category and those above it, the
    /// top-level one first (empty with no category).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!([{"id": 1, "slug": "cai-cach-hanh-chinh", "name": "Cải cách hành chính",
        "url": "/api/v1/categories/cai-cach-hanh-chinh"}]))]
    pub breadcrumbs: Option<Vec<Breadcrumb>>,
}

impl ArticleListItem {
    /// What `fields` may name.
    pub fn field_names() -> Vec<String> {
        let mut names = crate::http::fields::names_of::<ArticleSummaryResponse>();
        names.push("documents".to_owned());
        names.push("breadcrumbs".to_owned());
        names
    }
}

/// An article removed from public view since the last sync (trashed,
/// unpublished or archived): a client that keeps a copy deletes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovedArticle {
    #[schema(example = 7)]
    pub id: i32,
    #[schema(inline)]
    pub deleted: Deleted,
    /// When it left public view.
    #[schema(value_type = DateTime<FixedOffset>, example = "2026-11-30T16:20:00+07:00")]
    pub deleted_at: DateTime<FixedOffset>,
}

/// Always `true`: what tells a tombstone from an article.
#[derive(Debug, Clone, Copy)]
pub struct Deleted;

impl Serialize for Deleted {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(true)
    }
}

impl PartialSchema for Deleted {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::Boolean)
            .enum_values(Some([true]))
            .description(Some(
                "Always `true`: what tells a tombstone from an article.",
            ))
            .into()
    }
}

impl ToSchema for Deleted {}

/// One entry of a sync: an article that changed, or the tombstone of one
/// removed from public view. (With `fields`, an article is cut to the
/// fields named after it is made: [`ArticleFields`] documents that.)
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ArticleChange {
    Article(Box<ArticleListItem>),
    Removed(RemovedArticle),
}

impl utoipa::PartialSchema for ArticleChange {
    fn schema() -> RefOr<Schema> {
        // anyOf, not oneOf: a whole article is also one cut to all its fields.
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(ArticleListItem::name()))
            .item(Ref::from_schema_name(ArticleFields::name()))
            .item(Ref::from_schema_name(RemovedArticle::name()))
            .description(Some(
                "One entry of a sync: an article that changed (with `fields`, only the fields \
                 named of it), or the tombstone of one removed from public view (`deleted` is \
                 true).",
            ))
            .into()
    }
}

impl ToSchema for ArticleChange {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ArticleListEntry::schemas(schemas);
        schemas.push((RemovedArticle::name().into(), RemovedArticle::schema()));
        RemovedArticle::schemas(schemas);
    }
}

/// One entry of an article list, as documented: an article, or with
/// `fields`, the fields named of it. (Lists are made of
/// [`ArticleListItem`]s; this is their schema with `fields` allowed for.)
pub struct ArticleListEntry;

impl utoipa::PartialSchema for ArticleListEntry {
    fn schema() -> RefOr<Schema> {
        // anyOf, not oneOf: a whole article is also one cut to all its fields.
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(ArticleListItem::name()))
            .item(Ref::from_schema_name(ArticleFields::name()))
            .description(Some(
                "An article of a list; with `fields`, only the fields named of it.",
            ))
            .into()
    }
}

impl ToSchema for ArticleListEntry {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((ArticleListItem::name().into(), ArticleListItem::schema()));
        schemas.push((ArticleFields::name().into(), ArticleFields::schema()));
        ArticleListItem::schemas(schemas);
    }
}

/// The schema of an article cut by `fields`: the properties of
/// [`ArticleListItem`], each as there, only those named present.
pub struct ArticleFields;

impl utoipa::PartialSchema for ArticleFields {
    fn schema() -> RefOr<Schema> {
        let mut fields = ObjectBuilder::new()
            .description(Some(
                "An article in a list cut by `fields`: only the fields named, each as in \
                 `ArticleListItem`.",
            ))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            // `id` always comes, whatever `fields` names.
            .required("id")
            .build();
        let own = match ArticleListItem::schema() {
            RefOr::T(Schema::AllOf(all)) => all.items,
            other => vec![other],
        };
        // The summary is flattened into the item by reference: its
        // properties, then the item's own.
        for part in std::iter::once(ArticleSummaryResponse::schema()).chain(own) {
            if let RefOr::T(Schema::Object(object)) = part {
                fields.properties.extend(object.properties);
            }
        }
        RefOr::T(Schema::Object(fields))
    }
}

impl ToSchema for ArticleFields {}

/// One article in full, with what its page links to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleResponse {
    #[serde(flatten)]
    pub summary: ArticleSummaryResponse,
    /// Sanitised HTML. With `include=linked_body`, each mention of a
    /// registered document it cites is a link to that document's `url`.
    #[schema(example = "<p>1. Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo…</p>")]
    pub body_html: String,
    /// The official documents the article cites, in the order they were issued.
    pub documents: Vec<DocumentSummaryResponse>,
    /// The article's category and those above it, the top-level one first;
    /// empty for an article with no category.
    pub breadcrumbs: Vec<Breadcrumb>,
    /// The published article just before this one in its category and
    /// language (by publication time); null for the first, or with no
    /// category.
    pub previous: Option<ArticleLink>,
    /// The published article just after this one in its category and
    /// language; null for the latest, or with no category.
    pub next: Option<ArticleLink>,
    /// The title for search engines and social previews (`<title>`,
    /// `og:title`): the one set, else the headline.
    #[schema(example = "Tin nổi bật của Phòng Cải cách hành chính")]
    pub meta_title: String,
    /// The description for search engines and social previews: the one
    /// set, else the summary's first 160 characters, cut between words.
    #[schema(
        example = "Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo về đẩy mạnh cải cách hành chính…"
    )]
    pub meta_description: String,
    /// The image for social previews (`og:image`): the one set
    /// (`og_media_id`), else the cover from the media library; null for
    /// neither (a page may then use `cover_image_url`).
    pub og_image: Option<ImageResponse>,
    /// The other articles of its translation group (its original and the
    /// original's other translations, or its own translations) that the
    /// reader may see, by language: guests see published ones, editors and
    /// API keys any outside the trash.
    pub translations: Vec<TranslationLink>,
}

/// The same article in another language.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationLink {
    #[schema(example = 7)]
    pub id: i32,
    /// A BCP 47 tag.
    #[schema(example = "en")]
    pub lang: String,
    #[schema(example = "administrative-reform-highlights")]
    pub slug: String,
    /// Its page: `BULLETIN_ARTICLE_URL`, or this API's resource (with
    /// `?lang=` outside the site's language).
    #[schema(example = "/api/v1/articles/administrative-reform-highlights?lang=en")]
    pub url: String,
}

impl TranslationLink {
    fn new(translation: Translation, links: &Permalinks) -> Self {
        Self {
            url: links.article(translation.id, &translation.slug, &translation.lang),
            id: translation.id,
            lang: translation.lang,
            slug: translation.slug,
        }
    }
}

/// A category of an article's trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct Breadcrumb {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "Cải cách hành chính")]
    pub name: String,
    /// Its page: `BULLETIN_CATEGORY_URL`, or this API's resource.
    #[schema(example = "https://sonoivu.binhdinh.gov.vn/chuyen-muc/cai-cach-hanh-chinh")]
    pub url: String,
}

/// Another article, as a page links to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleLink {
    #[schema(example = 2)]
    pub id: i32,
    #[schema(example = "ket-qua-cai-cach-hanh-chinh-nam-2022")]
    pub slug: String,
    #[schema(example = "Kết quả cải cách hành chính năm 2022")]
    pub title: String,
    /// Its page: `BULLETIN_ARTICLE_URL`, or this API's resource.
    #[schema(
        example = "https://sonoivu.binhdinh.gov.vn/tin-tuc/ket-qua-cai-cach-hanh-chinh-nam-2022"
    )]
    pub url: String,
    #[schema(example = "2023-01-12T08:00:00+07:00")]
    pub published_at: DateTime<FixedOffset>,
}

impl Breadcrumb {
    /// The breadcrumbs of a trail of categories.
    pub fn trail(categories: Vec<CategoryRow>, links: &Permalinks) -> Vec<Self> {
        categories
            .into_iter()
            .map(|category| Breadcrumb {
                url: links.category(category.id, &category.slug, &category.lang),
                id: category.id,
                slug: category.slug,
                name: category.name,
            })
            .collect()
    }
}

impl ArticleLink {
    /// A neighbour in `lang` (an article's own: neighbours share it).
    fn new(linked: LinkedArticle, lang: &str, shown: &Showing) -> Self {
        let (id, slug, title, published_at) = linked;
        Self {
            url: shown.links.article(id, &slug, lang),
            id,
            slug,
            title,
            published_at: shown.offset.show(published_at),
        }
    }
}

/// An article read in full, with everything its answer shows.
pub struct FullArticle {
    pub article: ArticleWithContext,
    pub documents: Vec<CitedDocument>,
    pub tags: Vec<String>,
    /// Its category and those above, the top-level one first.
    pub trail: Vec<CategoryRow>,
    pub previous: Option<LinkedArticle>,
    pub next: Option<LinkedArticle>,
    /// Its cover from the media library.
    pub cover: Option<StoredImage>,
    /// The image chosen for social previews, when not the cover.
    pub preview_image: Option<StoredImage>,
    /// The other articles of its translation group its reader sees.
    pub translations: Vec<Translation>,
    /// Whether it is in a translation group at all (a translation, or the
    /// original of one, public or not): its answer then shows other articles.
    pub grouped: bool,
}

impl ArticleSummaryResponse {
    pub fn new(
        loaded: ArticleWithContext,
        tags: Vec<String>,
        cover: Option<StoredImage>,
        shown: &Showing,
        now: NaiveDateTime,
    ) -> Self {
        let Showing { offset, links } = shown;
        let offset = *offset;
        let ArticleWithContext {
            article,
            category,
            author,
        } = loaded;
        Self {
            id: article.id,
            url: links.article(article.id, &article.slug, &article.lang),
            slug: article.slug,
            title: article.title,
            lang: article.lang,
            translation_of: article.translation_of,
            summary: non_empty(article.summary),
            cover_image_url: article.cover_image_url,
            cover_image: cover.map(|image| ImageResponse::new(image, offset)),
            featured: article.featured,
            byline: non_empty(article.byline),
            category: category.map(|c| CategoryResponse::new(c, offset)),
            tags,
            author: author.map(Into::into),
            status: article.status.as_of(article.published_at, now),
            published_at: article.published_at.map(|t| offset.show(t)),
            created_at: offset.show(article.created_at),
            updated_at: offset.show(article.updated_at),
            reading_time: super::content::reading_minutes(article.word_count),
            view_count: article.view_count,
            comment_count: article.comment_count,
            rating: RatingSummary::new(article.rating_total, article.rating_count),
            version: article.version,
            snippet: None,
        }
    }
}

impl ArticleResponse {
    /// `full` as answered; with `linked_body`, its body's mentions of the
    /// documents it cites are links.
    pub fn new(full: FullArticle, shown: &Showing, now: NaiveDateTime, linked_body: bool) -> Self {
        let FullArticle {
            mut article,
            documents,
            tags,
            trail,
            previous,
            next,
            cover,
            preview_image,
            translations,
            grouped: _,
        } = full;
        let lang = article.article.lang.clone();
        let og_image = preview_image
            .or_else(|| cover.clone())
            .map(|image| ImageResponse::new(image, shown.offset));
        let documents: Vec<DocumentSummaryResponse> = documents
            .into_iter()
            .map(|cited| DocumentSummaryResponse::new(cited, &shown.links))
            .collect();
        let mut body_html = std::mem::take(&mut article.article.body_html);
        let meta_title = article
            .article
            .meta_title
            .take()
            .unwrap_or_else(|| article.article.title.clone());
        let meta_description = MetaDescription::or_summary(
            article.article.meta_description.take(),
            &article.article.summary,
        );
        if linked_body {
            let links = documents
                .iter()
                .map(|document| (document.number.clone(), document.url.clone()))
                .collect();
            body_html = super::linking::link_documents(&body_html, &links);
        }
        Self {
            summary: ArticleSummaryResponse::new(article, tags, cover, shown, now),
            body_html,
            documents,
            breadcrumbs: Breadcrumb::trail(trail, &shown.links),
            previous: previous.map(|linked| ArticleLink::new(linked, &lang, shown)),
            next: next.map(|linked| ArticleLink::new(linked, &lang, shown)),
            meta_title,
            meta_description,
            og_image,
            translations: translations
                .into_iter()
                .map(|translation| TranslationLink::new(translation, &shown.links))
                .collect(),
        }
    }
}

/// Who replaced a revision's content.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditorResponse {
    pub kind: crate::audit::ActorKind,
    #[schema(example = 3)]
    pub id: Option<i32>,
    #[schema(example = "bientap@sonoivu.binhdinh.gov.vn")]
    pub label: String,
}

/// The content an article held at one version.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionResponse {
    /// The version this content was.
    #[schema(example = 2)]
    pub version: i32,
    #[schema(example = "Kết quả cải cách hành chính năm 2022")]
    pub title: String,
    #[schema(example = "Trong năm 2022…")]
    pub summary: Option<String>,
    #[schema(example = "<p>Trong năm 2022…</p>")]
    pub body_html: String,
    #[schema(example = "Phòng CCHC-VTLT")]
    pub byline: Option<String>,
    #[schema(example = 1)]
    pub category_id: Option<i32>,
    #[schema(example = json!(null))]
    pub cover_image_url: Option<String>,
    #[schema(example = json!(["cải cách hành chính"]))]
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    /// Who made the change that replaced this content, and when.
    pub replaced_by: EditorResponse,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub replaced_at: DateTime<FixedOffset>,
}

impl RevisionResponse {
    pub fn new(row: RevisionRow, offset: SiteOffset) -> Self {
        Self {
            version: row.version,
            title: row.title,
            summary: non_empty(row.summary),
            body_html: row.body_html,
            byline: non_empty(row.byline),
            category_id: row.category_id,
            cover_image_url: row.cover_image_url,
            tags: serde_json::from_str(&row.tags).unwrap_or_default(),
            status: row.status,
            replaced_by: EditorResponse {
                kind: row.replaced_by_kind,
                id: row.replaced_by_id,
                label: row.replaced_by_label,
            },
            replaced_at: offset.show(row.replaced_at),
        }
    }
}
