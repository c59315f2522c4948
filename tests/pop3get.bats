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

@test "POP-08: a body far beyond LIST's size (and --max-size): cut off, nothing stored, no QUIT, exit 3" {
	run_case POP-08-lie pop3get --delete --max-size 1000 -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"out of step"* ]]
	peer_log_lacks '^(DELE|QUIT)'
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

@test "POP-10: RETR gives far less than LIST said: not delivered, no DELE, no QUIT, exit 3" {
	run_case POP-10 pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"LIST said 5000 octets, RETR gave 178: it ended early"* ]]
	[[ "$output" == *"0 messages (0 octets) delivered, 0 deleted, 1 failed"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	peer_log_lacks '^(DELE|QUIT)'
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
	[ "${lines[0]}" = $'1\t178\tuid-birthday-1\tSat, 30 Jan 2016 10:00:00 +0000\tNephew <nephew@family.test>\tHappy birthday' ]
	[ "${lines[1]}" = $'2\t167\tuid-rene-2\tSun, 31 Jan 2016 09:00:00 +0000\tRen\xc3\xa9 <rene@family.test>\tGr\xc3\xbc\xc3\x9fe' ]
}

@test "pop3get: pop3://host/2 uses single-line LIST 2 and UIDL 2" {
	run_case POP-one pop3get -d md 'pop3://martha@127.0.0.1:%PORT/2'
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M2"
}

@test "pop3get: a run without -N records what it delivered, so a later -N run fetches nothing" {
	run_case POP-fetch pop3get -d "$BATS_TEST_TMPDIR/md" "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c . "$BATS_TEST_TMPDIR/md/.pop3get-uidl")" -eq 2 ]
	grep -qx $'martha@127.0.0.1\tuid-birthday-1' "$BATS_TEST_TMPDIR/md/.pop3get-uidl"
	run_case POP-new2 pop3get -N -d "$BATS_TEST_TMPDIR/md" "$URL"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$PEER_STATUS" -eq 0 ]
	peer_log_lacks '^RETR'
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 2 ]
	# -o - keeps no state unless --state names one
	run_case POP-fetch pop3get -o - "$URL"
	[ "$status" -eq 0 ]
	run_case POP-fetch pop3get -o - --state "$BATS_TEST_TMPDIR/st" "$URL"
	[ "$status" -eq 0 ]
	[ "$(grep -c . "$BATS_TEST_TMPDIR/st")" -eq 2 ]
	# a state file that cannot be read does not stop a run without -N
	mkdir "$BATS_TEST_TMPDIR/md2" && mkdir "$BATS_TEST_TMPDIR/md2/.pop3get-uidl"
	run_case POP-fetch pop3get -d "$BATS_TEST_TMPDIR/md2" "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not recording unique-ids"* ]]
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
		printf 'From: big@family.test\nSubject: two mebibytes\n\n'
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
	run pop3get -s --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$IOP_POP3_MSGS" ]
	for n in 1 2 3; do
		f=$(awk -F'\t' -v n=$n '$1 == n { print $4 }' <<<"$output")
		cmp "$f" "$IOP_DIR/msgs/$n"
	done
	run pop3get -s --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" -m "$BATS_TEST_TMPDIR/mbox" "$RURL"
	[ "$status" -eq 0 ]
	cd "$BATS_TEST_TMPDIR"
	awk '/^From MAILER-DAEMON /{n++; next} {sub(/^>From /,"From "); print > ("m" n)}' mbox
	for n in 1 2 3; do printf '\n' | cat "$IOP_DIR/msgs/$n" - | cmp - m$n; done
}

@test "interop rig dovecot: --new then nothing new; --delete empties the box of what was stored" {
	rig_dovecot
	run pop3get -s -N --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" -n 2 --delete -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	run pop3get -l --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" "$RURL"
	[ "${#lines[@]}" -eq 1 ]
	run pop3get -s -N --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ] || { echo "OUT: $output"; false; }
	[ "${#lines[@]}" -eq 1 ]
	run pop3get -s -N --cacert "$IOP_CA" --password-file "$IOP_POP3_PASSFILE" -d "$BATS_TEST_TMPDIR/md" "$RURL"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(ls "$BATS_TEST_TMPDIR/md/new" | wc -l)" -eq 3 ]
}

