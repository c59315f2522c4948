#!/usr/bin/env bats
# contract.bats - the contract of tubes(7) that the eight commands share,
# as one table: each row below is one test per command, run the same way
# over arpq, ping-lite, trace, dig-lite, httpget, smtpsend, ftpget and
# pop3get.  The name server is tests/peers/dnspeer on 127.0.0.1 (a
# kernel port, named in our resolv.conf as ADDR#PORT); the TCP peers are
# tests/peers/fakepeer.  Nothing leaves loopback.
#
#   row                    exit  what is checked
#   no such host (NXDOMAIN)  1   stderr holds "NAME: HOST: no such host"
#   SERVFAIL, REFUSED        3   "NAME: lookup of HOST failed: SERVER answered RCODE"
#   resolver timeout         3   "NAME: lookup of HOST failed: no answer from SERVER (timed out)"
#   invalid literal          2   "NAME: 10.200.1.300: invalid address", the DNS saw nothing
#   bad option               2   one line from getopt, then "Try 'NAME --help'."
#   -j, no such host         1   the last line on stdout is the summary, "exit":1
#   -j, a local error        2   (the packet commands) the summary is the one stdout line
#   SIGINT/TERM/HUP, lookup  3   out within 2.5 s, no file written
#   SIGINT in connect        3   (the TCP commands; a full accept queue drops the SYN)
#   SIGINT, silent peer      3   (the TCP commands) out within 2.5 s, no file written,
#                                -j summary last
#
# A signal in the middle of a download or a message (the data wait) is
# tested per command with its own peers, for SIGINT, SIGTERM and SIGHUP:
# ftpget.bats FTP-14, httpget.bats X-05, pop3get.bats POP-18,
# smtpsend.bats SMTP-15 (exit 3, within 1 s, no file renamed into place).
#
# A command that needs a privilege it lacks (ping-lite without a ping or
# raw socket) skips with the reason: run as root and as a user.

load lib/common
load lib/peer
load lib/held
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	DNSPID= BH_PID=
	export TUBES_HOSTS="$T/hosts" TUBES_RESOLV_CONF="$T/resolv.conf"
	: >"$T/hosts"
	export HOME=$T POP3GET_PASSWORD=contract
	cd "$T" || return 1
}

teardown() {
	held_stop
	peer_stop
	if [ -n "$DNSPID" ]; then kill "$DNSPID" 2>/dev/null; wait "$DNSPID" 2>/dev/null; fi
	if [ -n "$BH_PID" ]; then kill "$BH_PID" 2>/dev/null; wait "$BH_PID" 2>/dev/null; fi
	return 0
}

# dns_peer [TIMEOUT]: the one name server: nx.test NXDOMAIN, sf.test
# SERVFAIL, rf.test REFUSED, to.test never answers; sets DNSPORT
dns_peer() {
	cat >"$T/dns.script" <<-EOS
	match sf.test *
	rcode SERVFAIL
	match rf.test *
	rcode REFUSED
	match to.test *
	drop
	match * *
	rcode NXDOMAIN
	EOS
	"$TESTBIN/dnspeer" -s "$T/dns.script" -P "$T/dns.port" -l "$T/dns.log" 3>&- &
	DNSPID=$!
	wait_file "$T/dns.port"
	DNSPORT=$(cat "$T/dns.port")
	printf 'nameserver 127.0.0.1#%s\noptions timeout:%s attempts:1\n' "$DNSPORT" "${1:-1}" \
	    >"$T/resolv.conf"
}

# can CMD: skip unless CMD may open its sockets here (asked of the command
# itself, on a literal: it says which privilege is missing and exits 2).
# arpq without CAP_NET_RAW asks the kernel: it runs as a user too.
can() {
	case $1 in
	ping-lite)
		run timeout 10 ping-lite -c 1 -w 1 127.0.0.1
		[ "$status" -ne 2 ] || skip "${lines[0]}" ;;
	trace)
		run timeout 10 trace -m 1 -q 1 -w 1 127.0.0.1
		[ "$status" -ne 2 ] || skip "${lines[0]}" ;;
	esac
	return 0
}

