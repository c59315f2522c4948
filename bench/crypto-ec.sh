#!/bin/sh
# bench/crypto-ec.sh - P-256 and P-384: ECDSA verification and ECDH
# (and P-256 key generation, against openssl's ECDH op/s for want of a
# keygen figure): tests/crypto/speed_ec against `openssl speed ecdsap256
# ecdsap384 ecdhp256 ecdhp384` (the verify/s and op/s columns),
# alternately, three rounds; prints each rate and the ratio to OpenSSL's,
# then the median ratio.  Both count CPU time, as openssl speed does by
# default (BENCH_CLOCK=wall: the wall clock for both, openssl with
# -elapsed), so other load on the machine disturbs the ratio little.  The
# issue's target: P-256 verification at least 0.20 of OpenSSL.
#   BENCH_SMOKE=1: one short round (a correctness run).
top=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/bench/lib.sh"
bench_need openssl awk
SP=$top/${O:-build/rel}/tests/speed_ec
[ -x "$SP" ] || { echo "crypto-ec bench: build first (make check-build)"; exit 2; }
rounds=$(bench_n 3)
secs=$(bench_size 1 0.2)
clock=${BENCH_CLOCK:-cpu}
case $clock in
cpu) elapsed= ;;
wall) elapsed=-elapsed ;;
*) echo "crypto-ec bench: BENCH_CLOCK is cpu or wall"; exit 2 ;;
esac
echo "crypto-ec bench: timed by $clock time"
rc=0
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.r"' EXIT

# ours NAME: our rate; theirs ALG CURVE: openssl's (the last column)
ours() {
	timeout 60 "$SP" "$secs" "$clock" "$1" | awk -v a="$1" '$1 == a { print $3 }'
}
theirs() {
	timeout 60 openssl speed $elapsed -seconds 1 "$1" 2>/dev/null |
	    awk -v c="$2" 'index($0, "(" c ")") { v = $NF } END { print v }'
}

for spec in p256-verify:ecdsap256:nistp256:0.20 p384-verify:ecdsap384:nistp384:none \
    p256-ecdh:ecdhp256:nistp256:none p384-ecdh:ecdhp384:nistp384:none \
    p256-pubkey:ecdhp256:nistp256:none; do
	IFS=: read -r name alg curve target <<EOT
$spec
EOT
	i=0
	: >"$out.r"
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		o=$(ours "$name")
		t=$(theirs "$alg" "$curve")
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
