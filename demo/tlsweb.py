#!/usr/bin/env python3
"""tlsweb.py - the demo's HTTPS web server (demo/demo.sh, the TLS step).

  tlsweb.py ADDR PORT CHAIN.pem KEY.pem PAGE PORTFILE LOG [SECONDS]

Listens on ADDR:PORT with Python's ssl module (TLS 1.2 or 1.3, ALPN
http/1.1), the chain and key the demo made with openssl, and answers every
GET with PAGE (text/html), Connection: close.  Writes PORT to PORTFILE
(whole: a temporary file, then rename) once it listens, so the demo knows
it is up; logs each request line to LOG.  Exits after SECONDS (default 25):
every wait is bounded, and the demo kills it on exit anyway.
"""
import os
import socket
import ssl
import sys
import time

addr, port, chain, key, page, portfile, log = sys.argv[1:8]
life = float(sys.argv[8]) if len(sys.argv) > 8 else 25
end = time.monotonic() + life

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(chain, key)
ctx.set_alpn_protocols(["http/1.1"])
with open(page, "rb") as f:
    body = f.read()

ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, int(port)))
ls.listen(8)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % ls.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
lf = open(log, "a", buffering=1)


def serve(c):
    """One connection: the request head, then the page."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 16384:
        b = c.recv(4096)
        if not b:
            return
        head += b
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    lf.write(line + "\n")
    if not line.startswith("GET "):
        c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n"
                  b"Connection: close\r\n\r\n")
        return
    c.sendall(b"HTTP/1.1 200 OK\r\nServer: tlsweb.py (tubes demo)\r\n"
              b"Content-Type: text/html; charset=utf-8\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)


while True:
    left = end - time.monotonic()
    if left <= 0:
        break
    ls.settimeout(left)
    try:
        raw, _ = ls.accept()
    except socket.timeout:
        break
    raw.settimeout(max(0.1, min(10, end - time.monotonic())))
    try:
        with ctx.wrap_socket(raw, server_side=True) as c:
            serve(c)
            c.unwrap()
    except (OSError, ssl.SSLError) as e:
        lf.write("tlsweb: %s\n" % e)
    finally:
        raw.close()
