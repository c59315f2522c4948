#!/bin/sh
# bench/ping-lite.sh - ping-lite side by side with iputils ping, in one run,
# alternating, medians and ratios (lite / iputils):
#   1. flood: -q -f -c N to 127.0.0.1 (packets/s, CPU µs per packet, peak RSS)
#   2. flood to a namespace neighbour over a veth pair (root only; the
#      namespaces are made here and always deleted)
#   3. one-shot: -c 1 to 127.0.0.1, wall time
#   4. the static binary, stripped (make STATIC=1)
# BENCH_SMOKE=1: tiny sizes, one run each (a correctness check, not numbers).
# Packets go only to 127.0.0.1 and to addresses inside the namespaces made here.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$TOP/bench/lib.sh"
BIN=${BIN:-$TOP/build/rel/bin}
LITE=$BIN/ping-lite
T=/usr/bin/time
if [ "${BENCH_SMOKE:-}" = 1 ]; then FLOOD=${FLOOD:-1000} RUNS=1 ONESHOT=3; else
	FLOOD=${FLOOD:-100000} RUNS=${RUNS:-5} ONESHOT=${ONESHOT:-30}; fi

[ -x "$LITE" ] || { echo "skip: $LITE not built"; exit 0; }
command -v ping >/dev/null 2>&1 || { echo "skip: iputils ping not installed"; exit 0; }
[ -x "$T" ] || { echo "skip: GNU time (/usr/bin/time) not installed"; exit 0; }
if [ "$(id -u)" != 0 ]; then echo "skip: flood needs root (both tools refuse -f to users)"; exit 0; fi

tmp=$(mktemp -d) || exit 2
NS=""
cleanup() {
	[ -n "$NS" ] && { ip netns del "$NS-a" 2>/dev/null; ip netns del "$NS-b" 2>/dev/null; }
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

median() {	# FILE COLUMN
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) { print "nan"; exit }
		      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed OUT CMD...: one run; appends "wall_s cpu_s rss_kib" to OUT; fails on a non-zero exit
timed() {
	out=$1
	shift
	t0=$(date +%s%N)
	"$T" -f '%U %S %M' -o "$tmp/t" timeout -k 5 "$BENCH_TIMEOUT" "$@" >/dev/null 2>"$tmp/err" || {
		echo "FAILED ($?): $*"; cat "$tmp/err"; return 1; }
	t1=$(date +%s%N)
	awk -v w="$(( t1 - t0 ))" '{ printf "%.6f %.2f %d\n", w / 1e9, $1 + $2, $3 }' "$tmp/t" >>"$out"
}

# flood LABEL PREFIX TARGET: both tools alternately, RUNS times each
flood() {
	label=$1 prefix=$2 target=$3
	: >"$tmp/fl" && : >"$tmp/fi"
	i=0
	while [ $i -lt "$RUNS" ]; do
		timed "$tmp/fl" $prefix "$LITE" -q -f -c "$FLOOD" "$target" || return 1
		timed "$tmp/fi" $prefix ping -q -f -c "$FLOOD" "$target" || return 1
		i=$((i + 1))
	done
	wl=$(median "$tmp/fl" 1) wi=$(median "$tmp/fi" 1)
	cl=$(median "$tmp/fl" 2) ci=$(median "$tmp/fi" 2)
	rl=$(median "$tmp/fl" 3) ri=$(median "$tmp/fi" 3)
	awk -v n="$FLOOD" -v wl="$wl" -v wi="$wi" -v cl="$cl" -v ci="$ci" -v rl="$rl" -v ri="$ri" \
	    -v label="$label" -v runs="$RUNS" 'BEGIN {
		printf "%s: -q -f -c %d, median of %d runs each\n", label, n, runs
		printf "  %-10s %9.0f pkt/s  %6.2f us CPU/pkt  wall %.3f s  peak RSS %d KiB\n", "ping-lite", n / wl, cl * 1e6 / n, wl, rl
		printf "  %-10s %9.0f pkt/s  %6.2f us CPU/pkt  wall %.3f s  peak RSS %d KiB\n", "iputils", n / wi, ci * 1e6 / n, wi, ri
		printf "  ratio lite/iputils: pkt/s %.3f, CPU/pkt %s, RSS %.3f\n", wi / wl, (ci > 0 ? sprintf("%.3f", cl / ci) : "n/a"), rl / ri
	}'
}

echo "ping-lite bench: $(uname -r), $(ping -V 2>&1 | head -1)"
flood "loopback 127.0.0.1" "" 127.0.0.1 || exit 1