# args CMD HOST: the command line that makes CMD contact HOST, in A
# (with -j when J=-j); files land in $T
args() {
	case $1 in
	arpq) A=(arpq $J -c 1 -w 1 "$2") ;;
	ping-lite) A=(ping-lite $J -c 1 -w 1 "$2") ;;
	trace) A=(trace $J -m 1 -q 1 -w 1 "$2") ;;
	dig-lite) A=(dig-lite $J "@$2" x.test) ;;
	httpget) A=(httpget $J -o "$T/got" "http://$2${3:+:$3}/f") ;;
	smtpsend) A=(smtpsend $J -s "$2" ${3:+-p $3} -f a@lab.test b@lab.test) ;;
	ftpget) A=(ftpget $J -o "$T/got" "ftp://$2${3:+:$3}/f") ;;
	pop3get) A=(pop3get $J -m "$T/got" "pop3://u@$2${3:+:$3}/") ;;
	esac
}

# runc CMD HOST: run CMD against HOST, message on stdin, 20 s bound
runc() {
	args "$@"
	run --separate-stderr timeout 20 "${A[@]}" <<<"Subject: contract"
}

# line_is TEXT: some line of stderr is exactly TEXT
line_is() {
	grep -Fxq -- "$1" <<<"$stderr" && return 0
	echo "stderr lacks the line: $1; it holds:" >&2
	echo "$stderr" >&2
	return 1
}

no_file() {
	local f
	for f in "$T"/got "$T"/.part-got "$T"/.part-f; do
		[ ! -s "$f" ] || { echo "left behind: $f" >&2; return 1; }
	done
}

row_nxdomain() {
	can "$1"
	dns_peer
	runc "$1" nx.test
	[ "$status" -eq 1 ]
	if [ "$1" = httpget ]; then
		line_is "httpget: http://nx.test/f: nx.test: no such host"	# one line per URL
	else
		line_is "$1: nx.test: no such host"
	fi
	grep -q '^udp nx.test. A ' "$T/dns.log"
	no_file
}

row_lookup_failed() {
	local host=$2 said=$3
	can "$1"
	dns_peer
	runc "$1" "$host"
	[ "$status" -eq 3 ]
	local want="lookup of $host failed: $said"
	want=${want//PORT/$DNSPORT}
	if [ "$1" = httpget ]; then
		line_is "httpget: http://$host/f: $want"
	else
		line_is "$1: $want"
	fi
	no_file
}

row_literal() {
	can "$1"
	dns_peer
	runc "$1" 10.200.1.300
	[ "$status" -eq 2 ]
	if [ "$1" = httpget ]; then
		line_is "httpget: http://10.200.1.300/f: 10.200.1.300: invalid address"
	else
		line_is "$1: 10.200.1.300: invalid address"
	fi
	[ ! -s "$T/dns.log" ]
	# the other literal-looking strings: never sent either
	runc "$1" 1.2.3
	[ "$status" -eq 2 ]
	runc "$1" fe80::zz
	[ "$status" -eq 2 ]
	[ ! -s "$T/dns.log" ]
}

row_bad_option() {
	run --separate-stderr timeout 10 "$1" --no-such-option 127.0.0.1
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	# getopt's own words (glibc: "unrecognized option '--no-such-option'";
	# musl: "unrecognized option: no-such-option"), after "NAME: "
	[[ "${stderr_lines[0]}" == "$1: "*"option"*"no-such-option"* ]]
	[ "${stderr_lines[1]}" = "Try '$1 --help'." ]
	run --separate-stderr timeout 10 "$1" -Z 127.0.0.1
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "$1: "*"option"*"Z"* ]]
	[ "${stderr_lines[1]}" = "Try '$1 --help'." ]
}

row_json_early() {
	can "$1"
	dns_peer
	J=-j runc "$1" nx.test
	[ "$status" -eq 1 ]
	local last=${lines[${#lines[@]}-1]}
	[[ "$last" == '{"type":"summary",'*'"exit":1}' ]]
}

# -j after a local error before the first packet (the packet commands;
# the TCP commands meet no local error before their lookup and connect)
row_json_local() {
	case $1 in
	arpq) A=(arpq -j -I nosuchif0 10.0.0.1) ;;
	ping-lite) A=(ping-lite -j -c 1 -I nosuchif0 127.0.0.1) ;;
	trace) A=(trace -j -i nosuchif0 127.0.0.1) ;;
	dig-lite)
		printf 'nameserver 127.0.0.1#9\n' >"$T/resolv.conf"
		A=(dig-lite -j -6 x.test) ;;
	esac
	run --separate-stderr timeout 10 "${A[@]}"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == '{"type":"summary",'*'"exit":2}' ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == "$1: "* ]]
}

