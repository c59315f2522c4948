# tests/lib/common.bash - loaded by every bats file: load lib/common
# BIN (commands), TESTBIN (peers and unit programs) and TOP come from tests/run.sh.

: "${TOP:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${BIN:=$TOP/build/rel/bin}"
: "${TESTBIN:=$TOP/build/rel/tests}"
export PATH="$BIN:$PATH"

# need_root: skip unless we may make namespaces and raw sockets
need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
	ip netns list >/dev/null 2>&1 || skip "ip netns not available"
}

# need_cmd CMD...: skip unless every command exists
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

# wait_file PATH [SECONDS]: bounded wait for a file to appear non-empty
wait_file() {
	local i n=$(( ${2:-5} * 50 ))
	for ((i = 0; i < n; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.02
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# No test may ask the machine's real name servers (DESIGN.md, network
# rule): unless a test names its own, the resolver gets a nameserver on
# 127.0.0.1's discard port, which refuses at once.
if [ -z "${TUBES_RESOLV_CONF:-}" ]; then
	TUBES_RESOLV_CONF="${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}}/tubes-no-resolv.conf"
	[ -f "$TUBES_RESOLV_CONF" ] || echo "nameserver 127.0.0.1#9" >"$TUBES_RESOLV_CONF"
	export TUBES_RESOLV_CONF
fi
