# Shared by bench/run and bench/profile.

bin=target/release/bulletin-api
# The admin the benchmark's server starts with: its token makes the editor writes.
BENCH_ADMIN_EMAIL=bench@sonoivu.gov.vn
BENCH_ADMIN_PASSWORD="mật khẩu đo hiệu năng"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# "dataset SIZE COPY": a newsroom of SIZE articles copied to COPY, made as a
# portal moving over would make it: a NukeViet dump (bench/dump.py) read by
# `bulletin-api import nukeviet`. Databases are kept in target/bench-data
# (100,000 articles take minutes and 2 GB) and made anew when the generator
# or the migrations change; the import's time and peak resident set go to
# import-SIZE.txt beside them.
dataset() {
    local size=$1 copy=$2 kept=target/bench-data/bench-$1.db dump=target/bench-data/nukeviet-$1.sql
    mkdir -p target/bench-data
    if [ ! -f "$kept" ] || [ -n "$(find bench/dump.py migrations -newer "$kept" -print -quit)" ]; then
        rm -f "$kept" "$kept.new"*
        python3 bench/dump.py "$size" >"$dump"
        BULLETIN_DATABASE_URL="$kept.new" RUST_LOG=warn /usr/bin/time -f "%e %M" -o "target/bench-data/import-$size.txt" \
            "$bin" import nukeviet --from "$dump" >/dev/null
        du -m "$dump" | cut -f1 >>"target/bench-data/import-$size.txt"
        rm -f "$dump"
        mv "$kept.new" "$kept"
        rm -f "$kept.new"*
    fi
    cp "$kept" "$copy"
}