# the time in ms since the epoch
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# signal_out SIG PID: SIG to PID, its exit status in SIGST, the time it took in SIGMS
signal_out() {
	local t0 i
	t0=$(ms)
	kill "-$1" "$2"
	for ((i = 0; i < 500; i++)); do
		kill -0 "$2" 2>/dev/null || break
		sleep 0.01
	done
	SIGMS=$(( $(ms) - t0 ))
	kill -KILL "$2" 2>/dev/null || true	# still there after 5 s: the test fails below
	if wait "$2"; then SIGST=0; else SIGST=$?; fi
}

# last_is_summary FILE CODE: FILE's last line is the -j summary with "exit":CODE
last_is_summary() {
	local last
	last=$(tail -n 1 "$1")
	[[ "$last" == '{"type":"summary",'*"\"exit\":$2}" ]] && return 0
	echo "the last line of $1 is not the summary with exit $2: $last" >&2
	return 1
}

# SIGINT, SIGTERM and SIGHUP, each while the name server keeps silent
# (SIGINT with -j: the summary line is still the last)
row_sigint_lookup() {
	local i sig pid J
	can "$1"
	dns_peer 10
	for sig in INT TERM HUP; do
		J=
		[ "$sig" = INT ] && J=-j
		args "$1" to.test
		: >"$T/dns.log"
		"${A[@]}" <<<"Subject: contract" >"$T/out" 2>"$T/err" 3>&- &
		pid=$!
		for ((i = 0; i < 250; i++)); do
			grep -q '^udp to.test' "$T/dns.log" 2>/dev/null && break
			sleep 0.02
		done
		grep -q '^udp to.test' "$T/dns.log"
		signal_out "$sig" "$pid"
		echo "$1: SIG$sig: out after ${SIGMS} ms, exit $SIGST" >&2
		[ "$SIGMS" -lt 2500 ]
		[ "$SIGST" -eq 3 ]
		grep -q "lookup of to.test failed: interrupted" "$T/err"
		[ -z "$J" ] || last_is_summary "$T/out" 3
		no_file
	done
}

# a TCP peer that takes the connection and never says a word
row_sigint_silent() {
	local J=-j
	printf 'idle 15000\n' >"$T/silent.peer"
	args "$1" 127.0.0.1 %PORT
	held_start "$T/silent.peer" "${A[@]}"
	held_wait_peer 'accepted connection 1'
	[ "$1" != httpget ] || held_wait_log '^GET /f '
	signal_out INT "$HELD_PID"
	HELD_PID=
	echo "$1: out after ${SIGMS} ms, exit $SIGST" >&2
	cat "$PEER_DIR/held.err" >&2
	[ "$SIGMS" -lt 2500 ]
	[ "$SIGST" -eq 3 ]
	last_is_summary "$PEER_DIR/held.out" 3
	no_file
	[ ! -e "$PEER_DIR/got" ]
}

# a listener whose accept queue is full (listen(0), filled by connections
# of its own, never accepted): the kernel drops our SYN, so connect()
# waits, as for a host that does not answer; sets BH_PORT, BH_PID
blackhole() {
	need_cmd python3 ss
	python3 - "$T/bh.port" <<-'EOP' 3>&- &
	import os, socket, sys, time
	s = socket.socket()
	s.bind(("127.0.0.1", 0))
	s.listen(0)
	port = s.getsockname()[1]
	fill = []
	for i in range(3):
	    c = socket.socket()
	    c.setblocking(False)
	    try:
	        c.connect(("127.0.0.1", port))
	    except BlockingIOError:
	        pass
	    fill.append(c)
	with open(sys.argv[1] + ".tmp", "w") as f:
	    f.write(str(port))
	os.rename(sys.argv[1] + ".tmp", sys.argv[1])
	time.sleep(20)
	EOP
	BH_PID=$!
	wait_file "$T/bh.port"
	BH_PORT=$(cat "$T/bh.port")
}

# the sockets in SYN-SENT towards the blackhole's port
syn_sent() {
	ss -Htn state syn-sent "( dport = :$BH_PORT )" | wc -l
}

