#!/bin/sh
# fuzz/run.sh SECONDS - run every libFuzzer target for SECONDS each, starting
# from its corpus; new inputs go to fuzz/out/TARGET, crashes to fuzz/out/crash-*.
# Prints the executions of each run; exits non-zero if any target crashed.
secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
mkdir -p fuzz/out
rc=0
for f in build/fuzz/fuzz/fz_*; do
	[ -x "$f" ] || continue
	t=${f##*/}
	mkdir -p "fuzz/out/$t" "fuzz/corpus/$t"
	"$f" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="fuzz/out/$t-" \
	    "fuzz/out/$t" "fuzz/corpus/$t" >"fuzz/out/$t.log" 2>&1
	r=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/out/$t.log")
	echo "$t: ${secs}s, ${execs:-?} executions, exit $r"
	if [ $r -ne 0 ]; then
		rc=1
		grep -m5 -E 'ERROR|oracle|SUMMARY' "fuzz/out/$t.log"
	fi
done
exit $rc
