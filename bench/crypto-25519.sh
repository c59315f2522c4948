#!/bin/sh
# bench/crypto-25519.sh - X25519 (a shared secret, and a public key from
# a scalar) and Ed25519 verification: tests/crypto/speed_25519 against
# `openssl speed ecdhx25519 ed25519` (its verify/s column), alternately,
# three rounds; prints each rate in op/s and the ratio to OpenSSL's,
# then the median ratio.  Both count CPU time, as openssl speed does by
# default (BENCH_CLOCK=wall: the wall clock for both, openssl with
# -elapsed), so other load on the machine disturbs the ratio little.  The
# issue's target: X25519 at least 0.25 of OpenSSL (verification has none).
#   BENCH_SMOKE=1: one short round (a correctness run).
top=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/bench/lib.sh"
bench_need openssl awk
SP=$top/${O:-build/rel}/tests/speed_25519
[ -x "$SP" ] || { echo "crypto-25519 bench: build first (make check-build)"; exit 2; }
rounds=$(bench_n 3)
secs=$(bench_size 1 0.2)
clock=${BENCH_CLOCK:-cpu}
case $clock in
cpu) elapsed= ;;
wall) elapsed=-elapsed ;;
*) echo "crypto-25519 bench: BENCH_CLOCK is cpu or wall"; exit 2 ;;
esac
echo "crypto-25519 bench: timed by $clock time"
rc=0
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.r"' EXIT

# ours OPENSSL_ALG: our rate; theirs ALG: openssl's (X25519 op/s, Ed25519 verify/s)
ours() {
	timeout 60 "$SP" "$secs" "$clock" "$1" | awk -v a="$1" '$1 == a { print $3 }'
}
theirs() {
	timeout 60 openssl speed $elapsed -seconds 1 "$1" 2>/dev/null |
	    awk '/X25519|Ed25519/ { v = $NF } END { print v }'
}

for pair in x25519:ecdhx25519:0.25 x25519-base:ecdhx25519:0.25 ed25519-verify:ed25519:none; do
	name=${pair%%:*}
	rest=${pair#*:}
	alg=${rest%%:*}
	target=${rest#*:}
	i=0
	: >"$out.r"
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		o=$(ours "$name")
		t=$(theirs "$alg")
		if [ -z "$o" ] || [ -z "$t" ]; then
			echo "$name round $i: no rate (tubes '$o', openssl '$t'): failed or hung"
			rc=1
			continue
		fi
		awk -v a="$name" -v b="$alg" -v o="$o" -v t="$t" -v i="$i" 'BEGIN {
			printf "%s round %d: tubes %.0f op/s  openssl %s %.0f op/s  ratio %.2f\n",
			    a, i, o, b, t, (t > 0 ? o / t : 0)
			printf "%.4f\n", (t > 0 ? o / t : 0) > "/dev/stderr"
		}' 2>>"$out.r"
	done
	[ -s "$out.r" ] && sort -g "$out.r" | awk -v a="$name" -v g="$target" '{ v[NR] = $1 }
		END { printf "%s: median ratio tubes/openssl %.2f (target %s)\n", a, v[int((NR + 1) / 2)], g }'
done
exit $rc
