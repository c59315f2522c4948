#!/bin/sh
# bench/crypto-hash.sh - lib/crypto's SHA-256, SHA-512, SHA-1, HMAC-SHA256
# and ChaCha20-Poly1305 (seal) against `openssl speed` on 16 KiB buffers,
# in the same run, alternately; the median of the runs of each side and
# the ratio tubes/openssl.  Both sides count CPU time, as openssl speed
# does by default, so other load on the machine disturbs the ratio
# little (BENCH_CLOCK=wall: the wall clock for both, openssl with
# -elapsed).  Then the portable code alone (TUBES_NO_ASM=1), and the
# bytes the objects add to the static musl -Oz build.
#   BENCH_SMOKE=1: one short run of each, a correctness run (openssl
#   speed takes whole seconds: about 6 s in all).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TOP=${TOP:-$top}
. "$TOP/bench/lib.sh"
T=$top/${O:-build/rel}/tests
runs=$(bench_n 3)
secs=$(bench_size 1 0.1)
size=16384

bench_need openssl timeout
clock=${BENCH_CLOCK:-cpu}
case $clock in
cpu) elapsed= ;;
wall) elapsed=-elapsed ;;
*) echo "crypto-hash bench: BENCH_CLOCK is cpu or wall"; exit 2 ;;
esac
echo "crypto-hash bench: timed by $clock time"
for p in speed_hash speed_chacha; do
	[ -x "$T/$p" ] || { echo "crypto-hash bench: build first (make check-build)"; exit 2; }
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# median FILE: the median of the numbers in FILE, one a line
median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print v[int((NR + 1) / 2)] }'
}

# ours PROG NAME: MB/s of our NAME on $size bytes, or nothing
ours() {
	timeout 60 "$T/$1" "$secs" "$size" "$clock" "$2" | awk '{ print $3 }'
}

# theirs ARGS...: MB/s of openssl speed ARGS on $size bytes, or nothing
theirs() {
	# openssl takes whole seconds; a smoke run still takes one
	_s=${secs%.*}
	[ "${_s:-0}" -ge 1 ] 2>/dev/null || _s=1
	timeout 60 openssl speed $elapsed -seconds "$_s" -bytes "$size" "$@" 2>/dev/null |
	    tail -n 1 | awk '{ sub(/k$/, "", $NF); print $NF / 1000 }'
}

rc=0
# name, our driver and its name for the primitive, openssl's arguments
while read -r name prog prim oargs; do
	: >"$tmp/a"
	: >"$tmp/b"
	i=0
	while [ $i -lt $runs ]; do
		a=$(ours "$prog" "$prim")
		b=$(theirs $oargs)
		[ -n "$a" ] && echo "$a" >>"$tmp/a"
		[ -n "$b" ] && echo "$b" >>"$tmp/b"
		i=$((i + 1))
	done
	if [ ! -s "$tmp/a" ] || [ ! -s "$tmp/b" ]; then
		echo "$name: a run failed or timed out (tubes: $(wc -l <"$tmp/a") of $runs, openssl: $(wc -l <"$tmp/b") of $runs)"
		rc=1
		continue
	fi
	a=$(median "$tmp/a")
	b=$(median "$tmp/b")
	awk -v n="$name" -v a="$a" -v b="$b" -v s="$size" -v r="$runs" 'BEGIN {
		printf "%-18s %5d B  tubes %8.1f MB/s  openssl %8.1f MB/s  ratio %.2f  (median of %d)\n",
		    n, s, a, b, (b > 0 ? a / b : 0), r }'
done <<EOF_LIST
sha256 speed_hash sha256 -evp sha256
sha512 speed_hash sha512 -evp sha512
sha1 speed_hash sha1 -evp sha1
hmac-sha256 speed_hash hmac-sha256 -hmac sha256
chacha20-poly1305 speed_chacha chacha20-poly1305 -evp chacha20-poly1305
EOF_LIST

echo "portable code alone (TUBES_NO_ASM=1):"
TUBES_NO_ASM=1 timeout 60 "$T/speed_hash" "$secs" "$size" "$clock" sha256 sha512 || rc=1
TUBES_NO_ASM=1 timeout 60 "$T/speed_chacha" "$secs" "$size" "$clock" chacha20 poly1305 chacha20-poly1305 || rc=1

# the static size build's objects, if it is there (make STATIC=1
# CC=musl-gcc CFLAGS=-Oz O=build/tiny)
tiny=$top/build/tiny/lib/crypto
if [ -f "$tiny/sha2.o" ] && command -v size >/dev/null 2>&1; then
	( cd "$tiny" && size sha1.o sha2.o sha_ni.o hash.o chacha.o chacha_simd.o poly1305.o 2>/dev/null ) |
	    awk 'NR > 1 { t += $1 + $2 } { print } END { printf "hashes and ChaCha20-Poly1305, musl -Oz: %d bytes of text and data\n", t }'
else
	echo "static size: not measured (make STATIC=1 CC=musl-gcc CFLAGS=-Oz O=build/tiny build/tiny/libtubes.a)"
fi
exit $rc
