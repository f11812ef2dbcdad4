//! The three feed formats, from one list of entries.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// What every format says of an article.
pub struct Entry {
    pub id: i32,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub content_html: String,
    pub byline: String,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub published: DateTime<FixedOffset>,
    pub updated: DateTime<FixedOffset>,
    pub cover: Option<Cover>,
}

/// An article's cover image, as feeds carry it.
pub struct Cover {
    /// Absolute.
    pub url: String,
    /// Type and size, known for an image of the media library: what an RSS
    /// enclosure must state, so only such a cover is one.
    pub file: Option<(String, i64)>,
}

/// What every format says of the feed.
pub struct Channel {
    /// What its articles are written in, a BCP 47 tag.
    pub language: String,
    pub title: String,
    /// Where the articles are (the list in the API).
    pub home_url: String,
    /// This feed's own URL.
    pub feed_url: String,
    pub description: String,
    pub updated: DateTime<FixedOffset>,
    pub entries: Vec<Entry>,
}

/// A stable id for an entry, the same in every format: an RFC 4151 tag URI
/// on the site's host name (a tag names a host, never a port).
fn entry_id(channel: &Channel, entry: &Entry) -> String {
    let authority = channel
        .home_url
        .split_once("://")
        .map_or(channel.home_url.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    format!("tag:{host},2023:article:{}", entry.id)
}

pub fn rss(channel: &Channel) -> String {
    let items = channel
        .entries
        .iter()
        .map(|entry| rss::Item {
            title: Some(entry.title.clone()),
            link: Some(entry.url.clone()),
            // RSS readers take a description as HTML: the summary is text.
            description: Some(crate::text::escape_html(&entry.summary)),
            author: None,
            categories: entry
                .category
                .iter()
                .chain(&entry.tags)
                .map(|name| rss::Category {
                    name: name.clone(),
                    domain: None,
                })
                .collect(),
            guid: Some(rss::Guid {
                value: entry_id(channel, entry),
                permalink: false,
            }),
            pub_date: Some(entry.published.to_rfc2822()),
            content: Some(entry.content_html.clone()),
            enclosure: entry.cover.as_ref().and_then(|cover| {
                let (content_type, size) = cover.file.as_ref()?;
                Some(rss::Enclosure {
                    url: cover.url.clone(),
                    length: size.to_string(),
                    mime_type: content_type.clone(),
                })
            }),
            dublin_core_ext: Some(rss::extension::dublincore::DublinCoreExtension {
                creators: vec![entry.byline.clone()],
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let feed = rss::Channel {
        title: channel.title.clone(),
        link: channel.home_url.clone(),
        description: channel.description.clone(),
        language: Some(channel.language.clone()),
        last_build_date: Some(channel.updated.to_rfc2822()),
        generator: Some("bulletin-api".into()),
        items,
        namespaces: [
            ("content", "http://purl.org/rss/1.0/modules/content/"),
            ("dc", "http://purl.org/dc/elements/1.1/"),
        ]
        .into_iter()
        .map(|(prefix, uri)| (prefix.to_owned(), uri.to_owned()))
        .collect(),
        ..Default::default()
    };
    feed.to_string()
}

pub fn atom(channel: &Channel) -> String {
    let link = |href: &str, rel: &str, mime: &str| atom_syndication::Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: Some(mime.to_owned()),
        ..Default::default()
    };
    let entries = channel
        .entries
        .iter()
        .map(|entry| atom_syndication::Entry {
            id: entry_id(channel, entry),
            title: atom_syndication::Text::plain(entry.title.clone()),
            updated: entry.updated,
            published: Some(entry.published),
            authors: vec![atom_syndication::Person {
                name: entry.byline.clone(),
                ..Default::default()
            }],
            links: std::iter::once(link(&entry.url, "alternate", "application/json"))
                .chain(entry.cover.as_ref().map(|cover| {
                    atom_syndication::Link {
                        href: cover.url.clone(),
                        rel: "enclosure".into(),
                        mime_type: cover
                            .file
                            .as_ref()
                            .map(|(content_type, _)| content_type.clone()),
                        length: cover.file.as_ref().map(|(_, size)| size.to_string()),
                        ..Default::default()
                    }
                }))
                .collect(),
            summary: Some(atom_syndication::Text::plain(entry.summary.clone())),
            content: Some(atom_syndication::Content {
                value: Some(entry.content_html.clone()),
                content_type: Some("html".into()),
                ..Default::default()
            }),
            categories: entry
                .category
                .iter()
                .chain(&entry.tags)
                .map(|term| atom_syndication::Category {
                    term: term.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let feed = atom_syndication::Feed {
        id: channel.feed_url.clone(),
        title: atom_syndication::Text::plain(channel.title.clone()),
        updated: channel.updated,
        subtitle: Some(atom_syndication::Text::plain(channel.description.clone())),
        links: vec![
            link(&channel.feed_url, "self", "application/atom+xml"),
            link(&channel.home_url, "alternate", "application/json"),
        ],
        generator: Some(atom_syndication::Generator {
            value: "bulletin-api".into(),
            ..Default::default()
        }),
        lang: Some("vi".into()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

/// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    content_html: &'a str,
    date_published: String,
    date_modified: String,
    authors: [JsonAuthor<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    /// The cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

pub fn json(channel: &Channel) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &channel.title,
        home_page_url: &channel.home_url,
        feed_url: &channel.feed_url,
        description: &channel.description,
        language: &channel.language,
        items: channel
            .entries
            .iter()
            .map(|entry| JsonItem {
                id: entry_id(channel, entry),
                url: &entry.url,
                title: &entry.title,
                summary: &entry.summary,
                content_html: &entry.content_html,
                date_published: entry.published.to_rfc3339(),
                date_modified: entry.updated.to_rfc3339(),
                authors: [JsonAuthor {
                    name: &entry.byline,
                }],
                tags: entry
                    .category
                    .iter()
                    .chain(&entry.tags)
                    .map(String::as_str)
                    .collect(),
                image: entry.cover.as_ref().map(|cover| cover.url.as_str()),
            })
            .collect(),
    };
    serde_json::to_string(&feed).expect("a feed serialises")
}