# --- issue 24: hostile peers, round two (tests/hostile-peers-2.md) ---

@test "X-10: the helper sees a secret in a process that keeps it (control)" {
	export X10_SECRET=s3cr3t-control-X10
	sleep 10 &
	pid=$!
	# until the exec, /proc shows the forked shell's inherited block
	for ((i = 0; i < 250; i++)); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.02
	done
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

@test "POP-12: no dot-stuffing, a '.' line then a fake +OK: nothing delivered or recorded, no QUIT" {
	run_case POP-12 pop3get -N --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"LIST said 70 octets, RETR gave 28: it ended early"* ]]
	[[ "$output" == *"0 messages (0 octets) delivered, 0 deleted"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
	peer_log_lacks '^(RETR 2|DELE|QUIT)'
	# -N: the next run (a server that dot-stuffs) still fetches both
	md=$PEER_DIR/md
	run_case POP-12-next pop3get -N -d "$md" "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[ "$(ls "$md/new" | wc -l)" -eq 2 ]
	cmp "$md/new/$(ls "$md/new" | sort -t Q -k2 -n | head -1)" "$TOP/tests/cases/POP-12.eml"
	grep -q 'uid-one' "$md/.pop3get-uidl"
}

@test "POP-12: the same with PIPELINING (both RETRs in flight): nothing delivered, no DELE, no QUIT" {
	run_case POP-12-pipe pop3get -N --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"it ended early"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
	peer_log_lacks '^(DELE|QUIT)'
}

@test "POP-12: into an mbox: the mbox is left as it was" {
	printf 'From x Thu Jan  1 00:00:00 1970\nSubject: old\n\nold\n\n' >"$BATS_TEST_TMPDIR/mbox"
	cp "$BATS_TEST_TMPDIR/mbox" "$BATS_TEST_TMPDIR/mbox.orig"
	run_case POP-12 pop3get -N -m "$BATS_TEST_TMPDIR/mbox" "$URL"
	[ "$status" -eq 3 ]
	cmp "$BATS_TEST_TMPDIR/mbox" "$BATS_TEST_TMPDIR/mbox.orig"
	[ ! -e "$BATS_TEST_TMPDIR/mbox.lock" ]
	[ ! -e "$BATS_TEST_TMPDIR/mbox.pop3get-uidl" ]
}

@test "POP-13: LIST cut short by a '.' line (fewer than STAT said): out of step, exit 3, no RETR" {
	run_case POP-13 pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"LIST shows 1 messages, STAT said 2: out of step"* ]]
	peer_log_lacks '^(UIDL|RETR|DELE|QUIT)'
}

@test "POP-14: UIDL cut short, a fake +OK after it: data nobody asked for, exit 3, no RETR" {
	run_case POP-14 pop3get -N --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nobody asked for"* ]]
	peer_log_lacks '^(RETR|DELE|QUIT)'
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
}

@test "POP-15: a whole message followed by a line nobody asked for: not delivered, not recorded" {
	run_case POP-15 pop3get -N --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nobody asked for"* ]]
	[[ "$output" == *"0 messages (0 octets) delivered, 0 deleted, 1 failed"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
	peer_log_lacks '^(RETR 2|DELE|QUIT)'
}

@test "POP-15: bytes after the last message (before QUIT): neither message delivered, no QUIT" {
	run_case POP-15-last pop3get -N --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nobody asked for"* ]]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
	peer_log_lacks '^(DELE|QUIT)'
}

@test "POP-16: DELEs +OK then a line nobody asked for: no QUIT, '0 deleted', -j says so too" {
	run_case POP-16 pop3get --delete -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no QUIT was sent: the server keeps every message"* ]]
	[[ "$output" == *"2 messages (345 octets) delivered, 0 deleted"* ]]
	peer_log_lacks '^QUIT'
	run_case POP-16 pop3get -j --delete -d md "$URL"
	[ "$status" -eq 3 ]
	summary=$(grep '"summary"' <<<"$output")
	[[ "$summary" == *'"delivered":2'* ]]
	[[ "$summary" == *'"deleted":0'* ]]
	[[ "$summary" == *'"exit":3'* ]]
}

@test "POP-16: deletions count only after QUIT +OK" {
	run_case POP-delete pop3get -j --delete -d md "$URL"
	[ "$status" -eq 0 ]
	[[ "$(grep '"summary"' <<<"$output")" == *'"deleted":2'* ]]
}

@test "POP-17: LIST counts line ends as one octet: tolerated, delivered byte-exact" {
	run_case POP-17 pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "$output" == *"LIST said 172 octets, RETR gave 178 (tolerated)"* ]]
	cmp "$PEER_DIR/md/new/$(newfiles md)" "$M1"
}

