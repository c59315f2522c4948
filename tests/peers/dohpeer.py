#!/usr/bin/env python3
"""dohpeer.py - DNS over HTTPS/1.1 and a broken DNS-over-TLS server for
tests/dig-lite-tls.bats, with Python's ssl module as the other side of
lib/tls.

  dohpeer.py CERT KEY PORTFILE LOG MODE [UPSTREAM_PORT]

Listens on 127.0.0.1, port from the kernel, written to PORTFILE; logs
one line per request to LOG ("POST /dns-query 29", "GET /dns-query").
MODE:
  forward  DoH: /dns-query POST (application/dns-message) and GET
           (?dns=base64url) answered by asking 127.0.0.1#UPSTREAM_PORT
           over UDP; other paths 404
  status   DoH: every request answered 503 Service Unavailable
  cut      DoH: a 200 with Content-Length of the answer, half of it, close
  dotcut   DoT: a query's two-byte length and half the answer, then close
  plain    DoH as forward, in plain HTTP (CERT and KEY are "-"): the
           backend of the interop nginx (tests/interop/servers.bash),
           which speaks the TLS; a thread per connection, and no idle
           exit (the harness stops it by PID)
Serves connections one after the other, kept alive; exits after 20 s idle.
"""
import base64
import socket
import ssl
import sys

cert, key, portfile, log, mode = sys.argv[1:6]
upstream = int(sys.argv[6]) if len(sys.argv) > 6 else 0
if mode != "plain":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1", "dot"])
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.bind(("127.0.0.1", 0))
ls.listen(16)
ls.settimeout(None if mode == "plain" else 20)
with open(portfile + ".tmp", "w") as f:
    f.write(str(ls.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
logf = open(log, "a", buffering=1)


def ask(q):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.sendto(q, ("127.0.0.1", upstream))
    r, _ = u.recvfrom(65535)
    u.close()
    return r


def readn(f, n):
    b = b""
    while len(b) < n:
        c = f.read(n - len(b))
        if not c:
            return None
        b += c
    return b


def dot(conn):
    f = conn.makefile("rb")
    ln = readn(f, 2)
    if ln is None:
        return
    readn(f, int.from_bytes(ln, "big"))
    logf.write("DOT query\n")
    conn.sendall(b"\x00\x40" + b"\x00" * 20)


def doh(conn):
    f = conn.makefile("rb")
    while True:
        line = f.readline(65536)
        if not line:
            return
        method, target, _ = line.decode("latin-1").split(" ", 2)
        hdrs = {}
        while True:
            h = f.readline(65536).decode("latin-1").strip()
            if not h:
                break
            k, v = h.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
        body = b""
        if "content-length" in hdrs:
            body = readn(f, int(hdrs["content-length"]))
        path, _, query = target.partition("?")
        logf.write("%s %s %d %s\n" % (method, path, len(body), hdrs.get("content-type", "-")))
        if mode == "status":
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
            continue
        if path != "/dns-query":
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            continue
        if method == "GET":
            b64 = dict(p.split("=", 1) for p in query.split("&") if "=" in p)["dns"]
            body = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
        ans = ask(body)
        head = ("HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n"
                "Content-Length: %d\r\n\r\n" % len(ans)).encode()
        if mode == "cut":
            conn.sendall(head + ans[: len(ans) // 2])
            return
        conn.sendall(head + ans)


def plain(raw):
    try:
        raw.settimeout(10)
        doh(raw)
    except (OSError, ValueError, KeyError):
        pass
    raw.close()


if mode == "plain":
    import threading
    while True:
        raw, _ = ls.accept()
        threading.Thread(target=plain, args=(raw,), daemon=True).start()

while True:
    try:
        raw, _ = ls.accept()
    except socket.timeout:
        break
    try:
        conn = ctx.wrap_socket(raw, server_side=True)
        conn.settimeout(10)
        (dot if mode == "dotcut" else doh)(conn)
        conn.close()
    except (ssl.SSLError, OSError, ValueError, KeyError):
        raw.close()
