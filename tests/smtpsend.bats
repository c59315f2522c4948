#!/usr/bin/env bats
# smtpsend: scripted peers for the SMTP cases of hostile-peers.md (SMTP-01..11),
# the command-line contract, message building, and a real MTA (opensmtpd).

load lib/common
bats_require_minimum_version 1.5.0

setup() {
	M=$TOP/tests/fixtures/smtp/martha.txt
	A=(-s 127.0.0.1:%PORT --ehlo tubes.test -f me@here.test)
	R=martha@kindoldaunts.test
}

teardown() {
	local p
	for p in ${DNS_PIDS:-}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	if declare -F held_stop >/dev/null; then held_stop || true; fi
	if declare -F peer_stop >/dev/null; then peer_stop || true; fi
	if declare -F iop_stop_all >/dev/null; then iop_stop_all; fi
	true
}

need_peer() {
	[ -f "$TOP/tests/lib/peer.bash" ] || skip "the scripted peer (tests/lib/peer.bash) is not on this branch yet"
	load lib/peer
}

# run_peer (tests/lib/peer.bash) with stdout and stderr apart: $output and
# $lines hold the verdicts, $stderr the diagnostics (every non-zero exit
# must have one there)
run_peer() {
	local id=$1 a
	shift
	local args=()
	peer_start "$CASES/$id.peer" "${PEER_OPTS[@]}" || return 2
	for a in "$@"; do
		args+=("${a//%PORT/$PEER_PORT}")
	done
	local here=$PWD
	cd "$PEER_DIR" || return 2
	run --separate-stderr timeout 30 "${args[@]}"
	cd "$here" || return 2
	peer_wait 3
}

# the message of martha.txt as it must look after DATA: CRLF, dots doubled
wire_martha() {
	printf 'From: me@here.test\r\nTo: martha@kindoldaunts.test\r\nSubject: Happy birthday\r\n'
	printf 'Date: Sun, 22 Nov 2026 00:00:00 +0000\r\nMessage-ID: <1@here.test>\r\n\r\n'
	printf 'Dear Martha,\r\n..a line starting with a dot\r\n..\r\n...two dots\r\nLove\r\n.\r\n'
}

# --- the command-line contract -------------------------------------------------

@test "smtpsend: --help on stdout, exit 0; --version; bad option exit 2" {
	run smtpsend --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: smtpsend"* ]]
	run smtpsend -V
	[ "$status" -eq 0 ]
	[ "$output" = "smtpsend (tubes) 0.1.0" ]
	run smtpsend --bogus
	[ "$status" -eq 2 ]
	run smtpsend -p 70000 a@b.test
	[ "$status" -eq 2 ]
	run smtpsend --auth plain a@b.test
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs -u"* ]]
}

@test "smtpsend: the man page synopsis and --help agree, and mandoc lints it clean" {
	need_cmd mandoc
	run mandoc -Tlint -W warning "$TOP/man/smtpsend.1"
	[ -z "$output" ]
	for o in --ehlo --auth --password-file --batch --via --date --message-id; do
		grep -q -- "Fl -${o#--}" "$TOP/man/smtpsend.1"
		smtpsend --help | grep -q -- "$o"
	done
}

@test "SMTP-07: CR or LF in the subject, a header, the sender or a recipient is refused" {
	run smtpsend -n -S $'hi\r\nBcc: victim@x.test' a@b.test </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"-S: CR or LF"* ]]
	run smtpsend -n -H $'X-A: 1\nBcc: victim@x.test' a@b.test </dev/null
	[ "$status" -eq 2 ]
	run smtpsend -n -f $'me@here.test>\r\nRCPT TO:<victim@x.test' a@b.test </dev/null
	[ "$status" -eq 2 ]
	run smtpsend -n $'a@b.test>\r\nRCPT TO:<victim@x.test' </dev/null
	[ "$status" -eq 2 ]
	run smtpsend -n 'a@b.test SIZE=1' </dev/null
	[ "$status" -eq 2 ]
	run smtpsend -n '<a@b.test>' </dev/null
	[ "$status" -eq 2 ]
	run smtpsend -n --ehlo $'x\r\nMAIL FROM:<a>' a@b.test </dev/null
	[ "$status" -eq 2 ]
}

@test "SMTP-07: -t refuses a header address with a control byte" {
	run smtpsend -n -t <<<$'To: "a\x01"@b.test\n\nx'
	[ "$status" -eq 2 ]
}

@test "SMTP-06: a bare CR in the message is refused before any connection" {
	run smtpsend -s 127.0.0.1:9 -f me@here.test a@b.test < <(printf 'Subject: x\n\nline\rsmuggled\r\n.\r\nMAIL FROM:<x>\n')
	[ "$status" -eq 2 ]
	[[ "$output" == *"bare CR"* ]]
	run smtpsend -n -f me@here.test a@b.test < <(printf 'no header\r.\rx\n')
	[ "$status" -eq 2 ]
}

@test "-n builds the message: pinned Date and Message-ID, byte for byte" {
	run env SOURCE_DATE_EPOCH=1795305600 smtpsend -n -f me@here.test -S "Happy birthday" $R <<<"Dear Martha,"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "From: me@here.test" ]
	[ "${lines[1]}" = "To: martha@kindoldaunts.test" ]
	[ "${lines[2]}" = "Subject: Happy birthday" ]
	[ "${lines[3]}" = "Date: Sun, 22 Nov 2026 00:00:00 +0000" ]
	[[ "${lines[4]}" =~ ^Message-ID:\ \<1795305600\.[0-9a-f]{16}@here\.test\>$ ]]
	[ "${lines[5]}" = "MIME-Version: 1.0" ]
	[ "${lines[6]}" = "Content-Type: text/plain; charset=us-ascii" ]
	[ "${lines[7]}" = "Content-Transfer-Encoding: 7bit" ]
	[ "${lines[8]}" = "Dear Martha," ]
	# the same input gives the same bytes
	a=$(SOURCE_DATE_EPOCH=1795305600 smtpsend -n -f me@here.test -S "Happy birthday" $R <<<"Dear Martha,")
	[ "$a" = "$output" ]
	run smtpsend -n --date 'Mon, 1 Jan 2001 00:00:00 +0000' --message-id 'x@y' $R <<<"hi"
	[[ "$output" == *$'\nDate: Mon, 1 Jan 2001 00:00:00 +0000\nMessage-ID: <x@y>\n'* ]]
}