# a namespace neighbour: a - veth - b
NS=tb-ip-bench-$$
if ip netns add "$NS-a" 2>/dev/null && ip netns add "$NS-b" 2>/dev/null &&
    ip link add va netns "$NS-a" type veth peer name vb netns "$NS-b" 2>/dev/null; then
	ip -n "$NS-a" link set lo up; ip -n "$NS-b" link set lo up
	ip -n "$NS-a" addr add 10.79.0.1/24 dev va; ip -n "$NS-b" addr add 10.79.0.2/24 dev vb
	ip -n "$NS-a" link set va up; ip -n "$NS-b" link set vb up
	ip netns exec "$NS-a" "$LITE" -c 1 -W 2 10.79.0.2 >/dev/null	# resolve the neighbour first
	flood "neighbour 10.79.0.2 (veth)" "ip netns exec $NS-a" 10.79.0.2 || exit 1
else
	echo "neighbour flood: skipped (cannot create namespaces)"
fi

# one-shot wall time: hyperfine runs each binary itself (no shell, no
# GNU time around it), so a millisecond is not lost in fork and exec of
# the harness; without it, the timed loop (that overhead included)
if command -v hyperfine >/dev/null 2>&1; then
	# rounds of $ONESHOT runs, the order swapped each round, so a burst of
	# load elsewhere falls on both; the median over every run of each
	: >"$tmp/os"
	r=0
	while [ $r -lt 10 ]; do
		if [ $((r % 2)) = 0 ]; then a="$LITE -c 1 127.0.0.1" b="ping -c 1 127.0.0.1"
		else a="ping -c 1 127.0.0.1" b="$LITE -c 1 127.0.0.1"; fi
		timeout -k 5 "$BENCH_TIMEOUT" hyperfine -N -w 2 -r "$ONESHOT" --export-json "$tmp/h.json" "$a" "$b" >/dev/null 2>&1 ||
			{ echo "one-shot: hyperfine failed"; exit 1; }
		# "command" then its "times": one "tool seconds" line per run
		awk '/"command":/ { lite = index($0, "ping-lite") > 0 }
		     /"times": \[/ { in_t = 1; next }
		     in_t && /\]/ { in_t = 0 }
		     in_t { gsub(/[ ,]/, ""); print (lite ? "lite" : "iputils"), $0 }' "$tmp/h.json" >>"$tmp/os"
		r=$((r + 1))
	done
	grep '^lite ' "$tmp/os" >"$tmp/ol"
	grep '^iputils ' "$tmp/os" >"$tmp/oi"
	awk -v l="$(median "$tmp/ol" 2)" -v p="$(median "$tmp/oi" 2)" -v n="$(wc -l <"$tmp/ol")" 'BEGIN {
		printf "one-shot -c 1 127.0.0.1, median of %d runs each (hyperfine -N, alternating rounds)\n", n
		printf "  ping-lite %.3f ms, iputils %.3f ms, ratio %.3f\n", l * 1000, p * 1000, l / p }'
else
	: >"$tmp/ol" && : >"$tmp/oi"
	i=0
	while [ $i -lt "$ONESHOT" ]; do
		timed "$tmp/ol" "$LITE" -c 1 127.0.0.1 || exit 1
		timed "$tmp/oi" ping -c 1 127.0.0.1 || exit 1
		i=$((i + 1))
	done
	awk -v l="$(median "$tmp/ol" 1)" -v p="$(median "$tmp/oi" 1)" -v rl="$(median "$tmp/ol" 3)" \
	    -v rp="$(median "$tmp/oi" 3)" -v n="$ONESHOT" 'BEGIN {
		printf "one-shot -c 1 127.0.0.1, median of %d runs each (with GNU time and date around each: no hyperfine)\n", n
		printf "  ping-lite %.3f ms (peak RSS %d KiB), iputils %.3f ms (peak RSS %d KiB), ratio %.3f\n", l * 1000, rl, p * 1000, rp, l / p
	}'
fi

# static binary, stripped
if [ "${BENCH_SMOKE:-}" != 1 ] && command -v strip >/dev/null 2>&1; then
	if make -C "$TOP" -s STATIC=1 O=build/static all >"$tmp/mk" 2>&1; then
		cp "$TOP/build/static/bin/ping-lite" "$tmp/pl" && strip "$tmp/pl"
		echo "static ping-lite, stripped: $(wc -c <"$tmp/pl") bytes ($(( $(wc -c <"$tmp/pl") / 1024 )) KiB)"
		: >"$tmp/sr"
		timed "$tmp/sr" "$tmp/pl" -c 1 127.0.0.1 && echo "  its peak RSS for -c 1: $(median "$tmp/sr" 3) KiB"
	else
		echo "static build failed (libc without a static archive?):"; tail -3 "$tmp/mk"
	fi
	if bench_tiny ping-lite "$tmp/pm"; then
		: >"$tmp/mr"
		timed "$tmp/mr" "$tmp/pm" -c 1 127.0.0.1 && echo "  its peak RSS for -c 1: $(median "$tmp/mr" 3) KiB"
	fi
fi
