#!/usr/bin/env bats
# segview.bats - -X shows every TCP segment of a TCP command's connection
# (lib/session/segview.c), checked against tcpdump's capture of the same
# run read back by tshark; without CAP_NET_RAW, a line saying so and the
# kernel's TCP_INFO instead.  pop3get is the command here; httpget,
# smtpsend and ftpget share the same conn code.

load lib/common
load lib/peer

setup() {
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	export POP3GET_PASSWORD=tanstaaf
	URL='pop3://martha@127.0.0.1:%PORT/'
	TCPDUMP_PID=
}

teardown() {
	if [ -n "$TCPDUMP_PID" ]; then
		kill "$TCPDUMP_PID" 2>/dev/null
		wait "$TCPDUMP_PID" 2>/dev/null
	fi
	peer_stop
	return 0
}

need_capture() {
	[ "$(id -u)" -eq 0 ] || skip "capturing segments needs root (CAP_NET_RAW)"
	command -v tcpdump >/dev/null || skip "no tcpdump"
	command -v tshark >/dev/null || skip "no tshark"
}

# the flags and raw sequence/acknowledgment numbers -X printed, one segment a line
xsegs() {
	awk '/^--- TCP segment/ { inseg = 1; flags = $5; gsub(/[][,]+$|^\[/, "", flags); next }
	    /^---/ { inseg = 0 }
	    inseg && $1 == "Sequence" && $2 == "Number" { seq = $3 }
	    inseg && $1 == "Acknowledgment" && $2 == "Number" { print flags, seq, $3 }' "$1"
}

@test "segview: pop3get -X lists the handshake, every data segment and the FIN exchange, as tcpdump saw them" {
	need_capture
	peer_start "$CASES/POP-fetch.peer" || return 1
	tcpdump -Z root --immediate-mode -i lo -nn -U -w "$BATS_TEST_TMPDIR/cap.pcap" "tcp port $PEER_PORT" \
	    2>"$BATS_TEST_TMPDIR/tcpdump.err" &
	TCPDUMP_PID=$!
	# tcpdump says "listening on" once its filter is in place
	for _ in $(seq 50); do
		grep -q 'listening on' "$BATS_TEST_TMPDIR/tcpdump.err" && break
		sleep 0.1
	done
	cd "$PEER_DIR"
	run timeout 30 pop3get -X -d md "${URL//%PORT/$PEER_PORT}"
	peer_wait 3
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/x.txt"
	xsegs "$BATS_TEST_TMPDIR/x.txt" >"$BATS_TEST_TMPDIR/xs.txt"
	# until the capture file holds as many segments (bounded: 3 s)
	for _ in $(seq 30); do
		tshark -r "$BATS_TEST_TMPDIR/cap.pcap" -T fields -e tcp.flags.syn -e tcp.flags.fin \
		    -e tcp.seq_raw -e tcp.ack_raw >"$BATS_TEST_TMPDIR/ts.txt" 2>/dev/null
		[ "$(wc -l <"$BATS_TEST_TMPDIR/ts.txt")" -ge "$(wc -l <"$BATS_TEST_TMPDIR/xs.txt")" ] && break
		sleep 0.1
	done
	kill "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" || true
	TCPDUMP_PID=
	# every segment, in the same order, with the same numbers
	[ "$(wc -l <"$BATS_TEST_TMPDIR/xs.txt")" -ge 10 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/xs.txt")" -eq "$(wc -l <"$BATS_TEST_TMPDIR/ts.txt")" ]
	paste "$BATS_TEST_TMPDIR/xs.txt" "$BATS_TEST_TMPDIR/ts.txt" | awk -F'\t' '{
		split($1, x, " ")
		if (x[2] != $4 || x[3] != $5) { print "segment " NR ": -X " $1 ", tshark " $4 " " $5; bad = 1 }
		syn = x[1] ~ /SYN/; fin = x[1] ~ /FIN/
		if (syn != ($2 == "1" || $2 == "True") || fin != ($3 == "1" || $3 == "True")) {
			print "segment " NR ": flags " x[1] " vs syn " $2 " fin " $3; bad = 1 }
	} END { exit bad }'
	# the handshake first, a FIN each way, and the summary last
	head -n 3 "$BATS_TEST_TMPDIR/xs.txt" | awk 'NR == 1 && $1 == "SYN" { a++ } NR == 2 && $1 == "SYN,ACK" { a++ }
	    NR == 3 && $1 == "ACK" { a++ } END { exit a != 3 }'
	[ "$(grep -c '^--- TCP segment sent \[FIN' "$BATS_TEST_TMPDIR/x.txt")" -eq 1 ]
	[ "$(grep -c '^--- TCP segment received \[FIN' "$BATS_TEST_TMPDIR/x.txt")" -eq 1 ]
	grep -q '^--- TCP connection, port [0-9]* to '"$PEER_PORT"': summary ---$' "$BATS_TEST_TMPDIR/x.txt"
	# the counts in the summary are the segments listed
	sent=$(grep -c '^--- TCP segment sent' "$BATS_TEST_TMPDIR/x.txt")
	got=$(grep -c '^--- TCP segment received' "$BATS_TEST_TMPDIR/x.txt")
	grep -q "Segments sent  *$sent (" "$BATS_TEST_TMPDIR/x.txt"
	grep -q "Segments received  *$got (" "$BATS_TEST_TMPDIR/x.txt"
	# relative numbers start at 0 with the SYN and the application's messages are interleaved
	grep -q 'Relative Sequence Number 0 (from the client' "$BATS_TEST_TMPDIR/x.txt"
	awk '/^--- TCP segment received \[PSH/ { seg = NR } /^--- POP3 status received/ { if (seg && NR > seg) ok = 1 }
	    END { exit !ok }' "$BATS_TEST_TMPDIR/x.txt"
}

@test "segview: a refused connection shows the SYN and the RST" {
	need_capture
	port=$("$TESTBIN/freeport" 1)
	run timeout 10 pop3get -X -l "pop3://martha@127.0.0.1:$port/"
	[ "$status" -eq 3 ]
	grep -q '^--- TCP segment sent \[SYN\]' <<<"$output"
	grep -q '^--- TCP segment received \[RST,ACK\]' <<<"$output"
}

@test "segview: without CAP_NET_RAW, -X says so once and ends with TCP_INFO" {
	command -v setpriv >/dev/null || skip "no setpriv"
	if [ "$(id -u)" -eq 0 ]; then
		drop=(setpriv --bounding-set -net_raw --inh-caps -net_raw --)
	else
		drop=()
	fi
	run_case POP-fetch "${drop[@]}" pop3get -X -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'TCP segments not shown: capturing them needs CAP_NET_RAW' <<<"$output")" -eq 1 ]
	! grep -q '^--- TCP segment' <<<"$output"
	grep -q 'TCP_INFO: segments out [0-9]*, in [0-9]*' <<<"$output"
}
