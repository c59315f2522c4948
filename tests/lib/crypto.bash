# tests/lib/crypto.bash - loaded by the tests/crypto-*.bats files after lib/common.
#
# ct_check PROG [ARGS...]: run a tests/crypto/ct_* program under valgrind's
#   memcheck (the ctgrind method, tests/crypto/ct.h): passes only when the
#   program exits 0 and valgrind reports no branch or index on a secret.
#   The programs come from the plain build (build/rel): ASan binaries do
#   not run under valgrind, so under SANITIZE=1 the plain build's are used.
# ct_must_leak PROG [ARGS...]: the negative control, valgrind must report.

CT_TESTBIN="$TOP/build/rel/tests"

_ct_prog() {
	command -v valgrind >/dev/null 2>&1 || skip "valgrind not installed (make test installs it as root)"
	[ -x "$CT_TESTBIN/$1" ] || skip "$CT_TESTBIN/$1 not built (make check-build)"
}

ct_check() {
	_ct_prog "$1"
	local p=$1; shift
	run valgrind -q --error-exitcode=99 --track-origins=yes "$CT_TESTBIN/$p" "$@"
	if [ "$status" -ne 0 ]; then
		echo "$output" | head -40
		echo "ct_check $p $*: valgrind found a secret-dependent branch or index (exit $status)"
		return 1
	fi
}

ct_must_leak() {
	_ct_prog "$1"
	local p=$1; shift
	run valgrind -q --error-exitcode=99 "$CT_TESTBIN/$p" "$@"
	[ "$status" -eq 99 ] || { echo "$output"; echo "want valgrind to report (99), got $status"; return 1; }
	[[ "$output" == *"uninitialised value"* ]]
}

need_openssl() {
	command -v openssl >/dev/null 2>&1 || skip "openssl not installed (make test installs it as root)"
}

# crypto_once: skip a file whose programs run the same in every pass of
# CI.  Under VALGRIND=1 only the commands in $BIN are wrapped; the crypto
# drivers ($TESTBIN), openssl and the ct_* checks (valgrind already) run
# exactly as in the plain pass, so running them again proves nothing.
# With "ct", also skip under SANITIZE (O=build/san): the ct checks use
# the plain build's programs or builds of their own.
crypto_once() {
	if [ "${VALGRIND:-}" = 1 ]; then
		skip "the same as the plain run: VALGRIND=1 wraps only the commands"
	fi
	if [ "${1:-}" = ct ] && [[ "${O:-build/rel}" == *san* ]]; then
		skip "the same as the plain run: the ct checks use build/rel or builds of their own"
	fi
}

# flip_byte FILE OFFSET: change the byte at OFFSET (xor 0x5a: a byte is
# always changed, which writing a fixed value is not when the byte
# already holds it); fails when FILE has no byte there
flip_byte() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	[ -n "$b" ] || return 1
	printf "\\$(printf %03o $(( b ^ 0x5a )))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# The test PKI of the TLS files, made with openssl in the current
# directory (each file's setup_file cds to $BATS_FILE_TMPDIR first):
#   pki_ca NAME CN          NAME.key and NAME.pem: a P-256 root, 2 days
#   pki_leaf NAME ALG SANS  NAME.key (ALG: rsa, p256, p384, ed25519) and
#                           NAME.pem for CN=localhost, serverAuth, SANS
#                           (an openssl subjectAltName), signed by ca
#   pki_simple CN SANS      ca.{key,pem} and a P-256 leaf.{key,pem}
# Each fails (returns non-zero) when openssl does; setup() then skips on
# the missing file, as "the test CA could not be made".
pki_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

pki_leaf() {
	case $2 in
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
	p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
	*) echo "pki_leaf: no key type $2" >&2; return 1 ;;
	esac 2>/dev/null || return 1
	printf '%s\n' "subjectAltName=$3" 'extendedKeyUsage=serverAuth' \
	    'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' >"$1.ext"
	openssl req -new -key "$1.key" -subj /CN=localhost -out "$1.csr" &&
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
	    -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}

pki_simple() {
	pki_ca ca "$1" && pki_leaf leaf p256 "$2"
}
