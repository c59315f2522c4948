#!/bin/sh
# bench/crypto-aes.sh - AES-128-GCM and AES-256-GCM sealing 16 KiB
# messages: tests/crypto/speed_aes (the fast path, then the portable one
# with TUBES_NO_ASM=1) against `openssl speed -evp`, alternately, three
# rounds; prints each rate in MB/s (10^6 bytes) and the ratio to
# OpenSSL's, then the median ratio.  Both count CPU time, as openssl
# speed does by default (BENCH_CLOCK=wall: the wall clock for both,
# openssl with -elapsed), so other load on the machine disturbs the
# ratio little.  The issue's target: the fast path at least 0.5 of
# OpenSSL.
#   BENCH_SMOKE=1: one short round (a correctness run).
top=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/bench/lib.sh"
bench_need openssl awk
SP=$top/${O:-build/rel}/tests/speed_aes
[ -x "$SP" ] || { echo "crypto-aes bench: build first (make check-build)"; exit 2; }
rounds=$(bench_n 3)
secs=$(bench_size 1 0.2)
size=16384
clock=${BENCH_CLOCK:-cpu}
case $clock in
cpu) elapsed= ;;
wall) elapsed=-elapsed ;;
*) echo "crypto-aes bench: BENCH_CLOCK is cpu or wall"; exit 2 ;;
esac
echo "crypto-aes bench: timed by $clock time"
rc=0
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT

# the portable path once: it is slow and has no OpenSSL counterpart
if ! timeout 60 env TUBES_NO_ASM=1 "$SP" "$secs" $size "$clock" >"$out"; then
	echo "crypto-aes bench: speed_aes (portable) failed or hung"
	rc=1
fi
sed "s/^/tubes  /" "$out"

for alg in aes-128-gcm aes-256-gcm; do
	i=0
	: >"$out.r"
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		ours=$(timeout 60 "$SP" "$secs" $size "$clock" | awk -v a="$alg" '$1 == a { print $3 }')
		theirs=$(timeout 60 openssl speed $elapsed -seconds 1 -bytes $size -evp "$alg" \
		    2>/dev/null | awk 'END { sub(/k$/, "", $NF); print $NF / 1000 }')
		if [ -z "$ours" ] || [ -z "$theirs" ]; then
			echo "$alg round $i: no rate (tubes '$ours', openssl '$theirs'): failed or hung"
			rc=1
			continue
		fi
		awk -v a="$alg" -v o="$ours" -v t="$theirs" -v s=$size -v i="$i" 'BEGIN {
			printf "%s %d round %d: tubes %.1f MB/s  openssl %.1f MB/s  ratio %.2f\n",
			    a, s, i, o, t, (t > 0 ? o / t : 0)
			printf "%.4f\n", (t > 0 ? o / t : 0) > "/dev/stderr"
		}' 2>>"$out.r"
	done
	[ -s "$out.r" ] && sort -g "$out.r" | awk -v a="$alg" '{ v[NR] = $1 }
		END { printf "%s: median ratio tubes/openssl %.2f (target 0.50)\n", a, v[int((NR + 1) / 2)] }'
	rm -f "$out.r"
done
exit $rc
