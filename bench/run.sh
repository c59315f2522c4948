#!/bin/sh
# bench/run.sh - run every bench/*.sh (make bench); BENCH_SMOKE=1 for a tiny run.
# Each script has a time limit as a whole (BENCH_SCRIPT_TIMEOUT, seconds),
# each run inside one its own (BENCH_TIMEOUT, bench/lib.sh).
top=$(cd "$(dirname "$0")/.." && pwd)
export BIN="$top/${O:-build/rel}/bin" TOP="$top"
rc=0
for b in "$top"/bench/*.sh; do
	[ "${b##*/}" = run.sh ] && continue
	[ "${b##*/}" = lib.sh ] && continue
	echo "== ${b##*/}"
	# a script that hangs as a whole is stopped, reported, and the next runs
	if [ "${BENCH_SMOKE:-}" = 1 ]; then lim=${BENCH_SCRIPT_TIMEOUT:-300}; else lim=${BENCH_SCRIPT_TIMEOUT:-1800}; fi
	timeout -k 10 "$lim" sh "$b"
	r=$?
	if [ "$r" -eq 124 ] || [ "$r" -eq 137 ]; then
		echo "bench: ${b##*/} timed out after $lim s; going on"
		rc=1
	elif [ "$r" -ne 0 ]; then
		rc=1
	fi
done
exit $rc
