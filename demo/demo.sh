#!/bin/bash
# demo/demo.sh - `make demo`: the life of a request, on a small internet of its own.
#
# Builds, in network namespaces it creates (tb-demo-TAG-ROLE, TAG random per
# run) and always removes, a home LAN (laptop, neighbour, home router with
# NAT), three ISP routers, a DNS hierarchy (root, tld, zone), a web server and
# Aunt Martha's mail server -- all served by the project's own scripted peers
# (tests/peers/dnspeer, tests/peers/fakepeer), so nothing beyond the build is
# needed.  Then, from the laptop, it retells the seeds: the life of an HTTP
# request (ARP, DNS from the root, ping, trace, HTTP, then HTTPS with the
# demo's own CA, its TLS handshake told message by message), FTP's control
# and data connections (the EE450 slides), Aunt Martha's
# birthday mail (MX, SMTP straight to her MX over STARTTLS, POP3 on her
# side), and her
# homework: a 5,732-byte mail over a path with 512-byte segments, a window
# of 5 and packet #4 dropped once, every TCP segment shown and counted.
#
#   sudo make demo          (or: sudo bash demo/demo.sh, after make check-build)
#   DEMO_LAYERS=1           adds -X (httpget: --layers) to every step
#
# The HTTPS step needs openssl (the demo's CA and certificate, made at each
# start) and python3 with its ssl module (demo/tlsweb.py, the HTTPS
# server); without them it is skipped, saying why, and the rest still runs
# (the mail then goes in clear, to a scripted peer, in place of STARTTLS to
# tests/peers/smtptls.py).
#   O=build/rel             where the build is
#
# Every address is inside the namespaces (10.x); nothing is sent anywhere else.
# Exit: 0 every step did what it said; 1 a step did not; 2 no root, no build,
# or the namespaces could not be made.

set -u
export LC_ALL=C