@test "-n with a header block: sent as it is, Date and Message-ID added, -t strips Bcc" {
	run env SOURCE_DATE_EPOCH=0 smtpsend -n -t -f me@here.test < <(printf 'To: Aunt Martha <martha@kindoldaunts.test>\nBcc: secret@x.test\nSubject: s\n\nbody\n')
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "To: Aunt Martha <martha@kindoldaunts.test>" ]
	[ "${lines[1]}" = "Subject: s" ]
	[ "${lines[2]}" = "Date: Thu, 1 Jan 1970 00:00:00 +0000" ]
	[[ "${lines[3]}" == "Message-ID: <0."*"@here.test>" ]]
	[ "${lines[4]}" = "From: me@here.test" ]
	[[ "$output" != *secret* ]]
	run smtpsend -n -f me@here.test a@b.test <"$M"
	[ "$output" = "$(cat "$M")" ]
}

@test "-n -a: multipart/mixed, and the attachment decodes to the same sha256" {
	head -c 5000 /dev/urandom >"$BATS_TEST_TMPDIR/cake.jpg"
	run env SOURCE_DATE_EPOCH=0 smtpsend -n -a "$BATS_TEST_TMPDIR/cake.jpg" -S "Grüße" $R <<<"Alles Gute, Tante Martha — 🎂"
	[ "$status" -eq 0 ]
	[[ "$output" == *'Content-Type: multipart/mixed; boundary="=_tubes_'* ]]
	[[ "$output" == *"Subject: =?UTF-8?B?"* ]]
	[[ "$output" == *'Content-Type: image/jpeg; name="cake.jpg"'* ]]
	[[ "$output" == *"Content-Transfer-Encoding: quoted-printable"* ]]
	b=$(printf '%s\n' "$output" | sed -n 's/.*boundary="\(.*\)"/\1/p')
	printf '%s\n' "$output" | awk -v b="--$b" '$0 ~ /filename="cake.jpg"/ {f=1} f && /^$/ {g=1; next} g && index($0, b) == 1 {exit} g {print}' |
		base64 -d >"$BATS_TEST_TMPDIR/back"
	[ "$(sha256sum <"$BATS_TEST_TMPDIR/cake.jpg" | cut -d' ' -f1)" = "$(sha256sum <"$BATS_TEST_TMPDIR/back" | cut -d' ' -f1)" ]
}

@test "-a on a prepared plain-text message keeps its header and body" {
	echo data >"$BATS_TEST_TMPDIR/a.txt"
	run smtpsend -n -a "$BATS_TEST_TMPDIR/a.txt" a@b.test <"$M"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Message-ID: <1@here.test>"* ]]
	[ "$(grep -c '^Date:' <<<"$output")" -eq 1 ]
	[[ "$output" == *$'\n.a line starting with a dot\n'* ]]
	run smtpsend -n -a /nonexistent a@b.test <"$M"
	[ "$status" -eq 2 ]
}

# --- scripted peers ---------------------------------------------------------------

@test "PIPELINING: MAIL, RCPT and DATA in one go; verdict lines as documented" {
	need_peer
	run_peer SMTP-pipelined smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t250\t2.1.5 Ok' ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 Ok: queued as 4F2A1' ]
	peer_log_has '^MAIL FROM:<me@here\.test> SIZE=210'
}

@test "SMTP-01: multi-line replies, bare codes, replies without text" {
	need_peer
	run_peer SMTP-01 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t250\t2.1.5 first 2.1.5 Ok' ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 queued as 4F2A1' ]
}

@test "SMTP-02: 421 greeting: QUIT and nothing else, exit 3" {
	need_peer
	run_peer SMTP-02-421 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t421\t'* ]]
	[ "$(cat "$PEER_LOG")" = $'QUIT\r' ]
}

@test "SMTP-02: 554 greeting is permanent: exit 1" {
	need_peer
	run_peer SMTP-02-554 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t554\t'* ]]
	peer_log_lacks '^(EHLO|MAIL)'
}

@test "SMTP-02: 421 to RCPT: not sent, exit 3" {
	need_peer
	run_peer SMTP-02-421-rcpt smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t421\t4.3.0 shutting down' ]
	[[ "${lines[1]}" == $'data\t-\tnot sent'* ]]
	peer_log_lacks '^DATA'
}

@test "SMTP-03: partial refusal: each recipient's verdict, the others still get it" {
	need_peer
	run_peer SMTP-03 smtpsend "${A[@]}" $R nobody@kindoldaunts.test later@kindoldaunts.test <"$M"
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t250\t2.1.5 Ok' ]
	[ "${lines[1]}" = $'rcpt\tnobody@kindoldaunts.test\t550\t5.1.1 <nobody@kindoldaunts.test>: no such user' ]
	[ "${lines[2]}" = $'rcpt\tlater@kindoldaunts.test\t452\t4.2.2 mailbox full' ]
	[ "${lines[3]}" = $'data\t250\t2.0.0 Ok: queued as 4F2A1' ]
	# a 4xx beside a 5xx: try again later wins
	[ "$status" -eq 3 ]
}

@test "SMTP-04: every recipient refused (no PIPELINING): no DATA, exit 1" {
	need_peer
	run_peer SMTP-04 smtpsend "${A[@]}" $R nobody@kindoldaunts.test <"$M"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "${lines[2]}" == $'data\t-\tnot sent: no recipient accepted' ]]
	peer_log_lacks '^DATA'
	peer_log_lacks 'Dear Martha'
}

@test "SMTP-04 with PIPELINING: DATA refused, no body, exit 1" {
	need_peer
	run_peer SMTP-04-pipelined smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks 'Dear Martha'
}

@test "SMTP-05: dot-stuffing and CRLF on the wire, byte for byte" {
	need_peer
	run_peer SMTP-05 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	{
		printf 'EHLO tubes.test\r\nMAIL FROM:<me@here.test>\r\n'
		printf 'RCPT TO:<martha@kindoldaunts.test>\r\nDATA\r\n'
		wire_martha
		printf 'QUIT\r\n'
	} >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$PEER_LOG"
}