# wait_size FILE MIN: bounded wait (5 s) for FILE to reach MIN octets
wait_size() {
	local i
	for ((i = 0; i < 250; i++)); do
		[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.02
	done
	echo "timed out waiting for $1 to reach $2 octets" >&2
	return 1
}

# sig_mbox SIG: POP-18 into an mbox, SIG once message 2 is half written
sig_mbox() {
	local mb=$BATS_TEST_TMPDIR/mbox t0 ms
	printf 'From x Thu Jan  1 00:00:00 1970\nSubject: old\n\nold\n\n' >"$mb"
	cp "$mb" "$mb.orig"
	held_start "$CASES/POP-18.peer" pop3get -N --delete -m "$mb" "$URL"
	# message 1, and at least 100 017 - 65 536 octets of message 2 (what the
	# delivery buffer could not hold) are in the file
	wait_size "$mb" 34000
	t0=$(date +%s%N)
	kill -"$1" "$HELD_PID"
	held_reap 5
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	cat "$PEER_DIR/held.err" >&2
	echo "ended in $ms ms, status $HELD_STATUS" >&2
	[ "$HELD_STATUS" -eq 3 ]
	[ "$ms" -lt 1500 ]
	grep -q "interrupted by SIG$1: no QUIT sent" "$PEER_DIR/held.err"
	grep -q "1 message (178 octets) delivered, 0 deleted, 1 failed" "$PEER_DIR/held.err"
	# the mbox is the old one plus message 1, whole: message 2 rolled back
	[ ! -e "$mb.lock" ]
	head -c "$(stat -c %s "$mb.orig")" "$mb" | cmp - "$mb.orig"
	[ "$(grep -c '^From ' "$mb")" -eq 2 ]
	tail -n 2 "$mb" | head -1 | grep -q '^Happy birthday, Aunt Martha!$'
	! grep -q slow "$mb"
	# -N: message 1 recorded, message 2 not
	grep -q uid-birthday-1 "$mb.pop3get-uidl"
	! grep -q uid-slow-2 "$mb.pop3get-uidl"
	peer_log_lacks '^(DELE|RSET|QUIT)'
}

@test "POP-18: SIGHUP mid-RETR into an mbox (trickling server): rolled back, unlocked, no QUIT, within 1 s" {
	sig_mbox HUP
}

@test "POP-18: SIGINT mid-RETR into an mbox: the same" {
	sig_mbox INT
}

@test "POP-18: SIGTERM mid-RETR into an mbox: the same" {
	sig_mbox TERM
}

@test "POP-18: SIGTERM mid-RETR into a Maildir: no half message in tmp/ or new/" {
	held_start "$CASES/POP-18.peer" pop3get -N -d md "$URL"
	for ((i = 0; i < 250; i++)); do
		[ -n "$(find "$PEER_DIR/md/tmp" -size +34000c 2>/dev/null)" ] && break
		sleep 0.02
	done
	[ "$i" -lt 250 ]
	t0=$(date +%s%N)
	kill -TERM "$HELD_PID"
	held_reap 5
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$HELD_STATUS" -eq 3 ]
	[ "$ms" -lt 1500 ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[ "$(ls "$PEER_DIR/md/new" | wc -l)" -eq 1 ]
	cmp "$PEER_DIR/md/new/$(ls "$PEER_DIR/md/new")" "$M1"
	peer_log_lacks '^(DELE|RSET|QUIT)'
}

@test "POP-19: a stale dotlock of a killed run (its PID is gone) is removed, said so" {
	mb=$BATS_TEST_TMPDIR/mbox
	pid=$(sh -c 'echo $$')
	! kill -0 "$pid" 2>/dev/null
	echo "$pid" >"$mb.lock"
	run_case POP-fetch pop3get -s -m "$mb" "$URL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"removed a stale dotlock"* ]]
	[ ! -e "$mb.lock" ]
	[ "$(grep -c '^From MAILER-DAEMON ' "$mb")" -eq 2 ]
}

@test "POP-19: a dotlock of a running process is waited for (-W), named, and left alone" {
	mb=$BATS_TEST_TMPDIR/mbox
	sleep 30 &
	holder=$!
	echo "$holder" >"$mb.lock"
	run timeout 10 pop3get -W 1 -m "$mb" pop3://martha@127.0.0.1:9/
	kill "$holder"
	wait "$holder" || true
	[ "$status" -eq 2 ]
	[[ "$output" == *"mbox.lock held by process $holder, still running"* ]]
	[ "$(cat "$mb.lock")" = "$holder" ]
	# a lock with no PID: its age decides (5 minutes)
	: >"$mb.lock"
	run timeout 10 pop3get -W 1 -m "$mb" pop3://martha@127.0.0.1:9/
	[ "$status" -eq 2 ]
	[[ "$output" == *"held by another program"* ]]
	[ -e "$mb.lock" ]
	touch -d '10 minutes ago' "$mb.lock"
	run_case POP-fetch pop3get -s -m "$mb" "$URL"
	[ "$status" -eq 0 ]
	[ ! -e "$mb.lock" ]
}

# no_packet ARGS...: pop3get ARGS against a live peer must exit 2 having
# sent nothing: the peer never even sees a connection
no_packet() {
	local a args=()
	peer_start "$CASES/POP-fetch.peer" || return 2
	for a in "$@"; do
		args+=("${a//%PORT/$PEER_PORT}")
	done
	run timeout 10 pop3get "${args[@]}"
	echo "$output" >&2
	[ "$status" -eq 2 ] || { echo "exit $status, want 2" >&2; return 1; }
	[ "$(peer_accepts)" -eq 0 ] || { echo "the peer was reached" >&2; return 1; }
	[ ! -s "$PEER_LOG" ]
	peer_stop
}

@test "POP-21: a CR or LF in -u is refused before connecting (exit 2, nothing sent)" {
	no_packet -u $'martha\r\nDELE 1' -d md 'pop3://127.0.0.1:%PORT/'
	[[ "$output" == *"user name"* ]]
	no_packet -u $'mar\rtha' -d md 'pop3://127.0.0.1:%PORT/'
	no_packet -u $'mar\ntha' -d md 'pop3://127.0.0.1:%PORT/'
	no_packet -u "$(printf 'x%.0s' {1..1100})" -d md 'pop3://127.0.0.1:%PORT/'
	# the URL's user, percent-encoded
	no_packet -d md 'pop3://mar%0D%0Atha@127.0.0.1:%PORT/'
	no_packet -d md 'pop3://mar%00tha@127.0.0.1:%PORT/'
}

@test "POP-21: a CR, LF or NUL in the password, from any source, is refused before connecting" {
	POP3GET_PASSWORD=$'tans\r\nDELE 1' no_packet -d md "$URL"
	[[ "$output" == *"CR, LF or NUL"* ]]
	POP3GET_PASSWORD=$'tans\ntaaf' no_packet -d md "$URL"
	unset POP3GET_PASSWORD
	pw=$BATS_TEST_TMPDIR/pw
	printf 'tans\0taaf\n' >"$pw"
	chmod 600 "$pw"
	no_packet --password-file "$pw" -d md "$URL"
	[[ "$output" == *"CR, LF or NUL"* ]]
	printf 'tans\rtaaf\n' >"$pw"
	no_packet --password-file "$pw" -d md "$URL"
	printf '\n' >"$pw"
	no_packet --password-file "$pw" -d md "$URL"
	printf 'machine 127.0.0.1 login martha password "tans\\ntaaf"\n' >"$HOME/.netrc"
	chmod 600 "$HOME/.netrc"
	no_packet -d md "$URL"
	[[ "$output" == *"CR, LF or NUL"* ]]
	printf 'machine 127.0.0.1 login martha password %s\n' "$(printf 'y%.0s' {1..1030})" >"$HOME/.netrc"
	no_packet -d md "$URL"
}

@test "POP-21: a password file's CRLF line end is not part of the password" {
	unset POP3GET_PASSWORD
	pw=$BATS_TEST_TMPDIR/pw
	printf 'tanstaaf\r\nsecond line\n' >"$pw"
	chmod 600 "$pw"
	run_case POP-fetch pop3get -s --password-file "$pw" -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
}

@test "POP-22: a greeting trickled within -W per octet still ends at -W in all (exit 3)" {
	start=$(date +%s%N)
	run_case POP-22 pop3get -W 1 -d md "$URL"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$status" -eq 3 ]
	[[ "$output" == *"greeting: timed out"* ]]
	[ "$ms" -lt 5000 ]
}

@test "POP-23: a message trickled within -W per octet ends at -W plus 1 s per KiB: not delivered, no QUIT" {
	start=$(date +%s%N)
	run_case POP-23 pop3get -W 1 --delete -N -d md "$URL"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$status" -eq 3 ]
	[[ "$output" == *"RETR 1: timed out"* ]]
	[ "$ms" -lt 6000 ]
	[ -z "$(ls "$PEER_DIR/md/new")" ]
	[ -z "$(ls "$PEER_DIR/md/tmp")" ]
	[ ! -e "$PEER_DIR/md/.pop3get-uidl" ]
	peer_log_lacks '^(DELE|QUIT)'
}

@test "POP-24: a LIST that repeats without end is cut off by its size limit (count from STAT)" {
	run_case POP-24 pop3get -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"LIST: over 1632 octets and no end"* ]]
	peer_log_lacks '^(UIDL|RETR|QUIT)'
}

