#!/bin/sh
# bench/arpq.sh - arpq against iputils arping (one host, -c 1) and arp-scan
# (a /24 with a few live hosts, defaults), alternating, on a LAN of network
# namespaces made here and removed after.  Prints medians and ratios, the
# frames each scan sent, and arpq's size and peak RSS.
# BENCH_SMOKE=1: one round of each, for correctness only.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"
BIN=${BIN:-$top/build/rel/bin}
arpq=$BIN/arpq

if [ "$(id -u)" != 0 ]; then echo "arpq bench: skipped (needs root for namespaces)"; exit 0; fi
for c in arping arp-scan ip; do
	command -v $c >/dev/null 2>&1 || { echo "arpq bench: skipped ($c not installed)"; exit 0; }
done
[ -x "$arpq" ] || { echo "arpq bench: $arpq not built" >&2; exit 1; }

if [ "${BENCH_SMOKE:-}" = 1 ]; then n1=1 n2=1; else n1=${N1:-15} n2=${N2:-5}; fi
id=$$
ns() { echo "tb-link-b$id-$1"; }
cleanup() {
	for h in C N1 N2 N3 L; do ip netns del "$(ns $h)" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

host() {	# NAME IP MAC
	ip netns add "$(ns $1)"
	ip link add "e$1" netns "$(ns $1)" type veth peer name "p$1" netns "$(ns L)"
	ip -n "$(ns $1)" link set "e$1" address "$3"
	ip -n "$(ns $1)" addr add "$2/24" dev "e$1"
	ip -n "$(ns $1)" link set "e$1" up
	ip -n "$(ns L)" link set "p$1" master br0 up
}
ip netns add "$(ns L)"
ip -n "$(ns L)" link add br0 type bridge
ip -n "$(ns L)" link set br0 up
host C 10.0.1.1 02:00:00:01:00:01
host N1 10.0.1.11 02:00:00:01:00:0b
host N2 10.0.1.12 02:00:00:01:00:0c
host N3 10.0.1.13 02:00:00:01:00:0d
inC() { timeout -k 5 "${BENCH_TIMEOUT:-300}" ip netns exec "$(ns C)" "$@"; }

now() { date +%s%N; }
# ms CMD...: wall milliseconds of one run (output discarded)
ms() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	echo $(( (t1 - t0) / 1000 ))
}
median() { sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%.1f", m / 1000 }'; }

# the cost of entering the namespace, included in every figure below
: >"/tmp/tb-arpq-bench-$id.a"
i=0
while [ $i -lt $n1 ]; do ms inC true >>"/tmp/tb-arpq-bench-$id.a"; i=$((i + 1)); done
echo "ip netns exec overhead: $(median <"/tmp/tb-arpq-bench-$id.a") ms (in every figure)"

# --- one host, -c 1 ---
: >"/tmp/tb-arpq-bench-$id.a"; : >"/tmp/tb-arpq-bench-$id.b"
i=0
while [ $i -lt $n1 ]; do
	inC ip neigh flush dev eC
	ms inC "$arpq" -c 1 10.0.1.11 >>"/tmp/tb-arpq-bench-$id.a"
	inC ip neigh flush dev eC
	ms inC arping -c 1 -I eC 10.0.1.11 >>"/tmp/tb-arpq-bench-$id.b"
	i=$((i + 1))
done
a=$(median <"/tmp/tb-arpq-bench-$id.a"); b=$(median <"/tmp/tb-arpq-bench-$id.b")
echo "one host -c 1 ($n1 runs): arpq ${a} ms, arping ${b} ms, ratio $(awk "BEGIN { printf \"%.3f\", $a / $b }")"

# --- a /24 with three live hosts, defaults ---
: >"/tmp/tb-arpq-bench-$id.a"; : >"/tmp/tb-arpq-bench-$id.b"
i=0
while [ $i -lt $n2 ]; do
	ms inC "$arpq" 10.0.1.0/24 >>"/tmp/tb-arpq-bench-$id.a"
	ms inC arp-scan -I eC 10.0.1.0/24 >>"/tmp/tb-arpq-bench-$id.b"
	i=$((i + 1))
done
a=$(median <"/tmp/tb-arpq-bench-$id.a"); b=$(median <"/tmp/tb-arpq-bench-$id.b")
echo "/24 scan, 3 live ($n2 runs): arpq ${a} ms, arp-scan ${b} ms, ratio $(awk "BEGIN { printf \"%.3f\", $a / $b }")"
rm -f "/tmp/tb-arpq-bench-$id.a" "/tmp/tb-arpq-bench-$id.b"

found_a=$(inC "$arpq" 10.0.1.0/24 | cut -f1,2 | sort | tr '\n' ' ')
found_b=$(inC arp-scan -q -x -I eC 10.0.1.0/24 | cut -f1,2 | sort | tr '\n' ' ')
sent=$(inC "$arpq" -j 10.0.1.0/24 | sed -n 's/.*"sent":\([0-9]*\).*/\1/p')
echo "/24 scan: arpq sent $sent frames, one every 2.625 ms at most (arp-scan's default 256000 bit/s)"
if [ "$found_a" = "$found_b" ]; then echo "/24 scan: same hosts found: $found_a"
else echo "/24 scan: DIFFERENT hosts: arpq [$found_a] arp-scan [$found_b]"; exit 1; fi

# --- size and memory ---
rss=$( { inC /usr/bin/time -f '%M' "$arpq" 10.0.1.0/24 >/dev/null; } 2>&1 | tail -1)
echo "peak RSS of a /24 scan: ${rss} KiB ($arpq, dynamic)"
tmp=$(mktemp -d)
if TOP=$top bench_tiny arpq "$tmp/arpq"; then
	rss=$( { inC /usr/bin/time -f '%M' "$tmp/arpq" 10.0.1.0/24 >/dev/null; } 2>&1 | tail -1)
	echo "peak RSS of a /24 scan: ${rss} KiB (static musl)"
fi
rm -rf "$tmp"
