//! Articles, each with its tags, rating and the documents it cites.

use super::*;

/// An article as it is stored here.
struct ArticlePlan {
    slug: Slug,
    title: Title,
    summary: String,
    body: SafeHtml,
    body_text: String,
    byline: String,
    cover_image_url: Option<String>,
    category_id: Option<i32>,
    status: articles::ArticleStatus,
    published_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    tags: Tags,
}

/// The cover image as an absolute URL: as stored when it is one, under the
/// old site's uploads when it is a path.
fn cover_image(article: &LegacyArticle, site_url: Option<&str>) -> Result<Option<String>, String> {
    let file = article.image_file.trim();
    if file.is_empty() {
        return Ok(None);
    }
    if file.starts_with("http://") || file.starts_with("https://") {
        return parse_image_url(file).map(Some);
    }
    match site_url {
        Some(site) => parse_image_url(&format!(
            "{}/uploads/news/{}",
            site.trim_end_matches('/'),
            file.trim_start_matches('/')
        ))
        .map(Some),
        None => Err(format!(
            "its image `{file}` is a path on the old site: give --site-url to keep it"
        )),
    }
}

fn plan_article(
    conn: &mut DbConnection,
    article: &LegacyArticle,
    body_html: Option<&str>,
    categories: &IdMap,
    context: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Result<Result<ArticlePlan, String>, StoreError> {
    let title = match Title::parse(&article.title) {
        Ok(title) => title,
        Err(e) => return Ok(Err(format!("its title {e}"))),
    };
    let Some(published_at) = utc_time(article.published).or_else(|| utc_time(article.added)) else {
        return Ok(Err("it has no publication or creation time".into()));
    };
    let expires = utc_time(article.expires);
    let status = match article_status(article.status, published_at, expires, context.now) {
        Ok(status) => status,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Some(expires) = expires.filter(|at| *at > context.now) {
        warnings.push(format!(
            "it expires at {expires} UTC in NukeViet; articles here do not expire by themselves: archive it then"
        ));
    }
    let body_html = body_html.unwrap_or_else(|| {
        warnings.push("it has no row in `_news_detail`: it is imported without a body".into());
        ""
    });
    let body = match SafeHtml::sanitise(body_html) {
        Ok(body) => body,
        Err(e) => return Ok(Err(format!("its body {e}"))),
    };
    let body_text = html_to_text(body.as_str());
    let summary = match summary_of(Some(&article.hometext), &body_text) {
        Ok(summary) => summary,
        Err(e) => return Ok(Err(format!("its hometext {e}"))),
    };
    let byline = match Byline::parse(&article.author) {
        Ok(byline) => byline,
        Err(e) => return Ok(Err(format!("its author {e}"))),
    };
    let cover_image_url = cover_image(article, context.site_url).unwrap_or_else(|reason| {
        warnings.push(reason);
        None
    });
    let category_id = categories.get(&article.category_id).copied();
    if category_id.is_none() && article.category_id != 0 {
        warnings.push(format!(
            "its category {} was not imported",
            article.category_id
        ));
    }
    let others: Vec<i64> = (article.category_ids.iter())
        .filter(|id| **id != article.category_id)
        .copied()
        .collect();
    if !others.is_empty() {
        warnings.push(format!(
            "it is also listed in categories {others:?}: an article here is filed under its main category only"
        ));
    }
    let tags = Tags::parse(&article.tags).unwrap_or_else(|e| {
        warnings.push(format!("its tags are not kept: {e}"));
        Tags::default()
    });
    let Some(wanted) = slug_from(&article.alias, title.as_str()) else {
        return Ok(Err("no slug can be made from its alias or title".into()));
    };
    let Some(slug) = wanted.first_free(1000, |slug| {
        articles::queries::slug_taken(conn, context.lang.as_str(), slug)
    })?
    else {
        return Ok(Err(format!(
            "the slug `{wanted}` and its numbered variants are taken"
        )));
    };
    if slug != wanted {
        warnings.push(format!("its slug `{wanted}` is taken here: it is `{slug}`"));
    }
    let created_at = utc_time(article.added).unwrap_or(published_at);
    Ok(Ok(ArticlePlan {
        slug,
        title,
        summary,
        body,
        body_text,
        byline,
        cover_image_url,
        category_id,
        status,
        published_at,
        created_at,
        updated_at: utc_time(article.edited)
            .unwrap_or(created_at)
            .max(created_at),
        tags,
    }))
}

/// An article's rating as (total, count) of votes of 1 to 5 stars each:
/// a total outside that is brought within it, and a count too large to
/// hold five stars a vote is dropped. `Err` holds what is kept and why.
fn rating_of(article: &LegacyArticle) -> Result<(i64, i64), ((i64, i64), String)> {
    let (total, count) = (article.rating_total, article.rating_count);
    let said = format!("its rating, {total} points from {count} votes,");
    if total < 0 || count < 0 {
        return Err(((0, 0), format!("{said} is negative: it is not kept")));
    }
    let Some(most) = count.checked_mul(5) else {
        return Err((
            (0, 0),
            format!("{said} is too large to hold: it is not kept"),
        ));
    };
    if count == 0 {
        return match total {
            0 => Ok((0, 0)),
            _ => Err(((0, 0), format!("{said} has no votes: it is not kept"))),
        };
    }
    let kept = total.clamp(count, most);
    if kept != total {
        return Err((
            (kept, count),
            format!("{said} is not one of 1 to 5 stars a vote: it is kept as {kept} points"),
        ));
    }
    Ok((total, count))
}

pub(super) fn write_articles(
    conn: &mut DbConnection,
    portal: &mut Portal,
    categories: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, Abort> {
    let kind = LegacyKind::Article;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.articles.len() as u64;
    for article in &portal.articles {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, article.id)? {
            report.already_imported(kind);
            ids.insert(article.id, ours);
            continue;
        }
        if let Some(reason) = restricted_category(portal, article) {
            report.skip(kind, article.id, reason);
            continue;
        }
        let mut warnings = Vec::new();
        let body = portal.bodies.get(article.id).map_err(Abort::Spool)?;
        let planned = plan_article(
            conn,
            article,
            body.as_deref(),
            categories,
            context,
            &mut warnings,
        );
        let plan = match planned? {
            Ok(plan) => plan,
            Err(reason) => {
                report.skip(kind, article.id, reason);
                continue;
            }
        };
        for warning in warnings {
            report.warn(kind, article.id, warning);
        }
        let (total, count) = rating_of(article).unwrap_or_else(|(kept, reason)| {
            report.warn(kind, article.id, reason);
            kept
        });
        let id = articles::queries::insert(
            conn,
            &NewArticle {
                cover_image_url: plan.cover_image_url.as_deref(),
                category_id: plan.category_id,
                view_count: article.views.max(0),
                rating_total: total,
                rating_count: count,
                created_at: plan.created_at,
                ..NewArticle::new(
                    ArticleText {
                        slug: plan.slug.as_str(),
                        title: plan.title.as_str(),
                        summary: &plan.summary,
                        body_html: plan.body.as_str(),
                        body_text: &plan.body_text,
                        byline: &plan.byline,
                        lang: context.lang.as_str(),
                    },
                    plan.status,
                    Some(plan.published_at),
                    plan.updated_at,
                )
            },
        )?;
        ratings::queries::set_aggregate(conn, id, total, count)?;
        articles::queries::replace_tags(conn, id, plan.tags.as_slice())?;
        let text = [plan.title.as_str(), &plan.summary, &plan.body_text];
        articles::writes::link_citations_in(conn, id, &text)?;
        report.created(kind);
        legacy::remember(
            conn,
            SOURCE,
            kind,
            article.id,
            &article.alias,
            id,
            context.now,
        )?;
        ids.insert(article.id, id);
    }
    Ok(ids)
}