@test "POP-24: a CAPA listing without end is cut off at 64 KiB" {
	run_case POP-24-capa pop3get -d md "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"CAPA: over 65536 octets and no end"* ]]
	peer_log_lacks '^USER'
}

@test "pop3get: the listing spool falls back to memory when TMPDIR cannot be written" {
	[[ "$(command -v pop3get)" != *valgrind-bin* ]] ||
		skip "valgrind needs TMPDIR for itself"
	TMPDIR=/nonexistent/tmp run_case POP-fetch pop3get -d md "$URL"
	[ "$status" -eq 0 ]
	[ "$PEER_STATUS" -eq 0 ]
	[[ "${lines[1]}" == 2$'\t'uid-rene-2$'\t'167$'\t'md/new/* ]]
	cmp "$PEER_DIR/md/new/$(newfiles md | tail -1)" "$M2"
}

@test "POP-12: --exec: the command is stopped before the EOF of a message cut short" {
	run_case POP-12 pop3get --exec 'm=$(cat); printf "%s\n" "$m" > msg.$POP3_NUM' "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"it ended early"* ]]
	[ ! -e "$PEER_DIR/msg.1" ]
	[ ! -e "$PEER_DIR/msg.2" ]
	peer_log_lacks '^(RETR 2|QUIT)'
}

@test "POP-12: --exec: a command that ignores SIGTERM is killed before it sees EOF (its children too)" {
	run_case POP-12-slow pop3get --exec 'trap "" TERM; m=$(cat); printf "%s\n" "$m" > msg.$POP3_NUM' "$URL"
	[ "$status" -eq 3 ]
	[[ "$output" == *"it ended early"* ]]
	sleep 0.2
	[ ! -e "$PEER_DIR/msg.1" ]
	peer_log_lacks '^(RETR 2|QUIT)'
}

@test "X-13: every non-zero exit has a 'pop3get: ...' stderr line, even with -s; -j ends with the summary" {
	local c
	for c in POP-01 POP-05 POP-10 POP-11 POP-12 POP-13 POP-14 POP-15 POP-16 POP-24; do
		peer_start "$CASES/$c.peer"
		st=0
		(cd "$PEER_DIR" && exec timeout 30 pop3get -s -j --delete -d md \
		    "pop3://martha@127.0.0.1:$PEER_PORT/") >"$PEER_DIR/out" 2>"$PEER_DIR/err" 3>&- || st=$?
		peer_stop || true
		echo "$c: exit $st" >&2
		[ "$st" -ne 0 ]
		grep -q '^pop3get: .*: ' "$PEER_DIR/err" || { echo "$c: no stderr line" >&2; return 1; }
		tail -n 1 "$PEER_DIR/out" | grep -q "\"summary\".*\"exit\":$st" ||
			{ echo "$c: -j does not end with the summary" >&2; cat "$PEER_DIR/out" >&2; return 1; }
	done
}
