"""Three nodes of the release binary on one PostgreSQL database, behind
haproxy, checked from outside as a load balancer's clients see them; then
`copy` of the demo database read back through a node on each engine.

Run by `.ci/multi-node`, which starts the PostgreSQL server it names in
BULLETIN_TEST_POSTGRES. Standard library only.
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BINARY = os.path.abspath("target/release/bulletin-api")
SERVER = os.environ["BULLETIN_TEST_POSTGRES"]
ADMIN = ("admin@sonoivu.gov.vn", "một mật khẩu đủ dài cho quản trị")
WORK = tempfile.mkdtemp(prefix="bulletin-nodes.")
PROCESSES = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_database(name):
    subprocess.run(["psql", SERVER, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    return urllib.parse.urlunparse(urllib.parse.urlparse(SERVER)._replace(path=f"/{name}"))


def environment(database, **extra):
    env = {
        "PATH": os.environ["PATH"],
        "RUST_LOG": "warn",
        "BULLETIN_DATABASE_URL": database,
        "BULLETIN_ADMIN_EMAIL": ADMIN[0],
        "BULLETIN_ADMIN_PASSWORD": ADMIN[1],
        "BULLETIN_VIEW_FLUSH_INTERVAL": "1s",
        "BULLETIN_WEBHOOK_POLL": "200ms",
        "BULLETIN_WEBHOOK_ALLOW_PRIVATE": "on",
        "BULLETIN_TRUSTED_PROXIES": "127.0.0.1",
    }
    env.update(extra)
    return env


def start_node(database, **extra):
    port = free_port()
    env = environment(database, BULLETIN_BIND=f"127.0.0.1:{port}", **extra)
    log = open(os.path.join(WORK, f"node-{port}.log"), "w")
    PROCESSES.append(subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=log))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: request(base, "GET", "/readyz")[0] == 200, "the node is ready", 30)
    return base


def start_haproxy(nodes):
    port = free_port()
    servers = "\n".join(
        f"    server node{i} {urllib.parse.urlparse(node).netloc}" for i, node in enumerate(nodes)
    )
    config = os.path.join(WORK, "haproxy.cfg")
    with open(config, "w") as f:
        f.write(
            f"""global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    option forwardfor
