#!/usr/bin/env python3
"""httppeer.py - a small HTTP/1.1 server for tests/httpget-curl.bats, where
curl and httpget fetch the same URLs and their results are compared.

  httppeer.py PORTFILE LOG [SECONDS]

Listens on 127.0.0.1, port from the kernel, written to PORTFILE; logs
each request as "METHOD PATH" to LOG; exits after SECONDS (default 60).
Heads are the same on every run (fixed Date and Server), so two clients'
-i output can be compared byte for byte.

  /ok            200 "hello\\n", text/plain
  /404, /500     that status, a short body
  /redir         302 to /ok;  /redir2  301 to /redir;  /to-ref 302 to /ref
  /ref           200, the Referer received and a newline
  /flaky/N/KEY   503 (Retry-After: 0) for the first N requests of KEY, then 200 "ok\\n"
  /stall/N/KEY   for the first N requests of KEY nothing for 3 s, then 200 "ok\\n"
  /range         "0123456789abcdef", a 206 to "Range: bytes=N-"
  /cut/KEY       the first request of KEY: /range's head and 5 bytes, then
                 nothing for 3 s; later ones as /range (its Range logged)
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, log = sys.argv[1:3]
life = float(sys.argv[3]) if len(sys.argv) > 3 else 60
counts = {}
lock = threading.Lock()
lf = open(log, "a", buffering=1)
DATA = b"0123456789abcdef"


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "httppeer"

    def date_time_string(self, timestamp=None):
        return "Thu, 01 Jan 2026 00:00:00 GMT"

    def log_message(self, *a):
        pass

    def reply(self, code, body, ctype="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def count(self, key):
        with lock:
            counts[key] = counts.get(key, 0) + 1
            return counts[key]

    def do_GET(self):
        lf.write("%s %s\n" % (self.command, self.path))
        p = self.path.split("/")
        if self.path == "/ok":
            self.reply(200, b"hello\n")
        elif self.path in ("/404", "/500"):
            self.reply(int(self.path[1:]), b"nope\n", "text/html")
        elif self.path in ("/redir", "/redir2", "/to-ref"):
            to = {"/redir": "/ok", "/redir2": "/redir", "/to-ref": "/ref"}[self.path]
            self.reply(302 if self.path != "/redir2" else 301, b"moved\n",
                       extra=[("Location", to)])
        elif self.path == "/ref":
            self.reply(200, (self.headers.get("Referer", "") + "\n").encode())
        elif len(p) == 4 and p[1] in ("flaky", "stall"):
            if self.count(self.path) <= int(p[2]):
                if p[1] == "flaky":
                    self.reply(503, b"busy\n", extra=[("Retry-After", "0")])
                    return
                time.sleep(3)
                self.close_connection = True
                return
            self.reply(200, b"ok\n")
        elif p[1] == "cut" and self.count(self.path) == 1:
            self.send_response(200)
            self.send_header("Content-Length", str(len(DATA)))
            self.send_header("ETag", '"c1"')
            self.end_headers()
            self.wfile.write(DATA[:5])
            self.wfile.flush()
            time.sleep(3)
            self.close_connection = True
        elif self.path == "/range" or p[1] == "cut":
            lf.write("Range: %s If-Range: %s\n" % (self.headers.get("Range", ""),
                                                    self.headers.get("If-Range", "")))
            r = self.headers.get("Range", "")
            if r.startswith("bytes=") and r.endswith("-"):
                n = int(r[6:-1])
                self.reply(206, DATA[n:], "application/octet-stream",
                           [("Content-Range", "bytes %d-%d/%d" % (n, len(DATA) - 1, len(DATA)))])
            else:
                self.reply(200, DATA, "application/octet-stream")
        else:
            self.reply(404, b"nope\n", "text/html")

    do_HEAD = do_GET


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
threading.Thread(target=srv.serve_forever, daemon=True).start()
time.sleep(life)
