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

# --- memory: peak RSS at N and 10N messages (issue 24: within 10%) -------------
# A scripted peer (tests/peers/fakepeer, no root needed) serves N tiny
# messages; pop3get fetches them into an mbox stream (-o -, to /dev/null)
# so that only pop3get's own memory is measured.  Median of 5 runs each
# (ASLR moves peak RSS by some 100 KiB from run to run); every run is
# bounded by timeout(1), and a run that times out is reported as such.
mem_bench() {
	fp=$top/build/rel/tests/fakepeer
	[ -x "$fp" ] || { echo "pop3get memory: skipped: build the peers first (make check-build)"; return 0; }
	command -v timeout >/dev/null 2>&1 || { echo "pop3get memory: skipped: no timeout(1)"; return 0; }
	mt=$(mktemp -d /tmp/tb-pop3-mem.XXXXXX) || return 2
	if [ "${BENCH_SMOKE:-}" = 1 ]; then mn=100 mruns=1; else mn=${BENCH_MEM_MSGS:-1000} mruns=5; fi
	for n in "$mn" $((mn * 10)); do
		# the peer's script: greeting, login, STAT, LIST, UIDL, n RETRs, QUIT
		awk -v n="$n" 'BEGIN {
			L = 21	# "Subject: m\r\n\r\nhello\r\n"
			print "send +OK ready\\r\\n"; print "expect ^CAPA$"
			print "send +OK\\r\\nUSER\\r\\nUIDL\\r\\nPIPELINING\\r\\n.\\r\\n"
			print "expect ^USER"; print "send +OK\\r\\n"; print "expect ^PASS"; print "send +OK\\r\\n"
			print "expect ^STAT$"; printf "send +OK %d %d\\r\\n\n", n, n * L
			print "expect ^LIST$"; print "send +OK\\r\\n"
			for (i = 1; i <= n; i++) { if (i % 200 == 1) printf "send "; printf "%d %d\\r\\n", i, L; if (i % 200 == 0 || i == n) print "" }
			print "send .\\r\\n"; print "expect ^UIDL$"; print "send +OK\\r\\n"
			for (i = 1; i <= n; i++) { if (i % 200 == 1) printf "send "; printf "%d uid-%08d\\r\\n", i, i; if (i % 200 == 0 || i == n) print "" }
			print "send .\\r\\n"
			for (i = 1; i <= n; i++) { printf "expect ^RETR %d$\n", i; print "send +OK\\r\\nSubject: m\\r\\n\\r\\nhello\\r\\n.\\r\\n" }
			print "expect ^QUIT$"; print "send +OK\\r\\n"
		}' >"$mt/peer.$n"
		: >"$mt/rss.$n"
		k=0
		while [ $k -lt $mruns ]; do
			rm -f "$mt/port"
			"$fp" -T 120 "$mt/port" "$mt/log" "$mt/peer.$n" 2>"$mt/peer.err" &
			pp=$!
			w=0
			while [ ! -s "$mt/port" ] && [ $w -lt 100 ]; do sleep 0.05; w=$((w + 1)); done
			POP3GET_PASSWORD=x HOME=$mt timeout 120 /usr/bin/time -f '%M' -o "$mt/t" \
			    "$POP3GET" -s -o - "pop3://u@127.0.0.1:$(cat "$mt/port")/" >/dev/null 2>"$mt/err"
			rc=$?
			kill "$pp" 2>/dev/null
			wait "$pp" 2>/dev/null
			if [ $rc -eq 124 ]; then
				echo "pop3get memory: $n messages: timed out after 120 s"
			elif [ $rc -ne 0 ]; then
				echo "pop3get memory: $n messages: exit $rc:"; tail -2 "$mt/err"
			else
				tail -1 "$mt/t" >>"$mt/rss.$n"
			fi
			k=$((k + 1))
		done
	done
	a=$(sort -n "$mt/rss.$mn" | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
	b=$(sort -n "$mt/rss.$((mn * 10))" | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
	if [ "$a" = 0 ] || [ "$b" = 0 ]; then
		echo "pop3get memory: not measured (the runs above failed)"
		rm -rf "$mt"
		return 0
	fi
	echo "pop3get memory: peak RSS (median of $mruns) $a KiB at $mn messages, $b KiB at $((mn * 10)):" \
	    "$(echo "$a $b" | awk '{ d = $1 ? ($2 - $1) * 100 / $1 : 0; printf "%+.1f%%%s", d, (d > 10 || d < -10) ? " (OVER 10%)" : " (within 10%)" }')"
	rm -rf "$mt"
}
[ -x "$POP3GET" ] && mem_bench

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
		printf "From: bench@family.test\nTo: martha@family.test\nSubject: message %d\n\n", m > f
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
	: >"$dv/t"
	timeout "${BENCH_TIMEOUT:-300}" /usr/bin/time -f '%e %M' -o "$dv/t" "$@" >/dev/null 2>"$dv/err"
	rc=$?
	got=$(ls "$work/md/new" | wc -l)
	if [ $rc -eq 124 ]; then
		echo "pop3get bench: $name: timed out after ${BENCH_TIMEOUT:-300} s ($got of $nmsg messages)"
		return
	fi
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
