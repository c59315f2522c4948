# tests/lib/held.bash - a command held mid-run by a slow scripted peer, to
# look at what the running process shows (/proc/PID/environ, cmdline) or to
# signal it at a known point.  Needs lib/peer.
#
#   load lib/common
#   load lib/peer
#   load lib/held
#   teardown() { held_stop; peer_stop; }
#
#   @test "X-10: ..." {
#       export POP3GET_PASSWORD=s3cr3t-X10
#       held_start "$CASES/X-10.peer" pop3get -d md pop3://u@127.0.0.1:%PORT/
#       held_wait_peer 'accepted connection 1'
#       environ_lacks "$HELD_PID" s3cr3t-X10
#   }
#
# held_start SCRIPT CMD ARGS...   peer_start SCRIPT, then CMD (%PORT -> the
#                                 peer's port) in the background in $PEER_DIR,
#                                 stdout/stderr to $PEER_DIR/held.out/.err;
#                                 sets HELD_PID (the command's own PID)
# held_wait_peer REGEX [SECS]     bounded wait (default 5 s) for the peer to
#                                 report REGEX on its stderr (its events)
# held_wait_log REGEX [SECS]      bounded wait for the command to have sent a
#                                 line matching REGEX (the peer's log)
# held_reap [SECS]                wait (bounded, default 5 s) for the command
#                                 to end by itself; sets HELD_STATUS (124 and
#                                 a SIGKILL if it did not)
# held_stop                       SIGKILL the command if still running, reap it
# environ_has PID VALUE           PID is alive and its environment block shows VALUE
# environ_lacks PID VALUE         PID is alive and neither /proc/PID/environ
#                                 nor /proc/PID/cmdline shows VALUE

held_start() {
	local script=$1 a args=()
	shift
	peer_start "$script" "${PEER_OPTS[@]}" || return 2
	for a in "$@"; do
		args+=("${a//%PORT/$PEER_PORT}")
	done
	HELD_STATUS=
	# fd 3 is bats' own: a background child must not hold it
	(cd "$PEER_DIR" && exec "${args[@]}") >"$PEER_DIR/held.out" 2>"$PEER_DIR/held.err" 3>&- &
	HELD_PID=$!
}

_held_wait_grep() {
	local re=$1 file=$2 i n=$(( ${3:-5} * 50 ))
	for ((i = 0; i < n; i++)); do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "timed out waiting for /$re/ in $file; it holds:" >&2
	cat -A "$file" >&2
	return 1
}

held_wait_peer() { _held_wait_grep "$1" "$PEER_ERR" "${2:-5}"; }
held_wait_log() { _held_wait_grep "$1" "$PEER_LOG" "${2:-5}"; }

held_reap() {
	local i n=$(( ${1:-5} * 50 ))
	[ -n "${HELD_PID:-}" ] || return 0
	for ((i = 0; i < n; i++)); do
		kill -0 "$HELD_PID" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$HELD_PID" 2>/dev/null; then
		kill -KILL "$HELD_PID" 2>/dev/null
		wait "$HELD_PID" 2>/dev/null
		HELD_STATUS=124
		HELD_PID=
		return 1
	fi
	if wait "$HELD_PID" 2>/dev/null; then HELD_STATUS=0; else HELD_STATUS=$?; fi
	HELD_PID=
	return 0
}

held_stop() {
	[ -n "${HELD_PID:-}" ] || return 0
	kill -KILL "$HELD_PID" 2>/dev/null
	wait "$HELD_PID" 2>/dev/null
	HELD_PID=
	return 0
}

_environ_read() {
	local pid=$1 f=$2
	kill -0 "$pid" 2>/dev/null || { echo "process $pid is not running" >&2; return 2; }
	tr '\0' '\n' <"/proc/$pid/$f" || return 2
	kill -0 "$pid" 2>/dev/null || { echo "process $pid ended while read" >&2; return 2; }
}

environ_has() {
	local out
	out=$(_environ_read "$1" environ) || return 1
	grep -qF -- "$2" <<<"$out" && return 0
	echo "/proc/$1/environ lacks '$2'" >&2
	return 1
}

environ_lacks() {
	local out f
	for f in environ cmdline; do
		out=$(_environ_read "$1" "$f") || return 1
		if grep -qF -- "$2" <<<"$out"; then
			echo "/proc/$1/$f shows '$2':" >&2
			grep -F -- "$2" <<<"$out" >&2
			return 1
		fi
	done
	return 0
}
