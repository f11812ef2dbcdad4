//! SQL for the media library.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{ImageRow, NewImage, NewVariant, StoredImage, VariantRow};
use crate::db::DbConnection;
use crate::db::schema::{articles, media, media_variants};

pub fn insert(conn: &mut DbConnection, image: &NewImage<'_>) -> QueryResult<ImageRow> {
    diesel::insert_into(media::table)
        .values(image)
        .returning(crate::db::selection::<ImageRow>())
        .get_result(conn)
}

pub fn insert_variant(
    conn: &mut DbConnection,
    variant: &NewVariant<'_>,
) -> QueryResult<VariantRow> {
    diesel::insert_into(media_variants::table)
        .values(variant)
        .returning(crate::db::selection::<VariantRow>())
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ImageRow>> {
    media::table
        .find(id)
        .select(ImageRow::as_select())
        .first(conn)
        .optional()
}

/// The image `id` with its variants.
pub fn find_stored(conn: &mut DbConnection, id: i32) -> QueryResult<Option<StoredImage>> {
    Ok(stored(conn, &[id])?.remove(&id))
}

/// The images `ids` with their variants, by id: the covers of a page of
/// articles in two statements, none when there is none.
pub fn stored(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<HashMap<i32, StoredImage>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<ImageRow> = crate::db::on_engine!(conn, conn => media::table
        .filter(crate::db::one_of(media::id, ids))
        .select(ImageRow::as_select())
        .load(conn))?;
    let mut images: HashMap<i32, StoredImage> = rows
        .into_iter()
        .map(|row| {
            let image = StoredImage {
                row,
                variants: Vec::new(),
            };
            (image.row.id, image)
        })
        .collect();
    for variant in variants_of(conn, ids)? {
        if let Some(image) = images.get_mut(&variant.media_id) {
            image.variants.push(variant);
        }
    }
    Ok(images)
}

/// Whether an image or a variant of the library has these bytes in this
/// type: what its file URL names.
pub fn is_image_file(
    conn: &mut DbConnection,
    sha256: &str,
    content_type: &str,
) -> QueryResult<bool> {
    let image = diesel::dsl::exists(
        media::table
            .filter(media::sha256.eq(sha256))
            .filter(media::content_type.eq(content_type)),
    );
    let variant = diesel::dsl::exists(
        media_variants::table
            .filter(media_variants::sha256.eq(sha256))
            .filter(media_variants::content_type.eq(content_type)),
    );
    diesel::select(image.or(variant)).get_result(conn)
}

/// Which of `ids` are images.
pub fn existing(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<i32>> {
    media::table
        .filter(media::id.eq_any(ids))
        .select(media::id)
        .load(conn)
}

/// The variants of these images, by image, each narrowest first (a width
/// in the image's own type, then in WebP: `image/webp` sorts last).
pub fn variants_of(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<VariantRow>> {
    crate::db::on_engine!(conn, conn => {
        media_variants::table
            .filter(crate::db::one_of(media_variants::media_id, ids))
            .order((
                media_variants::media_id,
                media_variants::width,
                media_variants::content_type,
            ))
            .select(VariantRow::as_select())
            .load(conn)
    })
}

/// The variant of image `id` at `width` in `content_type`.
pub fn variant(
    conn: &mut DbConnection,
    id: i32,
    width: i32,
    content_type: &str,
) -> QueryResult<Option<VariantRow>> {
    media_variants::table
        .filter(media_variants::media_id.eq(id))
        .filter(media_variants::width.eq(width))
        .filter(media_variants::content_type.eq(content_type))
        .select(VariantRow::as_select())
        .first(conn)
        .optional()
}

/// Images newest first (ids only grow), keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    limit: u32,
    offset: i64,
    before_id: Option<i32>,
) -> QueryResult<(Vec<StoredImage>, i64)> {
    let total = media::table.count().get_result(conn)?;
    let mut query = media::table
        .order(media::id.desc())
        .select(ImageRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(before_id) = before_id {
        query = query.filter(media::id.lt(before_id));
    }
    let rows = query.load(conn)?;
    Ok((with_variants(conn, rows)?, total))
}

fn with_variants(conn: &mut DbConnection, rows: Vec<ImageRow>) -> QueryResult<Vec<StoredImage>> {
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    let mut by_image: HashMap<i32, Vec<VariantRow>> = HashMap::new();
    for variant in variants_of(conn, &ids)? {
        by_image.entry(variant.media_id).or_default().push(variant);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let variants = by_image.remove(&row.id).unwrap_or_default();
            StoredImage { row, variants }
        })
        .collect())
}

/// Changes to an image's texts; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = media)]
pub struct ImageChanges<'a> {
    pub alt: Option<&'a str>,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn update(
    conn: &mut DbConnection,
    id: i32,
    changes: &ImageChanges<'_>,
) -> QueryResult<ImageRow> {
    diesel::update(media::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<ImageRow>())
        .get_result(conn)
}

/// Removes an image and its variants (not left to the cascade: the rows
/// are gone before the caller asks whether their bytes are still held).
pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(media_variants::table.filter(media_variants::media_id.eq(id))).execute(conn)?;
    diesel::delete(media::table.find(id)).execute(conn)
}

/// Whether an article shows image `id`: as its cover or its social preview.
fn shows(
    id: i32,
) -> diesel::dsl::Or<
    diesel::dsl::Eq<articles::cover_media_id, i32>,
    diesel::dsl::Eq<articles::og_media_id, i32>,
> {
    articles::cover_media_id
        .eq(id)
        .or(articles::og_media_id.eq(id))
}

/// The articles showing the image (those in the trash too: they may come
/// back): how many, and the first `shown` of their ids.
pub fn covered(conn: &mut DbConnection, id: i32, shown: i64) -> QueryResult<(i64, Vec<i32>)> {
    let count = articles::table.filter(shows(id)).count().get_result(conn)?;
    if count == 0 {
        return Ok((0, Vec::new()));
    }
    let ids = articles::table
        .filter(shows(id))
        .order(articles::id)
        .select(articles::id)
        .limit(shown)
        .load(conn)?;
    Ok((count, ids))
}
