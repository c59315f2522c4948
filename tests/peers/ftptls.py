#!/usr/bin/env python3
"""ftptls.py - an FTPS server (RFC 4217) for tests/ftpget-tls.bats, one
control connection, with Python's ssl module as the other side of
lib/tls: AUTH TLS (or TLS from the first byte, --implicit), PBSZ and
PROT, and TLS on the data connections, passive (EPSV, PASV) and active
(EPRT, PORT).  Like vsftpd's require_ssl_reuse, a data connection whose
TLS does not resume the control connection's session is refused: 522
and the session ends.

  ftptls.py CERT KEY PORTFILE LOG ROOT [--implicit] [--tls12] [--no-reuse-check]
            [--truncate] [--refuse-prot]

Listens on 127.0.0.1, port from the kernel, written to PORTFILE.  LOG
gets every command line (PASS masked), "TLS" when the control
handshake is done, and "DATA TLS reused=0|1" for each data connection.
Files are served from, and stored to, the directory ROOT.  --truncate
closes each data connection without close_notify (a truncation);
--refuse-prot answers PROT P with 534 (the data then goes in clear).  Exits after
the one session (or 20 s).
"""
import os
import socket
import ssl
import sys

cert, key, portfile, log, root = sys.argv[1:6]
opts = set(sys.argv[6:])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if "--tls12" in opts:
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.bind(("127.0.0.1", 0))
ls.listen(1)
ls.settimeout(20)
with open(portfile + ".tmp", "w") as f:
    f.write(str(ls.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
conn, _ = ls.accept()
conn.settimeout(20)
lf = open(log, "w", buffering=1)
tls = False
if "--implicit" in opts:
    conn = ctx.wrap_socket(conn, server_side=True)
    tls = True
    lf.write("TLS\n")
rf = conn.makefile("rb")
prot = False
dlisten = None
active = None


def send(s):
    conn.sendall(s.encode())


def data_open():
    """the data connection, after the 150: accepted or dialled, then TLS"""
    global dlisten
    if active:
        d = socket.create_connection(active, timeout=20)
    else:
        dlisten.settimeout(20)
        d, _ = dlisten.accept()
        dlisten.close()
        dlisten = None
    d.settimeout(20)
    if not prot:
        return d
    d = ctx.wrap_socket(d, server_side=True)
    lf.write("DATA TLS reused=%d\n" % (1 if d.session_reused else 0))
    if not d.session_reused and "--no-reuse-check" not in opts:
        d.close()
        send("522 SSL connection failed: session reuse required\r\n")
        sys.exit(0)
    return d


def data_close(d):
    if prot and "--truncate" not in opts:
        try:
            d = d.unwrap()
        except (OSError, ssl.SSLError):
            pass
    d.close()


send("220 ftptls.py ready\r\n")
while True:
    line = rf.readline()
    if not line:
        break
    cmd = line.decode("latin-1").rstrip("\r\n")
    verb, _, arg = cmd.partition(" ")
    verb = verb.upper()
    lf.write(("PASS ****" if verb == "PASS" else cmd) + "\n")
    if verb == "AUTH" and not tls:
        send("234 AUTH TLS ok\r\n")
        conn = ctx.wrap_socket(conn, server_side=True)
        rf = conn.makefile("rb")
        tls = True
        lf.write("TLS\n")
    elif verb == "USER":
        send("331 password please\r\n")
    elif verb == "PASS":
        send("230 logged in over %s\r\n" % ("TLS" if tls else "clear text"))
    elif verb == "PBSZ":
        send("200 PBSZ=0\r\n" if tls else "503 PBSZ needs AUTH first\r\n")
    elif verb == "PROT" and "--refuse-prot" in opts:
        send("534 PROT P not here: data in clear\r\n")
    elif verb == "PROT":
        prot = arg == "P" and tls
        send("200 PROT now %s\r\n" % arg if tls else "503 PROT needs AUTH first\r\n")
    elif verb == "FEAT":
        send("211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n SIZE\r\n211 End\r\n")
    elif verb == "TYPE":
        send("200 type set\r\n")
    elif verb == "SIZE":
        p = os.path.join(root, arg)
        if os.path.isfile(p):
            send("213 %d\r\n" % os.path.getsize(p))
        else:
            send("550 no such file\r\n")
    elif verb == "MDTM":
        send("550 not here\r\n")
    elif verb in ("EPSV", "PASV"):
        active = None
        dlisten = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        dlisten.bind(("127.0.0.1", 0))
        dlisten.listen(1)
        port = dlisten.getsockname()[1]
        if verb == "EPSV":
            send("229 Entering Extended Passive Mode (|||%d|)\r\n" % port)
        else:
            send("227 Entering Passive Mode (127,0,0,1,%d,%d)\r\n" % (port >> 8, port & 255))
    elif verb in ("EPRT", "PORT"):
        if verb == "EPRT":
            f = arg[1:-1].split(arg[0])
            active = (f[1], int(f[2]))
        else:
            f = arg.split(",")
            active = (".".join(f[:4]), int(f[4]) * 256 + int(f[5]))
        if active[0] != "127.0.0.1":
            send("500 loopback only\r\n")
            active = None
        else:
            send("200 ok\r\n")
    elif verb == "RETR":
        p = os.path.join(root, arg)
        if not os.path.isfile(p):
            send("550 no such file\r\n")
            continue
        send("150 opening data connection for %s\r\n" % arg)
        d = data_open()
        with open(p, "rb") as f:
            d.sendall(f.read())
        data_close(d)
        send("226 sent\r\n")
    elif verb in ("LIST", "NLST"):
        send("150 here comes the listing\r\n")
        d = data_open()
        for n in sorted(os.listdir(root)):
            st = os.stat(os.path.join(root, n))
            if verb == "NLST":
                d.sendall(("%s\r\n" % n).encode())
            else:
                d.sendall(("-rw-r--r--    1 0        0        %8d Jan 31 09:15 %s\r\n"
                           % (st.st_size, n)).encode())
        data_close(d)
        send("226 listed\r\n")
    elif verb == "STOR":
        send("150 send it\r\n")
        d = data_open()
        with open(os.path.join(root, arg), "wb") as f:
            while True:
                b = d.recv(65536)
                if not b:
                    break
                f.write(b)
        lf.write("STORED %s\n" % arg)
        data_close(d)
        send("226 stored\r\n")
    elif verb == "QUIT":
        send("221 bye\r\n")
        break
    else:
        send("502 not here\r\n")
try:
    conn.unwrap() if tls else None
except (OSError, ssl.SSLError):
    pass
conn.close()
