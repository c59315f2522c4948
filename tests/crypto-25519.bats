#!/usr/bin/env bats
# X25519 and Ed25519 verification (lib/crypto/x25519.c, ed25519.c) against
# the openssl command on random inputs that tests/crypto/x_25519.c makes,
# the symmetry of X25519 on thousands more, and the constant-time check
# of X25519 (tests/crypto/ct_25519.c).  Each test prints its seed;
# X_SEED=N repeats a run.  openssl runs once per derivation or
# signature, so those counts are in the hundreds; one `openssl storeutl`
# reads thousands of keys at once, and OpenSSL's library makes thousands
# more derivations and signatures in one process (tests/crypto/ossl.py,
# ossl.bash).  There is one code path (no CPU-specific one), so there is
# no fast-against-portable test.  Ed25519 is only verified here: no
# secret goes in, so it has no constant-time check.

load lib/common
load lib/crypto
load crypto/ossl

X="$TESTBIN/x_25519"

setup() {
	[ -x "$X" ] || skip "$X not built (make check-build)"
	SEED=${X_SEED:-$(( (RANDOM << 15) | RANDOM ))}
	echo "seed $SEED"
	D="$BATS_TEST_TMPDIR/k"
	mkdir -p "$D"
}

# same FILE1 FILE2: equal and not empty, else show where they part
same() {
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	cmp -s "$1" "$2" && return 0
	diff "$1" "$2" | head -6
	return 1
}

# the public keys in `openssl storeutl -text` output, in hex, one a line
pubs() {
	awk '/^pub:/ { m = 1; next }
	    m && /^ / { gsub(/[ :]/, ""); v = v $0; next }
	    m { print v; v = ""; m = 0 }
	    END { if (m) print v }'
}

@test "x_25519: public keys of 1000 random private keys match openssl's" {
	need_openssl
	"$X" keys 1000 "$SEED" >"$D/keys"
	"$X" pem x25519 "$D/k" <"$D/keys" >"$D/all.pem"
	rm -f "$D"/k*.pem
	openssl storeutl -text "$D/all.pem" | pubs >"$D/want"
	"$X" base <"$D/keys" >"$D/got"
	[ "$(wc -l <"$D/want")" -eq 1000 ]
	same "$D/want" "$D/got"
}

@test "x_25519: 150 random, non-canonical, small and low-order points match openssl pkeyutl -derive" {
	need_openssl
	local i n=150
	"$X" cases "$n" "$SEED" >"$D/cases"
	cut -d' ' -f1 "$D/cases" | "$X" pem x25519 "$D/k" >/dev/null
	cut -d' ' -f2 "$D/cases" | "$X" pubpem "$D/u"
	for ((i = 0; i < n; i++)); do
		# openssl refuses an all-zero result, as we do: no file
		openssl pkeyutl -derive -inkey "$D/k$i.pem" -peerkey "$D/u$i.pem" \
		    -out "$D/z$i" 2>/dev/null || rm -f "$D/z$i"
	done
	"$X" hexfiles $(for ((i = 0; i < n; i++)); do echo "$D/z$i"; done) >"$D/want"
	"$X" x25519 <"$D/cases" >"$D/got"
	same "$D/want" "$D/got"
	# the cases did reach the all-zero refusal, and beyond it
	grep -q fail "$D/got"
	[ "$(grep -vc fail "$D/got")" -gt 110 ]
}

@test "x_25519: X25519(a, X25519(b, 9)) = X25519(b, X25519(a, 9)) for 3000 random pairs" {
	run "$X" pairs 3000 "$SEED"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "3000 agree" ]
}

@test "x_25519: Ed25519 signatures by openssl on 150 random keys and messages verify" {
	need_openssl
	local i n=150
	"$X" keys "$n" "$SEED" | "$X" pem ed25519 "$D/e" >"$D/all.pem"
	openssl storeutl -text "$D/all.pem" | pubs >"$D/pubs"
	[ "$(wc -l <"$D/pubs")" -eq "$n" ]
	"$X" msgs "$D/m" "$n" 600 "$SEED"
	for ((i = 0; i < n; i++)); do
		openssl pkeyutl -sign -rawin -inkey "$D/e$i.pem" -in "$D/m$i" -out "$D/s$i" ||
		    return 1
	done
	awk -v d="$D" '{ printf "%s %s/s%d %s/m%d\n", $1, d, NR - 1, d, NR - 1 }' \
	    "$D/pubs" >"$D/sigs"
	"$X" verify <"$D/sigs" >"$D/got"
	[ "$(grep -c '^ok$' "$D/got")" -eq "$n" ]
	# and each with a flipped bit or a changed byte of signature, key or
	# message, 25 times: none verifies
	"$X" mutants 25 "$SEED" <"$D/sigs" >"$D/mut"
	[ "$(grep -c '^ok 0$' "$D/mut")" -eq "$n" ]
}

@test "x_25519: 3000 random, non-canonical, small and low-order points, and 3000 public keys, match OpenSSL's X25519 (its library, one process)" {
	need_ossl
	"$X" cases 3000 "$SEED" >"$D/cases"
	ossl x25519 <"$D/cases" >"$D/want"
	"$X" x25519 <"$D/cases" >"$D/got"
	[ "$(wc -l <"$D/want")" -eq 3000 ]
	same "$D/want" "$D/got"
	grep -q fail "$D/got"
	[ "$(grep -vc fail "$D/got")" -gt 2200 ]
	"$X" keys 3000 "$SEED" >"$D/keys"
	ossl x25519pub <"$D/keys" >"$D/want"
	"$X" base <"$D/keys" >"$D/got"
	same "$D/want" "$D/got"
}

@test "x_25519: 2000 Ed25519 signatures by OpenSSL's library on random keys and messages verify, and no changed one does" {
	need_ossl
	local n=2000
	"$X" keys "$n" "$SEED" >"$D/keys"
	"$X" msgs "$D/m" "$n" 600 "$SEED"
	awk -v d="$D" '{ printf "%s %s/m%d %s/s%d\n", $1, d, NR - 1, d, NR - 1 }' \
	    "$D/keys" | ossl ed25519 >"$D/sigs"
	[ "$(wc -l <"$D/sigs")" -eq "$n" ]
	"$X" verify <"$D/sigs" >"$D/got"
	[ "$(grep -c '^ok$' "$D/got")" -eq "$n" ]
	"$X" mutants 4 "$SEED" <"$D/sigs" >"$D/mut"
	[ "$(grep -c '^ok 0$' "$D/mut")" -eq "$n" ]
}

@test "x_25519: a signature openssl makes on a key verifies only under that key" {
	need_openssl
	"$X" keys 2 "$SEED" | "$X" pem ed25519 "$D/e" >"$D/all.pem"
	openssl storeutl -text "$D/all.pem" | pubs >"$D/pubs"
	"$X" msgs "$D/m" 1 100 "$SEED"
	openssl pkeyutl -sign -rawin -inkey "$D/e0.pem" -in "$D/m0" -out "$D/s0"
	awk -v d="$D" '{ printf "%s %s/s0 %s/m0\n", $1, d, d }' "$D/pubs" |
	    "$X" verify >"$D/got"
	printf 'ok\nbad\n' >"$D/want"
	same "$D/want" "$D/got"
}

@test "ctgrind: X25519 on a secret scalar and point, with the all-zero check" {
	ct_check ct_25519 x25519
}

@test "ctgrind: X25519 of the base point on a secret scalar" {
	ct_check ct_25519 base
}

@test "ctgrind: the field inversion and the zero test on a secret element" {
	ct_check ct_25519 invert
}
