//! Documents (laws rows), then the replacements NukeViet records between them.

use super::*;

/// The document a laws row becomes, or why it cannot.
fn document_request(
    document: &LegacyDocument,
    portal: &Portal,
    context: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Result<CreateDocumentRequest, String> {
    if let Some(why) = restriction(document.status, &document.groups_view) {
        return Err(format!("it is {why}, and the registry here is public"));
    }
    let number = DocumentNumber::parse(&document.code)
        .map_err(|e| format!("its number `{}` {e}", document.code))?;
    let issuing_body = name_of(&portal.issuing_bodies, document.subject_id).ok_or_else(|| {
        format!(
            "its issuing body (subject {}) is not in the dump",
            document.subject_id
        )
    })?;
    let (kind, mismatch) =
        document_kind(&number, name_of(&portal.document_types, document.type_id));
    warnings.extend(mismatch);
    let signer = name_of(&portal.signers, document.signer_id);
    if document.signer_id != 0 && signer.is_none() {
        warnings.push(format!(
            "its signer {} is not in the dump",
            document.signer_id
        ));
    }
    if !document.related.is_empty() {
        warnings.push(format!(
            "its links to related documents {:?} are not kept: relations here say how (implements, amends, supersedes)",
            document.related
        ));
    }
    let summary = html_to_text(&document.introtext);
    let draft = document.approval == 0;
    let consultation = |unix| {
        utc_time(unix)
            .filter(|_| draft)
            .and_then(|t| Timestamp::new(t.and_utc().fixed_offset()))
    };
    let date = |unix| local_date(unix, context.offset).and_then(CalendarDate::new);
    Ok(CreateDocumentRequest {
        number: number.to_string(),
        title: if summary.is_empty() {
            document.title.clone()
        } else {
            summary
        },
        issuing_body: issuing_body.to_owned(),
        kind: Some(kind),
        issued_on: date(document.issued),
        effective_on: date(document.effective),
        expires_on: date(document.expires),
        signer: signer.map(str::to_owned),
        draft,
        consultation_from: consultation(document.consultation_from),
        consultation_to: consultation(document.consultation_to),
        related: None,
        area_ids: None,
        lang: None,
    })
}

/// The registered document this row is: the one with its number, when it
/// was issued the same day. The registry holds one document per number, so
/// the same number issued another day (another year's 24/KH-UBND) is an error.
fn same_document(
    conn: &mut DbConnection,
    fields: &DocumentFields,
) -> Result<Result<Option<i32>, String>, StoreError> {
    let Some(existing) = documents::queries::id_of_number(conn, &fields.number)? else {
        return Ok(Ok(None));
    };
    let issued_on = documents::queries::find_row(conn, existing)?.and_then(|row| row.issued_on);
    if issued_on == fields.issued_on {
        return Ok(Ok(Some(existing)));
    }
    let date = |on: Option<chrono::NaiveDate>| on.map_or("no date".to_owned(), |on| on.to_string());
    Ok(Err(format!(
        "the registry already has a {} issued on {}, and this one was issued on {}: the registry holds one document per number",
        fields.number,
        date(issued_on),
        date(fields.issued_on)
    )))
}

pub(super) fn write_documents(
    conn: &mut DbConnection,
    portal: &Portal,
    areas: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Document;
    let mut ids = IdMap::new();
    let mut created = HashSet::new();
    let all = report.of(kind).found + portal.documents.len() as u64;
    for document in &portal.documents {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, document.id)? {
            report.already_imported(kind);
            ids.insert(document.id, ours);
            continue;
        }
        let mut warnings = Vec::new();
        let fields =
            document_request(document, portal, context, &mut warnings).and_then(|request| {
                documents::new_fields(&request, context.lang, context.now).map_err(reason_of)
            });
        let fields = match fields {
            Ok(fields) => fields,
            Err(reason) => {
                report.skip(kind, document.id, reason);
                continue;
            }
        };
        for warning in warnings {
            report.warn(kind, document.id, warning);
        }
        let existing = match same_document(conn, &fields)? {
            Ok(existing) => existing,
            Err(reason) => {
                report.skip(kind, document.id, reason);
                continue;
            }
        };
        let ours = match existing {
            Some(existing) => {
                let how = format!(
                    "linked to {} already in the registry (left as it is)",
                    fields.number
                );
                report.matched(kind, document.id, how);
                existing
            }
            None => {
                report.created(kind);
                let id = documents::queries::insert(
                    conn,
                    &NewDocument {
                        fields,
                        created_at: context.now,
                    },
                )?;
                documents::queries::add_views(conn, &[(id, document.views.max(0))])?;
                documents::queries::add_downloads(conn, &[(id, document.downloads.max(0))])?;
                let area_ids = mapped(&document.area_ids, areas, |missing| {
                    report.warn(
                        kind,
                        document.id,
                        format!("its area {missing} was not imported"),
                    );
                });
                areas::queries::replace_document_areas(conn, id, &area_ids)?;
                created.insert(id);
                id
            }
        };
        legacy::remember(
            conn,
            SOURCE,
            kind,
            document.id,
            &document.alias,
            ours,
            context.now,
        )?;
        ids.insert(document.id, ours);
    }
    // Supersessions once every document is in: a row may name a later one.
    write_supersessions(conn, portal, &ids, &created, report)
}

/// Adds "R supersedes P" for each document R that NukeViet says replaces P,
/// when this run created either. Links are only added, never replaced, so
/// whichever row comes first, the other's links stay.
fn write_supersessions(
    conn: &mut DbConnection,
    portal: &Portal,
    ids: &IdMap,
    created: &HashSet<i32>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Document;
    let mut links = BTreeSet::new();
    for document in &portal.documents {
        for replacing in &document.replaced_by {
            match (ids.get(replacing), ids.get(&document.id)) {
                (Some(&new), Some(&old)) => {
                    if new != old && (created.contains(&new) || created.contains(&old)) {
                        links.insert((new, old));
                    }
                }
                (None, Some(_)) => report.warn(
                    kind,
                    document.id,
                    format!("document {replacing} replaces it, but was not imported: the link is not kept"),
                ),
                (Some(_), None) => report.warn(
                    kind,
                    *replacing,
                    format!("it replaces document {}, which was not imported: the link is not kept", document.id),
                ),
                (None, None) => {}
            }
        }
    }
    let links: Vec<(i32, i32)> = links.into_iter().collect();
    documents::queries::add_supersessions(conn, &links)?;
    Ok(())
}
