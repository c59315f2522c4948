#!/usr/bin/env bats
# AES and AES-GCM (lib/crypto/aes.c, aes_ni.c, gcm.c) against the openssl
# command line, the fast path against the portable one, and the portable
# path under the constant-time check.  openssl 3's enc refuses AEAD
# modes, so GCM is compared in its parts: the block cipher (enc -ecb),
# the counter stream with GCM's layout (enc -ctr from nonce || 00000002)
# and GHASH with the tag mask (GMAC, the tag of AAD alone).  The random
# cases come from a seed, printed on failure; TB_SEED=N replays one.
# openssl enc and mac take one input a process, so whole seals, in the
# thousands, go through OpenSSL's library in one process
# (tests/crypto/ossl.py, ossl.bash), against both our paths.

load lib/common
load lib/crypto
load crypto/ossl

X="$TESTBIN/x_aes"
SEED=${TB_SEED:-$RANDOM$RANDOM}

setup() {
	[ -x "$X" ] || skip "$X not built (make check-build)"
}

# vs_openssl MODE N: N random cases of MODE, each through openssl, then
# x_aes check
vs_openssl() {
	local mode=$1 n=$2 d=$BATS_TEST_TMPDIR bits i k iv t
	bits=${mode//[a-z]/}
	"$X" gen "$mode" "$n" "$SEED" "$d" >"$d/list" || return 1
	case $mode in
	ecb*|ctr*)
		while read -r i k iv; do
			if [ "${mode%???}" = ecb ]; then
				openssl enc -aes-"$bits"-ecb -nopad -K "$k" \
				    -in "$d/$i.in" -out "$d/$i.out" || return 1
			else
				openssl enc -aes-"$bits"-ctr -K "$k" -iv "$iv" \
				    -in "$d/$i.in" -out "$d/$i.out" || return 1
			fi
		done <"$d/list"
		cp "$d/list" "$d/answers" ;;
	gmac*)
		while read -r i k iv; do
			t=$(openssl mac -cipher AES-"$bits"-GCM -macopt hexkey:"$k" \
			    -macopt hexiv:"$iv" -in "$d/$i.in" GMAC) || return 1
			echo "$i $k $iv $t"
		done <"$d/list" >"$d/answers" ;;
	esac
	run "$X" check "$mode" "$d" <"$d/answers"
	echo "$output" | tail -5
	[ "$status" -eq 0 ] || { echo "seed $SEED (TB_SEED=$SEED replays it)"; return 1; }
	[ "$output" = "ok $n" ]
}

@test "aes: AES-128 blocks equal openssl enc -aes-128-ecb (120 random keys, 1-16 blocks each)" {
	need_openssl
	vs_openssl ecb128 120
}

@test "aes: AES-256 blocks equal openssl enc -aes-256-ecb (120 random keys, 1-16 blocks each)" {
	need_openssl
	vs_openssl ecb256 120
}

@test "aes: AES-128-GCM ciphertext equals openssl enc -aes-128-ctr from J0+1 (120 random, 0-599 bytes)" {
	need_openssl
	vs_openssl ctr128 120
}

@test "aes: AES-256-GCM ciphertext equals openssl enc -aes-256-ctr from J0+1 (120 random, 0-599 bytes)" {
	need_openssl
	vs_openssl ctr256 120
}

@test "aes: AES-128-GCM tag of AAD alone equals openssl mac GMAC (150 random, AAD 0-599 bytes)" {
	need_openssl
	vs_openssl gmac128 150
}

@test "aes: AES-256-GCM tag of AAD alone equals openssl mac GMAC (150 random, AAD 0-599 bytes)" {
	need_openssl
	vs_openssl gmac256 150
}

@test "aes: the fast and portable GCM paths agree on 3000 random seals and opens and refuse flipped bits" {
	run "$X" paths 3000 "$SEED"
	echo "$output" | tail -5
	[ "$status" -eq 0 ] || { echo "seed $SEED"; return 1; }
	[[ "$output" == "ok 3000 (fast path: "* ]]
}

@test "aes: TUBES_NO_ASM=1 gives the portable path, and the same seal as the fast path" {
	TUBES_NO_ASM=1 run "$X" path
	[ "$output" = portable ]
	if grep -qw aes /proc/cpuinfo 2>/dev/null && grep -qw pclmulqdq /proc/cpuinfo; then
		run "$X" path
		[ "$output" = fast ]
	fi
	local line="000102030405060708090a0b0c0d0e0f cafebabefacedbaddecaf888 feedface 00112233445566778899aabbccddeeff0011"
	run "$X" seal <<<"$line"
	[ "$status" -eq 0 ]
	local fast=$output
	TUBES_NO_ASM=1 run "$X" seal <<<"$line"
	[ "$status" -eq 0 ]
	[ "$output" = "$fast" ]
	[ "${#output}" -eq $((2 * 18 + 1 + 32)) ]
}

