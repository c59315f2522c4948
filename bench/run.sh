#!/bin/sh
# bench/run.sh - run every bench/*.sh (make bench); BENCH_SMOKE=1 for a tiny run
top=$(cd "$(dirname "$0")/.." && pwd)
export BIN="$top/${O:-build/rel}/bin" TOP="$top"
rc=0
for b in "$top"/bench/*.sh; do
	[ "${b##*/}" = run.sh ] && continue
	[ "${b##*/}" = lib.sh ] && continue
	echo "== ${b##*/}"
	sh "$b" || rc=1
done
exit $rc