TOP=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build/rel}
case $O in /*) ;; *) O=$TOP/$O ;; esac
BIN=$O/bin
PEERS=$O/tests
DEMO=$TOP/demo
LAYERS=${DEMO_LAYERS:-0}
[ "$LAYERS" = 0 ] && LAYERS=

say() { printf '%s\n' "$*"; }
die2() {
	say "make demo: $*" >&2
	[ -n "${WORK:-}" ] && [ -d "$WORK" ] && tail -n 3 "$WORK"/*.err 2>/dev/null | sed 's/^/    /' >&2
	exit 2
}

if [ "$(id -u)" != 0 ]; then
	die2 "needs root to build its network namespaces (ip netns add); run: sudo make demo"
fi
for c in arpq dig-lite ping-lite trace httpget smtpsend pop3get; do
	[ -x "$BIN/$c" ] || die2 "$BIN/$c is missing; run make first"
done
for p in dnspeer fakepeer; do
	[ -x "$PEERS/$p" ] || die2 "$PEERS/$p is missing; run make check-build first"
done
command -v ip >/dev/null || die2 "ip (iproute2) is missing"

TAG=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tubes-demo.XXXXXX") || die2 "mktemp failed"
NSS=()
PIDS=()

cleanup() {
	local p n
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for n in "${NSS[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'say "make demo: interrupted" >&2; exit 130' INT TERM

T0=$(date +%s%N)
elapsed() { local t; t=$(date +%s%N); printf '%d.%03d' $(((t - T0) / 1000000000)) $(((t - T0) / 1000000 % 1000)); }

# --- the small internet --------------------------------------------------------

ns() { printf 'tb-demo-%s-%s' "$TAG" "$1"; }
nx() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }

mkns() {
	local n
	n=$(ns "$1")
	ip netns add "$n" || die2 "cannot create network namespace $n"
	NSS+=("$n")
	ip -n "$n" link set lo up
	# every probe of a trace answered, ping sockets for everyone
	ip netns exec "$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.route.error_cost=0 \
		net.ipv4.ping_group_range="0 2147483647" net.ipv6.conf.all.disable_ipv6=1 \
		>/dev/null 2>&1
}

# link A IF_A ADDR_A B IF_B ADDR_B: a veth pair (ADDR "-": none)
link() {
	ip -n "$(ns "$1")" link add name "$2" type veth peer name "$5" netns "$(ns "$4")" || return 1
	ip -n "$(ns "$1")" link set "$2" up
	ip -n "$(ns "$4")" link set "$5" up
	[ "$3" = - ] || ip -n "$(ns "$1")" addr add "$3" dev "$2"
	[ "$6" = - ] || ip -n "$(ns "$4")" addr add "$6" dev "$5"
}
route() { local n; n=$(ns "$1"); shift; ip -n "$n" route add "$@"; }
forward() { nx "$1" sysctl -qw net.ipv4.ip_forward=1 >/dev/null; }

build_net() {
	local r
	for r in laptop neighbour home isp1 isp2 isp3 root tld zone web mail; do
		mkns $r
	done
	# home LAN 10.0.0.0/24: a bridge in the home router, laptop and neighbour on it
	ip -n "$(ns home)" link add name lan type bridge || return 1
	ip -n "$(ns home)" link set lan address 02:00:00:00:00:01
	ip -n "$(ns home)" link set lan up
	ip -n "$(ns home)" addr add 10.0.0.1/24 dev lan
	link laptop eth0 10.0.0.2/24 home port1 - || return 1
	link neighbour eth0 10.0.0.3/24 home port2 - || return 1
	ip -n "$(ns laptop)" link set eth0 address 02:00:00:00:00:02
	ip -n "$(ns neighbour)" link set eth0 address 02:00:00:00:00:03
	ip -n "$(ns home)" link set port1 master lan
	ip -n "$(ns home)" link set port2 master lan
	route laptop default via 10.0.0.1
	route neighbour default via 10.0.0.1
	# home -- isp1 -- isp2 -- isp3
	link home wan 10.100.0.2/30 isp1 home 10.100.0.1/30 || return 1
	link isp1 isp2 10.101.0.1/30 isp2 isp1 10.101.0.2/30 || return 1
	link isp2 isp3 10.102.0.1/30 isp3 isp2 10.102.0.2/30 || return 1
	route home default via 10.100.0.1
	route isp1 default via 10.101.0.2
	route isp2 10.100.0.0/30 via 10.101.0.1
	route isp2 default via 10.102.0.2
	route isp3 default via 10.102.0.1
	# the servers, each on its own link behind isp3
	link isp3 root 10.198.41.1/24 root eth0 10.198.41.4/24 || return 1
	link isp3 tld 10.192.5.1/24 tld eth0 10.192.5.6/24 || return 1
	link isp3 zone 10.203.97.1/24 zone eth0 10.203.97.53/24 || return 1
	link isp3 mail 10.203.98.1/24 mail eth0 10.203.98.23/24 || return 1
	link isp3 web 10.203.99.1/24 web eth0 10.203.99.80/24 || return 1
	for r in root tld zone mail web; do
		route $r default via "$(ip -n "$(ns $r)" -4 -o addr show dev eth0 | awk '{ split($4, a, "."); print a[1] "." a[2] "." a[3] ".1" }')"
	done
	for r in home isp1 isp2 isp3; do
		forward $r
	done
	# NAT on the home router: the ISP knows no route to 10.0.0.0/24
	if [ "${DEMO_NAT:-1}" != 0 ] && command -v nft >/dev/null && nx home nft -f - <<'EOF'
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan" masquerade
	}
}
EOF
	then
		NAT="NAT: the laptop's 10.0.0.2 leaves as 10.100.0.2"
		NATON=1
	else
		NAT="no NAT (DEMO_NAT=0, or nft not installed): the ISP routes 10.0.0.0/24 back to the home router"
		route isp1 10.0.0.0/24 via 10.100.0.2
		route isp2 10.0.0.0/24 via 10.101.0.1
	fi
}

# --- the servers: the project's own scripted peers ------------------------------

# wait for a file written by a peer (bounded: 5 s)
wait_for() {
	local i
	for ((i = 0; i < 500; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.01
	done
	return 1
}

# lowport ROLE LOW HIGH: the kernel's "port 0" in ROLE is LOW..HIGH, so a
# peer that listens on a port the kernel picks gets the well-known one
lowport() {
	nx "$1" sysctl -qw net.ipv4.ip_unprivileged_port_start=0 >/dev/null &&
		nx "$1" sysctl -qw net.ipv4.ip_local_port_range="$2 $3" >/dev/null
}

# dns ROLE ADDR SCRIPT: dnspeer on ADDR port 53.  dnspeer takes a UDP port
# from the kernel, TCP on the same number and a second UDP port (for its
# wrong-port case): with the range 53..54 it gets 53 or 54; 54 is thrown back.
dns() {
	local try pid
	lowport "$1" 53 54 || return 1
	for ((try = 0; try < 40; try++)); do
		rm -f "$WORK/$1.port"
		ip netns exec "$(ns "$1")" "$PEERS/dnspeer" -a "$2" -s "$3" -P "$WORK/$1.port" \
			-l "$WORK/$1.log" </dev/null >/dev/null 2>>"$WORK/$1.err" &
		pid=$!
		if ! wait_for "$WORK/$1.port"; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 1
		fi
		if [ "$(cat "$WORK/$1.port")" = 53 ]; then
			PIDS+=("$pid")
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

# tcp ROLE NAME ADDR PORT SCRIPT: fakepeer on ADDR:PORT (in the background)
tcp() {
	lowport "$1" "$4" "$4" || return 1
	rm -f "$WORK/$2.port"
	ip netns exec "$(ns "$1")" "$PEERS/fakepeer" -a "$3" -T 25 "$WORK/$2.port" "$WORK/$2.log" \
		"$5" </dev/null >/dev/null 2>"$WORK/$2.err" &
	PIDS+=("$!")
	eval "${2}_pid=\$!"
	wait_for "$WORK/$2.port" && [ "$(cat "$WORK/$2.port")" = "$4" ]
}

write_dns() {
	cat >"$WORK/root.hints" <<'EOF'
.			3600000	IN	NS	a.root.demo.
a.root.demo.		3600000	IN	A	10.198.41.4
EOF
	# the root knows who runs example.
	cat >"$WORK/root.dns" <<'EOF'
match * *
authority example. 172800 NS a.nic.example.
additional a.nic.example. 172800 A 10.192.5.6
EOF
	# example. knows who runs kindoldaunts.example.
	cat >"$WORK/tld.dns" <<'EOF'
match * *
authority kindoldaunts.example. 86400 NS ns.kindoldaunts.example.
additional ns.kindoldaunts.example. 86400 A 10.203.97.53
EOF
	# and kindoldaunts.example. answers (it is also the laptop's resolver)
	cat >"$WORK/zone.dns" <<'EOF'
match www.kindoldaunts.example A
flags aa ra
answer www.kindoldaunts.example. 3600 A 10.203.99.80
authority kindoldaunts.example. 3600 NS ns.kindoldaunts.example.
additional ns.kindoldaunts.example. 3600 A 10.203.97.53
match kindoldaunts.example MX
flags aa ra
answer kindoldaunts.example. 3600 MX 10 mail.kindoldaunts.example.
authority kindoldaunts.example. 3600 NS ns.kindoldaunts.example.
additional mail.kindoldaunts.example. 3600 A 10.203.98.23
match mail.kindoldaunts.example A
flags aa ra
answer mail.kindoldaunts.example. 3600 A 10.203.98.23
match ns.kindoldaunts.example A
flags aa ra
answer ns.kindoldaunts.example. 3600 A 10.203.97.53
match ftp.kindoldaunts.example A
flags aa ra
answer ftp.kindoldaunts.example. 3600 A 10.203.99.21
match www.kindoldaunts.example *
flags aa ra
match ftp.kindoldaunts.example *
flags aa ra
match mail.kindoldaunts.example *
flags aa ra
match ns.kindoldaunts.example *
flags aa ra
match kindoldaunts.example *
flags aa ra
match * *
flags aa ra
rcode NXDOMAIN
EOF
	printf 'nameserver 10.203.97.53\noptions timeout:2 attempts:2\n' >"$WORK/resolv.conf"
}

write_web() {
	local len
	len=$(wc -c <"$DEMO/index.html")
	cp "$DEMO/index.html" "$WORK/index.html"
	cat >"$WORK/web.peer" <<EOF
expect ^GET / HTTP/1\\.1\$
expect ^Host: www\\.kindoldaunts\\.example\$
expect ^User-Agent: 
expect ^Accept: 
expect ^Connection: 
expect ^\$
send HTTP/1.1 200 OK\\r\\nServer: fakepeer (tubes demo)\\r\\nContent-Type: text/html; charset=utf-8\\r\\nContent-Length: $len\\r\\nConnection: close\\r\\n\\r\\n
send-file index.html
EOF
}

# --- the TLS step: the demo's own CA, and an HTTPS server that uses it --------
#
# openssl makes a CA and a P-256 leaf for www.kindoldaunts.example (in its
# subjectAltName) at every start; demo/tlsweb.py (Python's ssl module)
# serves the page with that leaf on 10.203.99.80:443.  Neither is part of
# the build: without them the step is skipped, with the reason.
tls_missing() {
	command -v openssl >/dev/null ||
		{ printf 'openssl is not installed (it makes the demo'"'"'s CA and certificate)'; return 0; }
	command -v python3 >/dev/null ||
		{ printf 'python3 is not installed (it runs the demo'"'"'s HTTPS server)'; return 0; }
	python3 -c 'import ssl' 2>/dev/null ||
		{ printf 'python3 has no ssl module (it runs the demo'"'"'s HTTPS server)'; return 0; }
	return 1
}

make_certs() {
	local e=$WORK/pki.err
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout "$WORK/ca.key" -out "$WORK/ca.pem" -subj "/O=Kind Old Aunts/CN=Kind Old Aunts demo CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>>"$e" || return 1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$WORK/www.key" -out "$WORK/www.csr" \
		-subj "/CN=www.kindoldaunts.example" >/dev/null 2>>"$e" || return 1
	printf '%s\n' 'subjectAltName=DNS:www.kindoldaunts.example,DNS:mail.kindoldaunts.example' \
		'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
		'extendedKeyUsage=serverAuth' >"$WORK/www.ext"
	openssl x509 -req -in "$WORK/www.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
		-set_serial 0x1146 -days 2 -extfile "$WORK/www.ext" -out "$WORK/www.pem" >/dev/null 2>>"$e"
}

tls_web() {
	rm -f "$WORK/tls.port"
	ip netns exec "$(ns web)" python3 "$DEMO/tlsweb.py" 10.203.99.80 443 "$WORK/www.pem" \
		"$WORK/www.key" "$WORK/index.html" "$WORK/tls.port" "$WORK/tls.log" 25 \
		</dev/null >/dev/null 2>"$WORK/tls.err" &
	PIDS+=("$!")
	wait_for "$WORK/tls.port"
}

# Aunt Martha's mail server with STARTTLS: tests/peers/smtptls.py (Python's
# ssl) on 10.203.98.23:25, the demo's leaf (its SAN names mail. too)
mail_tls() {
	rm -f "$WORK/smtp.port"
	ip netns exec "$(ns mail)" python3 "$TOP/tests/peers/smtptls.py" "$WORK/www.pem" \
		"$WORK/www.key" "$WORK/smtp.port" "$WORK/smtp.log" --listen=10.203.98.23:25 \
		</dev/null >/dev/null 2>"$WORK/smtp.err" &
	PIDS+=("$!")
	smtp_pid=$!
	wait_for "$WORK/smtp.port"
}

# the handshake as httpget --layers showed it (stderr), one line per TLS
# message and per block of application data, each with what it is for
# (slides 108-113 of the talk, told for TLS 1.3: the key exchange rides in
# the hellos, everything after the ServerHello is encrypted)
tls_story() {
	awk '
	function said(w) { n++; printf "    %d. %s\n", n, w }
	/^TLS handshake: / {
		m = $3; sub(/,$/, "", m); bytes = $4
		if (m == "ClientHello")
			said("ClientHello (" bytes " bytes, in clear): the laptop'"'"'s random, the TLS versions and ciphers it speaks, its key share, and the name it wants (SNI www.kindoldaunts.example)")
		else if (m == "ServerHello")
			said("ServerHello (" bytes " bytes, in clear): the server'"'"'s random, the version and cipher it picked, its key share; both sides now derive the keys, and all that follows is encrypted")
		else if (m == "EncryptedExtensions")
			said("EncryptedExtensions (" bytes " bytes): the rest of the server'"'"'s answer to the hello (ALPN http/1.1)")
		else if (m == "Certificate")
			said("Certificate (" bytes " bytes): the server'"'"'s identity, www.kindoldaunts.example signed by the demo'"'"'s CA")
		else if (m == "CertificateVerify")
			said("CertificateVerify (" bytes " bytes): a signature over the handshake with the certificate'"'"'s key: the server holds that key")
		else if (m == "Finished" && !fin++)
			said("Finished (" bytes " bytes) from the server: a MAC over every handshake message so far; nothing was changed on the way")
		else if (m == "Finished")
			said("Finished (" bytes " bytes) from the laptop: its own MAC over the handshake; the TLS connection is open")
		else if (m == "NewSessionTicket")
			said("NewSessionTicket (" bytes " bytes): a ticket to resume this session later without the certificate")
		else
			said(m " (" bytes " bytes)")
		next
	}
	/^--- sent [0-9]+ bytes to / && !req++ {
		said("application data: the GET request, " $3 " bytes of HTTP inside TLS records (encrypted), inside TCP")
		next
	}
	/^--- received [0-9]+ bytes of response head / && !resp++ {
		said("application data: the response, its " $3 "-byte head then the page, decrypted from TLS records")
		next
	}
	/^ *name  *.* matches / { sub(/^ *name  */, ""); name = $0 }
	/^ *result  *verified$/ { ok = 1 }
	END {
		if (ok)
			printf "    the certificate verified against the demo CA (--cacert ca.pem); the name: %s\n", name
		else
			printf "    the certificate did NOT verify\n"
	}'
}