row_sigint_connect() {
	local i J=-j pid base
	blackhole
	base=$(syn_sent)	# the blackhole's own fillers that did not fit
	args "$1" 127.0.0.1 "$BH_PORT"
	"${A[@]}" <<<"Subject: contract" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	# until the command's own SYN waits in SYN-SENT too
	for ((i = 0; i < 250; i++)); do
		[ "$(syn_sent)" -gt "$base" ] && break
		sleep 0.02
	done
	signal_out INT "$pid"
	kill "$BH_PID" 2>/dev/null || true
	wait "$BH_PID" 2>/dev/null || true
	echo "$1: out after ${SIGMS} ms, exit $SIGST" >&2
	cat "$T/err" >&2
	[ "$i" -lt 250 ]
	[ "$SIGMS" -lt 2500 ]
	[ "$SIGST" -eq 3 ]
	last_is_summary "$T/out" 3
	no_file
}

# --- the table: one test per row and command --------------------------------

@test "contract arpq: NXDOMAIN -> exit 1, no such host" { row_nxdomain arpq; }
@test "contract ping-lite: NXDOMAIN -> exit 1, no such host" { row_nxdomain ping-lite; }
@test "contract trace: NXDOMAIN -> exit 1, no such host" { row_nxdomain trace; }
@test "contract dig-lite: NXDOMAIN -> exit 1, no such host" { row_nxdomain dig-lite; }
@test "contract httpget: NXDOMAIN -> exit 1, no such host" { row_nxdomain httpget; }
@test "contract smtpsend: NXDOMAIN -> exit 1, no such host" { row_nxdomain smtpsend; }
@test "contract ftpget: NXDOMAIN -> exit 1, no such host" { row_nxdomain ftpget; }
@test "contract pop3get: NXDOMAIN -> exit 1, no such host" { row_nxdomain pop3get; }