@test "SMTP-05/06: bare LF becomes CRLF, a body without a final newline is ended" {
	need_peer
	printf 'From: me@here.test\nTo: martha@kindoldaunts.test\nSubject: Happy birthday\nDate: Sun, 22 Nov 2026 00:00:00 +0000\r\nMessage-ID: <1@here.test>\n\nDear Martha,\n.a line starting with a dot\r\n.\n..two dots\nLove' >"$BATS_TEST_TMPDIR/m"
	run_peer SMTP-05 smtpsend "${A[@]}" $R <"$BATS_TEST_TMPDIR/m"
	[ "$status" -eq 0 ]
	{
		printf 'EHLO tubes.test\r\nMAIL FROM:<me@here.test>\r\n'
		printf 'RCPT TO:<martha@kindoldaunts.test>\r\nDATA\r\n'
		wire_martha
		printf 'QUIT\r\n'
	} >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$PEER_LOG"
}

@test "SMTP-08: connection lost after the message, before the final reply: not sent, exit 3" {
	need_peer
	run_peer SMTP-08-drop smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t250\t2.1.5 Ok' ]
	[[ "${lines[1]}" == $'data\t-\tno final reply after the message'*'not sent; a duplicate is possible on retry' ]]
}

@test "SMTP-08: final 451 is temporary (exit 3), final 554 permanent (exit 1)" {
	need_peer
	run_peer SMTP-08-451 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "${lines[1]}" = $'data\t451\t4.3.0 local error in processing' ]
	run_peer SMTP-08-554 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = $'data\t554\t5.6.0 message content rejected' ]
}

@test "SMTP-09: DATA answered 451, not 354: no body" {
	need_peer
	run_peer SMTP-09 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[1]}" = $'data\t451\tDATA: 4.3.0 not now' ]
	peer_log_lacks 'Dear Martha'
}

@test "SMTP-10: EHLO refused: HELO once, then plain SMTP" {
	need_peer
	run_peer SMTP-10 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks 'SIZE='
}

@test "SMTP-11: an extra reply line after EHLO's is a protocol error, not MAIL's answer" {
	need_peer
	run_peer SMTP-11 smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t-\t'* ]]
	peer_log_lacks '^MAIL'
}

@test "SMTP-11: a reply ahead of the command is a protocol error" {
	need_peer
	run_peer SMTP-11-early smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	peer_log_lacks '^(MAIL|EHLO)'
}

@test "no PIPELINING: one command at a time, a refused MAIL stops the rest" {
	need_peer
	run_peer SMTP-nopipe smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t550\tMAIL FROM: 5.7.1 sender refused' ]
	peer_log_lacks '^RCPT'
}

@test "SIZE: a message over the server's limit is not offered" {
	need_peer
	run_peer SMTP-size smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[1]}" = $'data\t552\tmessage of 210 bytes exceeds the server\'s SIZE 100' ]
	peer_log_lacks '^MAIL'
}

@test "AUTH PLAIN: the password from SMTPSEND_PASSWORD, masked in -v" {
	need_peer
	SMTPSEND_PASSWORD=s3cret run_peer SMTP-auth-plain smtpsend -v --auth plain -u alice "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$stderr" == *"C: AUTH PLAIN ********"* ]]
	[[ "$stderr$output" != *"AGFsaWNlAHMzY3JldA"* ]]
	[[ "$stderr" == *"S: 235 2.7.0 Authentication successful"* ]]
}

@test "AUTH LOGIN refused (535): exit 1, no MAIL; the password from a private file" {
	need_peer
	printf 's3cret\n' >"$BATS_TEST_TMPDIR/pw"
	chmod 600 "$BATS_TEST_TMPDIR/pw"
	run_peer SMTP-auth-login smtpsend -v --auth login -u alice --password-file "$BATS_TEST_TMPDIR/pw" "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" != *"czNjcmV0"* ]]
	[[ "$output" == *$'rcpt\tmartha@kindoldaunts.test\t535\t'* ]]
	peer_log_lacks '^MAIL'
	chmod 644 "$BATS_TEST_TMPDIR/pw"
	run smtpsend --auth login -u alice --password-file "$BATS_TEST_TMPDIR/pw" -s 127.0.0.1:9 $R <"$M"
	[ "$status" -eq 2 ]
}

@test "8-bit message, no 8BITMIME: sent quoted-printable, dot line encoded" {
	need_peer
	run_peer SMTP-8bit-qp smtpsend -S "Grüße" "${A[@]}" $R <"$TOP/tests/fixtures/smtp/umlaut.txt"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks 'BODY=8BITMIME'
}

