#!/bin/sh
# fuzz/run.sh SECONDS - run every libFuzzer target for SECONDS each, starting
# from its corpus; new inputs go to fuzz/out/TARGET, crashes to
# fuzz/out/TARGET-crash-*.  JOBS targets run at once (default: one per CPU).
# Prints the executions of each run; exits non-zero if any target crashed.
secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
mkdir -p fuzz/out

# one target: its log in fuzz/out/TARGET.log, its verdict in fuzz/out/TARGET.rc
one() {
	t=${1##*/}
	mkdir -p "fuzz/out/$t" "fuzz/corpus/$t"
	"$1" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="fuzz/out/$t-" \
	    "fuzz/out/$t" "fuzz/corpus/$t" >"fuzz/out/$t.log" 2>&1
	echo $? >"fuzz/out/$t.rc"
}
if [ "${1:-}" = --one ]; then	# the worker xargs starts: --one SECS TARGET
	secs=$2
	one "$3"
	exit 0
fi

rm -f fuzz/out/*.rc
ls build/fuzz/fuzz/fz_* 2>/dev/null | xargs -P "$jobs" -n 1 sh "$0" --one "$secs"
rc=0
for f in build/fuzz/fuzz/fz_*; do
	[ -x "$f" ] || continue
	t=${f##*/}
	r=$(cat "fuzz/out/$t.rc" 2>/dev/null || echo "?")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/out/$t.log")
	echo "$t: ${secs}s, ${execs:-?} executions, exit $r"
	if [ "$r" != 0 ]; then
		rc=1
		grep -m5 -E 'ERROR|oracle|SUMMARY' "fuzz/out/$t.log"
	fi
done
exit $rc