# the handshake's messages in order, and the HTTP request after the last
# Finished (EncryptedExtensions and tickets may come between)
tls_order() {
	awk '/^TLS handshake: / { m = $3; sub(/,$/, "", m)
			if (m != "EncryptedExtensions" && m != "NewSessionTicket") seq = seq m " "
			if (m == "Finished") fin = NR }
	     /^--- sent [0-9]+ bytes to / && !app { app = NR }
	     END { exit !(seq == "ClientHello ServerHello Certificate CertificateVerify Finished Finished " && fin && app > fin) }' "$1"
}

# what went over each FTP connection: the commands the server logged on
# port 21, the port its 227 reply gave, the bytes that came on that one
ftp_story() {
	local cmds tuple a b c d p1 p2
	cmds=$(tr -d '\r' <"$WORK/ftp.log" | awk '{ print ($1 == "PASS" ? "PASS (any)" : $0) }' |
		paste -sd, - | sed 's/,/, /g')
	tuple=$(grep -o '227 Entering Passive Mode ([0-9,]*)' "$OUT.err" | head -1 | sed 's/.*(//; s/)//')
	IFS=, read -r a b c d p1 p2 <<<"$tuple"
	[ -n "$p2" ] || { say "    (no 227 reply in the dialogue)"; return 1; }
	say "    the control connection: laptop -> 10.203.99.21 port 21, commands and replies as lines of text: $cmds"
	say "    the data connection: laptop -> $a.$b.$c.$d port $((p1 * 256 + p2)) (the 227 reply's $p1 * 256 + $p2), opened by the laptop after PASV; it carried the file, $(wc -c <"$OUT") bytes, and closed to end it"
	say "    (on the slide the server connects back from port 20, active mode: the home router's NAT would not let that in, so the laptop asks for passive mode)"
}

