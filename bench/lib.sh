# Shared by bench/run and bench/profile.

bin=target/release/bulletin-api

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# "dataset SIZE COPY": a generated newsroom of SIZE articles copied to COPY.
# Databases are kept in target/bench-data (100,000 articles take minutes and
# 2 GB) and made anew when the generator or the migrations change.
dataset() {
    local size=$1 copy=$2 kept=target/bench-data/bench-$1.db
    mkdir -p target/bench-data
    if [ ! -f "$kept" ] || [ -n "$(find bench/dataset.py migrations -newer "$kept" -print -quit)" ]; then
        rm -f "$kept" "$kept.new"*
        BULLETIN_DATABASE_URL="$kept.new" RUST_LOG=warn "$bin" migrate >/dev/null
        python3 bench/dataset.py "$kept.new" "$size" >/dev/null
        mv "$kept.new" "$kept"
        rm -f "$kept.new"*
    fi
    cp "$kept" "$copy"
}

# "serve DATABASE LOG": starts the server on a free port; sets $server and $base.
serve() {
    local port
    port=$(free_port)
    BULLETIN_BIND="127.0.0.1:$port" BULLETIN_DATABASE_URL="$1" BULLETIN_RATE_LIMIT=off RUST_LOG=warn \
        "$bin" serve >"$2" 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.005; done
}

# The newest article's slug in DATABASE.
newest_slug() {
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select slug from articles order by id desc limit 1').fetchone()[0])" "$1"
}

# wrk scripts for the search and rating scenarios, written into DIRECTORY.
write_scenarios() {
    cat >"$1/rate.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"stars": 4}'
wrk.headers["Content-Type"] = "application/json"
LUA
    cat >"$1/search.lua" <<'LUA'
local queries = {"cai+cach+hanh+chinh", "chuyen+doi+so", "thi+dua", "nguoi+dan", "ke+hoach+trien+khai",
  "quyet+dinh", "cong+chuc", "danh+gia", "mot+cua", "lien+thong"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/articles?q=" .. queries[(n % #queries) + 1])
end
LUA
}
