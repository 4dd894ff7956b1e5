"""deploy/nginx.conf in a real nginx: public open, internal behind basic auth, no way around."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.conftest import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(
    not os.path.exists(NGINX),
    reason="nginx is not installed (make test installs the Debian package)",
)


def ssha(password: str, salt: bytes = b"jiandi12") -> str:
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_build, tmp_path_factory):
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    shutil.copytree(sample_build / "site", site, symlinks=True)
    # Traps: a symlink from the public root into the internal edition, a hidden staging folder.
    os.symlink(site / "internal", site / "public" / "leak")
    (site / "public" / ".public.tmp").mkdir()
    (site / "public" / ".public.tmp" / "index.html").write_text("staging", "utf-8")
    (work / "htpasswd").write_text(f"staff:{ssha('正确的口令')}\n", "utf-8")
    port = free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    conf = (
        conf.replace("/srv/jiandi/site", str(site))
        .replace("/etc/nginx/jiandi-internal.htpasswd", str(work / "htpasswd"))
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
    )
    (work / "jiandi.conf").write_text(conf, "utf-8")
    (work / "nginx.conf").write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/jiandi.conf;
}}
""",
        "utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(work / "nginx.conf"), "-p", str(work)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port: int, path: str, user: str | None = None, password: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {}
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "ignore")
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_public_pages_are_open(server):
    for path in ("/", "/events/2023-12-27-qianyue/", "/bureaus/lianyuan/", "/sitemap.xml"):
        status, headers, _ = get(server, path)
        assert status == 200, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
    status, _, _body = get(server, "/no-such-page/")
    assert status == 404


def test_internal_needs_the_right_password(server):
    assert get(server, "/internal/")[0] == 401
    assert get(server, "/internal/", "staff", "错误")[0] == 401
    assert get(server, "/internal/", "nobody", "正确的口令")[0] == 401
    status, headers, body = get(server, "/internal/", "staff", "正确的口令")
    assert status == 200 and "内部资料" in body
    assert headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in headers["Cache-Control"]
    status, _, body = get(server, "/internal/internal/follow-ups/", "staff", "正确的口令")
    assert status == 200 and "后续事项" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../internal/index.html",
        "/%2e%2e/internal/index.html",
        "/%2E%2E/internal/",
        "//internal/index.html",
        "/events/../internal/",
        "/events/..%2f..%2finternal/index.html",
        "/./internal/",
        "/internal%2findex.html",
        "/Internal/",
        "/internal",
        "/leak/index.html",
        "/leak/",
        "/.public.tmp/index.html",
    ],
)
def test_no_path_reaches_internal_without_credentials(server, path):
    status, _, body = get(server, path)
    assert status in (301, 400, 401, 403, 404), (path, status)
    assert "内部资料" not in body and "staging" not in body


def _headers(port: int, path: str) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def test_text_is_compressed_and_files_are_cached_by_what_they_are(server, sample_build):
    site = sample_build / "site" / "public"
    css = next((site / "assets" / "stylesheets").glob("main.*.min.css")).name
    expected = {
        "/": "no-cache",
        "/feeds/news.xml": "no-cache",
        "/assets/stylesheets/jiandi.css": "no-cache",
        f"/assets/stylesheets/{css}": "public, max-age=31536000, immutable",
        "/assets/qianyue.jpg.480.webp": "public, max-age=604800",
        "/charts/activity.svg": "public, max-age=604800",
    }
    for path, cache in expected.items():
        status, headers = _headers(server, path)
        assert status == 200, path
        assert headers["cache-control"] == cache, path
        assert "default-src 'self'" in headers["content-security-policy"], path
    for path in ("/", f"/assets/stylesheets/{css}", "/search/search_index.json", "/feeds/news.xml"):
        assert _headers(server, path)[1].get("content-encoding") == "gzip", path
    assert "content-encoding" not in _headers(server, "/assets/qianyue.jpg.480.webp")[1]