# --- the FTP step (the EE450 slides): a control and a data connection ---------
#
# fakepeer plays ftp.kindoldaunts.example (10.203.99.21, in the web server's
# namespace): port 21 for the control connection; the data connection is a
# second listener on a port the kernel picks from 50000-50009 (set once port
# 21 is taken), given to the laptop in the 227 reply.
FTPFILE=pub/birthday-card.txt
write_ftp() {
	local size
	size=$(wc -c <"$DEMO/birthday-card.txt")
	cat >"$WORK/ftp.peer" <<EOF
send 220 ftp.kindoldaunts.example FTP fakepeer (tubes demo)\\r\\n
expect ^USER anonymous\$
send 331 anonymous: any password will do\\r\\n
expect ^PASS
send 230 welcome, anonymous\\r\\n
expect ^TYPE I\$
expect ^SIZE ${FTPFILE//./\\.}\$
send 200 binary\\r\\n213 $size\\r\\n
data-listen
expect ^PASV\$
send 227 Entering Passive Mode (%PASV)\\r\\n
expect ^RETR ${FTPFILE//./\\.}\$
send 150 Opening BINARY mode data connection ($size bytes)\\r\\n
data-accept
data-send-file birthday-card.txt
data-close
send 226 Transfer complete\\r\\n
expect ^QUIT\$
send 221 Goodbye\\r\\n
EOF
	cp "$DEMO/birthday-card.txt" "$WORK/"
}

ftp_server() {
	ip -n "$(ns web)" addr add 10.203.99.21/24 dev eth0 || return 1
	tcp web ftp 10.203.99.21 21 "$WORK/ftp.peer" || return 1
	nx web sysctl -qw net.ipv4.ip_local_port_range="50000 50009" >/dev/null
}

# the SMTP side: one "expect" per line of the message, counted from the
# same message built with smtpsend -n (the boundary is random, the line
# count is not)
MAILARGS=(-f nephew@home.example -S "Happy birthday, Aunt Martha!" -a birthday-card.txt
	--date "Sat, 30 Jan 2016 16:30:00 -0500" --message-id "<birthday.1146@home.example>")
write_smtp() {
	local n i
	n=$(cd "$DEMO" && "$BIN/smtpsend" -n "${MAILARGS[@]}" AuntMartha@kindoldaunts.example \
		<birthday.txt | wc -l) || return 1
	{
		printf '%s\n' 'send 220 mail.kindoldaunts.example ESMTP fakepeer (tubes demo)\r\n' \
			'expect ^EHLO ' \
			'send 250-mail.kindoldaunts.example\r\n250-8BITMIME\r\n250 SIZE 1048576\r\n' \
			'expect ^MAIL FROM:<nephew@home\.example>' \
			'send 250 2.1.0 sender ok\r\n' \
			'expect ^RCPT TO:<AuntMartha@kindoldaunts\.example>' \
			'send 250 2.1.5 Aunt Martha lives here\r\n' \
			'expect ^DATA$' \
			'send 354 go ahead, end with a dot\r\n'
		for ((i = 0; i < n; i++)); do
			printf 'expect ^\n'
		done
		printf '%s\n' 'expect ^\.$' \
			'send 250 2.0.0 queued for Aunt Martha\r\n' \
			'expect ^QUIT$' \
			'send 221 2.0.0 bye\r\n'
	} >"$WORK/smtp.peer"
}

# the POP3 side serves what the SMTP side received: the DATA of the log
write_pop3() {
	local size
	awk 'BEGIN { RS = "\n" } { sub(/\r$/, "") }
	     go && $0 == "." { exit }
	     go { print }
	     /^DATA$/ { go = 1 }' "$WORK/smtp.log" >"$WORK/stuffed.txt"
	# smtptls.py (the STARTTLS server) keeps the DATA apart, as it came
	[ -z "$MAILTLS" ] || tr -d '\r' <"$WORK/smtp.log.msg" >"$WORK/stuffed.txt"
	[ -s "$WORK/stuffed.txt" ] || return 1
	# CRLF on the wire; the size LIST gives is the message without the stuffing
	sed 's/$/\r/' "$WORK/stuffed.txt" >"$WORK/msg.crlf"
	size=$(sed 's/^\.//; s/$/\r/' "$WORK/stuffed.txt" | wc -c)
	printf 'martha-birthday-pw\n' >"$WORK/pop3.pw"
	chmod 600 "$WORK/pop3.pw"
	cat >"$WORK/pop3.peer" <<EOF
send +OK POP3 mail.kindoldaunts.example ready (fakepeer, tubes demo)\\r\\n
expect ^CAPA\$
send +OK Capability list follows\\r\\nUSER\\r\\nUIDL\\r\\nTOP\\r\\n.\\r\\n
expect ^USER martha\$
send +OK\\r\\n
expect ^PASS martha-birthday-pw\$
send +OK 1 message waiting\\r\\n
expect ^STAT\$
send +OK 1 $size\\r\\n
expect ^LIST\$
send +OK\\r\\n1 $size\\r\\n.\\r\\n
expect ^UIDL\$
send +OK\\r\\n1 birthday-1146\\r\\n.\\r\\n
expect ^RETR 1\$
send +OK $size octets\\r\\n
send-file msg.crlf
send .\\r\\n
expect ^QUIT\$
send +OK bye\\r\\n
EOF
}

# --- Aunt Martha's homework (seed 001): the mail as TCP carries it ------------
#
# "Size of our email message in bytes: 5732.  Size of data portion of our
# TCP packet: 512.  Size of window: 5 packets.  It looks like packet #4
# never made it to Aunt Martha's computer."  The same mail server, a path
# that makes it so: her server advertises an MSS of 512 and a window of
# 2,560 bytes (its route's advmss and window), the laptop sends no TCP
# timestamps (so each segment carries 512 bytes of data) and no GSO
# batches (so each segment leaves as a packet), and isp3 drops the 4th
# full-sized segment to her port 25, once (two nftables quotas: the
# first three pass, the fourth is dropped, the rest pass).
HW_SIZE=5732
write_homework() {
	local head n i
	printf '%s\n' 'From: nephew@home.example' 'To: AuntMartha@kindoldaunts.example' \
		"Subject: Aunt Martha's homework: 5,732 bytes" \
		'Date: Sat, 30 Jan 2016 16:30:00 -0500' 'Message-ID: <homework.1146@home.example>' \
		'' >"$WORK/hw.eml"
	head=$(($(wc -c <"$WORK/hw.eml") + $(wc -l <"$WORK/hw.eml")))
	# text lines up to the byte: on the wire each line ends in CR LF
	awk -v left=$((HW_SIZE - head)) 'BEGIN {
		l = "Happy birthday, Aunt Martha! One line of the many that make 5,732 bytes."
		pad = "And that is the end of the letter, padded to the very byte: love, your nephew......"
		while (left >= length(l) + 2 + 20) { print l; left -= length(l) + 2 }
		print substr(pad, 1, left - 2)
	}' >>"$WORK/hw.eml"
	n=$(wc -l <"$WORK/hw.eml")
	[ $(($(wc -c <"$WORK/hw.eml") + n)) -eq "$HW_SIZE" ] || return 1
	{
		printf '%s\n' 'send 220 mail.kindoldaunts.example ESMTP fakepeer (tubes demo)\r\n' \
			'expect ^EHLO ' \
			'send 250-mail.kindoldaunts.example\r\n250 8BITMIME\r\n' \
			'expect ^MAIL FROM:<nephew@home\.example>' \
			'send 250 2.1.0 sender ok\r\n' \
			'expect ^RCPT TO:<AuntMartha@kindoldaunts\.example>' \
			'send 250 2.1.5 Aunt Martha lives here\r\n' \
			'expect ^DATA$' \
			'send 354 go ahead, end with a dot\r\n'
		for ((i = 0; i < n; i++)); do
			printf 'expect ^\n'
		done
		printf '%s\n' 'expect ^\.$' \
			'send 250 2.0.0 queued: 5732 bytes for Aunt Martha\r\n' \
			'expect ^QUIT$' \
			'send 221 2.0.0 bye\r\n'
	} >"$WORK/hw.peer"
}

homework_path() {
	local gw
	gw=$(ip -n "$(ns mail)" -4 route show default | awk '{ print $3; exit }')
	ip -n "$(ns mail)" route change default via "$gw" advmss 512 window 2560 || return 1
	# a second address for the homework's server: port 25 of the first may
	# still be in TIME_WAIT from the mail step
	ip -n "$(ns mail)" addr add 10.203.98.25/24 dev eth0 2>/dev/null || return 1
	nx laptop sysctl -qw net.ipv4.tcp_timestamps=0 >/dev/null || return 1
	ip -n "$(ns laptop)" link set dev eth0 gso_max_segs 1 2>/dev/null
	command -v nft >/dev/null && nx isp3 nft -f - <<'EOF'
table inet homework {
	quota first3 { until 1657 bytes }
	quota fourth { until 553 bytes }
	chain forward {
		type filter hook forward priority 0; policy accept;
		ip daddr 10.203.98.25 tcp dport 25 ip length 552 quota name "first3" accept
		ip daddr 10.203.98.25 tcp dport 25 ip length 552 quota name "fourth" counter drop
	}
}
EOF
}

# the segments smtpsend -X printed, one a line: direction, flags, data
# bytes, relative seq and ack
homework_table() {
	awk 'function out() { printf "%s %s %s %s %s\n", dir, fl, len, seq, ack; inseg = 0 }
	     /^--- TCP segment/ { if (inseg) out(); inseg = 1; dir = $4; fl = $5; gsub(/[][,]/, "", fl)
			len = $6; seq = "-"; ack = "-"; next }
	     /^---/ { if (inseg) out(); next }
	     inseg && /Relative Sequence Number/ { seq = $4 }
	     inseg && /Relative Acknowledgment Number/ { ack = $4 }
	     END { if (inseg) out() }' "$1"
}

# the homework's answers, told from the table; 0 if the loss and the
# retransmission are both there
homework_story() {
	awk '
	{ n++; dir[n] = $1; fl[n] = $2; len[n] = $3; seq[n] = $4; ack[n] = $5 }
	END {
		for (i = 1; i <= n; i++) {
			if (dir[i] == "sent") sent++; else got++
			if (!opened && dir[i] == "sent" && fl[i] == "ACK" && len[i] == 0) opened = i
			if (!fin && fl[i] ~ /FIN/) fin = i
			if (dir[i] == "sent" && len[i] == 512) {
				full++
				if (!first) { first = i; firstseq = seq[i] }
				if (seen[seq[i]]++) { if (!rx) { rx = i; rxseq = seq[i] } }
				else if (full == 4) { lost = i; lostseq = seq[i] }
			}
			if (first && !replied && dir[i] == "received" && len[i] > 0) replied = i
			if (first && !replied && dir[i] == "sent" && len[i] > 0) { msg++; if (len[i] < 512) last = len[i] }
			if (lost && !rx && dir[i] == "received" && len[i] == 0 && ack[i] == lostseq) dup++
		}
		printf "    %d segments in all, %d from the laptop and %d from her server: %d opened the connection (SYN, SYN-ACK, ACK), %d closed it (FIN, FIN, ACK)\n", n, sent, got, opened, n - fin + 1
		printf "    the message: %d segments of 512 bytes and one of %d (the last 100 bytes and the end-of-data dot), %d sent with the one sent again\n", msg - 1 - (rx > 0), last, msg
		if (lost)
			printf "    packet #4 of the message (its bytes %d-%d, relative seq %d) never reached her: isp3 dropped it\n", lostseq - firstseq, lostseq - firstseq + 511, lostseq
		if (rx)
			printf "    how the laptop knew: her server went on acknowledging byte %d, %d duplicate ACKs, so it sent those bytes again (%s)\n", lostseq, dup, (dup >= 3 ? "fast retransmit" : "after a timeout")
		exit !(lost && rx)
	}'
}

# --- the steps ----------------------------------------------------------------

NSTEP=11
NATON=
MAILTLS=
STEP=0
FAILED=0
OUT=$WORK/out

# step "what it shows" CMD ARGS...: run on the laptop, show the command
# and its output (stdout and stderr as they come); $RC is its exit status
step() {
	local what=$1
	shift
	STEP=$((STEP + 1))
	say ""
	say "==> [$STEP/$NSTEP] $what"
	say "laptop\$ $(shown "$@")${STDIN:+ < $STDIN}"
	(cd "$WORK" && PATH=$BIN:$PATH TUBES_RESOLV_CONF=$WORK/resolv.conf \
		ip netns exec "$(ns laptop)" timeout 15 "$@" <"${STDIN:-/dev/null}") >"$OUT" 2>"$OUT.err"
	RC=$?
	if [ -n "${QUIETOUT:-}" ]; then
		: # the step tells it from $OUT and $OUT.err itself
	elif [ -n "${BANNERS:-}" ]; then
		# one line per packet and message: the layer view's banners, and the output
		grep -h -e '^---' -e '^rcpt	' -e '^data	' "$OUT.err" "$OUT" | sed 's/^/    /'
	else
		cat "$OUT.err" "$OUT" | sed 's/^/    /'
	fi
}
# the command as one would type it
shown() {
	local a out=
	for a; do
		case $a in
		*[!A-Za-z0-9_./:@=+,-]*|'') a="'${a//\'/\'\\\'\'}'" ;;
		esac
		out="$out${out:+ }$a"
	done
	printf '%s' "$out"
}
# check CONDITION-DESCRIPTION TEST...: the step did what it said, or not
check() {
	local what=$1
	shift
	if "$@"; then
		say "    ok: $what"
	else
		say "    FAILED: $what (exit $RC)"
		FAILED=$((FAILED + 1))
	fi
}
has() { grep -Eq -- "$1" "${2:-$OUT}"; }

