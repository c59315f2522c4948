# bench/lib.sh - the side-by-side benchmark helper (POSIX sh; see bench/README.md)
#
#   . "$TOP/bench/lib.sh"
#   bench_pair httpget "$BIN/httpget -o /dev/null $url" curl "curl -so /dev/null $url" 20
#
# bench_pair NAME_A CMD_A NAME_B CMD_B N
#   runs CMD_A and CMD_B (each with sh -c, stdout to /dev/null) alternately
#   N times each under GNU time, and prints for each the median wall time,
#   median user+sys CPU time and median peak RSS, then the ratios A/B.
#   Wall time is measured to the microsecond; CPU comes from GNU time in
#   centiseconds, so give each run enough work (loop inside CMD) to see it.
#   If any run of either side exits non-zero it says which and prints no
#   ratio, and returns 1.  BENCH_SMOKE=1 makes N 1 (a correctness run).
# bench_n N [SMOKE_N]   N, or SMOKE_N (default 1) under BENCH_SMOKE=1
# bench_size N SMOKE_N  a work size: N, or SMOKE_N under BENCH_SMOKE=1
# bench_need CMD...     exit 0 with "skip: CMD not installed" unless all exist
# bench_tiny CMD OUT    the size build of CMD -- static, musl, -Oz (make
#                       STATIC=1 CC=musl-gcc CFLAGS=-Oz, into build/tiny) --
#                       stripped of symbols and .comment to OUT; prints its
#                       size; returns 1 saying why when it cannot

BENCH_TIME=${BENCH_TIME:-/usr/bin/time}
# every run has a time limit: a run that hangs is reported and the script
# goes on (a smoke run's limit is shorter)
if [ "${BENCH_SMOKE:-}" = 1 ]; then BENCH_TIMEOUT=${BENCH_TIMEOUT:-60}; else BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}; fi

# bench_to CMD...: run CMD under the time limit; exit 124 (and a line on
# stderr) when it ran out
bench_to() {
	timeout -k 5 "$BENCH_TIMEOUT" "$@"
	_to=$?
	[ "$_to" -eq 124 ] || [ "$_to" -eq 137 ] &&
		echo "bench: timed out after ${BENCH_TIMEOUT} s: $*" >&2
	return "$_to"
}

bench_n() {
	if [ "${BENCH_SMOKE:-}" = 1 ]; then echo "${2:-1}"; else echo "$1"; fi
}

bench_size() {
	if [ "${BENCH_SMOKE:-}" = 1 ]; then echo "$2"; else echo "$1"; fi
}

bench_need() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || { echo "skip: $_c not installed"; exit 0; }
	done
}

bench_tiny() {
	if ! command -v musl-gcc >/dev/null 2>&1; then
		echo "static $1: not measured: musl-gcc not installed (apt-get install musl-tools)"
		return 1
	fi
	if ! make -s -C "${TOP:?}" STATIC=1 CC=musl-gcc CFLAGS=-Oz O=build/tiny \
	    "build/tiny/bin/$1" >"$2.log" 2>&1; then
		echo "static $1: the musl build failed:"; tail -3 "$2.log"
		return 1
	fi
	rm -f "$2.log"
	strip -s -R .comment -o "$2" "$TOP/build/tiny/bin/$1" || return 1
	_n=$(wc -c <"$2")
	echo "static $1 (musl, -Oz, make STATIC=1), stripped: $_n bytes ($((_n / 1024)) KiB)"
}

# _bench_median FILE COLUMN: the median of a column of numbers
_bench_median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan"; exit }
			if (NR % 2) print v[(NR + 1) / 2]
			else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# _bench_run CMD OUTFILE: one timed run; appends "wall cpu rss_kib exit" to OUTFILE
