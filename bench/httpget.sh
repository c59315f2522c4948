#!/bin/sh
# bench/httpget.sh - httpget against curl and wget, on an nginx of its own
# on 127.0.0.1 (port from tests/peers/freeport), in one run, alternating:
#   1. one small file, one process per fetch (a loop of 50 fetches per run)
#   2. 1,000 small (1 KiB) files in one process, one kept-alive connection
#   3. one file to /dev/null, 1 MiB, 64 MiB and 1 GiB (1 and 4 MiB with
#      BENCH_SMOKE=1): the transfer layer's splice(2) path
#   3b. the same into a file (-o / curl -o): httpget's file is fsync'd
#      before its rename (lib/fsafe), curl's is not
#   4. memory: httpget of N and 10N URLs (200 and 2,000) in one process:
#      peak RSS must stay within 10% (constant memory, issue 24)
# Medians of wall, CPU and peak RSS come from bench/lib.sh (bench_pair).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TOP=${TOP:-$top}
BIN=${BIN:-$top/build/rel/bin}
. "$TOP/bench/lib.sh"
bench_need nginx curl wget
[ -x "$BIN/httpget" ] || { echo "httpget bench: build first (make)"; exit 2; }
freeport=$TOP/${O:-build/rel}/tests/freeport
[ -x "$freeport" ] || { echo "httpget bench: make check-build first (freeport)"; exit 2; }

n=$(bench_n 11)
loop=$(bench_size 50 2)
nsmall=$(bench_size 1000 20)
sizes=$(bench_size "1 64 1024" "1 4")
nmem=$(bench_size 200 20)

dir=$(mktemp -d) || exit 2
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir/www/s" "$dir/tmp"
for mb in $sizes; do
	head -c $((mb << 20)) /dev/zero >"$dir/www/big$mb.bin"
done
head -c 1024 /dev/urandom >"$dir/one.kib"
i=0
while [ $i -lt "$nsmall" ]; do
	cp "$dir/one.kib" "$dir/www/s/f$i"
	i=$((i + 1))
done
port=$("$freeport" 1) || exit 2
cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
	access_log off;
	sendfile on;
	keepalive_requests 1000000;
	client_body_temp_path $dir/tmp;
	proxy_temp_path $dir/tmp;
	fastcgi_temp_path $dir/tmp;
	uwsgi_temp_path $dir/tmp;
	scgi_temp_path $dir/tmp;
	server { listen 127.0.0.1:$port; root $dir/www; }
}
EOF
nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/nginx.out" 2>&1 &
pid=$!
i=0
until curl -sfo /dev/null "http://127.0.0.1:$port/s/f0"; do
	i=$((i + 1))
	[ $i -gt 250 ] && { echo "httpget bench: nginx did not start"; cat "$dir/nginx.out"; exit 2; }
	sleep 0.02
done

u="http://127.0.0.1:$port"
urls=
i=0
while [ $i -lt "$nsmall" ]; do
	urls="$urls $u/s/f$i"
	i=$((i + 1))
done
# a copy, so that a rebuild during the run cannot disturb it
cp "$BIN/httpget" "$dir/httpget" || exit 2
H=$dir/httpget
rc=0

echo "-- 1. one small file, one process each ($loop fetches per run)"
each() { echo "i=0; while [ \$i -lt $loop ]; do $1 || exit 1; i=\$((i+1)); done"; }
bench_pair httpget "$(each "$H -s $u/s/f0 >/dev/null")" \
	curl "$(each "curl -s $u/s/f0 >/dev/null")" "$n" || rc=1
bench_pair httpget "$(each "$H -s $u/s/f0 >/dev/null")" \
	wget "$(each "wget -q -O - $u/s/f0 >/dev/null")" "$n" || rc=1

echo "-- 2. $nsmall small files in one process"
bench_pair httpget "$H -s $urls" curl "curl -s $urls" "$n" || rc=1
bench_pair httpget "$H -s $urls" wget "wget -q -O - $urls" "$n" || rc=1

for mb in $sizes; do
	echo "-- 3. a $mb MiB file to /dev/null"
	bench_pair httpget "$H -s $u/big$mb.bin" curl "curl -s $u/big$mb.bin" "$n" || rc=1
	bench_pair httpget "$H -s $u/big$mb.bin" wget "wget -q -O - $u/big$mb.bin" "$n" || rc=1
done
for mb in $sizes; do
	echo "-- 3b. a $mb MiB file into a file (httpget fsyncs it before the rename)"
	f=$dir/out.bin
	bench_pair httpget "rm -f $f; $H -s -o $f $u/big$mb.bin" \
		curl "rm -f $f; curl -s -o $f $u/big$mb.bin" "$n" || rc=1
done
rm -f "$dir/out.bin"
echo "-- 4. memory: $nmem and $((nmem * 10)) URLs in one process (peak RSS within 10%)"
mem_urls() {
	_k=0
	while [ $_k -lt "$1" ]; do
		printf ' %s/s/f%d' "$u" $((_k % nsmall))
		_k=$((_k + 1))
	done
}
urls_n=$(mem_urls "$nmem")
urls_10n=$(mem_urls $((nmem * 10)))
out=$(bench_pair "httpget-$nmem" "$H -s $urls_n" \
	"httpget-$((nmem * 10))" "$H -s $urls_10n" "$n") || rc=1
echo "$out"
# the ratio is N/10N: within 10% means 10N's peak at most 1.1 times N's
echo "$out" | awk '/^ratio/ { v = $NF + 0
	printf "peak RSS %d vs %d URLs: ratio %s, %s\n", n, 10 * n, $NF,
	    (v >= 1 / 1.1 && v <= 1.1) ? "within 10%" : "NOT within 10%" }' n="$nmem"
exit $rc