@test "8-bit message with 8BITMIME: BODY=8BITMIME, the bytes as they are" {
	need_peer
	run_peer SMTP-8bitmime smtpsend -S "Grüße" "${A[@]}" $R <"$TOP/tests/fixtures/smtp/umlaut.txt"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "--batch: two messages of an mbox over one connection, RSET between" {
	need_peer
	run_peer SMTP-batch smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" "${A[@]}" $R
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(peer_accepts)" -eq 1 ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 queued as A1' ]
	[ "${lines[3]}" = $'data\t250\t2.0.0 queued as A2' ]
	run smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" $R
	[ "$status" -eq 2 ]
}

@test "-j: NDJSON events, summary last with the exit code" {
	need_peer
	need_cmd python3
	run_peer SMTP-03 smtpsend -j "${A[@]}" $R nobody@kindoldaunts.test later@kindoldaunts.test <"$M"
	[ "$status" -eq 3 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin]
assert ev[0]["type"] == "connect" and ev[0]["port"] > 0, ev[0]
r = [e for e in ev if e["type"] == "rcpt"]
assert [e["code"] for e in r] == [250, 550, 452], r
assert r[1]["enhanced"] == "5.1.1" and r[1]["accepted"] is False
d = [e for e in ev if e["type"] == "data"][0]
assert d["code"] == 250 and d["queue_id"] == "4F2A1" and d["sent"] is True, d
s = ev[-1]
assert s["type"] == "summary" and s["exit"] == 3 and s["accepted"] == 1 and s["refused"] == 1 and s["deferred"] == 1, s
'
}

@test "-X: commands and replies decoded field by field on stderr, stdout untouched" {
	need_peer
	run_peer SMTP-pipelined smtpsend -X "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"SMTP command"* ]]
	[[ "$stderr" == *"reply code"*"250 (positive completion)"* ]]
	[[ "$stderr" == *"enhanced status code"*"2.1.5"* ]]
	[[ "$stderr" == *"path"*"<martha@kindoldaunts.test>"* ]]
	[[ "$stderr" == *"SMTP mail data"* ]]
	[[ "$stderr" == *"RFC 5322 message, 196 bytes: header 137, body 59"* ]]
	[[ "$stderr" == *"body                   59 bytes, 5 lines"* ]]
}

@test "-v: the dialogue C:/S: and the TCP_INFO account on stderr" {
	need_peer
	run_peer SMTP-pipelined smtpsend -v "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"C: EHLO tubes.test"* ]]
	[[ "$stderr" == *"S: 250-PIPELINING"* ]]
	[[ "$stderr" == *"C: (message, 210 bytes)"* ]]
	[[ "$stderr" == *"segments out"* ]]
}

@test "--via: SMTP through a helper command" {
	need_peer
	need_cmd socat
	run_peer SMTP-pipelined smtpsend --via 'socat - TCP:127.0.0.1:%p' "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 Ok: queued as 4F2A1' ]
}

@test "connection refused: every recipient gets a verdict, exit 3" {
	port=$("$TESTBIN/freeport" 2>/dev/null || echo 1)
	run smtpsend -s 127.0.0.1:$port -f me@here.test $R <"$M"
	[ "$status" -eq 3 ]
	[[ "$output" == *$'rcpt\tmartha@kindoldaunts.test\t-\t127.0.0.1 (127.0.0.1) port '"$port"': Connection refused'* ]]
	[[ "$output" == *$'data\t-\tnot sent'* ]]
}

@test "allocation failures: smtpsend -n -a never crashes" {
	[ -f "$TOP/tests/lib/faults.bash" ] || skip "tests/lib/faults.bash not here"
	load lib/faults
	echo x >"$BATS_TEST_TMPDIR/a.txt"
	TORTURE_SETUP='exec 0<"$M"'
	torture_alloc smtpsend -n -a "$BATS_TEST_TMPDIR/a.txt" -t
}

@test "--batch without PIPELINING: RSET alone; a refused second message, the first still sent" {
	need_peer
	run_peer SMTP-batch-nopipe smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" "${A[@]}" $R
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 queued as A1' ]
	[ "${lines[2]}" = $'rcpt\tmartha@kindoldaunts.test\t550\t5.2.1 mailbox disabled' ]
	[ "${lines[3]}" = $'data\t-\tnot sent: no recipient accepted' ]
}

@test "--batch: a messages-per-session limit (452) means a new connection for the rest" {
	need_peer
	run_peer SMTP-batch-limit smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" "${A[@]}" $R
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(peer_accepts)" -eq 2 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = $'data\t250\t2.0.0 queued as A1' ]
	[ "${lines[3]}" = $'data\t250\t2.0.0 queued as A2' ]
}

# --- direct delivery ---------------------------------------------------------------

@test "direct delivery to an address literal: one session per domain, the server line" {
	need_peer
	run_peer SMTP-direct smtpsend -p %PORT --ehlo tubes.test -f me@here.test 'martha@[127.0.0.1]' 'uncle@[127.0.0.1]' <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'server\t[127.0.0.1]\t127.0.0.1\t127.0.0.1' ]
	[ "${lines[1]}" = $'rcpt\tmartha@[127.0.0.1]\t250\t2.1.5 Ok' ]
	[ "${lines[2]}" = $'rcpt\tuncle@[127.0.0.1]\t250\t2.1.5 Ok' ]
	[ "${lines[3]}" = $'data\t250\t2.0.0 Ok: queued as 4F2A1' ]
}

# dns_peer: a scripted DNS server (tests/peers/dnspeer) for the MX lookups, script on stdin;
# points TUBES_RESOLV_CONF at it and TUBES_HOSTS at $BATS_TEST_TMPDIR/hosts
dns_peer() {
	local d=$BATS_TEST_TMPDIR
	[ -x "$TESTBIN/dnspeer" ] || skip "tests/peers/dnspeer is not on this branch yet"
	cat >"$d/dns.script"
	"$TESTBIN/dnspeer" -s "$d/dns.script" -P "$d/dns.port" -l "$d/dns.log" 3>&- &
	DNS_PIDS="${DNS_PIDS:-} $!"
	wait_file "$d/dns.port"
	printf 'nameserver 127.0.0.1#%s\noptions timeout:1 attempts:1\n' "$(cat "$d/dns.port")" >"$d/resolv.conf"
	touch "$d/hosts"
	export TUBES_RESOLV_CONF=$d/resolv.conf TUBES_HOSTS=$d/hosts
}

@test "direct delivery: MX by preference, the next MX when the first is dead" {
	need_peer
	dns_peer <<-EOS
	match kindoldaunts.test MX
	answer kindoldaunts.test 300 MX 20 mx2.kindoldaunts.test
	answer kindoldaunts.test 300 MX 10 mx1.kindoldaunts.test
	EOS
	printf '127.0.0.2 mx1.kindoldaunts.test\n127.0.0.1 mx2.kindoldaunts.test\n' >"$TUBES_HOSTS"
	run_peer SMTP-direct smtpsend -W 3 -p %PORT --ehlo tubes.test -f me@here.test $R uncle@kindoldaunts.test <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$stderr" == *"mx1.kindoldaunts.test (127.0.0.2) port $PEER_PORT: Connection refused"* ]]
	[[ "$output" == *$'server\tkindoldaunts.test\tmx2.kindoldaunts.test\t127.0.0.1\n'* ]]
	[[ "$output" == *$'rcpt\tmartha@kindoldaunts.test\t250\t2.1.5 Ok\nrcpt\tuncle@kindoldaunts.test\t250\t2.1.5 Ok\ndata\t250\t'* ]]
	grep -q '^udp kindoldaunts\.test\. MX' "$BATS_TEST_TMPDIR/dns.log"
}

@test "direct delivery: no MX records: the domain's own address (RFC 5321 5.1)" {
	need_peer
	dns_peer <<-EOS
	match kindoldaunts.test MX
	rcode NOERROR
	EOS
	printf '127.0.0.1 kindoldaunts.test\n' >"$TUBES_HOSTS"
	run_peer SMTP-direct smtpsend -p %PORT --ehlo tubes.test -f me@here.test $R uncle@kindoldaunts.test <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'server\tkindoldaunts.test\tkindoldaunts.test\t127.0.0.1' ]
}

