#!/bin/sh
# bench/trace.sh - trace side by side with traceroute (and mtr if installed)
# on the client - r1 - r2 - r3 - server chain of tests/lib/netns.bash,
# alternating, medians and ratios (trace / the other):
#   1. default options (both -n: no name server in the namespaces), clean chain
#   2. the same with a silent r2 (forwards, sends no ICMP)
#   3. fixed -w 1 -q 3 on the silent-r2 chain, and -w 1,0,0 (no adaptive
#      wait: the silent hop waited out in full once, target <= 1.1 s)
#   4. trace vs mtr --report -c 3 -n (clean chain), if mtr is installed
#   5. the static binary, stripped (make STATIC=1)
# Root only (namespaces); the namespaces are made here and always deleted.
# Packets go only to addresses inside them.  BENCH_SMOKE=1: one run each.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/build/rel/bin}
. "$TOP/bench/lib.sh"
. "$TOP/tests/lib/netns.bash"

[ -x "$BIN/trace" ] || { echo "skip: $BIN/trace not built"; exit 0; }
bench_need traceroute
[ "$(id -u)" = 0 ] || { echo "skip: needs root (network namespaces)"; exit 0; }
trap ns_teardown EXIT INT TERM
ns_chain >/dev/null 2>&1 || { echo "skip: cannot create namespaces"; exit 0; }
C=$NS_CLIENT
D=$CHAIN_SERVER
N=$(bench_n 21)
rc=0
# warm the neighbour caches
ip netns exec "$C" "$BIN/trace" -n -q 1 "$D" >/dev/null 2>&1

echo "trace bench: $(uname -r), $(traceroute --version 2>&1 | head -1)"
echo "-- 1. clean chain, default options (-n)"
bench_pair trace "ip netns exec $C $BIN/trace -n $D" \
	traceroute "ip netns exec $C traceroute -n $D" "$N" || rc=1
bench_pair trace-I "ip netns exec $C $BIN/trace -n -I $D" \
	traceroute-I "ip netns exec $C traceroute -n -I $D" "$N" || rc=1

ns_silent r2
echo "-- 2. silent r2, default options (-n)"
bench_pair trace "ip netns exec $C $BIN/trace -n $D" \
	traceroute "ip netns exec $C traceroute -n $D" "$N" || rc=1

echo "-- 3. silent r2, fixed -w 1 -q 3"
bench_pair trace "ip netns exec $C $BIN/trace -n -w 1 -q 3 $D" \
	traceroute "ip netns exec $C traceroute -n -w 1 -q 3 $D" "$N" || rc=1
n3=$(bench_n 5)
bench_pair trace-w1,0,0 "ip netns exec $C $BIN/trace -n -w 1,0,0 -q 3 $D" \
	traceroute-w1,0,0 "ip netns exec $C traceroute -n -w 1,0,0 -q 3 $D" "$n3" || rc=1

if command -v mtr >/dev/null 2>&1; then
	ns_teardown
	NS_TAG=
	ns_chain >/dev/null 2>&1 || { echo "cannot recreate the chain"; exit 1; }
	C=$NS_CLIENT
	ip netns exec "$C" "$BIN/trace" -n -q 1 "$D" >/dev/null 2>&1
	echo "-- 4. clean chain, trace vs mtr --report -c 3"
	bench_pair trace "ip netns exec $C $BIN/trace -n $D" \
		mtr "ip netns exec $C mtr -n --report -c 3 $D" "$(bench_n 3)" || rc=1
else
	echo "-- 4. skipped: mtr not installed (apt-get install mtr-tiny)"
fi

if [ "${BENCH_SMOKE:-}" != 1 ] && command -v strip >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	if make -C "$TOP" -s STATIC=1 O=build/static all >"$tmp/mk" 2>&1; then
		cp "$TOP/build/static/bin/trace" "$tmp/trace" && strip "$tmp/trace"
		echo "-- 5. static trace (glibc, make STATIC=1), stripped: $(wc -c <"$tmp/trace") bytes"
	else
		echo "-- 5. static build failed:"; tail -3 "$tmp/mk"
	fi
	printf '   '
	bench_tiny trace "$tmp/tiny"
	rm -rf "$tmp"
fi
exit $rc
