#!/usr/bin/env python3
"""smtptls.py - an SMTP server for tests/smtpsend-tls.bats, one connection:
STARTTLS (RFC 3207) or TLS from the first byte (--implicit, RFC 8314),
with Python's ssl module as the other side of lib/tls.  OpenSMTPD cannot
serve TLS here (its key process fails with OpenSSL 3: "EVP lib").

  smtptls.py CERT KEY PORTFILE LOG [--implicit] [--inject] [--no-starttls]
             [--listen=ADDR:PORT]

Listens on 127.0.0.1, port from the kernel (--listen: ADDR and PORT, as
in make demo's namespaces), written to PORTFILE; logs
every command line to LOG (a line "TLS" when the handshake is done), and
the message after DATA to LOG.msg.  --inject sends a second reply with
the 220 to STARTTLS, in clear.  Exits after the one session (or 20 s).
"""
import socket
import ssl
import sys

cert, key, portfile, log = sys.argv[1:5]
opts = set(sys.argv[5:])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
where = ("127.0.0.1", 0)
for o in opts:
    if o.startswith("--listen="):
        a, _, p = o[len("--listen="):].rpartition(":")
        where = (a, int(p))
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(where)
ls.listen(1)
ls.settimeout(20)
with open(portfile + ".tmp", "w") as f:
    f.write(str(ls.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
conn, _ = ls.accept()
conn.settimeout(20)
lf = open(log, "w", buffering=1)
if "--implicit" in opts:
    conn = ctx.wrap_socket(conn, server_side=True)
    lf.write("TLS\n")
rf = conn.makefile("rb")
tls = "--implicit" in opts


def send(s):
    conn.sendall(s.encode())


def ehlo():
    exts = ["250-mx.tubes.test", "250-8BITMIME"]
    if not tls and "--no-starttls" not in opts:
        exts.append("250-STARTTLS")
    exts.append("250 SIZE 1000000")
    send("\r\n".join(exts) + "\r\n")


send("220 mx.tubes.test ESMTP smtptls.py\r\n")
while True:
    line = rf.readline()
    if not line:
        break
    cmd = line.decode("latin-1").rstrip("\r\n")
    lf.write(cmd + "\n")
    verb = cmd.split(" ")[0].upper()
    if verb in ("EHLO", "HELO"):
        ehlo()
    elif verb == "STARTTLS" and not tls:
        if "--inject" in opts:
            send("220 go ahead\r\n250 injected in clear\r\n")
        else:
            send("220 2.0.0 ready to start TLS\r\n")
        conn = ctx.wrap_socket(conn, server_side=True)
        rf = conn.makefile("rb")
        tls = True
        lf.write("TLS\n")
    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
        send("250 ok\r\n")
    elif verb == "AUTH":
        send("235 2.7.0 ok\r\n")
    elif verb == "DATA":
        send("354 go on\r\n")
        with open(log + ".msg", "wb") as mf:
            while True:
                d = rf.readline()
                if not d or d == b".\r\n":
                    break
                mf.write(d)
        send("250 2.0.0 queued over %s\r\n" % ("TLS" if tls else "clear text"))
    elif verb == "QUIT":
        send("221 bye\r\n")
        break
    else:
        send("500 what\r\n")
try:
    conn.unwrap() if tls else None
except Exception:
    pass
conn.close()