@test "contract arpq: SERVFAIL -> exit 3 naming the server" { row_lookup_failed arpq sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract ping-lite: SERVFAIL -> exit 3 naming the server" { row_lookup_failed ping-lite sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract trace: SERVFAIL -> exit 3 naming the server" { row_lookup_failed trace sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract dig-lite: SERVFAIL -> exit 3 naming the server" { row_lookup_failed dig-lite sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract httpget: SERVFAIL -> exit 3 naming the server" { row_lookup_failed httpget sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract smtpsend: SERVFAIL -> exit 3 naming the server" { row_lookup_failed smtpsend sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract ftpget: SERVFAIL -> exit 3 naming the server" { row_lookup_failed ftpget sf.test "127.0.0.1#PORT answered SERVFAIL"; }
@test "contract pop3get: SERVFAIL -> exit 3 naming the server" { row_lookup_failed pop3get sf.test "127.0.0.1#PORT answered SERVFAIL"; }

@test "contract arpq: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed arpq rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract ping-lite: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed ping-lite rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract trace: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed trace rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract dig-lite: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed dig-lite rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract httpget: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed httpget rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract smtpsend: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed smtpsend rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract ftpget: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed ftpget rf.test "127.0.0.1#PORT answered REFUSED"; }
@test "contract pop3get: REFUSED -> exit 3, the server answered REFUSED" { row_lookup_failed pop3get rf.test "127.0.0.1#PORT answered REFUSED"; }

@test "contract arpq: resolver timeout -> exit 3 naming the server" { row_lookup_failed arpq to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract ping-lite: resolver timeout -> exit 3 naming the server" { row_lookup_failed ping-lite to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract trace: resolver timeout -> exit 3 naming the server" { row_lookup_failed trace to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract dig-lite: resolver timeout -> exit 3 naming the server" { row_lookup_failed dig-lite to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract httpget: resolver timeout -> exit 3 naming the server" { row_lookup_failed httpget to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract smtpsend: resolver timeout -> exit 3 naming the server" { row_lookup_failed smtpsend to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract ftpget: resolver timeout -> exit 3 naming the server" { row_lookup_failed ftpget to.test "no answer from 127.0.0.1#PORT (timed out)"; }
@test "contract pop3get: resolver timeout -> exit 3 naming the server" { row_lookup_failed pop3get to.test "no answer from 127.0.0.1#PORT (timed out)"; }

@test "contract arpq: invalid literal -> exit 2, nothing sent to the DNS" { row_literal arpq; }
@test "contract ping-lite: invalid literal -> exit 2, nothing sent to the DNS" { row_literal ping-lite; }
@test "contract trace: invalid literal -> exit 2, nothing sent to the DNS" { row_literal trace; }
@test "contract dig-lite: invalid literal -> exit 2, nothing sent to the DNS" { row_literal dig-lite; }
@test "contract httpget: invalid literal -> exit 2, nothing sent to the DNS" { row_literal httpget; }
@test "contract smtpsend: invalid literal -> exit 2, nothing sent to the DNS" { row_literal smtpsend; }
@test "contract ftpget: invalid literal -> exit 2, nothing sent to the DNS" { row_literal ftpget; }
@test "contract pop3get: invalid literal -> exit 2, nothing sent to the DNS" { row_literal pop3get; }

@test "contract arpq: bad option -> exit 2, one line and Try" { row_bad_option arpq; }
@test "contract ping-lite: bad option -> exit 2, one line and Try" { row_bad_option ping-lite; }
@test "contract trace: bad option -> exit 2, one line and Try" { row_bad_option trace; }
@test "contract dig-lite: bad option -> exit 2, one line and Try" { row_bad_option dig-lite; }
@test "contract httpget: bad option -> exit 2, one line and Try" { row_bad_option httpget; }
@test "contract smtpsend: bad option -> exit 2, one line and Try" { row_bad_option smtpsend; }
@test "contract ftpget: bad option -> exit 2, one line and Try" { row_bad_option ftpget; }
@test "contract pop3get: bad option -> exit 2, one line and Try" { row_bad_option pop3get; }

@test "contract arpq: -j ends with the summary before the first packet" { row_json_early arpq; }
@test "contract ping-lite: -j ends with the summary before the first packet" { row_json_early ping-lite; }
@test "contract trace: -j ends with the summary before the first packet" { row_json_early trace; }
@test "contract dig-lite: -j ends with the summary before the first packet" { row_json_early dig-lite; }
@test "contract httpget: -j ends with the summary before the first packet" { row_json_early httpget; }
@test "contract smtpsend: -j ends with the summary before the first packet" { row_json_early smtpsend; }
@test "contract ftpget: -j ends with the summary before the first packet" { row_json_early ftpget; }
@test "contract pop3get: -j ends with the summary before the first packet" { row_json_early pop3get; }

@test "contract arpq: -j ends with the summary after a local error" { row_json_local arpq; }
@test "contract ping-lite: -j ends with the summary after a local error" { row_json_local ping-lite; }
@test "contract trace: -j ends with the summary after a local error" { row_json_local trace; }
@test "contract dig-lite: -j ends with the summary after a local error" { row_json_local dig-lite; }

@test "contract arpq: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup arpq; }
@test "contract ping-lite: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup ping-lite; }
@test "contract trace: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup trace; }
@test "contract dig-lite: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup dig-lite; }
@test "contract httpget: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup httpget; }
@test "contract smtpsend: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup smtpsend; }
@test "contract ftpget: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup ftpget; }
@test "contract pop3get: SIGINT, SIGTERM, SIGHUP in the name lookup -> out within 2.5 s, exit 3" { row_sigint_lookup pop3get; }

@test "contract httpget: SIGINT in connect (no SYN-ACK) -> out within 2.5 s, exit 3, no file" { row_sigint_connect httpget; }
@test "contract smtpsend: SIGINT in connect (no SYN-ACK) -> out within 2.5 s, exit 3" { row_sigint_connect smtpsend; }
@test "contract ftpget: SIGINT in connect (no SYN-ACK) -> out within 2.5 s, exit 3, no file" { row_sigint_connect ftpget; }
@test "contract pop3get: SIGINT in connect (no SYN-ACK) -> out within 2.5 s, exit 3, no mbox" { row_sigint_connect pop3get; }

@test "contract httpget: SIGINT waiting for a silent peer -> out within 2.5 s, exit 3, no file" { row_sigint_silent httpget; }
@test "contract smtpsend: SIGINT waiting for a silent peer -> out within 2.5 s, exit 3" { row_sigint_silent smtpsend; }
@test "contract ftpget: SIGINT waiting for a silent peer -> out within 2.5 s, exit 3, no file" { row_sigint_silent ftpget; }
@test "contract pop3get: SIGINT waiting for a silent peer -> out within 2.5 s, exit 3, no mbox" { row_sigint_silent pop3get; }