frontend api
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
{servers}
"""
        )
    PROCESSES.append(subprocess.Popen(["haproxy", "-db", "-f", config], stdout=subprocess.DEVNULL))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: request(base, "GET", "/readyz")[0] == 200, "haproxy answers", 10)
    return base


def request(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None
    except (urllib.error.URLError, ConnectionError):
        return 0, None


def upload(base, token, filename, content):
    boundary = "multi-node-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(base + "/api/v1/documents/1/attachments", data=body, method="POST")
    req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.status, json.loads(response.read())


def download(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.read()


def wait_until(check, what, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what}")


def expect(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def login(base):
    status, tokens = request(base, "POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
    expect(status == 200, f"the admin logs in at {base}")
    return tokens


def view_count(base):
    _, page = request(base, "GET", "/api/v1/articles?fields=id,view_count")
    return {item["id"]: item["view_count"] for item in page["items"]}[1]


class Receiver(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(self.headers["X-Bulletin-Event-Id"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def several_nodes():
    database = new_database("several_nodes")
    subprocess.run([BINARY, "migrate"], env=environment(database), check=True)
    nodes = [start_node(database) for _ in range(3)]
    balanced = start_haproxy(nodes)

    before = view_count(balanced)
    for _ in range(30):
        expect_status = request(balanced, "GET", "/api/v1/articles/1")[0]
        assert expect_status == 200
    wait_until(lambda: view_count(balanced) == before + 30, "30 views through 3 nodes counted once each", 10)
    time.sleep(2.5)
    expect(view_count(balanced) == before + 30, "views counted exactly across nodes (30, no more)")

    statuses = [request(balanced, "POST", "/api/v1/articles/1/ratings", {"stars": 5})[0] for _ in range(21)]
    expect(statuses[:20] == [200] * 20 and statuses[20] == 429, f"20 votes, then 429, across nodes: {statuses}")

    tokens = login(nodes[0])
    access = tokens["access_token"]
    expect(request(nodes[1], "GET", "/api/v1/auth/me", token=access)[0] == 200, "a session works on another node")
    expect(request(nodes[2], "POST", "/api/v1/auth/logout", token=access)[0] == 204, "logout on a third node")
    expect(
        all(request(node, "GET", "/api/v1/auth/me", token=access)[0] == 401 for node in nodes),
        "the logged-out session is refused on every node",
    )

    admin = login(balanced)["access_token"]
    request(nodes[1], "GET", "/api/v1/categories")  # kept in node 2's response cache
    status, created = request(nodes[0], "POST", "/api/v1/categories", {"name": "Nút một", "slug": "nut-mot"}, admin)
    assert status == 201, created
    written = time.monotonic()
    wait_until(
        lambda: any(c["slug"] == "nut-mot" for c in request(nodes[1], "GET", "/api/v1/categories")[1]["items"]),
        "a write on one node read on another",
        1.2,
    )
    expect(time.monotonic() - written <= 1.2, "a write on one node is read on another within a second")

    signed = b"%PDF-1.7\n" + bytes(range(256)) * 40
    status, attachment = upload(nodes[0], admin, "Quyết định 5359.pdf", signed)
    assert status == 201, attachment
    expect(
        all(download(node, attachment["url"]) == signed for node in nodes[1:]),
        "an attachment uploaded on one node downloads whole from the others (kept in the database)",
    )

    receiver_port = free_port()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", receiver_port), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    status, hook = request(
        balanced,
        "POST",
        "/api/v1/webhooks",
        {"url": f"http://127.0.0.1:{receiver_port}/hook", "events": ["article.published"],
         "secret": "một bí mật đủ dài cho chữ ký"},
        admin,
    )
    assert status == 201, hook
    for n in range(12):
        article = {"title": f"Tin {n} qua ba nút", "body_html": "<p>Nội dung.</p>", "byline": "Sở",
                   "status": "published"}
        status, body = request(balanced, "POST", "/api/v1/articles", article, admin)
        assert status == 201, body
    wait_until(lambda: len(Receiver.received) >= 12, "12 deliveries", 15)
    time.sleep(2)
    expect(
        len(Receiver.received) == 12 and len(set(Receiver.received)) == 12,
        f"each webhook event delivered once by 3 nodes polling one outbox ({len(Receiver.received)} received)",
    )
    receiver.shutdown()


def flatten(value, prefix=""):
    """Every field of an answer by its path, view counts left out (reading
    an article counts one, on whichever node reads it)."""
    if isinstance(value, (list, tuple)):
        value = dict(enumerate(value))
    if not isinstance(value, dict):
        return {prefix: value}
    fields = {}
    for key, inner in value.items():
        if key != "view_count":
            fields.update(flatten(inner, f"{prefix}/{key}"))
    return fields


def copied_demo():
    sqlite_file = os.path.join(WORK, "demo.db")
    subprocess.run([BINARY, "migrate"], env=environment(sqlite_file), check=True)
    # Started first, the SQLite node generates its signing key: the copy
    # takes it along, so its tokens stay valid on PostgreSQL.
    on_sqlite = start_node(sqlite_file)
    # A session begun before the move goes on after it.
    admin = login(on_sqlite)["access_token"]
    target = new_database("copied_demo")
    copied = subprocess.run(
        [BINARY, "copy", "--from", sqlite_file, "--to", target],
        env=environment(sqlite_file),
        capture_output=True, text=True,
    )
    expect(copied.returncode == 0 and "row counts checked" in copied.stdout, f"copy: {copied.stdout}{copied.stderr}")
    on_postgres = start_node(target)
    for path in ["/api/v1/articles/1", "/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh/ratings",
                 "/api/v1/documents", "/api/v1/documents/1", "/api/v1/categories", "/api/v1/users",
                 "/api/v1/articles?include=documents", "/api/v1/articles?q=quyet%20dinh"]:
        read_sqlite = request(on_sqlite, "GET", path, token=admin)
        read_postgres = request(on_postgres, "GET", path, token=admin)
        differing = [
            key for key in set(flatten(read_sqlite)) | set(flatten(read_postgres))
            if flatten(read_sqlite).get(key) != flatten(read_postgres).get(key)
        ]
        expect(
            not differing,
            f"{path} reads the same, field by field, from the SQLite file and its PostgreSQL copy"
            + "".join(f"\n  {key}: {flatten(read_sqlite).get(key)!r} / {flatten(read_postgres).get(key)!r}"
                      for key in sorted(differing)[:10]),
        )
    again = subprocess.run([BINARY, "copy", "--from", sqlite_file, "--to", target],
                           env=environment(sqlite_file), capture_output=True, text=True)
    expect(again.returncode == 2, "a second copy into the full database is refused")


try:
    several_nodes()
    copied_demo()
finally:
    for process in PROCESSES:
        process.terminate()
    for process in PROCESSES:
        process.wait(timeout=30)
    if sys.exc_info()[0] is not None:
        for name in sorted(os.listdir(WORK)):
            if name.endswith(".log"):
                print(f"--- {name}")
                print(open(os.path.join(WORK, name)).read()[-3000:])
    shutil.rmtree(WORK, ignore_errors=True)