@test "direct delivery: null MX (exit 1), SERVFAIL on the MX lookup (exit 3)" {
	dns_peer <<-EOS
	match nomail.test MX
	answer nomail.test 300 MX 0 .
	match broken.test MX
	rcode SERVFAIL
	EOS
	run smtpsend -p 9 -f me@here.test a@nomail.test <"$M"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = $'rcpt\ta@nomail.test\t-\tthe domain accepts no mail (null MX)' ]
	run smtpsend -p 9 -f me@here.test b@broken.test <"$M"
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" == $'rcpt\tb@broken.test\t-\tMX lookup for broken.test: '* ]]
}

@test "direct delivery: a dead host and a recipient without a domain" {
	port=$("$TESTBIN/freeport" 2>/dev/null || echo 1)
	run smtpsend -W 2 -p "$port" -f me@here.test 'martha@[127.0.0.1]' postmaster <"$M"
	[ "$status" -eq 2 ]
	[[ "$output" == *$'rcpt\tpostmaster\t-\tno domain to deliver to'* ]]
	[[ "$output" == *$'rcpt\tmartha@[127.0.0.1]\t-\t127.0.0.1 (127.0.0.1) port '"$port"': Connection refused'* ]]
	run smtpsend -W 2 -p "$port" -f me@here.test 'martha@[127.0.0.1]' <"$M"
	[ "$status" -eq 3 ]
}

# --- a real MTA (OpenSMTPD, from the rig's tests/interop) -----------------------------

need_mta() {
	[ -f "$TOP/tests/interop/servers.bash" ] || skip "tests/interop (the rig's real servers) is not on this branch yet"
	[ "$(id -u)" = 0 ] || skip "the MTA interop tests need root (OpenSMTPD)"
	load interop/servers
	iop_start smtpd || true
	iop_need smtpd
}

