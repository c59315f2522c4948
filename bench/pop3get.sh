#!/bin/sh
# bench/pop3get.sh - pop3get against fetchmail (with an MDA writing the same
# kind of Maildir) and against one `curl pop3://` per message, fetching a
# mailbox of 1,000 messages of 8 KiB (50 with BENCH_SMOKE=1) from a private
# dovecot-pop3d on 127.0.0.1 into a fresh Maildir.  Nothing is deleted, so
# every run sees the same mailbox.  The tools run alternately in one loop;
# the median wall time of each, messages per second and the ratios are
# printed, with pop3get's peak RSS and binary sizes.  Needs root (dovecot);
# otherwise it says why and exits 0 (benchmarks are not tests).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$top/build/rel/bin}
POP3GET=$BIN/pop3get
if [ "${BENCH_SMOKE:-}" = 1 ]; then
	nmsg=50 runs=1
else
	nmsg=${BENCH_MSGS:-1000} runs=${BENCH_RUNS:-5}
fi

[ "$(id -u)" = 0 ] || { echo "pop3get bench: skipped: needs root (dovecot)"; exit 0; }
command -v dovecot >/dev/null 2>&1 || { echo "pop3get bench: skipped: no dovecot"; exit 0; }
[ -x "$POP3GET" ] || { echo "pop3get bench: build first (make)"; exit 2; }
have_fm=0 have_curl=0
command -v fetchmail >/dev/null 2>&1 && have_fm=1
command -v curl >/dev/null 2>&1 && have_curl=1

dv=$(mktemp -d /tmp/tb-pop3-bench.XXXXXX) || exit 2
chmod 755 "$dv"
work=$dv/work
cleanup() {
	"$top/tests/interop/pop3get-dovecot.sh" stop "$dv/dovecot" 2>/dev/null
	rm -rf "$dv"
}
trap cleanup EXIT INT TERM

port=$("$top/tests/interop/pop3get-dovecot.sh" start "$dv/dovecot") || exit 2
box=$dv/dovecot/home/martha/Maildir
# nmsg messages of 8 KiB each: a header, then 127 lines of 63 characters
awk -v n="$nmsg" -v dir="$box/new" 'BEGIN {
	for (m = 1; m <= n; m++) {
		f = sprintf("%s/%d.M1P1.bench", dir, m)
		printf "From: bench@example.org\nTo: martha@example.org\nSubject: message %d\n\n", m > f
		for (l = 0; l < 126; l++)
			printf "%062d\n", m * 1000 + l > f
		close(f)
	}
}'
chown -R nobody:nogroup "$box"
size=$(wc -c <"$box/new/1.M1P1.bench")
echo "pop3get bench: $nmsg messages of $size bytes on dovecot 127.0.0.1:$port, $runs runs"

mkdir -p "$work"
cat >"$dv/mda" <<'EOF'
#!/bin/sh
# a minimal Maildir MDA for fetchmail: tmp/ then new/ (no fsync: kinder to fetchmail)
f=$(date +%s.%N).$$.bench
cat >"$MD/tmp/$f" && mv "$MD/tmp/$f" "$MD/new/$f"
EOF
chmod 755 "$dv/mda"
cat >"$dv/fetchmailrc" <<EOF
set no syslog
poll 127.0.0.1 port $port protocol pop3 uidl no dns
  user martha password tanstaaf is root here
  keep fetchall no rewrite sslproto '' mda "$dv/mda"
EOF
chmod 600 "$dv/fetchmailrc"

fresh() {
	rm -rf "$work/md"
	mkdir -p "$work/md/new" "$work/md/tmp" "$work/md/cur"
}

# run NAME CMD...: one timed run; appends the wall seconds to $dv/NAME
run() {
	name=$1
	shift
	fresh
	/usr/bin/time -f '%e %M' -o "$dv/t" timeout -k 5 "${BENCH_TIMEOUT:-300}" "$@" >/dev/null 2>"$dv/err"
	rc=$?
	got=$(ls "$work/md/new" | wc -l)
	if [ $rc -ne 0 ] || [ "$got" -ne "$nmsg" ]; then
		echo "pop3get bench: $name: exit $rc, $got of $nmsg messages:"
		tail -3 "$dv/err"
	fi
	cat "$dv/t" >>"$dv/$name"
}

cat >"$dv/curl-each" <<EOF
#!/bin/sh
# one curl per message, each into the Maildir's new/
i=1
while [ \$i -le $nmsg ]; do
	curl -s -u martha:tanstaaf -o "$work/md/new/\$i" "pop3://127.0.0.1:$port/\$i" || exit 1
	i=\$((i + 1))
done
EOF
chmod 755 "$dv/curl-each"

r=0
while [ $r -lt "$runs" ]; do
	POP3GET_PASSWORD=tanstaaf run pop3get "$POP3GET" -s -d "$work/md" "pop3://martha@127.0.0.1:$port/"
	if [ $have_fm = 1 ]; then
		MD=$work/md HOME=$dv run fetchmail fetchmail -N -s -f "$dv/fetchmailrc" -i "$dv/fetchids"
	fi
	if [ $have_curl = 1 ]; then
		run curl "$dv/curl-each"
	fi
	r=$((r + 1))
done

median() {
	sort -n -k1,1 "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
maxrss() {
	sort -n -k2,2 "$1" | tail -1 | awk '{ print $2 }'
}

p=$(median "$dv/pop3get")
printf '%-10s median %8.3f s  %9.0f msg/s  peak RSS %s KiB\n' pop3get "$p" \
	"$(echo "$nmsg $p" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')" "$(maxrss "$dv/pop3get")"
for t in fetchmail curl; do
	[ -s "$dv/$t" ] || { echo "$t: not installed"; continue; }
	m=$(median "$dv/$t")
	printf '%-10s median %8.3f s  %9.0f msg/s  peak RSS %s KiB  pop3get is %.1fx faster\n' "$t" "$m" \
		"$(echo "$nmsg $m" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')" "$(maxrss "$dv/$t")" \
		"$(echo "$m $p" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')"
done
cp "$POP3GET" "$dv/pop3get.bin" && strip "$dv/pop3get.bin" 2>/dev/null &&
	echo "pop3get binary, stripped: $(wc -c <"$dv/pop3get.bin") bytes (dynamic)"
exit 0
