#!/bin/sh
# tests/run.sh - run the unit tests and the bats suite; make test calls it.
# Environment: O (build dir), VALGRIND=1 (wrap every command in valgrind),
# JOBS=N (bats files run N at a time; default twice the CPUs when GNU
# parallel is installed, which bats needs for it; JOBS=1 runs them one by
# one -- the tests inside a file always run in order),
# arguments: bats files to run instead of all of tests/*.bats.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build/rel}
cd "$top" || exit 2

# what the suite uses: installed as root, else named (make test did it first)
[ -n "${TUBES_DEPS_DONE:-}" ] || sh tests/deps.sh
command -v bats >/dev/null 2>&1 || { echo "tests: bats-core is needed: sudo apt-get install bats" >&2; exit 2; }

BIN="$top/$O/bin"
if [ "${VALGRIND:-}" = 1 ]; then
	command -v valgrind >/dev/null 2>&1 || { echo "tests: VALGRIND=1 needs valgrind" >&2; exit 2; }
	vbin="$top/$O/valgrind-bin"
	rm -rf "$vbin" && mkdir -p "$vbin"
	for b in "$BIN"/*; do
		[ -x "$b" ] || continue
		cat >"$vbin/${b##*/}" <<EOW
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "$b" "\$@"
EOW
		chmod +x "$vbin/${b##*/}"
	done
	BIN=$vbin
fi
export BIN TOP="$top" TESTBIN="$top/$O/tests" PATH="$BIN:$PATH"
# a sanitizer report must never pass for one of our exit codes (0-3)
export ASAN_OPTIONS="exitcode=97:detect_leaks=1:verify_asan_link_order=0:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=97:print_stacktrace=1"

pass=0 fail=0 skip=0
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

# unit tests: one program per tests/unit/t_*.c
for t in "$TESTBIN"/t_*; do
	[ -x "$t" ] || continue
	[ $# -gt 0 ] && continue
	"$t" >"$log" 2>&1
	rc=$?
	grep -E '^(not ok|#)' "$log"
	p=$(grep -c '^ok ' "$log") f=$(grep -c '^not ok ' "$log")
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && { echo "not ok - ${t##*/} exited $rc"; f=1; }
	echo "unit ${t##*/}: $p passed, $f failed"
	pass=$((pass + p)) fail=$((fail + f))
done

# fuzz corpus replay: every corpus file through every target
corpus=$(find fuzz/corpus -type f 2>/dev/null | sort)
for r in "$top/$O"/fuzz/replay-*; do
	[ -x "$r" ] || continue
	[ $# -gt 0 ] && continue
	[ -n "$corpus" ] || break
	if echo "$corpus" | xargs "$r" >"$log" 2>&1; then
		echo "ok - replay ${r##*/replay-}: $(echo "$corpus" | wc -l) inputs"
		pass=$((pass + 1))
	else
		cat "$log"
		echo "not ok - replay ${r##*/replay-}"
		fail=$((fail + 1))
	fi
done

# bats files
if [ $# -gt 0 ]; then files="$*"; else files=$(ls tests/*.bats 2>/dev/null); fi
if [ -n "$files" ]; then
	jobs=${JOBS:-}
	if [ -z "$jobs" ]; then
		jobs=1
		command -v parallel >/dev/null 2>&1 && jobs=$(( $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) * 2 ))
	fi
	if [ "$jobs" -gt 1 ]; then
		bats --jobs "$jobs" --no-parallelize-within-files --tap $files >"$log" 2>&1
	else
		bats --tap $files >"$log" 2>&1
	fi
	rc=$?
	cat "$log"
	p=$(grep -E '^ok ' "$log" | grep -vc '# skip') s=$(grep -E '^ok .*# skip' "$log" | wc -l)
	f=$(grep -c '^not ok ' "$log")
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && { echo "not ok - bats exited $rc"; f=1; }
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