# mta_file MESSAGE-ID: wait (bounded) for the delivered file holding it, print its path
mta_file() {
	local i f
	for ((i = 0; i < 250; i++)); do
		f=$(grep -l -F -- "Message-ID: <$1>" "$IOP_MAILDIR"/new/* 2>/dev/null | head -n 1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.02
	done
	echo "no delivered message with Message-ID <$1> in $IOP_MAILDIR/new" >&2
	return 1
}

# the delivered message without the MTA's trace fields (Return-Path, Delivered-To, Received)
mta_strip() {
	awk 'f || /^(From|To|Subject|Date|Message-ID|MIME-Version|Content-Type):/ {f = 1} f' "$1"
}

@test "interop: OpenSMTPD delivers the message as sent (dot lines included)" {
	need_mta
	run smtpsend -s "127.0.0.1:$IOP_SMTP_PORT" -f me@here.test $R <"$M"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t250\t'* ]]
	[[ "${lines[1]}" == $'data\t250\t'* ]]
	f=$(mta_file 1@here.test)
	diff <(mta_strip "$f") "$M"
}

@test "interop: 8-bit UTF-8 text and an attachment arrive intact (sha256)" {
	need_mta
	need_cmd python3
	head -c 20000 /dev/urandom >"$BATS_TEST_TMPDIR/cake.bin"
	printf 'Liebe Tante Martha, alles Gute — 🎂\n.mit Punkt\n' >"$BATS_TEST_TMPDIR/text"
	run smtpsend -s "127.0.0.1:$IOP_SMTP_PORT" -f me@here.test -S 'Grüße' --message-id 2@here.test \
		-a "$BATS_TEST_TMPDIR/cake.bin" $R <"$BATS_TEST_TMPDIR/text"
	[ "$status" -eq 0 ]
	f=$(mta_file 2@here.test)
	python3 - "$f" "$BATS_TEST_TMPDIR/cake.bin" "$BATS_TEST_TMPDIR/text" <<'PY'
import email, hashlib, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
assert str(m["Subject"]) == "Grüße", m["Subject"]
parts = list(m.iter_parts())
text = parts[0].get_content()
want = open(sys.argv[3], encoding="utf-8").read()
assert text.replace("\r\n", "\n") == want, (text, want)
att = parts[1].get_content()
assert parts[1].get_filename() == "cake.bin"
assert hashlib.sha256(att).hexdigest() == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
PY
	# and a plain 8-bit message goes as it is (OpenSMTPD offers 8BITMIME)
	run smtpsend -s "127.0.0.1:$IOP_SMTP_PORT" -f me@here.test --message-id 3@here.test $R <"$BATS_TEST_TMPDIR/text"
	[ "$status" -eq 0 ]
	f=$(mta_file 3@here.test)
	diff <(sed -n '/^$/,$p' "$f" | tail -n +2) "$BATS_TEST_TMPDIR/text"
}

@test "interop: a refused recipient is reported while the other one gets the message" {
	need_mta
	run smtpsend -s "127.0.0.1:$IOP_SMTP_PORT" -f me@here.test $R 'bad(address@kindoldaunts.test' <"$M"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t250\t'* ]]
	[[ "${lines[1]}" == $'rcpt\tbad(address@kindoldaunts.test\t5'* ]]
	[[ "${lines[2]}" == $'data\t250\t'* ]]
	f=$(mta_file 1@here.test)
	grep -q '^Delivered-To: martha@kindoldaunts.test' "$f"
}

@test "interop: --batch of 2 messages, one connection, all delivered" {
	need_mta
	run smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" -s "127.0.0.1:$IOP_SMTP_PORT" -f me@here.test $R
	[ "$status" -eq 0 ]
	[ "$(grep -c $'^data\t250' <<<"$output")" -eq 2 ]
	mta_file 1@here.test >/dev/null
	mta_file 2@here.test >/dev/null
}

@test "SMTP-01: a reply too short to hold a code is a protocol error (exit 3)" {
	need_peer
	run_peer SMTP-01-short smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" == $'rcpt\tmartha@kindoldaunts.test\t-\tgreeting: malformed reply' ]]
	peer_log_lacks '^(EHLO|MAIL)'
}

@test "SMTP-06: a line over 998 octets goes quoted-printable, never as it is" {
	need_peer
	{ printf 'Subject: long\n\n'; head -c 1200 /dev/zero | tr '\0' x; echo; } >"$BATS_TEST_TMPDIR/long"
	run_peer SMTP-06-long smtpsend "${A[@]}" $R <"$BATS_TEST_TMPDIR/long"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(awk 'length($0) > 999' "$PEER_LOG" | wc -l)" -eq 0 ]
}

@test "SMTP-02: 421 to a batch's first message: it is not sent, the second gets its verdict" {
	need_peer
	run_peer SMTP-02-421-data smtpsend --batch "$TOP/tests/fixtures/smtp/two.mbox" "${A[@]}" $R
	[ "$status" -eq 3 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = $'data\t421\t4.3.2 shutting down now' ]
	[[ "${lines[2]}" == $'rcpt\tmartha@kindoldaunts.test\t-\t'* ]]
	[[ "${lines[3]}" == $'data\t-\t'* ]]
}

@test "-W: a server that stops answering costs the wait, not forever (exit 3)" {
	need_peer
	SECONDS=0
	run_peer SMTP-idle smtpsend -W 0.5 "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "$SECONDS" -lt 5 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t-\tEHLO: timed out (no whole reply within 0.5 s)' ]
	[ "$stderr" = "smtpsend: 127.0.0.1: EHLO: timed out (no whole reply within 0.5 s)" ]
}

@test "SIGINT: the verdicts so far, and a prompt exit by the results" {
	need_peer
	peer_start "$CASES/SMTP-idle.peer"
	smtpsend -W 30 -s "127.0.0.1:$PEER_PORT" --ehlo tubes.test -f me@here.test $R <"$M" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for ((i = 0; i < 250; i++)); do grep -q EHLO "$PEER_LOG" 2>/dev/null && break; sleep 0.02; done
	SECONDS=0
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 3 ]
	[ "$SECONDS" -lt 5 ]
	grep -q $'^rcpt\tmartha@kindoldaunts.test\t-\t' "$BATS_TEST_TMPDIR/out"
	grep -q 'interrupted' "$BATS_TEST_TMPDIR/out"
}

@test "AUTH PLAIN: the password from ~/.netrc (NETRC), for the server and user" {
	need_peer
	printf 'machine 127.0.0.1 login bob password nope\nmachine 127.0.0.1 login alice password s3cret\n' >"$BATS_TEST_TMPDIR/netrc"
	chmod 600 "$BATS_TEST_TMPDIR/netrc"
	NETRC=$BATS_TEST_TMPDIR/netrc run_peer SMTP-auth-plain smtpsend --auth plain -u alice "${A[@]}" $R <"$M"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "a 2xx greeting other than 220 is not a greeting: exit 3, recipients not accepted" {
	need_peer
	run_peer SMTP-01-greeting smtpsend "${A[@]}" $R <"$M"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = $'rcpt\tmartha@kindoldaunts.test\t-\tgreeting: malformed reply (250 hello there)' ]
	peer_log_lacks '^(EHLO|MAIL)'
}

@test "interop: direct delivery finds the MX through the test DNS (nsd), then OpenSMTPD" {
	need_mta
	iop_start nsd || true
	iop_need nsd
	printf 'nameserver 127.0.0.1#%s\noptions timeout:2 attempts:2\n' "$IOP_DNS_PORT" >"$BATS_TEST_TMPDIR/resolv.conf"
	: >"$BATS_TEST_TMPDIR/hosts"
	TUBES_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts \
		run smtpsend -p "$IOP_SMTP_PORT" -f me@here.test martha@tubes.test <"$M"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'server\ttubes.test\tmail.tubes.test\t127.0.0.1' ]
	[[ "${lines[1]}" == $'rcpt\tmartha@tubes.test\t250\t'* ]]
	[[ "${lines[2]}" == $'data\t250\t'* ]]
	f=$(mta_file 1@here.test)
	grep -q '^Delivered-To: martha@tubes.test' "$f"
}

# dovecot's submission server (tests/interop), which relays to OpenSMTPD
need_submission() {
	need_mta
	iop_start submission || true
	iop_need submission
}

# sub_msg ID: a message with Message-ID <ID> in BATS_TEST_TMPDIR/ID
sub_msg() {
	printf 'From: me@here.test\nTo: martha@tubes.test\nSubject: %s\nDate: Sun, 22 Nov 2026 00:00:00 +0000\nMessage-ID: <%s>\n\n%s\n.dot line\n' \
		"$1" "$1" "over TLS, $1" >"$BATS_TEST_TMPDIR/$1"
}

@test "interop: dovecot submission (a real server): STARTTLS then AUTH PLAIN, smtps:// then AUTH LOGIN, relayed to OpenSMTPD and delivered as sent; a wrong name and an unknown CA are exit 3, nothing sent" {
	need_submission
	local id u=(-u "$IOP_SUB_USER" --password-file "$IOP_SUB_PASSFILE")
	# STARTTLS (required by default with -s and --auth), a new EHLO after it
	sub_msg s1@here.test
	run smtpsend -v -s "127.0.0.1:$IOP_SUBMISSION_PORT" --cacert "$IOP_CA" --auth plain "${u[@]}" \
		-f me@here.test martha@tubes.test <"$BATS_TEST_TMPDIR/s1@here.test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'C: STARTTLS\nS: 220 '* ]]
	[[ "$output" == *"smtpsend: TLS: TLSv1."*", verified"* ]]
	[ "$(grep -c '^C: EHLO' <<<"$output")" -eq 2 ]
	[[ "$output" == *$'C: AUTH PLAIN ********\nS: 235 '* ]]
	[[ "$output" != *"$IOP_SUB_PASS"* ]]
	grep -q $'^data\t250\t' <<<"$output"
	f=$(mta_file s1@here.test)
	cat "$f"
	diff <(mta_strip "$f") "$BATS_TEST_TMPDIR/s1@here.test"
	# TLS from the first byte (RFC 8314), AUTH LOGIN
	sub_msg s2@here.test
	run smtpsend -j -s "smtps://127.0.0.1:$IOP_SUBMISSIONS_PORT" --cacert "$IOP_CA" --auth login "${u[@]}" \
		-f me@here.test martha@tubes.test <"$BATS_TEST_TMPDIR/s2@here.test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"verified":true'* ]]
	f=$(mta_file s2@here.test)
	diff <(mta_strip "$f") "$BATS_TEST_TMPDIR/s2@here.test"
	# another name (TUBES_HOSTS), a CA nobody here trusts: exit 3, no message
	sub_msg s3@here.test
	printf '127.0.0.1 mx.other.test\n' >"$BATS_TEST_TMPDIR/hosts"
	TUBES_HOSTS=$BATS_TEST_TMPDIR/hosts run smtpsend -s "mx.other.test:$IOP_SUBMISSION_PORT" \
		--cacert "$IOP_CA" --auth plain "${u[@]}" -f me@here.test martha@tubes.test <"$BATS_TEST_TMPDIR/s3@here.test"
	[ "$status" -eq 3 ]
	[[ "$output" == *"TLS: mx.other.test does not match the certificate"* ]]
	run smtpsend -s "smtps://127.0.0.1:$IOP_SUBMISSIONS_PORT" --cacert "$IOP_DIR/ca/other.pem" \
		--auth plain "${u[@]}" -f me@here.test martha@tubes.test <"$BATS_TEST_TMPDIR/s3@here.test"
	[ "$status" -eq 3 ]
	[[ "$output" == *"TLS: unknown issuer CN=tubes interop ca CA"* ]]
	# the TLS failed before MAIL: nothing is in flight to wait for
	run grep -l -F 'Message-ID: <s3@here.test>' -r "$IOP_MAILDIR"/new/
	[ "$status" -eq 1 ]	# 1: read, and not there (2 would be an error)
}

@test "peer text with control bytes is escaped on stdout, in JSON and on stderr" {
	need_peer
	run_peer SMTP-escape smtpsend -v "${A[@]}" $R <"$M"
	[ "$status" -eq 1 ]
	[[ "$output" != *$'\x1b'* ]]
	[[ "$output" != *$'\x07'* ]]
	[[ "$output" == *$'rcpt\tmartha@kindoldaunts.test\t554\tgreeting: 5.7.1 \\x1b[2Jgone\\x07'* ]]
	run_peer SMTP-escape smtpsend -j "${A[@]}" $R <"$M"
	[[ "$output" != *$'\x1b'* ]]
	[[ "$output" == *'\u001b[2Jgone'* ]]
}

@test "-n --batch: an mbox out, mboxrd quoting kept, an unquoted From inside a body not a separator" {
	printf 'From a Sun Nov 22 00:00:00 2026\nSubject: 1\n\n>From x\nFrom y\n\nFrom a Sun Nov 22 00:00:00 2026\nSubject: 2\n\nz\n' >"$BATS_TEST_TMPDIR/q.mbox"
	run smtpsend -n --batch "$BATS_TEST_TMPDIR/q.mbox" -f me@here.test a@b.test
	[ "$status" -eq 0 ]
	[ "$(grep -c '^From me@here.test ' <<<"$output")" -eq 2 ]
	[[ "$output" == *$'\n>From x\n>From y\n'* ]]
	[[ "$output" == *$'\nSubject: 2\n'* ]]
}

# --- round two (tests/hostile-peers-2.md): deadlines, reports, signals, input ---

# a scripted server without PIPELINING that plays along up to stage
# (greeting, EHLO, MAIL, RCPT, DATA, "end of data"), then does action:
# timeout (silence), eof (closes), 421, garbage (a line that is no
# reply), trickle (a long reply, one byte every 50 ms)
stage_peer() {
	local stage=$1 action=$2 f=$BATS_TEST_TMPDIR/$1-$2.peer s
	s=${stage// /_}
	f=$BATS_TEST_TMPDIR/$s-$action.peer
	{
		local st
		for st in greeting EHLO MAIL RCPT DATA end_of_data; do
			[ "$st" = "$s" ] && break
			case $st in
			greeting) echo 'send 220 mx.test ESMTP fake\r\n'; echo 'expect ^EHLO' ;;
			EHLO) echo 'send 250-mx.test\r\n250 8BITMIME\r\n'; echo 'expect ^MAIL' ;;
			MAIL) echo 'send 250 2.1.0 Ok\r\n'; echo 'expect ^RCPT' ;;
			RCPT) echo 'send 250 2.1.5 Ok\r\n'; echo 'expect ^DATA' ;;
			DATA) echo 'send 354 go on\r\n'; echo 'idle 300' ;;
			esac
		done
		case $action in
		timeout) echo 'idle 5000' ;;
		eof) echo 'close' ;;
		421) echo 'send 421 4.3.2 mx.test closing\r\n'; echo 'idle 2000' ;;
		garbage) echo 'send hello there\r\n'; echo 'idle 2000' ;;
		trickle) echo 'trickle 50'
			echo 'send 250-a slow line of text that goes on and on and on\r\n250-and then another one, and more\r\n250 done\r\n' ;;
		esac
	} >"$f"
	echo "$f"
}

@test "SMTP-12/SMTP-14: every non-zero exit says why on stderr: timeout, EOF, 421, garbage at each stage" {
	need_peer
	local st act
	for st in greeting EHLO MAIL RCPT DATA "end of data"; do
		for act in timeout eof 421 garbage; do
			peer_start "$(stage_peer "$st" "$act")"
			run --separate-stderr timeout 10 smtpsend -W 0.5 -s "127.0.0.1:$PEER_PORT" \
			    --ehlo tubes.test -f me@here.test "$R" <"$M"
			peer_stop || true
			echo "$st/$act: exit $status; stderr: $stderr" >&2
			[ "$status" -eq 3 ]
			[[ "$stderr" == "smtpsend: 127.0.0.1: "* ]]
			case $st/$act in
			greeting/421) [[ "$stderr" == *"421 greeting: 4.3.2 mx.test closing"* ]] ;;
			*/421) [[ "$stderr" == *"421 $st: 4.3.2 mx.test closing"* ]] ;;
			"end of data"/*) [[ "$stderr" == *"no final reply after the message (end of data: "* ]] ;;
			*) [[ "$stderr" == *"$st: "* ]] ;;
			esac
			case $act in
			timeout) [[ "$stderr" == *"timed out (no whole reply within 0.5 s)"* ]] ;;
			# the session's words (lib/session): a clean close, or a reset
			eof) [[ "$stderr" == *"connection closed by the server"* ||
			    "$stderr" == *"connection lost"* ]] ;;
			garbage) [[ "$stderr" == *"malformed reply"* ]] ;;
			esac
			[ "$(printf '%s\n' "$output" | grep -c $'^rcpt\t\|^data\t')" -ge 2 ]
		done
	done
}

@test "SMTP-13: a reply trickled a byte at a time ends at -W for the whole reply, at each stage (exit 3)" {
	need_peer
	local st
	for st in greeting EHLO MAIL RCPT DATA "end of data"; do
		peer_start "$(stage_peer "$st" trickle)"
		SECONDS=0
		run --separate-stderr timeout 20 smtpsend -W 1 -s "127.0.0.1:$PEER_PORT" \
		    --ehlo tubes.test -f me@here.test "$R" <"$M"
		peer_stop || true
		echo "$st: exit $status after ${SECONDS}s; stderr: $stderr" >&2
		[ "$status" -eq 3 ]
		[ "$SECONDS" -le "$([ "${VALGRIND:-}" = 1 ] && echo 8 || echo 3)" ]
		[[ "$stderr" == *"timed out (no whole reply within 1 s)"* ]]
	done
}

@test "SMTP-13: a reply of endless continuation lines is cut at 1000 lines (exit 3), not read forever" {
	need_peer
	{
		echo 'send 220 mx.test ESMTP fake\r\n'
		echo 'expect ^EHLO'
		for i in $(seq 30); do printf 'send %s\n' "$(printf '250-x\\r\\n%.0s' $(seq 100))"; done
		echo 'idle 2000'
	} >"$BATS_TEST_TMPDIR/lines.peer"
	peer_start "$BATS_TEST_TMPDIR/lines.peer"
	run --separate-stderr timeout 10 smtpsend -W 5 -s "127.0.0.1:$PEER_PORT" --ehlo tubes.test \
	    -f me@here.test "$R" <"$M"
	peer_stop || true
	[ "$status" -eq 3 ]
	[ "$stderr" = "smtpsend: 127.0.0.1: EHLO: malformed reply (too long, or too many lines)" ]
	peer_log_lacks '^MAIL'
}

@test "SMTP-15: SIGINT, SIGTERM, SIGHUP in the middle of the message: out within 1 s, no end of data sent, not sent, exit 3" {
	need_peer
	local sig t0 ms rc q i
	# 12 MB of text: more than the socket buffers hold while the server does not read
	head -c 9000000 /dev/urandom | base64 -w 76 >"$BATS_TEST_TMPDIR/big.txt"
	cat >"$BATS_TEST_TMPDIR/big.peer" <<-'EOS'
	send 220 mx.test ESMTP fake\r\n
	expect ^EHLO
	send 250-mx.test\r\n250 8BITMIME\r\n
	expect ^MAIL
	send 250 2.1.0 Ok\r\n
	expect ^RCPT
	send 250 2.1.5 Ok\r\n
	expect ^DATA
	send 354 go on\r\n
	sleep 3000
	read-until-close
	EOS
	for sig in INT TERM HUP; do
		peer_start "$BATS_TEST_TMPDIR/big.peer" -T 30
		smtpsend -j -W 10 -s "127.0.0.1:$PEER_PORT" --ehlo tubes.test -f me@here.test "$R" \
		    <"$BATS_TEST_TMPDIR/big.txt" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
		local pid=$!
		# until the server's receive queue holds a good part of the message
		for ((i = 0; i < 250; i++)); do
			q=$(ss -tnH state established "( sport = :$PEER_PORT )" 2>/dev/null | awk '{ print $1; exit }')
			[ "${q:-0}" -gt 100000 ] && break
			sleep 0.02
		done
		t0=$(date +%s%N)
		kill "-$sig" "$pid"
		rc=0
		wait "$pid" || rc=$?
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		peer_wait 10
		echo "$sig: exit $rc after $ms ms" >&2
		[ "$rc" -eq 3 ]
		[ "$ms" -lt "$([ "${VALGRIND:-}" = 1 ] && echo 5000 || echo 1000)" ]
		# the server got part of the message, never its end, and nothing after it
		[ "$(stat -c %s "$PEER_LOG")" -lt 9000000 ]
		[ "$(tail -c 5 "$PEER_LOG" | od -An -c | tr -d ' ')" != '\r\n.\r\n' ]
		! grep -q '^QUIT' "$PEER_LOG"
		grep -q 'interrupted before the end of the message (never sent: the server discards it)' "$BATS_TEST_TMPDIR/err"
		[ "$(jq -c 'select(.type == "data") | [.code, .sent]' "$BATS_TEST_TMPDIR/out")" = '[null,false]' ]
		[ "$(tail -n1 "$BATS_TEST_TMPDIR/out" | jq -c '[.type, .sent, .not_sent, .exit]')" = '["summary",0,1,3]' ]
	done
}

@test "SMTP-16: CR or LF in -u, -f, a recipient, --ehlo, -H, -S: exit 2, the server sees no connection" {
	need_peer
	peer_start "$CASES/SMTP-pipelined.peer"
	run smtpsend --auth plain -u $'al\r\nice' -s "127.0.0.1:$PEER_PORT" -f me@here.test "$R" <"$M"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-u: empty, or a CR or LF in the user name: refused"* ]]
	SMTPSEND_PASSWORD=$'pw\r\nRSET' run smtpsend --auth plain -u alice -s "127.0.0.1:$PEER_PORT" -f me@here.test "$R" <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -s "127.0.0.1:$PEER_PORT" -f $'me@here.test\r\nRSET' "$R" <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -s "127.0.0.1:$PEER_PORT" -f me@here.test $'a@b.test\nRSET' <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -s "127.0.0.1:$PEER_PORT" --ehlo $'x\r\nRSET' -f me@here.test "$R" <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -s "127.0.0.1:$PEER_PORT" -H $'X-A: 1\r\nBcc: v@x.test' -f me@here.test "$R" <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -s "127.0.0.1:$PEER_PORT" -S $'s\nBcc: v@x.test' -f me@here.test "$R" <"$M"
	[ "$status" -eq 2 ]
	run smtpsend -t -s "127.0.0.1:$PEER_PORT" -f me@here.test <<<$'To: "a\r\nRSET"@b.test\n\nx'
	[ "$status" -eq 2 ]
	peer_stop || true
	[ "$(peer_accepts)" -eq 0 ]
}

@test "X-21 SMTPSEND_PASSWORD is not in /proc/PID/environ while smtpsend waits for the server (a control variable is)" {
	need_peer
	load lib/held
	export SMTPSEND_PASSWORD=s3cr3t-X21 X21_CONTROL=visible-X21
	held_start "$CASES/X-20.peer" sh -c 'exec smtpsend --auth plain -u alice -W 10 \
	    -s 127.0.0.1:"$1" -f me@here.test "$2" <"$3"' sh %PORT "$R" "$M"
	held_wait_peer 'accepted connection 1'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_has "$HELD_PID" visible-X21
	environ_lacks "$HELD_PID" s3cr3t-X21
}
