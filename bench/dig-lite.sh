#!/bin/sh
# bench/dig-lite.sh - dig-lite against dig, kdig and drill (one query, one
# process) and against `dig -f` and dnsperf (a batch of 10,000 names), all
# asking an unbound on 127.0.0.1 inside a network namespace of our own,
# with lab.test and bulk.test stubbed to nsd on 127.0.0.2 and every answer
# cached before timing starts.  The tools run alternately in one loop;
# medians and ratios are printed.  Also: peak RSS, and the size of the
# static binary, stripped.
#   BENCH_SMOKE=1: 20 single queries, 500 names.
# Needs root (ip netns), nsd and unbound; otherwise says why and exits 0.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$top/build/rel/bin}
DL=$BIN/dig-lite
FIX=$top/tests/fixtures/dns
if [ "${BENCH_SMOKE:-}" = 1 ]; then
	runs=20 nbatch=500 bruns=1
else
	runs=200 nbatch=10000 bruns=3
fi

[ "$(id -u)" = 0 ] || { echo "dig-lite bench: skipped: needs root (ip netns)"; exit 0; }
for c in nsd unbound dig; do
	command -v $c >/dev/null 2>&1 || { echo "dig-lite bench: skipped: no $c"; exit 0; }
done
[ -x "$DL" ] || { echo "dig-lite bench: build first (make)"; exit 2; }

ns="tb-dnsbench-$$"
dir=$(mktemp -d) || exit 2
upid=
cleanup() {
	[ -n "$upid" ] && kill "$upid" 2>/dev/null
	[ -f "$dir/nsd/nsd.pid" ] && kill "$(cat "$dir/nsd/nsd.pid")" 2>/dev/null
	ip netns delete "$ns" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap "exit 2" INT TERM HUP PIPE

ip netns add "$ns" || exit 2
ip -n "$ns" link set lo up
mkdir -p "$dir/nsd" "$dir/unbound"
cp "$FIX/lab.test.zone" "$dir/nsd/"
# bulk.test: n0 .. n(N-1), one A record each
awk -v n="$nbatch" 'BEGIN {
	print "$TTL 86400"
	print "@ IN SOA ns1.lab.test. hostmaster.lab.test. 1 3600 900 604800 86400"
	print "@ IN NS ns1.lab.test."
	for (i = 0; i < n; i++) printf "n%d IN A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
}' >"$dir/nsd/bulk.test.zone"
sed -e "s|@DIR@|$dir/nsd|g; s|@ADDR@|127.0.0.2|; s|@ZONE@|lab.test|; s|@FILE@|lab.test.zone|" \
    "$FIX/nsd.conf.in" >"$dir/nsd/nsd.conf"
printf 'zone:\n\tname: "bulk.test"\n\tzonefile: "bulk.test.zone"\n' >>"$dir/nsd/nsd.conf"
ip netns exec "$ns" nsd -c "$dir/nsd/nsd.conf" || { echo "dig-lite bench: nsd failed"; exit 2; }
sed -e "s|@DIR@|$dir/unbound|g; s|@ADDR@|127.0.0.1|; s|@NSD@|127.0.0.2|" "$FIX/unbound.conf.in" \
    >"$dir/unbound/unbound.conf"
printf 'stub-zone:\n\tname: "bulk.test"\n\tstub-addr: 127.0.0.2\n' >>"$dir/unbound/unbound.conf"
ip netns exec "$ns" unbound -c "$dir/unbound/unbound.conf" >"$dir/unbound.log" 2>&1 &
upid=$!
# ready when it answers, within 30 s: a refused query (no socket yet, an
# ICMP port unreachable on lo) fails at once, so the limit is a time, not
# a count of tries
t_end=$(( $(date +%s) + 30 ))
until ip netns exec "$ns" "$DL" @127.0.0.1 +short +timeout=0.2 +tries=1 www.lab.test >/dev/null 2>&1; do
	if [ "$(date +%s)" -ge "$t_end" ] || ! kill -0 "$upid" 2>/dev/null; then
		echo "dig-lite bench: unbound did not answer within 30 s"
		tail -5 "$dir/unbound.log"
		exit 2
	fi
	sleep 0.05
