#!/bin/sh
# tests/crypto/ct-levels.sh CC LEVEL DIR - the constant-time checks of
# every secret-handling path, on lib/crypto as CC builds it at LEVEL (the
# compilers differ in which masks they turn back into branches, and the
# size build is -Oz: clang -Os and -Oz once made P-256's window selection
# a branch on the scalar).  tests/crypto-ct-gcc.bats and
# tests/crypto-ct-clang.bats run it.
#
# In DIR: lib/crypto (less RSA and Ed25519, which see no secret) and the
# tests/crypto/ct_* programs, built with the flags of the size build
# (function sections, no unwind tables, stack protector, FORTIFY) and
# LEVEL; with musl-gcc static, as the size build links.  Then each check
# under valgrind as ct_check runs it (tests/lib/crypto.bash):
#   pass  PROG MODE   must exit 0 with no report: AES portable and
#                     AES-NI (key schedule, block, CTR), AES-GCM seal and
#                     open with the tag compare on both paths, ChaCha20,
#                     Poly1305 and the AEAD (portable and fast), SHA-1/2,
#                     HMAC, HKDF, the TLS 1.2 PRF, X25519, P-256 and
#                     P-384 key generation and ECDH
#   leak  PROG MODE   the negative controls, which must be reported: the
#                     harness's own branch and index (ct_selftest), and
#                     for each primitive a branch on its result
#                     (ct_reach, ct_aes verdict-leak): the secret marks
#                     reach through the code this build made, so a pass
#                     above proves something
# The fast paths run where valgrind runs them: AES-NI, PCLMULQDQ, AVX2.
# Valgrind 3.19 hides SHA-NI (and ADX) from the program, so SHA-NI is
# not checked here (its instructions take no data-dependent time; the
# code around them is the portable code's).
#
# Prints one line a check, "ok ..." or "FAIL ...", then "N checks, M
# failed"; exit 0 when none failed, 1 when one did, 2 when it cannot
# build.
set -u
cc=$1 level=$2 dir=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir/obj" "$dir/inc" || exit 2

flags="-std=c11 -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong
    -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables $level
    -I$top/lib -I$top/tests/crypto"
ld=
case $cc in
*musl*)
	# musl's include path lacks valgrind's client-request header: give
	# it that directory alone (without it ct.h's marks do nothing, and
	# the negative controls below say so)
	ln -sf /usr/include/valgrind "$dir/inc/valgrind"
	flags="$flags -idirafter $dir/inc"
	ld=-static ;;
esac

srcs=
for f in "$top"/lib/crypto/*.c; do
	case ${f##*/} in
	rsa.c|bn.c|ed25519.c) ;;	# verification only: public data
	*) srcs="$srcs $f" ;;
	esac
done
# shellcheck disable=SC2086
(cd "$dir/obj" && "$cc" $flags -c $srcs) || { echo "cannot build lib/crypto with $cc $level"; exit 2; }
rm -f "$dir/libct.a"
ar rcs "$dir/libct.a" "$dir"/obj/*.o || exit 2
progs="ct_selftest ct_aes ct_chacha ct_hash ct_25519 ct_ec ct_reach"
objs=
for p in $progs; do
	# shellcheck disable=SC2086
	"$cc" $flags -Dmain=${p}_main -c -o "$dir/$p.o" "$top/tests/crypto/$p.c" ||
		{ echo "cannot build $p with $cc $level"; exit 2; }
	objs="$objs $dir/$p.o"
done
# shellcheck disable=SC2086
"$cc" $flags -Wall -Wextra -Werror $ld -o "$dir/ct_all" "$top/tests/crypto/levels/ct_all.c" \
    $objs "$dir/libct.a" || { echo "cannot build ct_all with $cc $level"; exit 2; }

# the fast AES path only where the CPU, as valgrind shows it, has it
fast=
valgrind -q "$dir/ct_all" pass:ct_aes:aes128:fast >/dev/null 2>&1 && fast=:fast

set -- pass:ct_selftest:clean leak:ct_selftest:branch leak:ct_selftest:index
for m in aes128 aes256 gcm128 gcm256; do
	set -- "$@" pass:ct_aes:$m
	[ -n "$fast" ] && set -- "$@" pass:ct_aes:$m$fast
done
set -- "$@" leak:ct_aes:verdict-leak
[ -n "$fast" ] && set -- "$@" leak:ct_aes:verdict-leak$fast
set -- "$@" pass:ct_chacha:portable pass:ct_chacha:fast
for m in sha hmac hkdf prf; do
	set -- "$@" pass:ct_hash:$m
done
for m in x25519 base invert; do
	set -- "$@" pass:ct_25519:$m
done
set -- "$@" pass:ct_ec:p256 pass:ct_ec:p384 leak:ct_ec:leak
for m in aes gcm chacha poly aead sha1 sha256 sha512 hmac hkdf prf x25519 p256 p384; do
	set -- "$@" leak:ct_reach:$m
done
for m in aes gcm chacha poly aead; do
	set -- "$@" leak:ct_reach:$m:fast
done
valgrind -q --track-origins=yes "$dir/ct_all" "$@" 2>"$dir/valgrind.out"
rc=$?
[ $rc -eq 0 ] || { echo "valgrind's first report:"; grep -m1 -A14 'uninitialised' "$dir/valgrind.out"; }
echo "$# checks ($cc $level${fast:+, AES-NI path too}): exit $rc"
[ $rc -eq 0 ]
