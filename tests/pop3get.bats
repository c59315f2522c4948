#!/usr/bin/env bats
# pop3get.bats - pop3get against scripted peers (tests/cases/POP-*.peer),
# one test per hostile case of reference/hostile-peers.md B.7 and per
# safety rule of issue 11.  Interop with dovecot is in pop3get-dovecot.bats.

load lib/common
load lib/peer
load lib/held

setup() {
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	export POP3GET_PASSWORD=tanstaaf
	URL='pop3://martha@127.0.0.1:%PORT/'
	M1=$TOP/tests/cases/POP-m1.eml
	M2=$TOP/tests/cases/POP-m2.eml
}

teardown() {
	held_stop
	peer_stop
	dovecot_stop
	if [ -n "${RIG:-}" ]; then iop_stop_all; fi
	return 0
}

# files in a Maildir's new/ (sorted: Q1 before Q2 within one run)
newfiles() {
	ls "$PEER_DIR/$1/new" | sort -t Q -k2 -n
}

@test "pop3get: --help on stdout, -V, bad usage exits 2" {
	run pop3get --help
	[ "$status" -eq 0 ]
	[[ "$output" == usage:* ]]
	run pop3get -V
	[ "$status" -eq 0 ]
	[[ "$output" == "pop3get (tubes) "* ]]
	run pop3get --bogus pop3://u@127.0.0.1/
	[ "$status" -eq 2 ]
	run pop3get pop3://u@127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"nothing to deliver to"* ]]
	run pop3get -d x -m y pop3://u@127.0.0.1/
	[ "$status" -eq 2 ]
	run pop3get -d x http://u@127.0.0.1/
	[ "$status" -eq 2 ]
	run pop3get -d x pop3://u@127.0.0.1/abc
	[ "$status" -eq 2 ]
	run pop3get -d x pop3://127.0.0.1/
	[ "$status" -eq 2 ]
	[[ "$output" == *"no user"* ]]
}

@test "pop3get: password file readable by others is refused, nothing sent" {
	pw=$BATS_TEST_TMPDIR/pw
	echo tanstaaf >"$pw"
	chmod 644 "$pw"
	unset POP3GET_PASSWORD
	run pop3get --password-file "$pw" -d md pop3://martha@127.0.0.1:9/
	[ "$status" -eq 2 ]
	[[ "$output" == *"readable by others"* ]]
}

