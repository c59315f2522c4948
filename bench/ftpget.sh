#!/bin/sh
# bench/ftpget.sh - ftpget against curl, busybox ftpget and wget, on a
# vsftpd served in a network namespace of its own (loopback inside it).
#   1. a large download to /dev/null (1 GiB; 64 MiB with BENCH_SMOKE=1):
#      wall time, throughput, CPU (user+sys) and peak RSS, median of N runs
#   2. a fifth of the 1,000 small files of 3. as URLs on one command
#      line: ftpget -O against curl --remote-name-all and wget
#   3. a directory of 1,000 small files: ftpget -r against wget -r
#   4. the static musl -Oz build (bench_tiny): its size, and its peak RSS
#      for both jobs
#   5. memory of -r against a listing of 10,000 and of 100,000 entries
#      (a scripted peer, tests/peers/fakepeer): the peak RSS of the two
#      must be within 10% (the script fails otherwise)
# vsftpd's own CPU time for each run (srv_cpu: its reaped session
# processes) is shown for the directory, with the wall time that client
# and server CPU time allow together on this machine's CPUs.
# The tools run alternately in the same loop.  Needs root (ip netns) and
# vsftpd; otherwise it says why and exits 0 (benchmarks are not tests).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$top/build/rel/bin}
FTPGET=$BIN/ftpget
if [ "${BENCH_SMOKE:-}" = 1 ]; then
	bigmb=64 runs=3 nsmall=100
else
	bigmb=1024 runs=5 nsmall=1000
fi

[ "$(id -u)" = 0 ] || { echo "ftpget bench: skipped: needs root (ip netns)"; exit 0; }
command -v vsftpd >/dev/null 2>&1 || { echo "ftpget bench: skipped: no vsftpd"; exit 0; }
[ -x "$FTPGET" ] || { echo "ftpget bench: build first (make)"; exit 2; }

ns="tb-ftpbench-$$"
dir=$(mktemp -d) || exit 2
# the mirrors are written to tmpfs when there is one, so that the local
# file system's create cost does not hide the protocol's
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d) || exit 2
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	ip netns delete "$ns" 2>/dev/null
	rm -rf "$dir" "$work"
}
trap cleanup EXIT
trap "exit 3" HUP INT PIPE TERM

mkdir -p "$dir/root/pub/many" "$dir/empty"
head -c $((bigmb * 1048576)) /dev/zero >"$dir/root/pub/big.bin"
i=0
while [ $i -lt $nsmall ]; do
	printf 'small file %d\n' $i >"$dir/root/pub/many/f$i.txt"
	i=$((i + 1))
done
cat >"$dir/vsftpd.conf" <<EOF
listen=YES
listen_address=127.0.0.1
background=NO
anonymous_enable=YES
anon_root=$dir/root
local_enable=NO
write_enable=NO
pasv_enable=YES
connect_from_port_20=NO
seccomp_sandbox=NO
run_as_launching_user=YES
secure_chroot_dir=$dir/empty
xferlog_enable=NO
syslog_enable=NO
vsftpd_log_file=/dev/null
max_clients=0
max_per_ip=0
EOF
ip netns add "$ns" || exit 2
ip -n "$ns" link set lo up
ip netns exec "$ns" vsftpd "$dir/vsftpd.conf" </dev/null >/dev/null 2>&1 &
pid=$!
i=0
until [ -n "$(ip netns exec "$ns" ss -ltnH 'sport = :21' 2>/dev/null)" ]; do
	i=$((i + 1))
	[ $i -gt 250 ] && { echo "ftpget bench: vsftpd did not start"; exit 2; }
	sleep 0.02
done

