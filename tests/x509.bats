#!/usr/bin/env bats
# Certificate chains (lib/tls: x509.c, verify.c, name.c, trust.c, pem.c)
# on certificates the openssl command makes here, at test time: a test
# root, intermediates and leaves with RSA-2048/4096, P-256, P-384 and
# Ed25519 keys, all valid from 2026-01-01 to 2028-01-01 (openssl ca
# -startdate/-enddate), checked by tests/crypto/x_x509 at the fixed clock
# NOW = 2027-01-01 (never the real date).  Each failure case checks the
# exact message; the verdicts are compared with `openssl verify -attime
# NOW -verify_hostname HOST -purpose sslserver` on the same files; TLS
# signatures made by openssl with every leaf key are checked by
# tb_x509_verify_sig.

load lib/common
load lib/crypto

NOW=1798761600		# 2027-01-01 00:00:00 UTC
START=20260101000000Z
END=20280101000000Z

setup_file() {
	command -v openssl >/dev/null 2>&1 || return 0
	export D="$BATS_FILE_TMPDIR/pki"
	mkdir -p "$D"
	pki_base
}

setup() {
	need_openssl
	[ -x "$TESTBIN/x_x509" ] || skip "$TESTBIN/x_x509 not built (make check-build)"
	export D="$BATS_FILE_TMPDIR/pki"
	[ -s "$D/root.pem" ] || { echo "the test PKI was not made"; return 1; }
}

# key NAME TYPE: $D/NAME.key (TYPE rsa2048 rsa4096 p256 p384 ed25519)
key() {
	case $2 in
	rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$D/$1.key" ;;
	p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/$1.key" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$D/$1.key" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$D/$1.key" ;;
	esac 2>/dev/null
}

# cert NAME TYPE CN ISSUER EXTLINES [START END [CA-OPTS...]]: $D/NAME.pem,
# signed by $D/ISSUER.pem's key ("self": self-signed); EXTLINES is the
# text of an openssl extension section, one per line
cert() {
	local name=$1 type=$2 cn=$3 issuer=$4 ext=$5 start=${6:-$START} end=${7:-$END}
	shift 7 2>/dev/null || shift $#
	[ -s "$D/$name.key" ] || key "$name" "$type" || return 1
	mkdir -p "$D/ca"
	[ -f "$D/ca/index.txt" ] || : >"$D/ca/index.txt"
	[ -f "$D/ca/serial" ] || echo 1000 >"$D/ca/serial"
	cat >"$D/$name.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $D/ca/index.txt
new_certs_dir = $D/ca
serial = $D/ca/serial
default_md = default
policy = p
unique_subject = no
[p]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $cn
[e]
$ext
CNF
	openssl req -new -key "$D/$name.key" -config "$D/$name.cnf" -out "$D/$name.csr" 2>/dev/null || return 1
	if [ "$issuer" = self ]; then
		openssl ca -batch -config "$D/$name.cnf" -selfsign -keyfile "$D/$name.key" \
		    -in "$D/$name.csr" -out "$D/$name.pem" -startdate "$start" -enddate "$end" \
		    -extensions e -notext "$@" >/dev/null 2>&1
	else
		openssl ca -batch -config "$D/$name.cnf" -cert "$D/$issuer.pem" -keyfile "$D/$issuer.key" \
		    -in "$D/$name.csr" -out "$D/$name.pem" -startdate "$start" -enddate "$end" \
		    -extensions e -notext "$@" >/dev/null 2>&1
	fi
	[ -s "$D/$name.pem" ] || { echo "openssl ca made no $name"; return 1; }
}

CAEXT="basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid"

# leafext SANS [MORE]: a server certificate's extensions
leafext() {
	printf 'basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n%s' "$1" "${2:-}"
}

# the PKI every test uses: root (RSA-2048) -> int (P-384) -> leaves of
# every key type; root -> intrsa (RSA-4096, PSS) -> leaf
pki_base() {
	cert root rsa2048 "Tubes Test Root" self "$CAEXT"
	cert int p384 "Tubes Test Intermediate" root "$CAEXT"
	for t in rsa2048 rsa4096 p256 p384 ed25519; do
		cert "leaf-$t" "$t" "www.x.test" int "$(leafext "DNS:www.x.test, DNS:x.test")"
	done
	cert intpss rsa2048 "Tubes PSS Intermediate" root "$CAEXT" "$START" "$END" \
	    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
	cert leafpss rsa2048 "pss.x.test" intpss "$(leafext "DNS:pss.x.test")" "$START" "$END" \
	    -md sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
}

# v NAME HOST CHAIN...: x_x509 verify at NOW against the root
v() {
	local host=$1; shift
	run "$TESTBIN/x_x509" verify "$NOW" "$host" "$D/root.pem" "$@"
}

@test "x509: a chain for every leaf key type verifies (RSA-2048/4096, P-256, P-384, Ed25519)" {
	for t in rsa2048 rsa4096 p256 p384 ed25519; do
		v www.x.test "$D/leaf-$t.pem" "$D/int.pem"
		[ "$output" = "ok depth 3" ] || { echo "$t: $output"; return 1; }
	done
}

@test "x509: RSA-PSS signatures in the chain (rsa_pss_rsae_sha256 and sha384)" {
	v pss.x.test "$D/leafpss.pem" "$D/intpss.pem"
	[ "$output" = "ok depth 3" ]
	"$TESTBIN/x_x509" parse "$D/leafpss.pem" | grep -qx "sig: rsa_pss_rsae_sha384"
}