X=${LAYERS:+-X}

main() {
	say "tubes demo: the life of a request, on a small internet of its own"
	say "  home LAN 10.0.0.0/24: laptop 10.0.0.2, neighbour 10.0.0.3, home router 10.0.0.1"
	say "  ISP: isp1 10.100.0.1 - isp2 10.101.0.2 - isp3 10.102.0.2"
	say "  DNS: root 10.198.41.4, example. 10.192.5.6, kindoldaunts.example. 10.203.97.53"
	say "  Aunt Martha: www 10.203.99.80 (HTTP, HTTPS), ftp 10.203.99.21, mail (MX) 10.203.98.23"
	build_net || die2 "could not build the namespaces"
	say "  $NAT"
	write_dns
	dns root 10.198.41.4 "$WORK/root.dns" && dns tld 10.192.5.6 "$WORK/tld.dns" &&
		dns zone 10.203.97.53 "$WORK/zone.dns" || die2 "a DNS server did not start"
	write_web
	tcp web web 10.203.99.80 80 "$WORK/web.peer" || die2 "the web server did not start"
	NSERV=6
	if TLSWHY=$(tls_missing); then
		:
	elif ! make_certs; then
		TLSWHY="openssl could not make the demo's CA: $(tail -1 "$WORK/pki.err")"
		TLSFAIL=1
	elif ! tls_web; then
		TLSWHY="the HTTPS server did not start: $(tail -1 "$WORK/tls.err")"
		TLSFAIL=1
	else
		TLSWHY=
		NSERV=7
	fi
	write_smtp || die2 "smtpsend -n failed"
	if [ -z "$TLSWHY" ]; then
		# her mail server speaks STARTTLS, with a certificate of the same CA
		MAILTLS=1
		mail_tls || die2 "the STARTTLS mail server did not start: $(tail -1 "$WORK/smtp.err")"
	else
		tcp mail smtp 10.203.98.23 25 "$WORK/smtp.peer" || die2 "the mail server did not start"
	fi
	cp "$DEMO/birthday.txt" "$DEMO/birthday-card.txt" "$WORK/"
	write_ftp
	ftp_server || die2 "the FTP server did not start"
	say "  built in $(elapsed) s: ${#NSS[@]} namespaces (tb-demo-$TAG-*), $NSERV servers"

	step "Layer 2: who has 10.0.0.1? ARP asks the LAN for the home router's MAC (and the neighbour's)" \
		arpq $X 10.0.0.1 10.0.0.3
	check "the gateway 10.0.0.1 is 02:00:00:00:00:01, the neighbour 02:00:00:00:00:03" \
		eval '[ $RC -eq 0 ] && has "^10\.0\.0\.1	02:00:00:00:00:01	" && has "^10\.0\.0\.3	02:00:00:00:00:03	"'

	step "DNS from the root down: root -> example. -> kindoldaunts.example. -> the A record" \
		dig-lite $X +trace +roothints=root.hints www.kindoldaunts.example A
	check "three servers asked, the zone's answer is 10.203.99.80" \
		eval '[ $RC -eq 0 ] && has "^www\.kindoldaunts\.example\.[[:space:]].*A[[:space:]]+10\.203\.99\.80$" && has "from 10\.198\.41\.4" && has "from 10\.192\.5\.6" && has "from 10\.203\.97\.53"'

	step "Layer 3: three ICMP echo requests to the web server, through the home router and three ISP routers" \
		ping-lite $X -c 3 -i 0.2 -W 2 www.kindoldaunts.example
	check "3 sent, 3 answered, ttl 60 (four routers on the way)" \
		eval '[ $RC -eq 0 ] && has "3 packets transmitted, 3 received" && has "ttl=60"'

	step "The routers on the way: UDP probes with TTL 1, 2, 3, ...; each router that drops one says \"time exceeded\"" \
		trace $X -n www.kindoldaunts.example
	check "home router, isp1, isp2, isp3, then the web server, in that order" \
		eval '[ $RC -eq 0 ] && has "^ *1  10\.0\.0\.1 " && has "^ *2  10\.100\.0\.1 " && has "^ *3  10\.101\.0\.2 " && has "^ *4  10\.102\.0\.2 " && has "^ *5  10\.203\.99\.80 "'

	step "Layer 7: the page over HTTP/1.1, with the request, the response head and TCP_INFO" \
		httpget -v ${LAYERS:+--layers} http://www.kindoldaunts.example/
	check "200 OK and Aunt Martha's page" \
		eval '[ $RC -eq 0 ] && has "Aunt Martha.s kitchen" && has "^< HTTP/1\.1 200 OK" "$OUT.err"'
	if [ -n "$NATON" ]; then
		# what the home router remembers of it: the connection, translated
		nx home cat /proc/net/nf_conntrack 2>/dev/null | awk '
			/ dport=80 / && /src=10\.0\.0\.2 / {
				n = 0
				for (i = 1; i <= NF; i++)
					if ($i ~ /^(src|dst|sport|dport)=/) { split($i, kv, "="); v[n++] = kv[2] }
				printf "    the home router'"'"'s NAT table: %s:%s -> %s:%s, answered to %s:%s\n", v[0], v[2], v[1], v[3], v[5], v[7]
				exit
			}'
	fi

	# the same page over TLS: the handshake told from httpget's layer view
	# (all of it with DEMO_LAYERS=1, else the story alone)
	TLSQUIET=1
	[ -z "$LAYERS" ] || TLSQUIET=
	if [ -n "$TLSWHY" ]; then
		STEP=$((STEP + 1))
		say ""
		say "==> [$STEP/$NSTEP] The same page over HTTPS: the TLS handshake"
		if [ -n "${TLSFAIL:-}" ]; then
			say "    FAILED: $TLSWHY"
			FAILED=$((FAILED + 1))
		else
			say "    skipped: $TLSWHY"
		fi
	else
		QUIETOUT=$TLSQUIET step "The same page over HTTPS: ClientHello, ServerHello, Certificate, Finished, then HTTP inside TLS (the demo's own CA)" \
			httpget -v --layers --cacert ca.pem https://www.kindoldaunts.example/
		[ -n "$LAYERS" ] || grep -h -e '^\* TLS' -e '^< HTTP/' "$OUT.err" | sed 's/^/    /'
		tls_story <"$OUT.err" >"$WORK/tls.story"
		cat "$WORK/tls.story"
		check "the handshake in order (ClientHello, ServerHello, Certificate, CertificateVerify, Finished, Finished), the certificate verified for www.kindoldaunts.example, and her page inside" \
			eval '[ $RC -eq 0 ] && has "Aunt Martha.s kitchen" && tls_order "$OUT.err" && has "^    the certificate verified .*: www\.kindoldaunts\.example matches " "$WORK/tls.story"'
	fi

	# FTP: the seed's plaintext FTP (--tls off), passive mode (--no-epsv: PASV)
	step "FTP, as the EE450 slides draw it: a control connection to port 21, a data connection for the file (plaintext FTP, --tls off)" \
		ftpget -v ${LAYERS:+-X} --tls off --no-epsv -o - "ftp://ftp.kindoldaunts.example/$FTPFILE"
	ftp_story >"$WORK/ftp.story"
	cat "$WORK/ftp.story"
	check "the control connection on port 21, the data connection on the port of the 227 reply, and the file's bytes came whole" \
		eval '[ $RC -eq 0 ] && cmp -s "$OUT" "$DEMO/birthday-card.txt" && has "^    the control connection: .* port 21" "$WORK/ftp.story" && has "^    the data connection: .* port 5000[0-9]" "$WORK/ftp.story"'

	step "Where does Aunt Martha's mail go? The MX record of her domain" \
		dig-lite $X kindoldaunts.example MX
	check "MX 10 mail.kindoldaunts.example., at 10.203.98.23" \
		eval '[ $RC -eq 0 ] && has "MX[[:space:]]+10 mail\.kindoldaunts\.example\.$" && has "10\.203\.98\.23$"'

	if [ -n "$MAILTLS" ]; then
		STDIN=birthday.txt step "The birthday mail, MIME with a card attached, straight to her MX on port 25, over STARTTLS (the demo's CA)" \
			smtpsend -v $X --tls required --cacert ca.pem "${MAILARGS[@]}" AuntMartha@kindoldaunts.example
		check "STARTTLS, her certificate verified, and her server said 250 to the recipient and to the message" \
			eval '[ $RC -eq 0 ] && has "TLS: TLSv1\.[23] .*, verified" "$OUT.err" && has "^rcpt	AuntMartha@kindoldaunts\.example	250	" && has "^data	250	"'
	else
		STDIN=birthday.txt step "The birthday mail, MIME with a card attached, straight to her MX on port 25" \
			smtpsend -v $X "${MAILARGS[@]}" AuntMartha@kindoldaunts.example
		check "her server said 250 to the recipient and to the message" \
			eval '[ $RC -eq 0 ] && has "^rcpt	AuntMartha@kindoldaunts\.example	250	" && has "^data	250	"'
	fi

	# her side: the mail server, now speaking POP3, serves what it received
	if [ -n "${smtp_pid:-}" ]; then
		wait "$smtp_pid" 2>/dev/null
		SMTP_STATUS=$?
	fi
	if [ "${SMTP_STATUS:-1}" != 0 ] || ! write_pop3 ||
		! tcp mail pop3 10.203.98.23 110 "$WORK/pop3.peer"; then
		say "    (the mail server did not get the whole message: $(tail -1 "$WORK/smtp.err" 2>/dev/null))"
		FAILED=$((FAILED + 1))
	fi

	# the seed's mail server speaks POP3 in clear: pop3get would not send the
	# password to it (not loopback, no STLS) unless told to, as here
	step "On Aunt Martha's side: POP3 hands her the message (the server saw every byte above; in clear, as in the seed: --tls off)" \
		pop3get $X --tls off -u martha --password-file pop3.pw -o - pop3://mail.kindoldaunts.example/
	check "the message came back whole: her greeting, the subject and the card" \
		eval '[ $RC -eq 0 ] && has "^Subject: Happy birthday, Aunt Martha!" && has "^Dear Aunt Martha," && has "filename=\"birthday-card\.txt\""'

	# the homework: the same mail server, the path of the seed's questions
	if [ -n "${pop3_pid:-}" ]; then
		wait "$pop3_pid" 2>/dev/null
	fi
	if ! write_homework || ! homework_path || ! tcp mail hw 10.203.98.25 25 "$WORK/hw.peer"; then
		say "    (the homework's path or server could not be set up)"
		FAILED=$((FAILED + 1))
	fi
	STDIN=hw.eml BANNERS=1 step "Aunt Martha's homework: 5,732 bytes, 512 per segment, a window of 5, packet #4 lost on the way" \
		smtpsend -X --tls off -s 10.203.98.25 -f nephew@home.example AuntMartha@kindoldaunts.example
	homework_table "$OUT.err" >"$WORK/hw.table"
	homework_story <"$WORK/hw.table" >"$WORK/hw.story"
	HWRC=$?
	cat "$WORK/hw.story"
	check "the message went in 512-byte segments, #4 was lost once and sent again, and her server said 250" \
		eval '[ $RC -eq 0 ] && [ $HWRC -eq 0 ] && has "^data	250	"'

	say ""
	if [ "$FAILED" -eq 0 ]; then
		say "tubes demo: every step did what it said ($(elapsed) s); the namespaces are gone on exit"
		return 0
	fi
	say "tubes demo: $FAILED step(s) did not do what they said ($(elapsed) s)"
	return 1
}

main
