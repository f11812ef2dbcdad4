"""Writes the dump of a NukeViet 4.5 newsroom of ARTICLES articles, as
mariadb-dump writes it, for the benchmark to load through
`bulletin-api import nukeviet`: the sample portal of the importer's tests
(tests/fixtures/nukeviet) with generated articles (400–900-word Vietnamese
bodies citing its documents, tags, the per-category copies NukeViet keeps),
comments and documents added to its tables in extended inserts.

Usage: python3 bench/dump.py ARTICLES > dump.sql"""

import json
import random
import re
import sys

count = int(sys.argv[1])
random.seed(7)
sample = open("tests/fixtures/nukeviet/nukeviet-sample.sql", encoding="utf-8").read()
seed = json.load(open("src/demo/seed-article.json", encoding="utf-8"))
paragraphs = [p.removeprefix("<p>") for p in seed["article"]["body_html"].split("</p>") if p.strip()]
words = ("cải cách hành chính chuyển đổi số chính quyền điện tử thủ tục một cửa liên thông "
         "người dân doanh nghiệp hài lòng đánh giá kế hoạch quyết định triển khai kiểm tra "
         "tỉnh huyện xã phường công chức viên chức đào tạo bồi dưỡng thi đua khen thưởng "
         "văn thư lưu trữ tổ chức bộ máy tôn giáo thanh niên địa phương tổng hợp").split()
# The sample's visible categories that have NukeViet's per-category copy table.
categories = [1, 8, 9]
first_id = 100_000
start = 1_577_836_800  # 2020-01-01
rows_per_insert = 50


def columns(table: str) -> list[tuple[str, bool]]:
    """The columns of `table` in the sample, each with whether it holds numbers."""
    block = re.search(rf"CREATE TABLE `{table}` \((.*?)\n\) ", sample, re.S).group(1)
    return [(name, "int(" in kind) for name, kind in re.findall(r"^  `(\w+)` (\S+)", block, re.M)]


def quoted(value) -> str:
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return f"'{text}'"


def ascii_slug(text: str) -> str:
    import unicodedata
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


generated: dict[str, list[str]] = {}


def add(table: str, **values) -> None:
    """One row of `table`: the columns given, the others 0 or empty."""
    row = [quoted(values.get(name, 0 if numeric else "")) for name, numeric in columns_of[table]]
    generated.setdefault(table, []).append("(" + ",".join(row) + ")")


prefix = "nv4_vi_"
tables = ["news_rows", "news_detail", "news_tags_id", "comment", "laws_row"] + [f"news_{c}" for c in categories]
columns_of = {prefix + t: columns(prefix + t) for t in tables}

numbers = []
for n in range(max(count // 10, 10)):
    code, cid = random.choice([("QĐ", 1), ("KH", 2)])
    number = f"{1000 + n}/{code}-UBND"
    numbers.append(number)
    title = "Về " + " ".join(random.sample(words, 8))
    add(prefix + "laws_row", id=first_id + n, title=title, alias=ascii_slug(title) + f"-{n}", code=number,
        area_ids="1", cid=cid, sid=1, introtext=title, keywords="", groups_view="6", groups_download="6",
        status=1, approval=1, addtime=start, edittime=start, publtime=start, startvalid=start)

comment_id = first_id
for n in range(count):
    article = first_id + n
    title = " ".join(random.sample(words, 9)).capitalize() + f" {n}"
    catid = random.choice(categories)
    published = start + n * 900
    cited = random.sample(numbers, 2)
    target = random.randint(400, 900)
    body, length = [], 0
    while length < target:
        text = random.choice(paragraphs)
        body.append(f"<p>{text}</p>")
        length += len(text.split())
    body.append(f"<p>Thực hiện Quyết định số {cited[0]} ngày 01/3/2023 và Kế hoạch số {cited[1]}.</p>")
    votes = random.randint(0, 20)
    row = dict(id=article, catid=catid, listcatid=str(catid), author="Văn phòng Sở", addtime=published,
               edittime=published, status=1, publtime=published, title=title, alias=ascii_slug(title),
               hometext=" ".join(random.sample(words, 30)).capitalize() + ".", hitstotal=random.randint(0, 5000),
               total_rating=sum(random.randint(1, 5) for _ in range(votes)), click_rating=votes, allowed_comm="6")
    add(prefix + "news_rows", **row)
    add(prefix + f"news_{catid}", **row)
    add(prefix + "news_detail", id=article, bodyhtml="\n".join(body), sourcetext="", imgposition=1, layout_func="")
    for tag_id, tag in enumerate(random.sample(words, 2)):
        add(prefix + "news_tags_id", id=article, tid=tag_id + 1, keyword=tag)
    for c in range(3):
        comment_id += 1
        add(prefix + "comment", cid=comment_id, module="news", area=catid, id=article, pid=0,
            content="Ý kiến về " + " ".join(random.sample(words, 6)), post_time=published + 3600 * (c + 1),
            post_name="Bạn đọc", post_email="", post_ip="113.161.10.20", status=1, likes=random.randint(0, 9))

# Each table's generated rows go after its last row in the sample.
lines = sample.split("\n")
last_insert = {}
for at, line in enumerate(lines):
    match = re.match(r"INSERT INTO `(\w+)`", line)
    if match:
        last_insert[match.group(1)] = at
out = sys.stdout
for at, line in enumerate(lines):
    out.write(line + ("\n" if at < len(lines) - 1 else ""))
    for table, rows in generated.items():
        if last_insert.get(table) == at:
            for chunk in range(0, len(rows), rows_per_insert):
                out.write(f"INSERT INTO `{table}` VALUES " + ",".join(rows[chunk:chunk + rows_per_insert]) + ";\n")
