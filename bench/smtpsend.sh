#!/bin/sh
# bench/smtpsend.sh - smtpsend against msmtp and swaks, on the same MTA.
#
#  1. N messages of 4 KiB: `smtpsend --batch` (one process, one connection)
#     vs msmtp run once per message (as it is used) vs swaks once per message
#     (swaks on N/10 messages: it is slow), in messages per second;
#  2. one message, one process: smtpsend vs msmtp (hyperfine when present).
#
# The MTA: SMTP_PORT names one already listening on 127.0.0.1; otherwise
# OpenSMTPD is started with tests/interop/servers.bash (root).  Rounds
# alternate the tools; medians are printed with the ratios.
# BENCH_SMOKE=1: 20 messages, one round (CI keeps the script working).
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/build/rel/bin}
TESTBIN=${TESTBIN:-$TOP/build/rel/tests}
N=${N:-1000} ROUNDS=${ROUNDS:-3} ONE=${ONE:-30}
if [ "${BENCH_SMOKE:-}" = 1 ]; then N=20 ROUNDS=1 ONE=3; fi
RCPT=martha@kindoldaunts.test FROM=me@here.test

for t in msmtp swaks; do
	command -v $t >/dev/null 2>&1 || { echo "smtpsend bench: $t not installed, skipped"; exit 0; }
done
[ -x "$BIN/smtpsend" ] || { echo "smtpsend bench: $BIN/smtpsend not built" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench-smtp.XXXXXX") || exit 1
started=
cleanup() {
	[ -n "$started" ] && iop_stop_all >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${SMTP_PORT:-}" ]; then
	if [ "$(id -u)" != 0 ] || [ ! -f "$TOP/tests/interop/servers.bash" ]; then
		echo "smtpsend bench: no MTA (set SMTP_PORT, or run as root with tests/interop/servers.bash), skipped"
		exit 0
	fi
	# shellcheck source=/dev/null
	. "$TOP/tests/interop/servers.bash"
	iop_start smtpd >/dev/null 2>&1 || { echo "smtpsend bench: OpenSMTPD did not start" >&2; exit 1; }
	started=1
	SMTP_PORT=$IOP_SMTP_PORT
fi

# the messages: N files of 4 KiB, and the same as one mbox
mkdir -p "$work/m"
line=$(printf '%070d' 0 | tr 0 x)
for ((i = 1; i <= N; i++)); do
	{
		printf 'From: %s\nTo: %s\nSubject: bench %d\n' "$FROM" "$RCPT" "$i"
		printf 'Date: Sun, 22 Nov 2026 00:00:00 +0000\nMessage-ID: <%d@here.test>\n\n' "$i"
		for ((k = 0; k < 55; k++)); do printf '%s\n' "$line"; done
	} >"$work/m/$i"
	{ printf 'From %s Sun Nov 22 00:00:00 2026\n' "$FROM"; cat "$work/m/$i"; echo; } >>"$work/mbox"
done
S=$((N / 10 > 0 ? N / 10 : 1))

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run_smtpsend() {
	"$BIN/smtpsend" --batch "$work/mbox" -s "127.0.0.1:$SMTP_PORT" -f "$FROM" "$RCPT" >"$work/out" ||
		{ echo "smtpsend failed" >&2; return 1; }
	[ "$(grep -c '^data	250' "$work/out")" -eq "$N" ] || { echo "smtpsend: not all sent" >&2; return 1; }
}
run_msmtp() {
	local f
	for f in "$work"/m/*; do
		msmtp --host=127.0.0.1 --port="$SMTP_PORT" --from="$FROM" "$RCPT" <"$f" || return 1
	done
}
run_swaks() {
	local i
	for ((i = 1; i <= S; i++)); do
		swaks -s 127.0.0.1 -p "$SMTP_PORT" -f "$FROM" -t "$RCPT" --data "@$work/m/$i" >/dev/null || return 1
	done
}

: >"$work/t.smtpsend" >"$work/t.msmtp" >"$work/t.swaks"
for ((r = 0; r < ROUNDS; r++)); do
	for t in smtpsend msmtp swaks; do
		a=$(now)
		run_$t || { echo "smtpsend bench: $t failed; no ratio" >&2; exit 1; }
		b=$(now)
		echo "$a $b" | awk '{print $2 - $1}' >>"$work/t.$t"
	done
done
ms=$(median <"$work/t.smtpsend") mm=$(median <"$work/t.msmtp") mw=$(median <"$work/t.swaks")
rs=$(awk -v n="$N" -v t="$ms" 'BEGIN {printf "%.0f", n / t}')
rm_=$(awk -v n="$N" -v t="$mm" 'BEGIN {printf "%.0f", n / t}')
rw=$(awk -v n="$S" -v t="$mw" 'BEGIN {printf "%.1f", n / t}')
echo "batch of $N messages of 4 KiB, median of $ROUNDS rounds:"
printf '  smtpsend --batch   %8.3f s  %6s msg/s\n' "$ms" "$rs"
printf '  msmtp x%-5d       %8.3f s  %6s msg/s\n' "$N" "$mm" "$rm_"
printf '  swaks x%-5d       %8.3f s  %6s msg/s\n' "$S" "$mw" "$rw"
awk -v a="$rs" -v b="$rm_" -v c="$rw" 'BEGIN {printf "  ratio: smtpsend/msmtp %.1fx, smtpsend/swaks %.1fx (messages per second)\n", a / b, a / c}'

# one message, one process
f=$work/m/1
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 3 --runs "$ONE" --export-json "$work/h.json" \
		"sh -c '\"$BIN/smtpsend\" -s 127.0.0.1:$SMTP_PORT -f $FROM $RCPT <$f >/dev/null'" \
		"sh -c 'msmtp --host=127.0.0.1 --port=$SMTP_PORT --from=$FROM $RCPT <$f'" >/dev/null 2>&1 ||
		{ echo "smtpsend bench: hyperfine failed" >&2; exit 1; }
	awk '/"median"/ {gsub(/[,]/, ""); m[++n] = $2} END {
		printf "one message, one process (median of '"$ONE"', hyperfine):\n"
		printf "  smtpsend %8.2f ms\n  msmtp    %8.2f ms\n  ratio smtpsend/msmtp %.2f (wall time)\n",
		    m[1] * 1000, m[2] * 1000, m[1] / m[2] }' "$work/h.json"
fi