@test "pop3get: password from a mode-600 file" {
	pw=$BATS_TEST_TMPDIR/pw
	echo tanstaaf >"$pw"
	chmod 600 "$pw"
	unset POP3GET_PASSWORD
	run_case POP-fetch pop3get -s --password-file "$pw" -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "pop3get: fetch into a Maildir, byte-exact, nothing deleted" {
	run_case POP-fetch pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^DELE'
	[ "$(newfiles md | wc -l)" -eq 2 ]
	cmp "$PEER_DIR/md/new/$(newfiles md | head -1)" "$M1"
	cmp "$PEER_DIR/md/new/$(newfiles md | tail -1)" "$M2"
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[[ "${lines[0]}" == 1$'\t'uid-birthday-1$'\t'178$'\t'md/new/* ]]
	[[ "${lines[1]}" == 2$'\t'uid-rene-2$'\t'167$'\t'md/new/* ]]
	[[ "$output" == *"2 messages (345 octets) delivered, 0 deleted"* ]]
}

@test "pop3get: -s drops the summary; stdout has one line per message" {
	run_case POP-fetch pop3get -s -d md "$URL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "pop3get: --delete sends DELE after each stored message, then QUIT" {
	run_case POP-delete pop3get --delete -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(newfiles md | wc -l)" -eq 2 ]
	[[ "$output" == *"2 deleted"* ]]
}

@test "pop3get: --delete --exec: DELE right after each command succeeded" {
	run_case POP-delete-exec pop3get -s --delete --exec 'cat >/dev/null' "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "POP-04: the second message fails locally: the two before it are kept, RSET" {
	run_case POP-04-batch env LD_PRELOAD="$TESTBIN/libfault.so" TUBES_FAULT=write:2:ENOSPC:file pop3get --delete -d md "$URL"
	[ "$status" -eq 2 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^DELE'
	[ "$(newfiles md | wc -l)" -eq 1 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M1"
}

@test "pop3get: PIPELINING: RETRs and DELEs go out in a window" {
	run_case POP-pipelining pop3get --delete -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(newfiles md | wc -l)" -eq 2 ]
	cmp "$PEER_DIR/md/new/$(newfiles md | tail -1)" "$M2"
}

@test "pop3get: -m appends to a locked mbox with From_ lines and >From quoting" {
	run_case POP-fetch pop3get -s -m mbox "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^From MAILER-DAEMON ' "$PEER_DIR/mbox")" -eq 2 ]
	grep -q '^>From the start$' "$PEER_DIR/mbox"
	[ ! -e "$PEER_DIR/mbox.lock" ]
	# undo the quoting and the separators: the messages come back
	awk '/^From MAILER-DAEMON /{n++; next} {sub(/^>From /,"From "); print > ("m" n)}' "$PEER_DIR/mbox"
	printf '\n' | cat "$M1" - | cmp - m1
	printf '\n' | cat "$M2" - | cmp - m2
	rm -f m1 m2
}

@test "pop3get: -o - writes an mbox stream on stdout" {
	run_case POP-fetch pop3get -s -o - "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^From MAILER-DAEMON ' <<<"$output")" -eq 2 ]
	grep -q '^Happy birthday, Aunt Martha!$' <<<"$output"
}

@test "pop3get: --exec runs once per message with POP3_NUM POP3_UIDL POP3_SIZE" {
	run_case POP-fetch pop3get -s --exec 'cat > msg.$POP3_NUM; echo "$POP3_NUM $POP3_UIDL $POP3_SIZE" >> env.log' "$URL"
	[ "$status" -eq 0 ]
	cmp "$PEER_DIR/msg.1" "$M1"
	cmp "$PEER_DIR/msg.2" "$M2"
	[ "$(cat "$PEER_DIR/env.log")" = "1 uid-birthday-1 178
2 uid-rene-2 167" ]
}

@test "POP-01: +OKAY to STAT is a protocol error, exit 3, no DELE" {
	run_case POP-01 pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"malformed status line"* ]]
	peer_log_lacks '^(DELE|RETR)'
}

@test "POP-01: a greeting without +OK, exit 3" {
	run_case POP-01-greeting pop3get -d md "$URL"
	[ "$status" -eq 3 ]
	peer_log_lacks '^USER'
}

@test "POP-01: RETR answered 'OK': exit 3, nothing stored, no DELE" {
	run_case POP-01-retr pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	peer_log_lacks '^DELE'
}

@test "POP-02: a lone '.' line and '..' lines come out exactly" {
	run_case POP-02 pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M2"
}

@test "POP-02: a last line without CRLF then EOF: incomplete, discarded, exit 3" {
	run_case POP-02-eof pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"incomplete"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	peer_log_lacks '^DELE'
}

@test "POP-02: '.' LF is not the terminator" {
	run_case POP-02-dotlf pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	peer_log_lacks '^DELE'
}

@test "POP-03: drop mid-RETR with --delete: no DELE, no partial file, exit 3" {
	run_case POP-03 pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	peer_log_lacks '^DELE'
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
}

@test "POP-03: drop mid-RETR into an mbox: the partial message is truncated away" {
	echo "old mail" >"$BATS_TEST_TMPDIR/mbox"
	run_case POP-03 pop3get --delete -m "$BATS_TEST_TMPDIR/mbox" "$URL"
	[ "$status" -eq 3 ]
	[ "$(cat "$BATS_TEST_TMPDIR/mbox")" = "old mail" ]
	peer_log_lacks '^DELE'
}

@test "POP-03: drop in the middle of LIST: exit 3, nothing fetched" {
	run_case POP-03-list pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	peer_log_lacks '^(RETR|DELE)'
}

@test "POP-04: disk full (write ENOSPC): RSET before QUIT, no DELE, exit 2" {
	load lib/faults
	[ -f "$SHIM" ] || skip "fault shim not built"
	run_case POP-04 env LD_PRELOAD="$SHIM" TUBES_FAULT=write:1:ENOSPC:file pop3get --delete -d md "$URL"
	[ "$status" -eq 2 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_has '^RSET'
	peer_log_lacks '^DELE'
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
}

@test "POP-04: fsync of new/ fails: nothing delivered, RSET, exit 2" {
	load lib/faults
	[ -f "$SHIM" ] || skip "fault shim not built"
	run_case POP-04-batch env LD_PRELOAD="$SHIM" TUBES_FAULT=fsync:1:EIO pop3get --delete -d md "$URL"
	[ "$status" -eq 2 ]
	peer_log_has '^RSET'
	peer_log_lacks '^DELE'
	[ -z "$(ls "$PEER_DIR/md/new")" ]
}

@test "POP-04: disk full on a tiny tmpfs: RSET, no DELE (root)" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
	mnt=$BATS_TEST_TMPDIR/tiny
	mkdir -p "$mnt"
	mount -t tmpfs -o size=4k tb-pop3-$$ "$mnt" || skip "cannot mount tmpfs"
	head -c 4096 /dev/zero >"$mnt/fill" 2>/dev/null || true
	run_case POP-04 pop3get --delete -d "$mnt/md" "$URL"
	umount "$mnt"
	[ "$status" -eq 2 ]
	peer_log_lacks '^DELE'
}

@test "POP-04: a failing --exec is not a delivery: RSET, no DELE, exit 2" {
	run_case POP-04 pop3get --delete --exec 'cat >/dev/null; exit 75' "$URL"
	[ "$status" -eq 2 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"exit 75"* ]]
	peer_log_has '^RSET'
	peer_log_lacks '^DELE'
}

@test "POP-04: second message fails after the first was DELEd: RSET undoes it" {
	run_case POP-04-second pop3get --delete --exec '[ "$POP3_NUM" = 1 ] && cat >/dev/null' "$URL"
	[ "$status" -eq 2 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_has '^RSET'
	[[ "$output" == *"no message was deleted"* ]]
}

@test "POP-05: QUIT answered -ERR after DELEs: deletions may not have happened, exit 3" {
	run_case POP-05 pop3get --delete -N -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"deletions may not have happened"* ]]
	[[ "$output" == *"0 deleted"* ]]
	# the ids are recorded, so the next run skips them
	grep -q 'uid-birthday-1' "$PEER_DIR/md/.pop3get-uidl"
	grep -q 'uid-rene-2' "$PEER_DIR/md/.pop3get-uidl"
}

@test "POP-05: connection dropped at QUIT after DELEs: exit 3, said so" {
	run_case POP-05-drop pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"deletions may not have happened"* ]]
}

@test "POP-06: duplicate unique-ids: --new falls back to fetching all, state untouched" {
	run_case POP-06 pop3get -N -d md "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"same unique-id"* ]]
	[ "$(newfiles md | wc -l)" -eq 2 ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
}

@test "POP-06: a 71-octet id and an id with a space are not used" {
	run_case POP-06-bad pop3get -l "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"invalid unique-id"* ]]
	grep -qx $'1\t178\t-' <<<"$output"
	grep -qx $'2\t167\t-' <<<"$output"
}

@test "POP-07: LIST numbers out of range, negative or repeated are ignored" {
	run_case POP-07 pop3get -l "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(grep -c $'^[0-9]*\t' <<<"$output")" -eq 2 ]
	grep -qx $'1\t178\t-' <<<"$output"
	[[ "$output" == *"out of range"* ]]
}

@test "POP-08: a 100 000-octet line" {
	run_case POP-08 pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$(wc -c <"$PEER_DIR/md/new/$(newfiles md)")" -eq 100016 ]
}

@test "POP-08: --max-size leaves a bigger message on the server" {
	run_case POP-08-skip pop3get --delete --max-size 50000 -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"over --max-size: left on the server"* ]]
	peer_log_lacks '^(RETR|DELE)'
}

@test "POP-08: a body beyond --max-size (LIST lied) is discarded, not deleted, exit 1" {
	run_case POP-08-lie pop3get --delete --max-size 1000 -d md "$URL"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^DELE'
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
}

@test "POP-09: --apop sends the RFC 1939 digest, no USER/PASS" {
	run_case POP-09 pop3get --apop -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^(USER|PASS)'
}

@test "POP-09: without --apop, USER/PASS even when the greeting has a timestamp" {
	run_case POP-fetch pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	peer_log_lacks '^APOP'
}

@test "POP-09: --apop without a timestamp: refused locally, no password sent" {
	run_case POP-09-nostamp pop3get --apop -d md "$URL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no timestamp"* ]]
	peer_log_lacks '^(PASS|APOP)'
}

@test "POP-10: +OK lies about sizes: warned, stored, deleted only after the write" {
	run_case POP-10 pop3get --delete -d md "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"LIST said 5000 octets, RETR gave 178"* ]]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M1"
}

@test "POP-11: a reply injected before any command: protocol error" {
	run_case POP-11 pop3get -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nobody asked for"* ]]
	peer_log_lacks '^(USER|PASS)'
}

@test "pop3get: -ERR [IN-USE] at login: exit 3, the code reported" {
	run_case POP-in-use pop3get -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"[IN-USE]"* ]]
}

@test "pop3get: -ERR [AUTH] at login: exit 1" {
	run_case POP-auth pop3get -d md "$URL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"[AUTH] Authentication failed."* ]]
}

@test "pop3get: RETR -ERR: exit 1, the other message still stored" {
	run_case POP-retr-err pop3get -d md "$URL"
	[ "$status" -eq 1 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M2"
}

@test "pop3get: -l prints num TAB size TAB uidl" {
	run_case POP-list pop3get -l "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$output" = $'1\t178\tuid-birthday-1\n2\t167\tuid-rene-2' ]
}

@test "pop3get: -l -j: one object per message, summary last" {
	run_case POP-list pop3get -l -j "$URL"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"type":"message","num":1,"size":178,"uidl":"uid-birthday-1"}' ]
	[[ "${lines[2]}" == '{"type":"summary",'*'"exit":0}' ]]
}

@test "pop3get: --scan decodes RFC 2047 words from TOP n 0" {
	run_case POP-scan pop3get --scan "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "${lines[0]}" = $'1\t178\tuid-birthday-1\tSat, 30 Jan 2016 10:00:00 +0000\tNephew <nephew@example.org>\tHappy birthday' ]
	[ "${lines[1]}" = $'2\t167\tuid-rene-2\tSun, 31 Jan 2016 09:00:00 +0000\tRen\xc3\xa9 <rene@example.org>\tGr\xc3\xbc\xc3\x9fe' ]
}

@test "pop3get: pop3://host/2 uses single-line LIST 2 and UIDL 2" {
	run_case POP-one pop3get -d md 'pop3://martha@127.0.0.1:%PORT/2'
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M2"
}

@test "pop3get: --new: a second run fetches nothing" {
	run_case POP-fetch pop3get -N -d "$BATS_TEST_TMPDIR/md" "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c . "$BATS_TEST_TMPDIR/md/.pop3get-uidl")" -eq 2 ]
	run_case POP-new2 pop3get -N -d "$BATS_TEST_TMPDIR/md" "$URL"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^RETR'
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 2 ]
}

@test "pop3get: -n 1 fetches only the first message" {
	run_case POP-fetch pop3get -n 1 -d md "$URL"
	peer_log_has '^RETR 1'
	peer_log_lacks '^RETR 2'
	[ "$(newfiles md | wc -l)" -eq 1 ]
}

@test "pop3get: an empty mailbox is success" {
	run_case POP-empty pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "pop3get: byte-at-a-time replies" {
	run_case POP-trickle pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M2"
}

@test "pop3get: -v masks the password and shows TCP_INFO; -X decodes and masks" {
	run_case POP-fetch pop3get -v -X -d md "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"C: PASS ********"* ]]
	[[ "$output" != *tanstaaf* ]]
	[[ "$output" == *"segments out"* ]]
	[[ "$output" == *"POP3 status line"* ]]
	[[ "$output" == *"POP3 multi-line data"* ]]
}

@test "pop3get: -j fetch: message objects and a summary" {
	run_case POP-delete pop3get -j --delete -d md "$URL"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"type":"message","num":1,"uidl":"uid-birthday-1","size":178,"octets":178,"path":"md/new/'* ]]
	[[ "${lines[2]}" == '{"type":"summary",'*'"delivered":2,"deleted":2,'*'"exit":0}' ]]
}

@test "pop3get: -W: a silent server is given up on, exit 3" {
	start=$(date +%s%N)
	run_case POP-idle pop3get -W 0.5 -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"timed out"* ]]
	[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 4000 ]
}

@test "pop3get: the password from ~/.netrc, the user from -u" {
	unset POP3GET_PASSWORD
	printf 'machine 127.0.0.1 login martha password tanstaaf\n' >"$HOME/.netrc"
	chmod 600 "$HOME/.netrc"
	run_case POP-fetch pop3get -s -u martha -d md 'pop3://127.0.0.1:%PORT/'
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "pop3get: -6 over ::1" {
	[ -n "$(ip -6 addr show dev lo 2>/dev/null | grep ::1)" ] || skip "no ::1"
	PEER_OPTS=(-6)
	run_case POP-fetch pop3get -6 -s -d md 'pop3://martha@[::1]:%PORT/'
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "pop3get: connection refused: exit 3" {
	run pop3get -d "$BATS_TEST_TMPDIR/md" pop3://martha@127.0.0.1:1/
	[ "$status" -eq 3 ]
}

@test "pop3get: --via runs the connection through a helper" {
	need_cmd socat
	run_case POP-fetch pop3get -s --via 'socat - TCP:127.0.0.1:%p' -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$(newfiles md | wc -l)" -eq 2 ]
}

# --- interop with a real dovecot-pop3d on 127.0.0.1 ------------------------

dovecot_start() {
	[ "$(id -u)" = 0 ] || skip "needs root to run dovecot"
	need_cmd dovecot
	# dovecot's users must reach the Maildir: not under bats' private tmp
	DV=$(mktemp -d /tmp/tb-pop3-dv.XXXXXX)
	chmod 755 "$DV"
	DVPORT=$("$TOP/tests/interop/pop3get-dovecot.sh" start "$DV") || { cat "$DV/dovecot.log" >&2; return 1; }
	BOX=$DV/home/martha/Maildir
	DVURL=pop3://martha@127.0.0.1:$DVPORT/
}

dovecot_stop() {
	if [ -n "${DV:-}" ]; then
		"$TOP/tests/interop/pop3get-dovecot.sh" stop "$DV"
		rm -rf "$DV"
	fi
	DV=
}

# put a message file into the server's Maildir
serve() {
	cp "$1" "$BOX/new/$2"
	chown nobody:nogroup "$BOX/new/$2"
}

# a big message: lines with leading dots and "From " among 2 MiB
bigmsg() {
	{
		printf 'From: big@example.org\nSubject: two mebibytes\n\n'
		awk 'BEGIN { for (i = 0; i < 32768; i++) {
			if (i % 97 == 0) print "." i; else if (i % 89 == 0) print "From " i;
			else if (i % 83 == 0) print ".."; else printf "%063d\n", i } }'
	} >"$1"
}

@test "interop dovecot: messages arrive byte-exact in a Maildir and an mbox" {
	dovecot_start
	serve "$M1" 1.a
	serve "$M2" 2.b
	run pop3get -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	for f in "$BATS_TEST_TMPDIR"/md/new/*; do cmp "$f" "$M1" || cmp "$f" "$M2"; done
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 2 ]
	run pop3get -s -m "$BATS_TEST_TMPDIR/mbox" "$DVURL"
	[ "$status" -eq 0 ]
	cd "$BATS_TEST_TMPDIR"
	awk '/^From MAILER-DAEMON /{n++; next} {sub(/^>From /,"From "); print > ("m" n)}' mbox
	printf '\n' | cat "$M1" - | cmp - m1
	printf '\n' | cat "$M2" - | cmp - m2
	dovecot_stop
}

@test "interop dovecot: --delete removes only what was stored" {
	dovecot_start
	serve "$M1" 1.a
	serve "$M2" 2.b
	serve "$M1" 3.c
	run pop3get -s --delete -n 2 -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 2 ]
	run pop3get -l "$DVURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	# a failing --exec: RSET, so nothing goes
	run pop3get --delete --exec 'cat >/dev/null; exit 1' "$DVURL"
	[ "$status" -eq 2 ]
	run pop3get -l "$DVURL"
	[ "${#lines[@]}" -eq 1 ]
	dovecot_stop
}

@test "interop dovecot: --new on a second run fetches nothing" {
	dovecot_start
	serve "$M1" 1.a
	serve "$M2" 2.b
	run pop3get -N -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	serve "$M1" 3.c
	run pop3get -N -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]	# the new one, and the summary
	[[ "${lines[0]}" == 3$'\t'* ]]
	run pop3get -N -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 messages (0 octets) delivered"* ]]
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 3 ]
	dovecot_stop
}

@test "interop dovecot: a 2 MiB message with dot and From lines, byte-exact" {
	dovecot_start
	bigmsg "$BATS_TEST_TMPDIR/big"
	serve "$BATS_TEST_TMPDIR/big" 1.big
	run pop3get -s --delete -d "$BATS_TEST_TMPDIR/md" "$DVURL"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR"/md/new/* "$BATS_TEST_TMPDIR/big"
	run pop3get -l "$DVURL"
	[ -z "$output" ]
	dovecot_stop
}

@test "pop3get: every allocation failing in turn ends with one of our exit codes, never a crash" {
	need_cmd socat
	load lib/faults
	pf=$BATS_TEST_TMPDIR/port
	TORTURE_SETUP='peer_start "$CASES/POP-delete.peer" -T 5 && echo "$PEER_PORT" >"$pf" && rm -rf "$BATS_TEST_TMPDIR/md"'
	TORTURE_SAMPLE=50 torture_alloc pop3get -s -N --delete -d "$BATS_TEST_TMPDIR/md" \
		--via "socat - TCP:127.0.0.1:\$(cat $pf)" pop3://martha@127.0.0.1/
	[ "$TORTURE_RUNS" -ge 5 ]
}

# --- interop with the rig's dovecot (tests/interop/servers.bash) -----------

rig_dovecot() {
	[ "$(id -u)" = 0 ] || skip "needs root to run dovecot"
	need_cmd dovecot
	load interop/servers
	RIG=1
	iop_start dovecot
	iop_need dovecot
	RURL=pop3://$IOP_POP3_USER@127.0.0.1:$IOP_POP3_PORT/
}

@test "interop rig dovecot: the known messages byte-exact in a Maildir and an mbox" {
	rig_dovecot
	run pop3get -s --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$IOP_POP3_MSGS" ]
	for n in 1 2 3; do
		f=$(awk -F'\t' -v n=$n '$1 == n { print $4 }' <<<"$output")
		cmp "$f" "$IOP_DIR/msgs/$n"
	done
	run pop3get -s --password-file "$IOP_POP3_PASSFILE" -m "$BATS_TEST_TMPDIR/mbox" "$RURL"
	[ "$status" -eq 0 ]
	cd "$BATS_TEST_TMPDIR"
	awk '/^From MAILER-DAEMON /{n++; next} {sub(/^>From /,"From "); print > ("m" n)}' mbox
	for n in 1 2 3; do printf '\n' | cat "$IOP_DIR/msgs/$n" - | cmp - m$n; done
}

@test "interop rig dovecot: --new then nothing new; --delete empties the box of what was stored" {
	rig_dovecot
	run pop3get -s -N --password-file "$IOP_POP3_PASSFILE" -n 2 --delete -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	run pop3get -l --password-file "$IOP_POP3_PASSFILE" "$RURL"
	[ "${#lines[@]}" -eq 1 ]
	run pop3get -s -N --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run pop3get -s -N --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 3 ]
}

# --- issue 24: hostile peers, round two (tests/hostile-peers-2.md) ---

@test "X-10: the helper sees a secret in a process that keeps it (control)" {
	export X10_SECRET=s3cr3t-control-X10
	sleep 10 &
	pid=$!
	environ_has "$pid" s3cr3t-control-X10
	run environ_lacks "$pid" s3cr3t-control-X10
	kill "$pid"
	wait "$pid" || true
	[ "$status" -ne 0 ]
}

@test "X-10: POP3GET_PASSWORD is not in /proc/PID/environ after login" {
	export POP3GET_PASSWORD=s3cr3t-pass-X10
	held_start "$CASES/X-10.peer" pop3get -W 20 -d md "$URL"
	held_wait_log '^STAT'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-pass-X10
	peer_log_has '^PASS s3cr3t-pass-X10'
}

@test "X-10: the environment is clean before the first packet" {
	export POP3GET_PASSWORD=s3cr3t-early-X10
	held_start "$CASES/X-10-greeting.peer" pop3get -W 20 -d md "$URL"
	held_wait_peer 'accepted connection 1'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-early-X10
}

@test "X-11: POP3GET_PASSWORD is wiped too when ~/.netrc gives the password" {
	printf 'machine 127.0.0.1 login martha password s3cr3t-netrc-X11\n' >"$HOME/.netrc"
	chmod 600 "$HOME/.netrc"
	export POP3GET_PASSWORD=s3cr3t-unused-X11
	held_start "$CASES/X-10.peer" pop3get -W 20 -d md "$URL"
	held_wait_log '^STAT'
	[[ "$(cat /proc/$HELD_PID/comm)" != memcheck* ]] ||
		skip "valgrind keeps its own copy of the environment block"
	environ_lacks "$HELD_PID" s3cr3t-unused-X11
	peer_log_has '^PASS s3cr3t-netrc-X11'
}