_bench_run() {
	_bt=$(mktemp) || return 2
	_be=$(mktemp) || return 2
	_t0=$(date +%s%N)
	"$BENCH_TIME" -f '%e %U %S %M %x' -o "$_bt" timeout -k 5 "$BENCH_TIMEOUT" \
	    sh -c "$1" >/dev/null 2>"$_be"
	_rc=$?
	_t1=$(date +%s%N)
	# GNU time writes "Command exited with non-zero status N" first on failure
	_line=$(tail -n 1 "$_bt")
	if [ -z "$_line" ]; then
		echo "bench: $BENCH_TIME wrote nothing for: $1" >&2
		rm -f "$_bt" "$_be"
		return 2
	fi
	# wall from date(1) in ns (GNU time's %e has only centiseconds)
	echo "$_line" | awk -v rc="$_rc" -v ns=$((_t1 - _t0)) \
		'{ printf "%.6f %.6f %s %s\n", ns / 1e9, $2 + $3, $4, rc }' >>"$2"
	if [ "$_rc" -eq 124 ] || [ "$_rc" -eq 137 ]; then
		echo "bench: timed out after ${BENCH_TIMEOUT} s: $1" >&2
	elif [ "$_rc" -ne 0 ]; then
		echo "bench: exit $_rc: $1" >&2
		tail -n 3 "$_be" | sed 's/^/bench:   /' >&2
	fi
	rm -f "$_bt" "$_be"
	return 0
}

bench_pair() {
	if [ $# -ne 5 ]; then
		echo "usage: bench_pair NAME_A CMD_A NAME_B CMD_B N" >&2
		return 2
	fi
	_na=$1 _ca=$2 _nb=$3 _cb=$4 _n=$5
	[ "${BENCH_SMOKE:-}" = 1 ] && _n=1
	if ! "$BENCH_TIME" -f '%e' -o /dev/null true 2>/dev/null; then
		echo "bench: GNU time ($BENCH_TIME) is needed: apt-get install time" >&2
		return 2
	fi
	_fa=$(mktemp) && _fb=$(mktemp) || return 2
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_bench_run "$_ca" "$_fa" || { rm -f "$_fa" "$_fb"; return 2; }
		_bench_run "$_cb" "$_fb" || { rm -f "$_fa" "$_fb"; return 2; }
		_i=$((_i + 1))
	done
	_failed=
	_xa=$(awk '$4 != 0 { n++ } END { print n + 0 }' "$_fa")
	_xb=$(awk '$4 != 0 { n++ } END { print n + 0 }' "$_fb")
	[ "$_xa" -gt 0 ] && _failed="$_failed $_na"
	[ "$_xb" -gt 0 ] && _failed="$_failed $_nb"
	echo "== $_na vs $_nb ($_n runs each, alternating)"
	for _s in a b; do
		if [ $_s = a ]; then _f=$_fa _nm=$_na _x=$_xa; else _f=$_fb _nm=$_nb _x=$_xb; fi
		printf '%-12s wall %8.3f s   cpu %8.3f s   rss %8d KiB%s\n' "$_nm" \
			"$(_bench_median "$_f" 1)" "$(_bench_median "$_f" 2)" \
			"$(_bench_median "$_f" 3)" \
			"$([ "$_x" -gt 0 ] && echo "   FAILED $_x of $_n runs$(awk '$4 == 124 || $4 == 137 { n++ } END { if (n) printf " (%d timed out)", n }' "$_f")")"
	done
	if [ -n "$_failed" ]; then
		echo "ratio $_na/$_nb: none, failed:$_failed"
		rm -f "$_fa" "$_fb"
		return 1
	fi
	awk -v wa="$(_bench_median "$_fa" 1)" -v wb="$(_bench_median "$_fb" 1)" \
		-v ca="$(_bench_median "$_fa" 2)" -v cb="$(_bench_median "$_fb" 2)" \
		-v ra="$(_bench_median "$_fa" 3)" -v rb="$(_bench_median "$_fb" 3)" \
		-v na="$_na" -v nb="$_nb" 'BEGIN {
		w = (wb > 0) ? sprintf("%.2f", wa / wb) : "n/a"
		c = (cb > 0) ? sprintf("%.2f", ca / cb) : "n/a (under 10 ms)"
		r = (rb > 0) ? sprintf("%.2f", ra / rb) : "n/a"
		printf "ratio %s/%s: wall %s   cpu %s   rss %s\n", na, nb, w, c, r
	}'
	rm -f "$_fa" "$_fb"
	return 0
}
