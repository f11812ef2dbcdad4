//! Categories and areas, parents first.

use super::*;

pub(super) fn write_categories(
    conn: &mut DbConnection,
    portal: &Portal,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, StoreError> {
    let kind = LegacyKind::Category;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.categories.len() as u64;
    for category in parents_first(&portal.categories, |c| c.id, |c| c.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, category.id)? {
            report.already_imported(kind);
            ids.insert(category.id, ours);
            continue;
        }
        if let Some(why) = category_restriction(category) {
            let reason = format!("it is {why}, and categories here are public");
            report.skip(kind, category.id, reason);
            continue;
        }
        let name = match DisplayName::parse(&category.title) {
            Ok(name) => name,
            Err(e) => {
                report.skip(kind, category.id, format!("its title {e}"));
                continue;
            }
        };
        let Some(slug) = slug_from(&category.alias, name.as_str()) else {
            report.skip(
                kind,
                category.id,
                "no slug can be made from its alias or title",
            );
            continue;
        };
        let description = categories::description(&category.description).unwrap_or_else(|e| {
            report.warn(
                kind,
                category.id,
                format!("its description {e}: it is left out"),
            );
            String::new()
        });
        let parent_id = match category.parent_id {
            0 => None,
            parent => ids.get(&parent).copied().or_else(|| {
                report.warn(
                    kind,
                    category.id,
                    format!("its parent {parent} was not imported: it is at the top"),
                );
                None
            }),
        };
        let ours = match categories::queries::find_by_key(
            conn,
            &IdOrSlug::Slug(slug.clone()),
            Some(context.lang),
            context.lang,
        )? {
            Some(existing) => {
                report.matched(
                    kind,
                    category.id,
                    format!("linked to the category `{slug}` already here"),
                );
                existing.id
            }
            None => {
                report.created(kind);
                categories::queries::insert(
                    conn,
                    &NewCategory {
                        parent_id,
                        slug: slug.as_str(),
                        name: name.as_str(),
                        description: &description,
                        lang: context.lang.as_str(),
                        created_at: context.now,
                        updated_at: context.now,
                    },
                )?
                .id
            }
        };
        legacy::remember(
            conn,
            SOURCE,
            kind,
            category.id,
            &category.alias,
            ours,
            context.now,
        )?;
        ids.insert(category.id, ours);
    }
    Ok(ids)
}

pub(super) fn write_areas(
    conn: &mut DbConnection,
    portal: &Portal,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, StoreError> {
    let kind = LegacyKind::Area;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.areas.len() as u64;
    for area in parents_first(&portal.areas, |a| a.id, |a| a.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, area.id)? {
            report.already_imported(kind);
            ids.insert(area.id, ours);
            continue;
        }
        let name = area.title.trim();
        let (Some(slug), false) = (slug_from(&area.alias, name), name.is_empty()) else {
            report.skip(kind, area.id, "it has no usable title");
            continue;
        };
        let parent_id = (area.parent_id != 0)
            .then(|| ids.get(&area.parent_id).copied())
            .flatten();
        let ours = match areas::queries::find_by_key(conn, &IdOrSlug::Slug(slug.clone()))? {
            Some(existing) => {
                report.matched(
                    kind,
                    area.id,
                    format!("linked to the area `{slug}` already here"),
                );
                existing.id
            }
            None => {
                report.created(kind);
                areas::queries::insert(conn, parent_id, slug.as_str(), name, context.now)?.id
            }
        };
        legacy::remember(conn, SOURCE, kind, area.id, &area.alias, ours, context.now)?;
        ids.insert(area.id, ours);
    }
    Ok(ids)
}
