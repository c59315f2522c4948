# tests/lib/peer.bash - drive tests/peers/fakepeer from bats (tests/peers/README.md)
#
#   load lib/common
#   load lib/peer
#   teardown() { peer_stop; }
#
#   @test "HTTP-03: ..." {
#       run_case HTTP-03 httpget http://127.0.0.1:%PORT/x
#       [ "$status" -eq 3 ]
#       peer_log_has '^GET /x HTTP/1\.1'
#   }
#
# peer_start SCRIPT [fakepeer options]  start a peer; sets PEER_PORT PEER_LOG
#                                       PEER_ERR PEER_PID PEER_DIR.  With PEER_NS set
#                                       it runs inside that namespace (give -a ADDR)
# peer_wait [SECONDS]                   wait for the peer to end by itself (default 5);
#                                       sets PEER_STATUS; 1 if it had to be killed
# peer_stop                             kill the peer if still running, reap it; sets
#                                       PEER_STATUS (safe to call twice, and from teardown)
# peer_log_has REGEX / peer_log_lacks REGEX   grep -E on what the client sent
# peer_said REGEX                       grep -E on the peer's own events (stderr)
# peer_accepts                          how many connections the peer accepted
# run_case ID CMD ARGS...               peer_start tests/cases/ID.peer, run CMD
#                                       (%PORT in ARGS -> the peer's port) in
#                                       $PEER_DIR, then peer_wait/peer_stop

: "${PEER_BIN:=$TESTBIN/fakepeer}"
: "${CASES:=$TOP/tests/cases}"

peer_start() {
	local script=$1
	shift
	[ -x "$PEER_BIN" ] || { echo "peer_start: $PEER_BIN not built" >&2; return 2; }
	[ -r "$script" ] || { echo "peer_start: no script $script" >&2; return 2; }
	peer_stop
	PEER_DIR=$(mktemp -d "${BATS_TEST_TMPDIR:-${TMPDIR:-/tmp}}/peer.XXXXXX") || return 2
	PEER_LOG=$PEER_DIR/peer.log
	PEER_ERR=$PEER_DIR/peer.err
	local portfile=$PEER_DIR/port
	local pre=()
	[ -n "${PEER_NS:-}" ] && pre=(ip netns exec "$PEER_NS")
	# fd 3 is bats' own: a background child must not hold it
	(cd "$PEER_DIR" && exec "${pre[@]}" "$PEER_BIN" "$@" "$portfile" "$PEER_LOG" "$(realpath "$script")") \
		2>"$PEER_ERR" 3>&- &
	PEER_PID=$!
	PEER_STATUS=
	if ! wait_file "$portfile" 5; then
		echo "peer_start: fakepeer did not start:" >&2
		cat "$PEER_ERR" >&2
		peer_stop
		return 2
	fi
	PEER_PORT=$(cat "$portfile")
	export PEER_PORT PEER_LOG PEER_ERR PEER_PID PEER_DIR
}

peer_wait() {
	local i n=$(( ${1:-5} * 50 ))
	[ -n "${PEER_PID:-}" ] || return 0
	for ((i = 0; i < n; i++)); do
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$PEER_PID" 2>/dev/null; then
		peer_stop
		return 1
	fi
	if wait "$PEER_PID" 2>/dev/null; then PEER_STATUS=0; else PEER_STATUS=$?; fi
	PEER_PID=
	return 0
}

peer_stop() {
	[ -n "${PEER_PID:-}" ] || return 0
	kill "$PEER_PID" 2>/dev/null
	if wait "$PEER_PID" 2>/dev/null; then PEER_STATUS=0; else PEER_STATUS=$?; fi
	PEER_PID=
	return 0
}

peer_log_has() {
	grep -Eq -- "$1" "$PEER_LOG" && return 0
	echo "peer log lacks /$1/; it holds:" >&2
	cat -A "$PEER_LOG" >&2
	return 1
}

peer_log_lacks() {
	grep -Eq -- "$1" "$PEER_LOG" || return 0
	echo "peer log has /$1/:" >&2
	grep -E -- "$1" "$PEER_LOG" | cat -A >&2
	return 1
}

peer_said() {
	grep -Eq -- "$1" "$PEER_ERR" && return 0
	echo "peer never said /$1/; it said:" >&2
	cat "$PEER_ERR" >&2
	return 1
}

peer_accepts() {
	grep -c 'accepted connection' "$PEER_ERR"
}

# run_case ID CMD ARGS...: a hostile case is tests/cases/ID.peer plus this one line.
# The command runs with a 30 s bound, in $PEER_DIR (so files it writes land there).
# Set PEER_OPTS (an array) for fakepeer options, e.g. PEER_OPTS=(-6).
run_case() {
	local id=$1 a
	shift
	local args=()
	peer_start "$CASES/$id.peer" "${PEER_OPTS[@]}" || return 2
	for a in "$@"; do
		args+=("${a//%PORT/$PEER_PORT}")
	done
	local here=$PWD
	cd "$PEER_DIR" || return 2
	run timeout 30 "${args[@]}"
	cd "$here" || return 2
	peer_wait 3
}