done

awk -v n="$nbatch" 'BEGIN { for (i = 0; i < n; i++) printf "n%d.bulk.test\n", i }' >"$dir/names"
awk '{ print $1, "A" }' "$dir/names" >"$dir/names.perf"
# warm the cache: every name once
ip netns exec "$ns" "$DL" @127.0.0.1 +short -f "$dir/names" >/dev/null 2>&1

inns() { timeout -k 5 "${BENCH_TIMEOUT:-300}" ip netns exec "$ns" "$@"; }

# now_ns: monotonic enough for a shell loop (date +%s%N)
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# --- 1. one query, one process ---------------------------------------------
tools="dig-lite dig"
command -v kdig >/dev/null 2>&1 && tools="$tools kdig"
command -v drill >/dev/null 2>&1 && tools="$tools drill"
# the loop runs inside the namespace: ip netns exec costs more than a query;
# /bin/true in the same loop measures the loop's own cost
tools="$tools true"
cat >"$dir/one.sh" <<EOF
i=0
while [ \$i -lt $runs ]; do
	for t in $tools; do
		case \$t in
		dig-lite) set -- "$DL" @127.0.0.1 www.lab.test ;;
		dig) set -- dig @127.0.0.1 www.lab.test ;;
		kdig) set -- kdig @127.0.0.1 www.lab.test ;;
		drill) set -- drill www.lab.test @127.0.0.1 ;;
		true) set -- /bin/true ;;
		esac
		if [ -n "\${EPOCHREALTIME:-}" ]; then
			s=\${EPOCHREALTIME/[.,]/}
			"\$@" >/dev/null 2>&1 || echo "dig-lite bench: \$t failed" >&2
			e=\${EPOCHREALTIME/[.,]/}
			echo \$((e - s)) >>"$dir/one.\$t"
		else
			s=\$(date +%s%N)
			"\$@" >/dev/null 2>&1 || echo "dig-lite bench: \$t failed" >&2
			e=\$(date +%s%N)
			echo \$(( (e - s) / 1000 )) >>"$dir/one.\$t"
		fi
	done
	i=\$((i + 1))
done
EOF
for t in $tools; do : >"$dir/one.$t"; done
# bash 5 reads the clock without a fork (EPOCHREALTIME): two processes
# fewer around each run, far less noise on a busy machine
if command -v bash >/dev/null 2>&1; then
	inns bash "$dir/one.sh"
else
	inns sh "$dir/one.sh"
fi
tools=${tools% true}
echo "one query, one process (www.lab.test A via unbound, cached), median of $runs runs;"
echo "wall time of fork+exec+query, less the same loop's median for /bin/true ($(median "$dir/one.true") us):"
zero=$(median "$dir/one.true")
base=$(median "$dir/one.dig-lite")
for t in $tools; do
	m=$(median "$dir/one.$t")
	awk -v t="$t" -v a="$base" -v b="$m" -v z="$zero" 'BEGIN {
		printf "  %-9s %8.3f ms   dig-lite/%s = %.3f\n", t, (b - z) / 1000, t, (a - z) / (b - z) }'
done

# --- 2. a batch of names -----------------------------------------------------
: >"$dir/batch.dig-lite"
: >"$dir/batch.dig"
: >"$dir/batch.dnsperf"
i=0
while [ $i -lt $bruns ]; do
	# dnsperf in the same loop: its median, not one run, is the yardstick
	if command -v dnsperf >/dev/null 2>&1; then
		inns dnsperf -s 127.0.0.1 -d "$dir/names.perf" -n 1 -q 64 2>/dev/null |
		    awk '/Queries per second/ { print $4 }' >>"$dir/batch.dnsperf"
	fi
	s=$(date +%s%N)
	inns "$DL" @127.0.0.1 +short -f "$dir/names" >"$dir/out.dl" 2>/dev/null
	e=$(date +%s%N)
	echo $(( (e - s) / 1000 )) >>"$dir/batch.dig-lite"
	s=$(date +%s%N)
	inns dig @127.0.0.1 +short -f "$dir/names" >"$dir/out.dig" 2>/dev/null
	e=$(date +%s%N)
	echo $(( (e - s) / 1000 )) >>"$dir/batch.dig"
	i=$((i + 1))
