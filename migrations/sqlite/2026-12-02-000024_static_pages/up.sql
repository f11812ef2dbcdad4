-- Static pages (NukeViet's "page" module): "Giới thiệu", "Liên hệ", "Sơ đồ
-- tổ chức". A slug names a page within its language, so a portal in two
-- languages keeps one address per page in each (gioi-thieu in vi and en).
CREATE TABLE pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- A BCP 47 tag, spelt as lang::Lang spells it (vi, en, vi-VN).
    lang TEXT NOT NULL DEFAULT 'vi',
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    -- Sanitised on write, as articles' bodies are.
    body_html TEXT NOT NULL DEFAULT '',
    -- The order in menus, smallest first, then by id.
    position INTEGER NOT NULL DEFAULT 0,
    published BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (lang, slug)
);
-- Lists in menu order, paged by keyset on (position, id).
CREATE INDEX pages_in_menu_order ON pages (position, id);
