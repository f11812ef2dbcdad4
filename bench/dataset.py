"""Fills a migrated bulletin-api database with a realistic newsroom:
Vietnamese articles in categories, with tags, cited documents, comments and
ratings. Usage: python3 bench/dataset.py DATABASE ARTICLES"""

import json
import random
import sqlite3
import sys
import unicodedata

database, count = sys.argv[1], int(sys.argv[2])
random.seed(7)
seed = json.load(open("src/demo/seed-article.json", encoding="utf-8"))
paragraphs = [p for p in seed["article"]["body_html"].split("</p>") if p.strip()]
words = ("cải cách hành chính chuyển đổi số chính quyền điện tử thủ tục một cửa liên thông "
         "người dân doanh nghiệp hài lòng đánh giá kế hoạch quyết định triển khai kiểm tra "
         "tỉnh huyện xã phường công chức viên chức đào tạo bồi dưỡng thi đua khen thưởng").split()


def slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def text_of(html: str) -> str:
    out, inside = [], False
    for c in html:
        if c == "<":
            inside = True
        elif c == ">":
            inside = False
        elif not inside:
            out.append(c)
    return "".join(out)


db = sqlite3.connect(database)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = OFF")
# A loader's settings: pages stay in memory until the end (100,000 articles
# write about a gigabyte through the full-text index).
db.execute("PRAGMA cache_size = -1000000")
db.execute("PRAGMA temp_store = MEMORY")
now = "2026-11-24 08:00:00"
categories = []
for n, name in enumerate(["Cải cách hành chính", "Chuyển đổi số", "Thi đua khen thưởng",
                          "Tổ chức bộ máy", "Văn thư lưu trữ", "Tôn giáo", "Thanh niên",
                          "Công chức viên chức", "Chính quyền địa phương", "Tin tổng hợp"]):
    cursor = db.execute(
        "INSERT INTO categories (parent_id, slug, name, description, version, created_at, updated_at) "
        "VALUES (NULL, ?, ?, '', 1, ?, ?) ON CONFLICT (slug) DO NOTHING", (slug(name) + "-bench", name, now, now))
    categories.append(cursor.lastrowid)

numbers = []
for n in range(max(count // 10, 10)):
    code = random.choice(["QĐ", "KH", "CT", "TB", "BC"])
    number = f"{1000 + n}/{code}-UBND"
    numbers.append(number)
    db.execute(
        "INSERT INTO documents (number, kind, type_code, issuer_code, year, issuing_body, issued_on, "
        "effective_on, signer, title, is_draft, version, created_at, updated_at) "
        "VALUES (?, ?, ?, 'UBND', 2023, 'UBND tỉnh Bình Định', '2023-03-01', '2023-03-01', '', ?, 0, 1, ?, ?)",
        (number, {"QĐ": "decision", "KH": "plan", "CT": "directive", "TB": "notice", "BC": "report"}[code],
         code, "Về " + " ".join(random.sample(words, 8)), now, now))

for n in range(count):
    title = " ".join(random.sample(words, 9)).capitalize() + f" {n}"
    cited = random.sample(numbers, 2)
    body = "</p>".join(random.sample(paragraphs, min(4, len(paragraphs)))) + (
        f"</p><p>Thực hiện Quyết định số {cited[0]} ngày 01/3/2023 và Kế hoạch số {cited[1]}.</p>")
    body_text = text_of(body)
    day = 1 + n % 28
    published = f"2025-{1 + n % 12:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00"
    votes = random.randint(0, 20)
    stars = [random.randint(1, 5) for _ in range(votes)]
    cursor = db.execute(
        "INSERT INTO articles (slug, title, summary, body_html, body_text, cover_image_url, byline, status, "
        "published_at, view_count, comment_count, rating_total, rating_count, version, created_at, updated_at, "
        "category_id, rated_1, rated_2, rated_3, rated_4, rated_5) "
        "VALUES (?, ?, ?, ?, ?, NULL, 'Văn phòng Sở', 'published', ?, ?, 3, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        (slug(title), title, body_text[:240], body, body_text, published, random.randint(0, 5000),
         sum(stars), votes, published, published, random.choice(categories),
         *[stars.count(s) for s in range(1, 6)]))
    article = cursor.lastrowid
    for tag in random.sample(words, 2):
        db.execute("INSERT OR IGNORE INTO article_tags (article_id, tag, tag_key) VALUES (?, ?, ?)", (article, tag, tag))
    for position, number in enumerate(cited):
        db.execute("INSERT INTO article_references (article_id, number, issued_on, position) VALUES (?, ?, '2023-03-01', ?)",
                   (article, number, position))
    for c in range(3):
        db.execute(
            "INSERT INTO comments (article_id, depth, body, author_name, status, likes, dislikes, created_at, updated_at) "
            "VALUES (?, 0, ?, 'Bạn đọc', 'approved', ?, 0, ?, ?)",
            (article, "Ý kiến về " + " ".join(random.sample(words, 6)), random.randint(0, 9), published, published))
    if n % 5000 == 0:
        db.commit()
db.commit()
db.execute("ANALYZE")
db.commit()
# Everything in the database file, so a copy of the file is the whole dataset.
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"{count} articles, {len(numbers)} documents")