# "serve DATABASE LOG": starts the server on a free port; sets $server,
# $base and $cold_ms (from launching the binary to its first answer, not
# counting the port's choice, which starts a Python).
serve() {
    local port started
    port=$(free_port)
    started=$(date +%s%N)
    BULLETIN_BIND="127.0.0.1:$port" BULLETIN_DATABASE_URL="$1" BULLETIN_RATE_LIMIT=off RUST_LOG=warn \
        BULLETIN_ADMIN_EMAIL="$BENCH_ADMIN_EMAIL" BULLETIN_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD" \
        "$bin" serve >"$2" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.005; done
    cold_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

# "cpu_ticks PID…": the CPU time (user and system, in clock ticks) the
# processes have spent so far, all their threads together.
cpu_ticks() {
    local pid total=0
    for pid in "$@"; do
        total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
    done
    echo "$total"
}

# "postgres_copy FILE NAME": a new PostgreSQL database NAME on the server
# BULLETIN_TEST_POSTGRES names (.ci/with-postgres starts one), holding
# what the SQLite FILE holds (`bulletin-api copy`); prints its URL.
postgres_copy() {
    local url
    psql "$BULLETIN_TEST_POSTGRES" -q -c "CREATE DATABASE $2"
    url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$BULLETIN_TEST_POSTGRES" "$2")
    RUST_LOG=warn "$bin" copy --from "$1" --to "$url" >/dev/null 2>&1
    echo "$url"
}

# "balance LOG NODE…": haproxy in front of the nodes (host:port each), round
# robin; sets $balancer and $base.
balance() {
    local port log=$1 config
    shift
    port=$(free_port)
    config=$(mktemp)
    {
        printf 'global\n    maxconn 4096\ndefaults\n    mode http\n    timeout connect 2s\n'
        printf '    timeout client 30s\n    timeout server 30s\n    option http-keep-alive\n'
        printf 'frontend api\n    bind 127.0.0.1:%s\n    default_backend nodes\n' "$port"
        printf 'backend nodes\n    balance roundrobin\n'
        for node in "$@"; do printf '    server %s %s\n' "${node//[:.]/-}" "$node"; done
    } >"$config"
    haproxy -db -f "$config" >"$log" 2>&1 &
    balancer=$!
    base="http://127.0.0.1:$port"
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
}

# The newest article's slug in DATABASE.
newest_slug() {
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select slug from articles order by id desc limit 1').fetchone()[0])" "$1"
}

# "keys DATABASE DIRECTORY": what the long-tail scenarios draw from, one
# per line: the visible articles' slugs and ids (newest first), 1,000
# distinct searches (words and phrases with and without marks, document
# numbers, common and rare words), the categories' slugs.
keys() {
    python3 - "$1" "$2" <<'PY'
import random, sqlite3, sys, unicodedata, urllib.parse
db, out = sqlite3.connect(sys.argv[1]), sys.argv[2]
random.seed(11)
rows = db.execute("select id, slug, title from articles where status = 'published' and deleted_at is null order by published_at desc, id desc").fetchall()
open(f"{out}/slugs.txt", "w").write("".join(f"{slug}\n" for _, slug, _ in rows))
open(f"{out}/ids.txt", "w").write("".join(f"{i}\n" for i, _, _ in rows))
cats = [c for (c,) in db.execute("select slug from categories")]
open(f"{out}/categories.txt", "w").write("".join(f"{c}\n" for c in cats))
def plain(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
words = sorted({w for _, _, title in rows[:5000] for w in title.lower().split() if w.isalpha()})
numbers = [n for (n,) in db.execute("select number from documents limit 200")]
queries = set()
while len(queries) < 1000:
    kind = random.random()
    if kind < 0.15 and numbers:
        q = random.choice(numbers)
    else:
        q = " ".join(random.sample(words, random.choice([1, 1, 2, 2, 3])))
        if random.random() < 0.5:
            q = plain(q)
    queries.add(urllib.parse.quote_plus(q))
open(f"{out}/searches.txt", "w").write("".join(f"{q}\n" for q in sorted(queries)))
PY
}

# wrk scripts for the scenarios, written into DIRECTORY (which `keys` filled).
write_scenarios() {
    cat >"$1/rate.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"stars": 4}'
wrk.headers["Content-Type"] = "application/json"
LUA
    # Ten searches asked again and again (the response cache answers them).
    printf '%s\n' cai+cach+hanh+chinh chuyen+doi+so thi+dua nguoi+dan ke+hoach+trien+khai \
        quyet+dinh cong+chuc danh+gia mot+cua lien+thong >"$1/ten-searches.txt"
    # What every long-tail script shares: lines of a file, and a Zipf (s = 1)
    # draw over them in a shuffled order (the most read are not the newest).
    cat >"$1/draw.lua" <<LUA
local dir = "$1"
function lines(name)
  local t = {}
  for line in io.lines(dir .. "/" .. name) do t[#t + 1] = line end
  return t
end
function zipf(items)
  local order, cumulative, total = {}, {}, 0
  for i = 1, #items do order[i] = items[i] end
  for i = #order, 2, -1 do local j = math.random(i); order[i], order[j] = order[j], order[i] end
  for k = 1, #order do total = total + 1 / k; cumulative[k] = total end
  return function()
    local x, lo, hi = math.random() * total, 1, #order
    while lo < hi do local mid = math.floor((lo + hi) / 2); if cumulative[mid] < x then lo = mid + 1 else hi = mid end end
    return order[lo]
  end
end
-- wrk runs a script once in each of its threads. Which articles are read
-- most is drawn at load from one seed (7), so the threads agree on it; the
-- requests are then drawn from a seed of each thread's own. (With one seed
-- both threads asked for the same article at the same moment, and the
-- second of each pair found the first's answer in the cache.)
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
function init(args)
  math.randomseed(7 + 1000 * (thread_number or 1))
end
-- The next of \`count\` items asked in rotation. Each thread starts at its
-- own place, spread round the rotation (by the golden ratio), rather than
-- all walking it side by side.
local turn
function next_turn(count)
  turn = (turn or math.floor(((thread_number or 1) - 1) * count * 0.618)) + 1
  return turn % count + 1
end
LUA
    # Every article by its key, slugs or ids: `zipf-slug.lua`, `zipf-id.lua`.
    for keys in slug id; do
        cat >"$1/zipf-$keys.lua" <<LUA
dofile("$1/draw.lua")
math.randomseed(7)
local next_key = zipf(lines("${keys}s.txt"))
request = function() return wrk.format("GET", "/api/v1/articles/" .. next_key()) end
LUA
    done
    # Searches in rotation: the ten (`search.lua`), the 1,000 distinct
    # ones (`searches.lua`).
    for name in search:ten-searches searches:searches; do
        cat >"$1/${name%%:*}.lua" <<LUA
dofile("$1/draw.lua")
local queries = lines("${name#*:}.txt")
request = function()
  return wrk.format("GET", "/api/v1/articles?q=" .. queries[next_turn(#queries)])
end
LUA
    done
    # A newsroom's minute: 85 % article reads (Zipf), 8 % lists and category
    # pages (page p drawn with weight 1/p), 4 % distinct searches, 2 % guest
    # votes and comments, 1 % editor writes (BENCH_TOKEN).
    cat >"$1/mixed.lua" <<LUA
dofile("$1/draw.lua")
math.randomseed(7)
local next_slug, next_id = zipf(lines("slugs.txt")), zipf(lines("ids.txt"))
local next_page = zipf((function() local t = {} for p = 1, 50 do t[p] = p end return t end)())
local categories, queries, n = lines("categories.txt"), lines("searches.txt"), 0
local token = os.getenv("BENCH_TOKEN")
local json = {["Content-Type"] = "application/json"}
request = function()
  local r = math.random() * 100
  n = n + 1
  if r < 85 then
    return wrk.format("GET", "/api/v1/articles/" .. next_slug())
  elseif r < 93 then
    local page = next_page()
    if math.random() < 0.5 then return wrk.format("GET", "/api/v1/articles?page=" .. page) end
    return wrk.format("GET", "/api/v1/articles?category=" .. categories[math.random(#categories)] .. "&page=" .. page)
  elseif r < 97 then
    return wrk.format("GET", "/api/v1/articles?q=" .. queries[next_turn(#queries)])
  elseif r < 98 then
    return wrk.format("POST", "/api/v1/articles/" .. next_id() .. "/ratings", json, '{"stars": ' .. math.random(5) .. '}')
  elseif r < 99 then
    return wrk.format("POST", "/api/v1/articles/" .. next_id() .. "/comments", json,
      '{"body": "Ý kiến bạn đọc số ' .. n .. '", "author_name": "Bạn đọc"}')
  else
    local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
    return wrk.format("PATCH", "/api/v1/articles/" .. next_id(), headers, '{"byline": "Ban biên tập ' .. n .. '"}')
  end
end
LUA
}

# "staff_token BASE": an access token of the benchmark's admin (the server
# was started with BENCH_ADMIN_* as its bootstrap admin).
staff_token() {
    curl -s -X POST "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email\": \"$BENCH_ADMIN_EMAIL\", \"password\": \"$BENCH_ADMIN_PASSWORD\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
