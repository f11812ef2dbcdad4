//! Comments, replies under their parents, then each thread's count.

use super::*;

/// A comment as it is stored here, but for where it hangs.
struct CommentPlan {
    body: CommentBody,
    name: DisplayName,
    email: Option<Email>,
    status: comments::CommentStatus,
    posted: NaiveDateTime,
}

fn plan_comment(
    comment: &LegacyComment,
    warnings: &mut Vec<String>,
) -> Result<CommentPlan, String> {
    let status = comment_status(comment.status)?;
    let body =
        CommentBody::parse(&html_to_text(&comment.content)).map_err(|e| format!("its text {e}"))?;
    let name = DisplayName::parse(&comment.name).map_err(|e| format!("its author's name {e}"))?;
    let email = match comment.email.trim() {
        "" => None,
        given => Email::parse(given)
            .map_err(|e| warnings.push(format!("its author's email is not kept: it {e}")))
            .ok(),
    };
    if comment.user_id != 0 {
        warnings.push(format!(
            "it was written by NukeViet account {}: accounts are not imported, the name is kept",
            comment.user_id
        ));
    }
    let posted = utc_time(comment.posted).ok_or("it has no post time")?;
    Ok(CommentPlan {
        body,
        name,
        email,
        status,
        posted,
    })
}

/// Where a reply goes: under its parent, or beside it (under the parent's
/// parent) when the parent is as deep as threads go here.
fn reply_position(
    conn: &mut DbConnection,
    parent: Option<i32>,
    article_id: i32,
) -> Result<Option<(i32, i32, i32, bool)>, StoreError> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    let Some(parent) = comments::queries::find(conn, parent)?
        .filter(|parent| parent.article_id == Some(article_id))
    else {
        return Ok(None);
    };
    let root = parent.root_id.unwrap_or(parent.id);
    Ok(Some(if parent.depth >= MAX_DEPTH {
        (parent.parent_id.unwrap_or(root), root, MAX_DEPTH, true)
    } else {
        (parent.id, root, parent.depth + 1, false)
    }))
}

pub(super) fn write_comments(
    conn: &mut DbConnection,
    portal: &Portal,
    articles: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Comment;
    let mut ids = IdMap::new();
    let mut touched = HashSet::new();
    let all = report.of(kind).found + portal.comments.len() as u64;
    for comment in parents_first(&portal.comments, |c| c.id, |c| c.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, comment.id)? {
            report.already_imported(kind);
            ids.insert(comment.id, ours);
            continue;
        }
        if comment.module != "news" {
            let reason = format!(
                "it is on the `{}` module: only news comments are imported",
                comment.module
            );
            report.skip(kind, comment.id, reason);
            continue;
        }
        let Some(&article_id) = articles.get(&comment.article_id) else {
            report.skip(
                kind,
                comment.id,
                format!("its article {} was not imported", comment.article_id),
            );
            continue;
        };
        let mut warnings = Vec::new();
        let plan = match plan_comment(comment, &mut warnings) {
            Ok(plan) => plan,
            Err(reason) => {
                report.skip(kind, comment.id, reason);
                continue;
            }
        };
        let parent = (comment.parent_id != 0).then(|| ids.get(&comment.parent_id).copied());
        if parent == Some(None) {
            warnings.push(format!(
                "its parent comment {} was not imported: it is at the top",
                comment.parent_id
            ));
        }
        let position = reply_position(conn, parent.flatten(), article_id)?;
        if position.is_some_and(|(_, _, _, moved)| moved) {
            warnings.push(format!(
                "it answers a reply {MAX_DEPTH} levels deep, as deep as threads go here: it is placed beside it"
            ));
        }
        // Kept for editors as the API keeps a commenter's address: a parsed one.
        let ip = comment.ip.trim();
        let address = ip.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string());
        if address.is_none() && !ip.is_empty() {
            warnings.push(format!(
                "its address `{ip}` is not an IP address: it is left out"
            ));
        }
        for warning in warnings {
            report.warn(kind, comment.id, warning);
        }
        let row = comments::queries::insert(
            conn,
            &NewComment {
                article_id: Some(article_id),
                document_id: None,
                parent_id: position.map(|(parent, ..)| parent),
                root_id: position.map(|(_, root, ..)| root),
                depth: position.map_or(0, |(_, _, depth, _)| depth),
                body: plan.body.as_str(),
                author_user_id: None,
                author_name: plan.name.as_str(),
                author_email: plan.email.as_ref().map(|email| email.as_str()),
                status: plan.status,
                client_address: address.as_deref(),
                created_at: plan.posted,
                updated_at: plan.posted,
                // The old portal does not tell staff from readers.
                by_staff: false,
            },
        )?;
        comments::queries::set_reaction_counts(
            conn,
            row.id,
            comment.likes.max(0),
            comment.dislikes.max(0),
        )?;
        report.created(kind);
        legacy::remember(conn, SOURCE, kind, comment.id, "", row.id, context.now)?;
        ids.insert(comment.id, row.id);
        touched.insert(article_id);
    }
    for article_id in touched {
        comments::queries::recount(conn, Thread::Article(article_id))?;
    }
    Ok(())
}
