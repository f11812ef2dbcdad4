//! HTTP handlers for comments: threads under articles and consulted
//! documents, the moderation queue, reactions.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::content::CommentBody;
use super::queries::{self, CommentPosition};
use super::requests::QueueParams;
use super::writes::{self, Author, Deleter, Draft};
use super::{
    CommentListParams, CommentResponse, CommentRow, CommentRules, CommentSort, CommentStatus, Edit,
    ModerateRequest, NewCommentRequest, ReactRequest, ReactionsResponse, Thread, Verdict,
};
use crate::articles::ArticleKey;
use crate::auth::roles::{Editor, Member};
use crate::auth::{Principal, RequireRole, Viewer};
use crate::db::Database;
use crate::error::{ApiError, FieldErrors, Problem};
use crate::http::cache::AboutArticle;
use crate::http::permalinks::Permalinks;
use crate::http::{ClientAddr, JsonBody, Page, PageParams, Paging, Query};
use crate::identity::{Email, Role};
use crate::limits::{ClientLimits, Limited};
use crate::readers::voters::Voter;
use crate::support::timestamps::SiteOffset;
use crate::text::bounded_line;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_article_comments)
        .service(post_article_comment)
        .service(list_document_comments)
        .service(post_document_comment)
        .service(moderation_queue)
        .service(change_comment)
        .service(delete_comment)
        .service(react_to_comment)
        .service(withdraw_reaction);
}

/// A page of a thread: top-level comments in `sort`, each with its replies.
async fn thread_page(
    db: &Database,
    thread: Thread,
    sort: CommentSort,
    paging: Paging,
    offset: SiteOffset,
) -> Result<Page<CommentResponse>, ApiError> {
    let after = paging.after::<CommentPosition>()?;
    if after.is_some_and(|position| position.sort() != sort) {
        return Err(ApiError::validation(
            "cursor",
            "was issued for another sort; start from the first page",
        ));
    }
    let (limit, row_offset) = (paging.limit, paging.offset());
    let now = crate::support::timestamps::now();
    let found = db
        .read(move |conn| queries::thread_page(conn, thread, sort, (limit, row_offset), after, now))
        .await?;
    let page = found.ok_or_else(|| thread.missing())?;
    let mut replies = nest(page.replies, offset);
    Ok(Page::from_rows(
        page.rows,
        page.total,
        limit,
        |row| CommentPosition::after(row, sort),
        |row| with_replies(CommentResponse::new(row, offset), &mut replies),
    ))
}

/// Replies by the comment they answer.
fn nest(replies: Vec<CommentRow>, offset: SiteOffset) -> HashMap<i32, Vec<CommentResponse>> {
    let mut by_parent: HashMap<i32, Vec<CommentResponse>> = HashMap::new();
    for reply in replies {
        if let Some(parent) = reply.parent_id {
            by_parent
                .entry(parent)
                .or_default()
                .push(CommentResponse::new(reply, offset));
        }
    }
    by_parent
}

/// A comment with its replies, and theirs, taken from `replies`.
fn with_replies(
    mut comment: CommentResponse,
    replies: &mut HashMap<i32, Vec<CommentResponse>>,
) -> CommentResponse {
    comment.replies = replies
        .remove(&comment.id)
        .unwrap_or_default()
        .into_iter()
        .map(|reply| with_replies(reply, replies))
        .collect();
    comment
}

/// Who comments, decided before the body is read: an account, or a guest.
/// API keys do not comment (403).
enum Commenter {
    Account { id: i32, name: String, role: Role },
    Guest,
}

impl Commenter {
    /// Editors and admins: their comments are the office answering, not a
    /// reader, and they often share an address with readers (a
    /// server-rendered frontend, an office), so reader limits pass them by.
    fn is_editorial(&self) -> bool {
        matches!(self, Commenter::Account { role, .. } if *role >= Role::Editor)
    }
}

impl FromRequest for Commenter {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = Viewer::from_request(req, payload);
        Box::pin(async move {
            match viewer.await?.0 {
                Some(Principal::User(user)) => Ok(Commenter::Account {
                    id: user.id,
                    name: user.display_name,
                    role: user.role,
                }),
                Some(Principal::ApiKey(_)) => {
                    Err(ApiError::Forbidden("API keys do not comment; readers do".into()).into())
                }
                None => Ok(Commenter::Guest),
            }
        })
    }
}

