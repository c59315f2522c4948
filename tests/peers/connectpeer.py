#!/usr/bin/env python3
"""connectpeer.py - an HTTP CONNECT proxy and a TLS origin for
tests/httpget-proxy.bats (python3 standard library only).

  connectpeer.py proxy MODE PORTFILE LOG [SECONDS]
  connectpeer.py origin CERT KEY PORTFILE LOG [SECONDS]

Both listen on 127.0.0.1, port from the kernel, written to PORTFILE
(whole: a temporary file, then rename), and exit after SECONDS (default
30).  LOG gets, raw, every head the peer received: the proxy's the
CONNECT heads, the origin's the request heads inside TLS.

The proxy reads a CONNECT head, answers per MODE, and for a 2xx relays
bytes both ways to 127.0.0.1 at the port the CONNECT named (the host it
named is never dialled: only loopback is).  MODE:
  ok      200 Connection established
  407     407 Proxy Authentication Required (a body too), then closes
  502     502 Bad Gateway, then closes
  extra   200, and 5 bytes of its own after it in the same write
  trickle 200's head, one byte every 0.5 s
  big     a 200 head of ~80 KiB (over httpget's 64 KiB), 8 KiB lines
  close   closes after reading the CONNECT head
  cl5     200 with Content-Length: 5 and no body, then relays
Any other request (an http:// URL through the proxy) gets 200 and the body
"proxied: TARGET\\n" from the proxy itself, whatever the mode.
The origin answers each GET over HTTP/1.1 keep-alive: 200, the body
"hello through the tunnel: PATH\\n"; a PATH that starts with /close
ends the connection after its answer (Connection: close).
"""
import os
import socket
import ssl
import sys
import threading
import time


def write_port(portfile, port):
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, portfile)


def listener(portfile):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    write_port(portfile, s.getsockname()[1])
    return s


lock = threading.Lock()


def log(path, data):
    with lock:
        with open(path, "ab") as f:
            f.write(data)


def read_head(c):
    """bytes up to and including the blank line, and what came after"""
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = c.recv(4096)
        if not d:
            return None, b""
        buf += d
        if len(buf) > 1 << 20:
            return None, b""
    i = buf.index(b"\r\n\r\n") + 4
    return buf[:i], buf[i:]


def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    try:
        b.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def proxy_conn(c, mode, logf):
    head, rest = read_head(c)
    if head is None:
        return
    log(logf, head)
    if not head.startswith(b"CONNECT "):
        # a request through the proxy (http://): answered here, never sent on
        body = b"proxied: " + head.split(b" ")[1] + b"\n"
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        return
    if mode == "close":
        return
    if mode == "407":
        body = b"credentials, please\n"
        c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                  b"Proxy-Authenticate: Basic realm=\"tubes\"\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return
    if mode == "502":
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        return
    ok = b"HTTP/1.1 200 Connection established\r\n\r\n"
    if mode == "trickle":
        for b in ok:
            c.sendall(bytes([b]))
            time.sleep(0.5)
        return
    if mode == "big":
        c.sendall(b"HTTP/1.1 200 Connection established\r\n")
        for i in range(10):
            c.sendall(b"X-Filler-%d: %s\r\n" % (i, b"f" * 8192))
        c.sendall(b"\r\n")
        time.sleep(2)
        return
    if mode == "extra":
        c.sendall(ok + b"HELLO")
        time.sleep(2)
        return
    if mode == "cl5":
        ok = b"HTTP/1.1 200 Connection established\r\nContent-Length: 5\r\n\r\n"
    target = head.split(b" ")[1]
    port = int(target.rsplit(b":", 1)[1])
    o = socket.create_connection(("127.0.0.1", port), timeout=10)
    o.settimeout(None)
    c.sendall(ok)
    if rest:
        o.sendall(rest)
    t = threading.Thread(target=pump, args=(o, c), daemon=True)
    t.start()
    pump(c, o)
    t.join(10)
    o.close()


def origin_conn(c, logf):
    f = c.makefile("rb")
    while True:
        head = b""
        while True:
            line = f.readline(65536)
            if not line:
                return
            head += line
            if line in (b"\r\n", b"\n"):
                break
        log(logf, head)
        path = head.split(b" ")[1]
        body = b"hello through the tunnel: " + path + b"\n"
        last = path.startswith(b"/close")
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                  b"%sContent-Length: %d\r\n\r\n" %
                  (b"Connection: close\r\n" if last else b"", len(body)) + body)
        if last:
            try:
                c.unwrap()  # close_notify: the end is not a truncation
            except (OSError, ssl.SSLError, ValueError):
                pass
            return


def serve(s, handle, wrap=None):
    while True:
        c, _ = s.accept()

        def run(c=c):
            try:
                if wrap:
                    c = wrap(c)
                handle(c)
            except (OSError, ssl.SSLError, ValueError, IndexError):
                pass
            finally:
                try:
                    c.close()
                except OSError:
                    pass
        threading.Thread(target=run, daemon=True).start()


def main():
    a = sys.argv[1:]
    if len(a) >= 4 and a[0] == "proxy":
        mode, portfile, logf = a[1:4]
        life = float(a[4]) if len(a) > 4 else 30
        s = listener(portfile)
        threading.Thread(target=serve, args=(s, lambda c: proxy_conn(c, mode, logf)),
                         daemon=True).start()
    elif len(a) >= 5 and a[0] == "origin":
        cert, key, portfile, logf = a[1:5]
        life = float(a[5]) if len(a) > 5 else 30
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        s = listener(portfile)

        def wrap(c):
            c.settimeout(10)
            return ctx.wrap_socket(c, server_side=True)
        threading.Thread(target=serve, args=(s, lambda c: origin_conn(c, logf), wrap),
                         daemon=True).start()
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
    time.sleep(life)


if __name__ == "__main__":
    main()
