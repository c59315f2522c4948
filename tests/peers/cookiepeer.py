#!/usr/bin/env python3
"""cookiepeer.py - an HTTP/1.1 server that sets cookies and echoes them,
for tests/httpget-cookie.bats (curl and httpget compared).

  cookiepeer.py PORTFILE LOG [SECONDS]

Listens on 127.0.0.1, port from the kernel, written to PORTFILE; logs
each request as "PATH<TAB>Cookie field" ("-" when none) to LOG; exits
after SECONDS (default 60).

  /set          200, several Set-Cookie fields: host-only, Path, Max-Age,
                Expires, HttpOnly, SameSite, Max-Age=0
  /secure       200, Set-Cookie s=5 with Secure (over http: not taken by
                httpget; curl takes it from 127.0.0.1, a "secure context")
  /sub/echo, /echo    200, the Cookie field received ("-" when none) and "\\n"
  /redir        302 to /sub/echo, setting r=7 on the way
  /away         302 to http://localhost:PORT/echo (another origin)
  /evil         200, Set-Cookie with Domain=elsewhere.test and Domain=test
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, log = sys.argv[1:3]
life = float(sys.argv[3]) if len(sys.argv) > 3 else 60
lf = open(log, "a", buffering=1)
lock = threading.Lock()

SET = [
    "a=1",
    "b=2; Path=/; Max-Age=3600",
    "c=3; Path=/sub; Expires=Wed, 21 Oct 2037 07:28:00 GMT",
    "d=4; Path=/; HttpOnly; SameSite=Lax",
    "gone=x; Path=/; Max-Age=0",
]


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, body, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        ck = self.headers.get("Cookie", "-")
        with lock:
            lf.write("%s\t%s\n" % (self.path, ck))
        p = self.path.split("?")[0]
        if p == "/set":
            self.reply(200, b"set\n", [("Set-Cookie", v) for v in SET])
        elif p in ("/echo", "/sub/echo"):
            self.reply(200, (ck + "\n").encode())
        elif p == "/secure":
            self.reply(200, b"secure\n", [("Set-Cookie", "s=5; Path=/; Secure")])
        elif p == "/redir":
            self.reply(302, b"", [("Location", "/sub/echo"), ("Set-Cookie", "r=7; Path=/")])
        elif p == "/away":
            port = self.server.server_address[1]
            self.reply(302, b"", [("Location", "http://localhost:%d/echo" % port)])
        elif p == "/evil":
            self.reply(200, b"evil\n", [("Set-Cookie", "e1=1; Domain=elsewhere.test"),
                                        ("Set-Cookie", "e2=1; Domain=test"),
                                        ("Set-Cookie", "ok=1")])
        else:
            self.reply(404, b"nope\n")


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
threading.Thread(target=srv.serve_forever, daemon=True).start()
time.sleep(life)