@test "aes: 3000 random AES-128/256-GCM seals equal OpenSSL's (its library, one process), fast and portable paths" {
	need_ossl
	local d=$BATS_TEST_TMPDIR
	python3 - "$SEED" >"$d/cases" <<'EOF'
import random, sys
r = random.Random(int(sys.argv[1]))
h = lambda b: b.hex() or "-"
for i in range(3000):
	print(h(r.randbytes(r.choice((16, 32)))), h(r.randbytes(12)),
	    h(r.randbytes(r.choice((0, r.randrange(0, 90))))),
	    h(r.randbytes(r.choice((0, 16, 64, r.randrange(0, 1100))))))
EOF
	ossl gcm <"$d/cases" >"$d/want" || return 1
	[ "$(wc -l <"$d/want")" -eq 3000 ]
	"$X" seal <"$d/cases" >"$d/fast"
	cmp "$d/want" "$d/fast" || { echo "seed $SEED: fast path"; diff "$d/want" "$d/fast" | head -4; return 1; }
	TUBES_NO_ASM=1 "$X" seal <"$d/cases" >"$d/slow"
	cmp "$d/want" "$d/slow" || { echo "seed $SEED: portable path"; diff "$d/want" "$d/slow" | head -4; return 1; }
}

@test "aes: full AES-GCM seals equal python3 cryptography's AESGCM (2000 random, an extra check)" {
	python3 -c 'import cryptography.hazmat.primitives.ciphers.aead' 2>/dev/null ||
		skip "python3 cryptography not installed"
	local d=$BATS_TEST_TMPDIR
	python3 - "$SEED" >"$d/cases" <<'EOF'
import random, sys
r = random.Random(int(sys.argv[1]))
h = lambda b: b.hex() or "-"
for i in range(2000):
	k = r.randbytes(r.choice((16, 32)))
	print(h(k), h(r.randbytes(12)), h(r.randbytes(r.randrange(0, 70))),
	    h(r.randbytes(r.randrange(0, 600))))
EOF
	"$X" seal <"$d/cases" >"$d/ours" || return 1
	run python3 - "$d/cases" "$d/ours" <<'EOF'
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
u = lambda s: b"" if s == "-" else bytes.fromhex(s)
bad = n = 0
for case, ours in zip(open(sys.argv[1]), open(sys.argv[2])):
	k, iv, a, p = map(u, case.split())
	c, t = map(u, ours.split())
	n += 1
	if AESGCM(k).encrypt(iv, p, a) != c + t:
		bad += 1
		print("mismatch:", case.strip())
print("ok", n) if bad == 0 else print(bad, "of", n, "differ")
EOF
	echo "$output" | tail -5
	[ "$status" -eq 0 ] || { echo "seed $SEED"; return 1; }
	[ "$output" = "ok 2000" ]
}

@test "aes: ctgrind: the portable AES-128 key schedule, block and CTR are constant time" {
	ct_check ct_aes aes128
}

@test "aes: ctgrind: the portable AES-256 key schedule, block and CTR are constant time" {
	ct_check ct_aes aes256
}

@test "aes: ctgrind: portable AES-128-GCM seal, open and the tag compare are constant time" {
	ct_check ct_aes gcm128
}

@test "aes: ctgrind: portable AES-256-GCM seal, open and the tag compare are constant time" {
	ct_check ct_aes gcm256
}

@test "aes: ctgrind: a branch on an open's verdict is reported (the secret reaches it)" {
	ct_must_leak ct_aes verdict-leak
}

# ct_fast: skip where the CPU has no AES-NI and PCLMULQDQ (ct_aes exits 3)
ct_fast() {
	"$CT_TESTBIN/ct_aes" aes128 fast >/dev/null 2>&1 || skip "no AES-NI and PCLMULQDQ here"
}

@test "aes: ctgrind: the AES-NI and PCLMULQDQ path: key schedules, blocks, CTR, GCM seal, open and the tag compare" {
	ct_fast
	local m
	for m in aes128 aes256 gcm128 gcm256; do
		ct_check ct_aes $m fast || return 1
	done
}

@test "aes: ctgrind: a branch on an open's verdict is reported on the AES-NI path too" {
	ct_fast
	ct_must_leak ct_aes verdict-leak fast
}
