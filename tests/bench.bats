#!/usr/bin/env bats
# bench.bats - the benchmark helper bench/lib.sh: medians, ratios, and no
# ratio when a side fails

load lib/common

setup() {
	export TOP
	[ -x /usr/bin/time ] && /usr/bin/time -f %e -o /dev/null true 2>/dev/null ||
		skip "GNU time (/usr/bin/time) not installed"
}

pair() {
	sh -c '. "$TOP/bench/lib.sh"; bench_pair "$@"' sh "$@"
}

@test "bench_pair: medians for both sides and a ratio" {
	run pair fast 'true' slow 'sleep 0.2' 3
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "== fast vs slow (3 runs each, alternating)" ]
	[[ "${lines[1]}" =~ ^fast\ +wall\ +0\.[01][0-9]{2}\ s\ +cpu\ +[0-9.]+\ s\ +rss\ +[0-9]+\ KiB$ ]]
	[[ "${lines[2]}" =~ ^slow\ +wall\ +0\.([2-9])[0-9]{2}\ s ]]
	# true against sleep 0.2: well under 1 even on a loaded machine
	[[ "${lines[3]}" =~ ^ratio\ fast/slow:\ wall\ 0\.[0-4][0-9]\ +cpu\ .*rss\ [0-9.]+$ ]]
}

@test "bench_pair: alternates A and B" {
	local f=$BATS_TEST_TMPDIR/order
	run pair A "echo A >>$f" B "echo B >>$f" 3
	[ "$status" -eq 0 ]
	[ "$(tr -d '\n' <"$f")" = ABABAB ]
}

@test "bench_pair: CPU time and peak RSS are measured" {
	run pair burn 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done' idle 'true' 1
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ cpu\ +0\.([1-9][0-9]*|0[1-9][0-9]*)\ s ]] || [[ "${lines[1]}" =~ cpu\ +[1-9] ]]
	run pair big 'head -c 50000000 /dev/zero | tail -c 1 >/dev/null' small 'true' 1
	[[ "${lines[1]}" =~ rss\ +([0-9]+)\ KiB ]]
	[ "${BASH_REMATCH[1]}" -gt 1000 ]
}

@test "bench_pair: no ratio when a side fails, and it says which" {
	run pair good 'true' bad 'echo oops >&2; exit 3' 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad "*"FAILED 2 of 2 runs"* ]]
	[[ "$output" == *"ratio good/bad: none, failed: bad"* ]]
	[[ "$output" == *"bench: exit 3"* ]]
	[[ "$output" == *"bench:   oops"* ]]
	[[ "$output" != *"ratio good/bad: wall"* ]]
	run pair bad 'false' good 'true' 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed: bad"* ]]
}

@test "bench_pair: BENCH_SMOKE=1 runs once; bench_n and bench_size follow it" {
	local f=$BATS_TEST_TMPDIR/count
	BENCH_SMOKE=1 run pair A "echo >>$f" B true 50
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$f")" -eq 1 ]
	run sh -c '. "$TOP/bench/lib.sh"; BENCH_SMOKE=1; echo $(bench_n 20) $(bench_size 64M 64K); BENCH_SMOKE=; echo $(bench_n 20 2) $(bench_size 64M 64K)'
	[ "${lines[0]}" = "1 64K" ]
	[ "${lines[1]}" = "20 64M" ]
}

@test "bench_pair: bad usage" {
	run pair only three args
	[ "$status" -eq 2 ]
	[[ "$output" == usage:* ]]
}

@test "bench_need: a missing anchor ends the script with skip" {
	run sh -c '. "$TOP/bench/lib.sh"; bench_need sh no-such-tool-xyz; echo not reached'
	[ "$status" -eq 0 ]
	[ "$output" = "skip: no-such-tool-xyz not installed" ]
}

@test "bench/run.sh: runs bench/*.sh but not lib.sh, and fails if one fails" {
	local t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/bench"
	cp "$TOP/bench/run.sh" "$TOP/bench/lib.sh" "$t/bench/"
	printf '. "$TOP/bench/lib.sh"\nbench_pair a true b true 2\n' >"$t/bench/one.sh"
	run env BENCH_SMOKE=1 sh "$t/bench/run.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"== one.sh"* ]]
	[[ "$output" == *"== a vs b (1 runs each, alternating)"* ]]
	[[ "$output" != *"== lib.sh"* ]]
	printf '. "$TOP/bench/lib.sh"\nbench_pair a true b false 2\n' >"$t/bench/two.sh"
	run env BENCH_SMOKE=1 sh "$t/bench/run.sh"
	[ "$status" -eq 1 ]
}
