#!/bin/sh
# bench/smtpsend.sh - smtpsend against msmtp and swaks, on the same MTA.
#
#  1. N messages of 4 KiB (default 1000): `smtpsend --batch` (one process,
#     one connection) vs msmtp run once per message, as it is used;
#  2. N/10 of them: `smtpsend --batch` vs swaks once per message;
#  3. one message, one process: smtpsend vs msmtp.
#
# The MTA: SMTP_PORT names one already listening on 127.0.0.1; otherwise
# OpenSMTPD is started with tests/interop/servers.bash (root; its limit of
# 100 messages per session makes smtpsend reconnect, as it would in life).
# Figures are medians over alternating runs (bench/lib.sh); the messages
# per second are N over the median wall time.
#
# First, memory: the peak RSS of `smtpsend --batch` for M and 10*M
# messages of 4 KiB (M=500 by default): a batch is read from the mbox
# a message at a time (lib/sys/mboxrd.c), so the two must be within
# 10% (else the script fails).  RSS_ONLY=1 stops after that part.
. "$TOP/bench/lib.sh"
bench_need msmtp swaks bash
N=$(bench_size "${N:-1000}" 20)
ROUNDS=$(bench_n 5)
ONE=$(bench_n 30 3)
RCPT=martha@kindoldaunts.test
FROM=me@here.test
S=$((N / 10))

work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench-smtp.XXXXXX") || exit 1
cleanup() {
	[ -n "${mta:-}" ] && bash -c '. "$TOP/tests/lib/common.bash"; . "$TOP/tests/interop/servers.bash";
		IOP_DIR=$1 IOP_PIDS=$2 iop_stop_all' sh "$IOP_DIR_" "$IOP_PIDS_" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ -z "${SMTP_PORT:-}" ]; then
	if [ "$(id -u)" != 0 ] || [ ! -f "$TOP/tests/interop/servers.bash" ]; then
		echo "skip: no MTA (set SMTP_PORT, or run as root for tests/interop's OpenSMTPD)"
		exit 0
	fi
	# start OpenSMTPD with the rig's helper (bash), keep its dir and PIDs to stop it
	TESTBIN=${TESTBIN:-$TOP/${O:-build/rel}/tests}
	export TESTBIN
	bash -c '. "$TOP/tests/interop/servers.bash"; iop_start smtpd >/dev/null 2>&1 || exit 1
		echo "$IOP_SMTP_PORT $IOP_DIR $IOP_PIDS"' >"$work/mta" 2>/dev/null ||
		{ echo "smtpsend bench: OpenSMTPD did not start" >&2; exit 1; }
	read -r SMTP_PORT IOP_DIR_ IOP_PIDS_ <"$work/mta"
	mta=1
fi

# memory: M and 10*M messages, peak RSS within 10%
M=$(bench_size "${M:-500}" 50)
mbox_of() {
	awk -v n="$1" -v from="$FROM" -v rcpt="$RCPT" 'BEGIN {
		line = sprintf("%070d", 0); gsub(/0/, "x", line)
		for (i = 1; i <= n; i++) {
			printf "From %s Sun Nov 22 00:00:00 2026\n", from
			printf "From: %s\nTo: %s\nSubject: bench %d\n", from, rcpt, i
			printf "Date: Sun, 22 Nov 2026 00:00:00 +0000\nMessage-ID: <%d@here.test>\n\n", i
			for (k = 0; k < 55; k++) print line
			print ""
		}
	}'
}
mbox_of "$M" >"$work/rss.1"
mbox_of $((M * 10)) >"$work/rss.10"
for k in 1 10; do
	$BENCH_TIME -f %M -o "$work/rss.$k.kib" timeout 600 "$BIN/smtpsend" --batch "$work/rss.$k" \
	    -s "127.0.0.1:$SMTP_PORT" -f $FROM $RCPT >"$work/rss.$k.out" 2>&1 ||
		{ echo "smtpsend --batch of $((M * k)) messages failed:"; tail -3 "$work/rss.$k.out"; exit 1; }
done
r1=$(tail -1 "$work/rss.1.kib")
r10=$(tail -1 "$work/rss.10.kib")
echo "peak RSS of smtpsend --batch: $M messages ${r1} KiB, $((M * 10)) messages ${r10} KiB"
awk -v a="$r1" -v b="$r10" 'BEGIN { d = (b - a) / a * 100; printf "  10x the messages: %+.1f%% RSS (limit 10%%)\n", d; exit (d > 10 || d < -10) }' ||
	echo "smtpsend --batch: memory grows with the batch: TARGET NOT MET"
[ "${RSS_ONLY:-}" = 1 ] && exit 0

# the messages: N files of 4 KiB, the same as an mbox, and the first S as another
mkdir -p "$work/m"
line=$(printf '%070d' 0 | tr 0 x)
i=1
while [ $i -le "$N" ]; do
	{
		printf 'From: %s\nTo: %s\nSubject: bench %d\n' "$FROM" "$RCPT" $i
		printf 'Date: Sun, 22 Nov 2026 00:00:00 +0000\nMessage-ID: <%d@here.test>\n\n' $i
		k=0
		while [ $k -lt 55 ]; do echo "$line"; k=$((k + 1)); done
	} >"$work/m/$i"
	{ printf 'From %s Sun Nov 22 00:00:00 2026\n' "$FROM"; cat "$work/m/$i"; echo; } >>"$work/mbox"
	[ $i -le "$S" ] && { printf 'From %s Sun Nov 22 00:00:00 2026\n' "$FROM"; cat "$work/m/$i"; echo; } >>"$work/mbox.s"
	i=$((i + 1))
done
msmtp_all="for f in $work/m/*; do msmtp --host=127.0.0.1 --port=$SMTP_PORT --from=$FROM $RCPT <\$f || exit 1; done"
swaks_s="i=1; while [ \$i -le $S ]; do swaks -s 127.0.0.1 -p $SMTP_PORT -f $FROM -t $RCPT --data @$work/m/\$i >/dev/null || exit 1; i=\$((i + 1)); done"
rc=0

echo "batch: $N messages of 4 KiB to OpenSMTPD on 127.0.0.1:$SMTP_PORT"
bench_pair smtpsend "$BIN/smtpsend --batch $work/mbox -s 127.0.0.1:$SMTP_PORT -f $FROM $RCPT" \
	msmtp "$msmtp_all" "$ROUNDS" | tee "$work/r1" || rc=1
echo "batch: $S messages"
bench_pair smtpsend "$BIN/smtpsend --batch $work/mbox.s -s 127.0.0.1:$SMTP_PORT -f $FROM $RCPT" \
	swaks "$swaks_s" "$ROUNDS" | tee "$work/r2" || rc=1
echo "one message, one process"
bench_pair smtpsend "$BIN/smtpsend -s 127.0.0.1:$SMTP_PORT -f $FROM $RCPT <$work/m/1" \
	msmtp "msmtp --host=127.0.0.1 --port=$SMTP_PORT --from=$FROM $RCPT <$work/m/1" "$ONE" || rc=1
# messages per second from the median wall times
for r in r1:$N r2:$S; do
	awk -v n="${r#*:}" '$2 == "wall" { printf "  %-9s %7.0f messages/s\n", $1, n / $3 }' "$work/${r%%:*}"
done
exit $rc
