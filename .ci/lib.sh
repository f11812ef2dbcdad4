# Shared by the .ci scripts: start the service on a free port with a fresh
# database, as the README says, and clean up after.
#   start_server [VAR=value ...]  sets $port, $base and $workdir
#   admin_token                   prints an access token of the admin

BIN=${BIN:-target/release/bulletin-api}
ADMIN_EMAIL=admin@example.vn
ADMIN_PASSWORD='một mật khẩu dài'

start_server() {
    workdir=$(mktemp -d)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base="http://127.0.0.1:$port"
    env BULLETIN_BIND="127.0.0.1:$port" BULLETIN_DATABASE_URL="$workdir/bulletin.db" RUST_LOG=warn \
        BULLETIN_ADMIN_EMAIL="$ADMIN_EMAIL" BULLETIN_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$@" \
        "$BIN" serve >"$workdir/server.log" 2>&1 &
    server=$!
    trap 'kill "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT
    for _ in $(seq 1 100); do
        curl -sf "$base/healthz" >/dev/null && return 0
        sleep 0.1
    done
    cat "$workdir/server.log"
    echo "the server did not start"
    return 1
}

admin_token() {
    curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email\": \"$ADMIN_EMAIL\", \"password\": \"$ADMIN_PASSWORD\"}" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
