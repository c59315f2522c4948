#!/bin/sh
# bench/crypto-rsa.sh - RSA signature verification: tubes
# (tests/crypto/speed_rsa, PKCS#1 v1.5, e = 65537) side by side with
# `openssl speed rsa2048 rsa4096` (its verify/s column) in the same run:
# ours before and after openssl, averaged, so both see the same load.
# Twice: per second of wall time (openssl speed -elapsed), and per second
# of CPU time (openssl speed's default), which a loaded machine does not
# skew.
# Prints both rates and the ratio tubes/openssl; the issue's target is
# RSA-2048 at 0.20 or more.  BENCH_SMOKE=1: a short correctness run.
set -u
top=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/bench/lib.sh"
bench_need openssl timeout
speed=$top/${O:-build/rel}/tests/speed_rsa
[ -x "$speed" ] || { echo "crypto-rsa bench: $speed not built (make check-build)" >&2; exit 1; }
if [ "${BENCH_SMOKE:-}" = 1 ]; then
	secs=0.1 osecs=1 algs=rsa2048
else
	secs=2 osecs=3 algs="rsa2048 rsa4096"
fi

t=$(mktemp) || exit 2
trap 'rm -f "$t" "$t.o" "$t.c"' EXIT INT TERM
timeout -k 5 300 "$speed" $secs >"$t" || { echo "crypto-rsa bench: speed_rsa failed or timed out"; exit 1; }
# shellcheck disable=SC2086
timeout -k 5 300 openssl speed -elapsed -seconds $osecs $algs >"$t.o" 2>/dev/null ||
	{ echo "crypto-rsa bench: openssl speed failed or timed out"; exit 1; }
# shellcheck disable=SC2086
timeout -k 5 300 openssl speed -seconds $osecs $algs >"$t.c" 2>/dev/null ||
	{ echo "crypto-rsa bench: openssl speed failed or timed out"; exit 1; }
timeout -k 5 300 "$speed" $secs >>"$t" || { echo "crypto-rsa bench: speed_rsa failed or timed out"; exit 1; }

rc=0
for clk in wall cpu; do
	if [ $clk = wall ]; then key=rsa-verify o=$t.o; else key=rsa-verify-cpu o=$t.c; fi
	for bits in 2048 3072 4096 8192; do
		ours=$(awk -v k=$key -v b=$bits '$1 == k && $2 == b { s += $3; n++ } END { if (n) printf "%.0f", s / n }' "$t")
		theirs=$(awk -v b=$bits '$1 == "rsa" && $2 == b && $3 == "bits" { printf "%.0f", $NF }' "$o")
		if [ -z "$ours" ]; then
			echo "rsa$bits verify ($clk): no rate from speed_rsa"
			rc=1
		elif [ -n "$theirs" ]; then
			echo "rsa$bits verify ($clk time): tubes $ours op/s, openssl $theirs op/s, ratio $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
		else
			echo "rsa$bits verify ($clk time): tubes $ours op/s"
		fi
	done
done
setup=$(awk '$1 == "rsa-keysetup" && $2 == 2048 { print $3; exit }' "$t")
echo "rsa2048 key setup (R^2 mod n, once per key): $setup op/s"
exit $rc
