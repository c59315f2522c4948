#!/bin/sh
# bench/httpget-tls.sh - httpget over https against curl and wget, on an
# nginx of its own with TLS on 127.0.0.1 (port from tests/peers/freeport),
# a CA and leaf keys this script makes, in one run, alternating:
#   1. one small file, one process per fetch (a loop of 20 fetches per
#      run), a P-256 ECDSA leaf and an RSA-2048 leaf; every tool verifies
#      against the same CA file: the system's bundle with the test CA
#      appended (the cost of reading the system trust store is counted)
#   2. 1,000 small (1 KiB) files over one kept-alive https connection
#   3. one 64 MiB file over https to /dev/null (1 MiB with BENCH_SMOKE=1)
#   4. the static size: httpget with TLS built with musl, -Oz, stripped
# Issue 21's bars: 1. at most half of curl's wall time; 2. at least 3
# times curl's rate; 3. no more wall or CPU time than curl; 4. 300 KiB.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TOP=${TOP:-$top}
BIN=${BIN:-$top/build/rel/bin}
. "$TOP/bench/lib.sh"
bench_need nginx curl wget openssl
[ -x "$BIN/httpget" ] || { echo "httpget-tls bench: build first (make)"; exit 2; }
freeport=$TOP/${O:-build/rel}/tests/freeport
[ -x "$freeport" ] || { echo "httpget-tls bench: make check-build first (freeport)"; exit 2; }

n=$(bench_n 11)
loop=$(bench_size 20 2)
nsmall=$(bench_size 1000 20)
mb=$(bench_size 64 1)

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

# the CA and two leaves for 127.0.0.1 and localhost
(
	cd "$dir" || exit 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout ca.key -out ca.pem -days 2 -subj "/CN=tubes bench CA" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign || exit 1
	printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
	    'extendedKeyUsage=serverAuth' 'basicConstraints=CA:FALSE' \
	    'keyUsage=critical,digitalSignature,keyEncipherment' >leaf.ext
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key &&
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key || exit 1
	for k in p256 rsa; do
		openssl req -new -key $k.key -subj /CN=localhost -out $k.csr &&
		openssl x509 -req -in $k.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		    -days 2 -extfile leaf.ext -out $k.pem || exit 1
	done
) >"$dir/ca.log" 2>&1 || { echo "httpget-tls bench: the test CA:"; tail -3 "$dir/ca.log"; exit 2; }
sys=
for f in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
	[ -r "$f" ] && { sys=$f; break; }
done
if [ -n "$sys" ]; then
	cat "$sys" "$dir/ca.pem" >"$dir/bundle.pem"
	echo "trust: $sys ($(grep -c 'BEGIN CERT' "$sys") anchors) and the test CA, one file for every tool"
else
	cp "$dir/ca.pem" "$dir/bundle.pem"
	echo "trust: no system bundle found; the test CA alone"
fi
CA=$dir/bundle.pem

mkdir -p "$dir/www/s" "$dir/tmp"
head -c $((mb << 20)) /dev/zero >"$dir/www/big.bin"
head -c 1024 /dev/urandom >"$dir/one.kib"
i=0
while [ $i -lt "$nsmall" ]; do
	cp "$dir/one.kib" "$dir/www/s/f$i"
	i=$((i + 1))
done
pe=$("$freeport" 1) && pr=$("$freeport" 1) || exit 2
while [ "$pr" = "$pe" ]; do pr=$("$freeport" 1) || exit 2; done
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
	ssl_protocols TLSv1.2 TLSv1.3;
	ssl_session_tickets off;
	server {
		listen 127.0.0.1:$pe ssl;
		ssl_certificate $dir/p256.pem;
		ssl_certificate_key $dir/p256.key;
		root $dir/www;
	}
	server {
		listen 127.0.0.1:$pr ssl;
		ssl_certificate $dir/rsa.pem;
		ssl_certificate_key $dir/rsa.key;
		root $dir/www;
	}
}
EOF
nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/nginx.out" 2>&1 &
pid=$!
i=0
until curl -sfo /dev/null --cacert "$CA" "https://127.0.0.1:$pe/s/f0" &&
    curl -sfo /dev/null --cacert "$CA" "https://127.0.0.1:$pr/s/f0"; do
	i=$((i + 1))
	[ $i -gt 250 ] && { echo "httpget-tls bench: nginx did not start"; cat "$dir/nginx.out" "$dir/error.log"; exit 2; }
	sleep 0.02
done

# a copy, so that a rebuild during the run cannot disturb it
cp "$BIN/httpget" "$dir/httpget" || exit 2
H=$dir/httpget
rc=0
# each tool checked once: the right bytes, verified (a tool that skipped
# verification, or fetched nothing, would win every race)
for u in "https://127.0.0.1:$pe" "https://127.0.0.1:$pr"; do
	"$H" -s --cacert "$CA" -o "$dir/chk" "$u/s/f0" && cmp -s "$dir/chk" "$dir/one.kib" ||
		{ echo "httpget-tls bench: httpget did not fetch $u/s/f0"; exit 2; }
done
# and verification is on: the system's anchors alone do not take the test CA
if [ -n "$sys" ] && "$H" -s --cacert "$sys" -o /dev/null "https://127.0.0.1:$pe/s/f0" 2>/dev/null; then
	echo "httpget-tls bench: httpget accepted a chain to an anchor it was not given"
	exit 2
fi
rm -f "$dir/chk"

each() { echo "i=0; while [ \$i -lt $loop ]; do $1 || exit 1; i=\$((i+1)); done"; }
for leaf in p256 rsa; do
	if [ $leaf = p256 ]; then u="https://127.0.0.1:$pe"; else u="https://127.0.0.1:$pr"; fi
	echo "-- 1. one small file over https, one process each ($loop fetches per run), $leaf leaf"
	bench_pair httpget "$(each "$H -s --cacert $CA $u/s/f0 >/dev/null")" \
		curl "$(each "curl -s --cacert $CA $u/s/f0 >/dev/null")" "$n" || rc=1
	bench_pair httpget "$(each "$H -s --cacert $CA $u/s/f0 >/dev/null")" \
		wget "$(each "wget -q --ca-certificate=$CA -O - $u/s/f0 >/dev/null")" "$n" || rc=1
done

u="https://127.0.0.1:$pe"
urls=
i=0
while [ $i -lt "$nsmall" ]; do
	urls="$urls $u/s/f$i"
	i=$((i + 1))
done
echo "-- 2. $nsmall small files over one kept-alive https connection"
bench_pair httpget "$H -s --cacert $CA $urls" curl "curl -s --cacert $CA $urls" "$n" || rc=1

echo "-- 3. a $mb MiB file over https to /dev/null"
bench_pair httpget "$H -s --cacert $CA $u/big.bin" curl "curl -s --cacert $CA $u/big.bin" "$n" || rc=1
bench_pair httpget "$H -s --cacert $CA $u/big.bin" \
	wget "wget -q --ca-certificate=$CA -O - $u/big.bin" "$n" || rc=1

echo "-- 4. the static size (TLS included)"
bench_tiny httpget "$dir/httpget.tiny" || true
exit $rc