/// The author of a new comment, from the caller and the request.
fn author_of(commenter: &Commenter, request: &NewCommentRequest) -> Result<Author, ApiError> {
    match commenter {
        Commenter::Account { id, name, role } if *role >= Role::Author => Ok(Author::Staff {
            id: *id,
            name: name.clone(),
        }),
        Commenter::Account { id, name, .. } => Ok(Author::Member {
            id: *id,
            name: name.clone(),
        }),
        Commenter::Guest => {
            let mut errors = FieldErrors::default();
            let name = match request.author_name.as_deref() {
                Some(name) => errors.check("author_name", bounded_line(name, 1, 100)),
                None => errors.check::<String, _>(
                    "author_name",
                    Err("guests give the name shown with their comment"),
                ),
            };
            let email = match request.author_email.as_deref().filter(|e| !e.is_empty()) {
                Some(email) => errors.check("author_email", Email::parse(email)).map(Some),
                None => Some(None),
            };
            match (name, email) {
                (Some(name), Some(email)) => Ok(Author::Guest { name, email }),
                _ => Err(errors.into_error()),
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn post_comment(
    db: &Database,
    rules: CommentRules,
    limits: &dyn ClientLimits,
    commenter: Commenter,
    client: ClientAddr,
    thread: Thread,
    request: NewCommentRequest,
    offset: SiteOffset,
) -> Result<HttpResponse, ApiError> {
    if request.website.as_deref().is_some_and(|w| !w.is_empty()) {
        return Err(ApiError::validation(
            "website",
            "must be left empty (it is there to catch robots)",
        ));
    }
    let body = CommentBody::parse(&request.body).map_err(|e| ApiError::validation("body", e));
    let author = author_of(&commenter, &request);
    let (body, author) = match (body, author) {
        (Ok(body), Ok(author)) => (body, author),
        (Err(ApiError::Validation(mut first)), Err(ApiError::Validation(second))) => {
            first.extend(second);
            return Err(ApiError::Validation(first));
        }
        (Err(error), _) | (_, Err(error)) => return Err(error),
    };
    if !commenter.is_editorial() {
        for action in [Limited::Comment, Limited::CommentOn(thread)] {
            limits
                .check(client.0, action)
                .await
                .map_err(ApiError::retry_after)?;
        }
    }
    let draft = Draft {
        thread,
        author,
        body,
        parent_id: request.parent_id,
        client: client.0,
    };
    let comment = writes::post(
        db,
        draft,
        rules.moderation,
        crate::support::timestamps::now(),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/comments/{}", comment.id)))
        .json(CommentResponse::new(comment, offset)))
}

/// The approved comments on a published article: top-level ones in `sort`,
/// each with its replies (oldest first, two levels deep).
#[utoipa::path(
    tag = "comments",
    params(ArticleKey, CommentListParams, PageParams),
    responses(
        (status = 200, description = "One page of the thread", body = Page<CommentResponse>),
        (status = 404, description = "No published article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}/comments")]
async fn list_article_comments(
    links: web::Data<Permalinks>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    key: web::Path<ArticleKey>,
    params: Query<CommentListParams>,
    paging: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::try_from(paging.into_inner())?;
    let sort = params.sort.unwrap_or(CommentSort::Newest);
    let id = key.id(&db, &links.default_lang).await?;
    let page = thread_page(&db, Thread::Article(id), sort, paging, **offset).await?;
    let mut answer = HttpResponse::Ok().json(page);
    answer.extensions_mut().insert(AboutArticle(id));
    Ok(answer)
}

/// Comment on a published article. Guests give a name (and may give an
/// email, never shown); their comments wait for an editor unless
/// `BULLETIN_COMMENT_MODERATION` says otherwise. Staff's are approved.
/// At most 5 comments a minute from one client, and one per article every
/// 30 s; signed-in editors and admins are not held to these.
#[utoipa::path(
    tag = "comments",
    params(ArticleKey),
    request_body(content = NewCommentRequest, example = json!({
        "body": "Cảm ơn Sở đã thông tin kịp thời.", "author_name": "Trần Thị B",
        "author_email": "tranthib@example.vn"})),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The comment: `pending` until an editor approves it, or `approved`",
            body = CommentResponse),
        (status = 403, description = "API keys do not comment", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No published article has this id or slug, or no approved \
            comment of its thread has the id given as `parent_id`", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The parent is a reply at the deepest level: answer the comment \
            above it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty or long body, control characters, a missing \
            guest name, a malformed email, or a filled honeypot",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many comments from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/articles/{key}/comments")]
#[allow(clippy::too_many_arguments)]
async fn post_article_comment(
    links: web::Data<Permalinks>,
    commenter: Commenter,
    db: web::Data<Database>,
    rules: web::Data<CommentRules>,
    limits: web::Data<dyn ClientLimits>,
    offset: web::Data<SiteOffset>,
    client: ClientAddr,
    key: web::Path<ArticleKey>,
    JsonBody(request): JsonBody<NewCommentRequest>,
) -> Result<HttpResponse, ApiError> {
    let thread = Thread::Article(key.id(&db, &links.default_lang).await?);
    post_comment(
        &db,
        **rules,
        limits.get_ref(),
        commenter,
        client,
        thread,
        request,
        **offset,
    )
    .await
}

/// The approved comments on a document's public consultation.
#[utoipa::path(
    tag = "comments",
    params(("id" = i32, Path, description = "The document's id", example = 1), CommentListParams, PageParams),
    responses(
        (status = 200, description = "One page of the consultation's comments", body = Page<CommentResponse>),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/documents/{id}/comments")]
async fn list_document_comments(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    params: Query<CommentListParams>,
    paging: Query<PageParams>,
) -> Result<web::Json<Page<CommentResponse>>, ApiError> {
    let paging = Paging::try_from(paging.into_inner())?;
    let sort = params.sort.unwrap_or(CommentSort::Newest);
    let thread = Thread::Document(id.into_inner());
    Ok(web::Json(
        thread_page(&db, thread, sort, paging, **offset).await?,
    ))
}

/// Comment on a draft document during its public consultation window, as
/// on an article (same moderation, same limits).
#[utoipa::path(
    tag = "comments",
    params(("id" = i32, Path, description = "The document's id", example = 12)),
    request_body(content = NewCommentRequest, example = json!({
        "body": "Đề nghị bổ sung quy định về thời hạn giải quyết.", "author_name": "Lê Văn C"})),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The comment", body = CommentResponse),
        (status = 403, description = "API keys do not comment", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The document is not open for consultation now, or the parent \
            is a reply at the deepest level", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The comment is not acceptable (see the errors)", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many comments from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/documents/{id}/comments")]
#[allow(clippy::too_many_arguments)]
async fn post_document_comment(
    commenter: Commenter,
    db: web::Data<Database>,
    rules: web::Data<CommentRules>,
    limits: web::Data<dyn ClientLimits>,
    offset: web::Data<SiteOffset>,
    client: ClientAddr,
    id: web::Path<i32>,
    JsonBody(request): JsonBody<NewCommentRequest>,
) -> Result<HttpResponse, ApiError> {
    let thread = Thread::Document(id.into_inner());
    post_comment(
        &db,
        **rules,
        limits.get_ref(),
        commenter,
        client,
        thread,
        request,
        **offset,
    )
    .await
}

/// The moderation queue: comments in one state (`pending` by default),
/// oldest first, with the author's email and address.
///
/// Requires the editor role (or an API key).
#[utoipa::path(
    tag = "comments",
    params(QueueParams, PageParams),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of the queue", body = Page<CommentResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/comments")]
async fn moderation_queue(
    _editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    params: Query<QueueParams>,
    paging: Query<PageParams>,
) -> Result<web::Json<Page<CommentResponse>>, ApiError> {
    let status = params.status.unwrap_or(CommentStatus::Pending);
    let page = Paging::try_from(paging.into_inner())?
        .load(
            &db,
            move |conn, limit, row_offset, after| {
                queries::queue(conn, status, limit, row_offset, after)
            },
            |row| row.id,
            |row| CommentResponse::for_moderators(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Moderate a comment (`status`: editors, audited), or change your own
/// words (`body`: its author, within `BULLETIN_COMMENT_EDIT_WINDOW`).
#[utoipa::path(
    tag = "comments",
    params(("id" = i32, Path, description = "The comment's id", example = 12)),
    request_body(content = ModerateRequest, example = json!({"status": "approved"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The comment as it now is", body = CommentResponse),
        (status = 404, description = "No comment has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of `status` and `body`, or an unacceptable body",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/comments/{id}")]
async fn change_comment(
    // Signed in (any account) or a key: who may do what is decided below.
    caller: RequireRole<Member>,
    db: web::Data<Database>,
    rules: web::Data<CommentRules>,
    offset: web::Data<SiteOffset>,
    req: HttpRequest,
    id: web::Path<i32>,
    JsonBody(request): JsonBody<ModerateRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (id.into_inner(), crate::support::timestamps::now());
    let viewer = Viewer(Some(caller.principal));
    let comment = match request {
        ModerateRequest::Verdict(Verdict { status }) => {
            let editor = RequireRole::<Editor>::of_viewer(&req, viewer)?;
            let row = writes::moderate(&db, id, status, editor.actor(), now).await?;
            CommentResponse::for_moderators(row, **offset)
        }
        ModerateRequest::Edit(Edit { body }) => {
            let body = CommentBody::parse(&body).map_err(|e| ApiError::validation("body", e))?;
            let author = signed_in_author(&viewer)?;
            let settings = (rules.moderation, rules.edit_window);
            CommentResponse::new(
                writes::edit(&db, id, author, body, settings, now).await?,
                **offset,
            )
        }
    };
    Ok(HttpResponse::Ok().json(comment))
}

/// The signed-in author of a change to an own comment.
fn signed_in_author(viewer: &Viewer) -> Result<Author, ApiError> {
    match &viewer.0 {
        Some(Principal::User(user)) if user.role >= Role::Author => Ok(Author::Staff {
            id: user.id,
            name: user.display_name.clone(),
        }),
        Some(Principal::User(user)) => Ok(Author::Member {
            id: user.id,
            name: user.display_name.clone(),
        }),
        Some(Principal::ApiKey(_)) => Err(ApiError::Forbidden(
            "API keys have no comments of their own".into(),
        )),
        None => Err(ApiError::unauthenticated("sign in to change your comment")),
    }
}

/// Delete a comment and its replies: editors any (audited), members their
/// own within `BULLETIN_COMMENT_EDIT_WINDOW`.
#[utoipa::path(
    tag = "comments",
    params(("id" = i32, Path, description = "The comment's id", example = 12)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No comment has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/comments/{id}")]
async fn delete_comment(
    viewer: Viewer,
    db: web::Data<Database>,
    rules: web::Data<CommentRules>,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let deleter = match &viewer.0 {
        Some(Principal::User(user)) if user.role < Role::Editor => Deleter::Author(user.id),
        _ => Deleter::Editor(RequireRole::<Editor>::of_viewer(&req, viewer)?.actor()),
    };
    let now = crate::support::timestamps::now();
    writes::delete(&db, id.into_inner(), deleter, rules.edit_window, now).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn reacted(
    db: &Database,
    id: i32,
    voter: Voter,
    reaction: Option<super::Reaction>,
) -> Result<HttpResponse, ApiError> {
    let comment = writes::react(db, id, voter.key.clone(), reaction).await?;
    let mut response = HttpResponse::Ok();
    voter.remember(&mut response);
    Ok(response.json(ReactionsResponse {
        likes: comment.likes,
        dislikes: comment.dislikes,
        your_reaction: reaction,
    }))
}

/// Like or dislike an approved comment: one reaction per reader (account or
/// voter token, as for ratings), which a new one replaces.
#[utoipa::path(
    tag = "comments",
    params(
        ("id" = i32, Path, description = "The comment's id", example = 12),
        ("X-Voter-Token" = Option<String>, Header, nullable = false, description = "A guest's voter token; without one, a new one is issued"),
    ),
    request_body(content = ReactRequest, example = json!({"reaction": "like"})),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The comment's counts; a guest's token in `X-Voter-Token`",
            body = ReactionsResponse),
        (status = 403, description = "API keys do not vote", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No approved comment has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many votes from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/comments/{id}/reaction")]
async fn react_to_comment(
    voter: Voter,
    db: web::Data<Database>,
    limits: web::Data<dyn ClientLimits>,
    client: ClientAddr,
    id: web::Path<i32>,
    JsonBody(request): JsonBody<ReactRequest>,
) -> Result<HttpResponse, ApiError> {
    limits
        .check(client.0, Limited::Vote)
        .await
        .map_err(ApiError::retry_after)?;
    reacted(&db, id.into_inner(), voter, Some(request.reaction)).await
}

/// Withdraw your reaction to a comment.
#[utoipa::path(
    tag = "comments",
    params(
        ("id" = i32, Path, description = "The comment's id", example = 12),
        ("X-Voter-Token" = Option<String>, Header, nullable = false, description = "A guest's voter token"),
    ),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The comment's counts", body = ReactionsResponse),
        (status = 403, description = "API keys do not vote", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No approved comment has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many votes from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/comments/{id}/reaction")]
async fn withdraw_reaction(
    voter: Voter,
    db: web::Data<Database>,
    limits: web::Data<dyn ClientLimits>,
    client: ClientAddr,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    // Withdrawing counts as a vote: undoing is voting too.
    limits
        .check(client.0, Limited::Vote)
        .await
        .map_err(ApiError::retry_after)?;
    reacted(&db, id.into_inner(), voter, None).await
}
