# tests/lib/faults.bash - fault injection helpers (issue 12)
#
# with_faults SPEC cmd...   run cmd with the I/O fault shim preloaded
#                           (TUBES_FAULT=SPEC; see tests/faults/shim.c)
# torture_alloc cmd...      run cmd once to count its allocations, then
#                           again failing the k-th allocation for a sample
#                           of k (TORTURE_SAMPLE, default 25, spread evenly);
#                           every run must end with one of our exit codes
#                           0-3 (no signal, no sanitizer report: 97, no
#                           valgrind error: 99).  Sets TORTURE_RUNS and
#                           TORTURE_N; the caller checks files and peer logs.
#                           TORTURE_SETUP, if set, is eval'ed before each run.

SHIM="$TESTBIN/libfault.so"

with_faults() {
	local spec=$1; shift
	[ -f "$SHIM" ] || { echo "fault shim not built: $SHIM" >&2; return 2; }
	LD_PRELOAD="$SHIM${LD_PRELOAD:+:$LD_PRELOAD}" TUBES_FAULT="$spec" "$@"
}

torture_alloc() {
	local log k n step rc sample=${TORTURE_SAMPLE:-25}
	log=$(mktemp) || return 2
	[ -n "${TORTURE_SETUP:-}" ] && eval "$TORTURE_SETUP"
	TUBES_ALLOC_LOG=$log "$@" >/dev/null 2>&1 || true
	n=$(cat "$log" 2>/dev/null)
	rm -f "$log"
	if [ -z "$n" ] || [ "$n" -lt 1 ]; then
		echo "torture_alloc: $1 made no allocations through tb_malloc" >&2
		TORTURE_N=0 TORTURE_RUNS=0
		return 0
	fi
	TORTURE_N=$n TORTURE_RUNS=0
	step=$(( n > sample ? n / sample : 1 ))
	for ((k = 1; k <= n; k += step)); do
		[ -n "${TORTURE_SETUP:-}" ] && eval "$TORTURE_SETUP"
		rc=0
		TUBES_FAIL_ALLOC=$k "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/torture.err" || rc=$?
		TORTURE_RUNS=$((TORTURE_RUNS + 1))
		if [ $rc -gt 3 ]; then
			echo "torture_alloc: allocation $k of $n: exit $rc" >&2
			cat "$BATS_TEST_TMPDIR/torture.err" >&2
			return 1
		fi
	done
	return 0
}