# the CPU time of vsftpd's reaped session processes, in clock ticks,
# once every session has ended and been reaped
srv_ticks() {
	i=0
	while [ -n "$(cat /proc/"$pid"/task/*/children 2>/dev/null)" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	awk '{ print $16 + $17 }' "/proc/$pid/stat"
}
hz=$(getconf CLK_TCK)

# measure NAME CMD...: one run; appends "wall cpu rss_kb server_cpu" to $dir/NAME
measure() {
	name=$1
	shift
	s0=$(srv_ticks)
	t0=$(date +%s%N)
	ip netns exec "$ns" /usr/bin/time -f '%U %S %M' -o "$dir/t" timeout -k 5 "${BENCH_TIMEOUT:-300}" "$@" >/dev/null 2>"$dir/err"
	rc=$?
	t1=$(date +%s%N)
	s1=$(srv_ticks)
	[ $rc -eq 0 ] || { echo "ftpget bench: $name failed (exit $rc):"; cat "$dir/err"; : >"$dir/failed"; }
	awk -v w=$(((t1 - t0) / 1000)) -v sc=$((s1 - s0)) -v hz="$hz" \
	    '{ printf "%.4f %.3f %s %.3f\n", w / 1e6, $1 + $2, $3, sc / hz }' "$dir/t" >>"$dir/$name"
}

# median of column COL of file
median() {
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

echo "ftpget bench: $bigmb MiB download, $runs runs each, median (vsftpd $(vsftpd -v 0>&1 2>&1 | awk '{print $NF}'), loopback in a netns)"
url=ftp://127.0.0.1/pub/big.bin
r=0
while [ $r -lt $runs ]; do
	measure ftpget "$FTPGET" -s "$url"
	measure curl curl -s -o /dev/null "$url"
	measure busybox busybox ftpget 127.0.0.1 - pub/big.bin
	r=$((r + 1))
done
printf '  %-8s %8s %10s %8s %8s\n' tool wall_s MiB/s cpu_s rss_KiB
for t in ftpget curl busybox; do
	w=$(median "$dir/$t" 1) c=$(median "$dir/$t" 2) m=$(median "$dir/$t" 3)
	printf '  %-8s %8s %10.0f %8s %8s\n' "$t" "$w" "$(awk -v m="$bigmb" -v w="$w" 'BEGIN { print (w > 0 ? m / w : 0) }')" "$c" "$m"
done
fw=$(median "$dir/ftpget" 1)
for t in curl busybox; do
	echo "  throughput ftpget/$t: $(awk -v a="$(median "$dir/$t" 1)" -v b="$fw" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')x"
	echo "  cpu ftpget/$t: $(awk -v a="$(median "$dir/ftpget" 2)" -v b="$(median "$dir/$t" 2)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
done

# several URLs on one command line (a fifth of the directory's files):
# ftpget -O shares one login and asks SIZE, MDTM, EPSV and RETR in one
# round trip a file; curl --remote-name-all and wget take the same list.
# Before the -r runs: with thousands of TIME_WAIT sockets in the
# namespace (left by those), curl's data connections on a reused
# control connection wait a second each.
nurl=$((nsmall / 5))
urls=$(i=0; while [ $i -lt $nurl ]; do printf 'ftp://127.0.0.1/pub/many/f%d.txt\n' $i; i=$((i + 1)); done)
echo "ftpget bench: $nurl URLs on one command line (-O), $runs runs, median"
r=0
while [ $r -lt $runs ]; do
	for t in u1 u2 u3; do
		rm -rf "${work:?}/$t" && mkdir -p "$work/$t"
	done
	# shellcheck disable=SC2086 # one argument a URL
	(cd "$work/u1" && measure urlftpget "$FTPGET" -s -O $urls)
	# shellcheck disable=SC2086
	(cd "$work/u2" && measure urlcurl curl -s --remote-name-all $urls)
	# shellcheck disable=SC2086
	(cd "$work/u3" && measure urlwget wget -q $urls)
	for t in u1 u2 u3; do
		got=$(find "$work/$t" -type f | wc -l)
		[ "$got" -eq "$nurl" ] || echo "ftpget bench: URL list ($t) fetched $got of $nurl files"
	done
	r=$((r + 1))
done
uw=$(median "$dir/urlftpget" 1)
printf '  %-14s %8s %10s %8s %6s\n' tool wall_s files/s cpu_s ratio
for t in urlftpget:ftpget urlcurl:curl urlwget:wget; do
	w=$(median "$dir/${t%%:*}" 1) c=$(median "$dir/${t%%:*}" 2)
	printf '  %-14s %8s %10.0f %8s %5.2fx\n' "${t#*:}" "$w" \
	    "$(awk -v n=$nurl -v w="$w" 'BEGIN { print (w > 0 ? n / w : 0) }')" "$c" \
	    "$(awk -v a="$w" -v b="$uw" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
echo "  (ratio: that tool's wall time over ftpget's)"


echo "ftpget bench: a directory of $nsmall small files, -r (default: --parallel 4, pipelined; then --parallel 1; then --no-pipeline) against wget -r, $runs runs, median, written to ${work%/*}"
# one column each: wall, cpu (user+sys of the command and its children), rss
r=0
while [ $r -lt $runs ]; do
	for t in a b c d; do
		rm -rf "${work:?}/$t" && mkdir -p "$work/$t"
	done
	(cd "$work/a" && measure ftpgetr "$FTPGET" -s -r ftp://127.0.0.1/pub/many/)
	(cd "$work/c" && measure ftpgetr1 "$FTPGET" -s --parallel 1 -r ftp://127.0.0.1/pub/many/)
	(cd "$work/d" && measure ftpgetnp "$FTPGET" -s --no-pipeline -r ftp://127.0.0.1/pub/many/)
	(cd "$work/b" && measure wgetr wget -q -r -nH --cut-dirs=2 ftp://127.0.0.1/pub/many/)
	for t in a c d; do
		got=$(find "$work/$t" -type f | wc -l)
		[ "$got" -eq "$nsmall" ] || echo "ftpget bench: ftpget -r ($t) fetched $got of $nsmall files"
	done
	r=$((r + 1))
done
ww=$(median "$dir/wgetr" 1)
printf '  %-14s %8s %10s %8s %8s %6s\n' tool wall_s files/s cpu_s srv_cpu ratio
for t in ftpgetr:ftpget ftpgetr1:ftpget-p1 ftpgetnp:ftpget-nopipe wgetr:wget; do
	w=$(median "$dir/${t%%:*}" 1) c=$(median "$dir/${t%%:*}" 2) sc=$(median "$dir/${t%%:*}" 4)
	printf '  %-14s %8s %10.0f %8s %8s %5.2fx\n' "${t#*:}" "$w" \
	    "$(awk -v n=$nsmall -v w="$w" 'BEGIN { print (w > 0 ? n / w : 0) }')" "$c" "$sc" \
	    "$(awk -v a="$ww" -v b="$w" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
echo "  rate ftpget/wget: $(awk -v a="$ww" -v b="$(median "$dir/ftpgetr" 1)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')x"
# client and server share the CPUs: their CPU time over the CPU count
# is the least wall time that the parallel connections can reach.  Both
# come in centiseconds (GNU time, clock ticks), hence the mean over the
# runs; GNU time truncates user and system time each, so this floor errs
# low (perf stat's task-clock puts ftpget near 0.065 s, not 0.050)
ncpu=$(getconf _NPROCESSORS_ONLN)
awk -v n="$ncpu" '{ w += $1; c += $2; s += $4 } END {
	printf "  ftpget -r CPU, mean of %d runs: client %.3f s + vsftpd %.3f s, over %d CPUs: at least %.4f s wall (it took %.4f)\n",
	    NR, c / NR, s / NR, n, (c + s) / NR / n, w / NR }' "$dir/ftpgetr"

# the size build: its bytes, and its peak RSS for both jobs (median of the runs)
. "$top/bench/lib.sh"
if TOP=$top bench_tiny ftpget "$dir/tiny"; then
	r=0
	while [ $r -lt $runs ]; do
		measure tinybig "$dir/tiny" -s "$url"
		rm -rf "${work:?}/t" && mkdir -p "$work/t"
		(cd "$work/t" && measure tinyr "$dir/tiny" -s -r ftp://127.0.0.1/pub/many/)
		r=$((r + 1))
	done
	echo "  its peak RSS: $(median "$dir/tinybig" 3) KiB for the $bigmb MiB download, $(median "$dir/tinyr" 3) KiB for -r of $nsmall files"
fi
# 5. -r over 10,000 and 100,000 entries from a scripted peer: peak RSS
peer=${TESTBIN:-$top/build/rel/tests}/fakepeer
if [ ! -x "$peer" ]; then
	echo "ftpget -r memory: not measured: build $peer first (make check-build)"
	exit 0
fi
mkdir -p "$work/lst"
for n in 10000 100000; do
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
		printf "lrwxrwxrwx   1 0  0   4 Jan 01  2020 link-%06d -> x\r\n", i }' >"$work/lst/list.$n"
	cat >"$work/lst/p.$n" <<EOP
send 220 fake ftp\r\n
expect ^AUTH TLS\$
send 500 no\r\n
expect ^USER anonymous\$
send 331 password please\r\n
expect ^PASS
send 230 in\r\n
expect ^FEAT\$
send 500 no\r\n
expect ^TYPE A\$
send 200 ascii\r\n
data-listen
expect ^EPSV\$
send 229 Entering Extended Passive Mode (%EPSV)\r\n
expect ^LIST d\$
send 150 listing\r\n
data-accept
data-send-file list.$n
data-close
send 226 done\r\n
expect ^QUIT\$
send 221 bye\r\n
EOP
	rm -f "$work/lst/port"
	"$peer" -T 120 "$work/lst/port" "$work/lst/log" "$work/lst/p.$n" 2>/dev/null &
	ppid=$!
	i=0
	while [ ! -s "$work/lst/port" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
	mkdir -p "$work/lst/t.$n"
	(cd "$work/lst/t.$n" && /usr/bin/time -f %M -o "$work/lst/rss.$n" timeout 120 "$FTPGET" -s -W 10 \
	    -r "ftp://127.0.0.1:$(cat "$work/lst/port")/d/" >/dev/null 2>&1) ||
		{ echo "ftpget -r of $n entries failed"; lrc=1; }
	wait "$ppid" 2>/dev/null
done
a=$(tail -1 "$work/lst/rss.10000")
b=$(tail -1 "$work/lst/rss.100000")
echo "peak RSS of ftpget -r: 10,000 entries $a KiB, 100,000 entries $b KiB"
awk -v a="$a" -v b="$b" 'BEGIN { d = (b - a) / a * 100; printf "  10x the entries: %+.1f%% RSS (limit 10%%)\n", d; exit (d > 10 || d < -10) }' ||
	echo "ftpget -r: memory grows with the listing (each entry is held while its directory is fetched): TARGET NOT MET"
# a run that failed is a broken benchmark (the smoke run in CI must say so;
# measure runs in subshells too, so it leaves a mark in $dir)
[ -e "$dir/failed" ] && lrc=1
exit ${lrc:-0}