done
dlq=$(wc -l <"$dir/out.dl")
digq=$(wc -l <"$dir/out.dig")
echo "batch of $nbatch names (-f), median of $bruns; answers: dig-lite $dlq, dig $digq:"
bd=$(median "$dir/batch.dig-lite")
bg=$(median "$dir/batch.dig")
awk -v n="$nbatch" -v a="$bd" -v b="$bg" 'BEGIN {
	printf "  dig-lite  %8.1f ms  %9.0f q/s\n", a / 1000, n / (a / 1e6)
	printf "  dig -f    %8.1f ms  %9.0f q/s   rate ratio dig-lite/dig = %.1f\n", b / 1000, n / (b / 1e6), b / a
}'
if [ -s "$dir/batch.dnsperf" ]; then
	perf=$(median "$dir/batch.dnsperf")
	awk -v n="$nbatch" -v a="$bd" -v p="${perf:-0}" 'BEGIN {
		if (p > 0) printf "  dnsperf   %23.0f q/s   dig-lite/dnsperf = %.2f\n", p, (n / (a / 1e6)) / p
	}'
fi

# --- 3. memory and size -------------------------------------------------------
# ASLR moves libc against the kernel's fault-around windows: peak RSS
# varies by ~150 KiB from run to run, so 9 runs each, median and max
: >"$dir/rss.1"
: >"$dir/rss.b"
i=0
while [ $i -lt 9 ]; do
	inns /usr/bin/time -f %M "$DL" @127.0.0.1 www.lab.test 2>&1 >/dev/null | tail -1 >>"$dir/rss.1"
	inns /usr/bin/time -f %M "$DL" @127.0.0.1 +short -f "$dir/names" 2>&1 >/dev/null |
	    tail -1 >>"$dir/rss.b"
	i=$((i + 1))
done
echo "peak RSS, median (max) of 9: one query $(median "$dir/rss.1") ($(sort -n "$dir/rss.1" | tail -1)) KiB," \
    "batch of $nbatch $(median "$dir/rss.b") ($(sort -n "$dir/rss.b" | tail -1)) KiB"
if make -C "$top" -s STATIC=1 O="$dir/static" "$dir/static/bin/dig-lite" >/dev/null 2>&1; then
	cp "$dir/static/bin/dig-lite" "$dir/dl.static" && strip "$dir/dl.static"
	echo "static binary (glibc), stripped: $(wc -c <"$dir/dl.static") bytes"
else
	echo "static binary (glibc): build failed"
fi
# musl: lib/session/conn.c includes <linux/tcp.h>, which musl's headers lack
if command -v musl-gcc >/dev/null 2>&1 &&
    make -C "$top" -s STATIC=1 CC=musl-gcc O="$dir/musl" \
    CFLAGS="-idirafter /usr/include -idirafter /usr/include/$(gcc -dumpmachine)" \
    "$dir/musl/bin/dig-lite" >/dev/null 2>&1; then
	cp "$dir/musl/bin/dig-lite" "$dir/dl.musl" && strip "$dir/dl.musl"
	rssm=$(inns /usr/bin/time -f %M "$dir/dl.musl" @127.0.0.1 www.lab.test 2>&1 >/dev/null | tail -1)
	echo "static binary (musl), stripped: $(wc -c <"$dir/dl.musl") bytes; peak RSS one query ${rssm} KiB"
fi
exit 0
