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
	pki_base && pki_cases
}

setup() {
	crypto_once
	need_openssl
	[ -x "$TESTBIN/x_x509" ] || skip "$TESTBIN/x_x509 not built (make check-build)"
	export D="$BATS_FILE_TMPDIR/pki"
	[ -s "$D/root.pem" ] || { echo "the test PKI was not made"; return 1; }
}

# key NAME TYPE: $D/NAME.key (TYPE rsa1024 rsa2048 rsa4096 p256 p384 p521 ed25519 ed448)
key() {
	case $2 in
	rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$D/$1.key" ;;
	p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/$1.key" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$D/$1.key" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$D/$1.key" ;;
	ed448) openssl genpkey -algorithm ED448 -out "$D/$1.key" ;;
	p521) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$D/$1.key" ;;
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

# the certificates of the failure cases, made once for all tests (the
# differential test at the end runs them all through openssl verify)
pki_cases() {
	local prev=root i
	for ((i = 1; i <= 18; i++)); do
		cert "deep$i" p256 "Deep $i" "$prev" "$CAEXT" || return 1
		prev="deep$i"
	done
	cert other p256 "Other Root" self "$CAEXT"
	cert expired p256 "expired.x.test" int "$(leafext "DNS:expired.x.test")" 20260101000000Z 20260601120000Z
	cert early p256 "early.x.test" int "$(leafext "DNS:early.x.test")" 20270601000000Z "$END"
	cert oldint p256 "Old Intermediate" root "$CAEXT" 20250101000000Z 20261231000000Z
	cert underold p256 "u.x.test" oldint "$(leafext "DNS:u.x.test")"
	cert nosan p256 "nosan.x.test" int "basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth"
	cert self p256 "self.x.test" self "$(leafext "DNS:self.x.test")"
	cert other2 p256 "Stranger Root" self "$CAEXT"
	cert int2 p256 "Stranger Intermediate" other2 "$CAEXT"
	cert leaf2 p256 "s.x.test" int2 "$(leafext "DNS:s.x.test")"
	cert notca p256 "Not A CA" root "basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign"
	cert undernotca p256 "n.x.test" notca "$(leafext "DNS:n.x.test")"
	cert nobc p256 "No Constraints" root "keyUsage = critical, keyCertSign"
	cert undernobc p256 "n.x.test" nobc "$(leafext "DNS:n.x.test")"
	cert noks p256 "No KeyCertSign" root "basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign"
	cert undernoks p256 "k.x.test" noks "$(leafext "DNS:k.x.test")"
	cert pl0 p256 "Pathlen Zero" root "basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign"
	cert pl0sub p256 "Below Pathlen Zero" pl0 "$CAEXT"
	cert pl0leaf p256 "p.x.test" pl0sub "$(leafext "DNS:p.x.test")"
	cert pl0direct p256 "d.x.test" pl0 "$(leafext "DNS:d.x.test")"
	cert crit p256 "crit.x.test" int "$(leafext "DNS:crit.x.test" "1.2.3.4 = critical, DER:0500")"
	cert noncrit p256 "noncrit.x.test" int "$(leafext "DNS:noncrit.x.test" "1.2.3.4 = DER:0500")"
	cert deepleaf p256 "deep.x.test" deep18 "$(leafext "DNS:deep.x.test")"
	cert deep9leaf p256 "deep9.x.test" deep8 "$(leafext "DNS:deep9.x.test")"
	cert wild p256 "wild" int "$(leafext "DNS:*.w.x.test, DNS:*.test, DNS:f*.y.test, DNS:*.*.z.test")"
	cert ips p256 "ips" int "$(leafext "IP:127.0.0.1, IP:::1, IP:2001:db8::5, DNS:127.0.0.2")"
	cert ncint p256 "Constrained" root "$CAEXT
nameConstraints = critical, permitted;DNS:x.test, excluded;DNS:bad.x.test, permitted;IP:127.0.0.0/255.0.0.0"
	cert ncok p256 "ok" ncint "$(leafext "DNS:www.x.test, DNS:x.test, IP:127.0.0.1")"
	cert ncout p256 "out" ncint "$(leafext "DNS:www.x.test, DNS:www.evil.test")"
	cert ncex p256 "ex" ncint "$(leafext "DNS:a.bad.x.test")"
	cert ncwild p256 "wild" ncint "$(leafext "DNS:*.x.test")"
	cert ncip p256 "ip" ncint "$(leafext "DNS:www.x.test, IP:10.0.0.1")"
	cert client p256 "client.x.test" int "basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
subjectAltName = DNS:client.x.test"
	cert clientint p256 "Client CA" root "$CAEXT
extendedKeyUsage = clientAuth"
	cert underclient p256 "c.x.test" clientint "$(leafext "DNS:c.x.test")"
	cert kuenc rsa2048 "enc.x.test" int "basicConstraints = CA:FALSE
keyUsage = critical, keyEncipherment
subjectAltName = DNS:enc.x.test"
	cert rsa1024leaf rsa1024 "small.x.test" int "$(leafext "DNS:small.x.test")"
	cert int1024 rsa1024 "Small Intermediate" root "$CAEXT"
	cert under1024 p256 "u1024.x.test" int1024 "$(leafext "DNS:u1024.x.test")"
	cert int448 ed448 "Ed448 Intermediate" root "$CAEXT"
	cert int521 p521 "P-521 Intermediate" root "$CAEXT"
	cert under521 p256 "u521.x.test" int521 "$(leafext "DNS:u521.x.test")"
	cert under448 p256 "u448.x.test" int448 "$(leafext "DNS:u448.x.test")"
	cert leaf448 ed448 "k448.x.test" int "$(leafext "DNS:k448.x.test")"
	cert sha1leaf rsa2048 "sha1.x.test" root "$(leafext "DNS:sha1.x.test")" "$START" "$END" -md sha1
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

@test "x509: the chain sent out of order, with the root too, verifies" {
	v www.x.test "$D/leaf-p256.pem" "$D/root.pem" "$D/leaf-rsa2048.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
}

@test "x509: without the intermediate: unknown issuer, named" {
	v www.x.test "$D/leaf-p256.pem" "$D/leaf-rsa2048.pem"
	[ "$status" -eq 1 ]
	[ "$output" = "fail: unknown issuer CN=Tubes Test Intermediate" ]
}

@test "x509: another root's anchors: unknown issuer of the intermediate" {
	run "$TESTBIN/x_x509" verify "$NOW" www.x.test "$D/other.pem" "$D/leaf-p256.pem" "$D/int.pem"
	[ "$output" = "fail: unknown issuer CN=Tubes Test Root" ]
}

@test "x509: expired and not yet valid, at a fixed clock" {
	v expired.x.test "$D/expired.pem" "$D/int.pem"
	[ "$output" = "fail: certificate expired on 2026-06-01 (CN=expired.x.test)" ]
	v early.x.test "$D/early.pem" "$D/int.pem"
	[ "$output" = "fail: certificate not valid before 2027-06-01 (CN=early.x.test)" ]
	# the same certificates at clocks inside their validity
	run "$TESTBIN/x_x509" verify 1780000000 expired.x.test "$D/root.pem" "$D/expired.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	run "$TESTBIN/x_x509" verify 1812000000 early.x.test "$D/root.pem" "$D/early.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	# the edges: the last second of notAfter is still valid, the next is not
	run "$TESTBIN/x_x509" verify 1780315200 expired.x.test "$D/root.pem" "$D/expired.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	run "$TESTBIN/x_x509" verify 1780315201 expired.x.test "$D/root.pem" "$D/expired.pem" "$D/int.pem"
	[ "$output" = "fail: certificate expired on 2026-06-01 (CN=expired.x.test)" ]
}

@test "x509: an expired intermediate is named" {
	v u.x.test "$D/underold.pem" "$D/oldint.pem"
	[ "$output" = "fail: certificate expired on 2026-12-31 (CN=Old Intermediate)" ]
}

@test "x509: wrong host: the SANs are listed" {
	v www.y.test "$D/leaf-p384.pem" "$D/int.pem"
	[ "$status" -eq 1 ]
	[ "$output" = "fail: www.y.test does not match the certificate (SAN: www.x.test, x.test)" ]
	v WWW.X.TEST. "$D/leaf-p384.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
}

@test "x509: no CN fallback: a certificate without subjectAltName matches no name" {
	v nosan.x.test "$D/nosan.pem" "$D/int.pem"
	[ "$output" = "fail: nosan.x.test does not match the certificate (no subjectAltName)" ]
	v - "$D/nosan.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
}

@test "x509: self-signed: refused, unless it is itself the anchor" {
	v self.x.test "$D/self.pem"
	[ "$output" = "fail: self-signed certificate (CN=self.x.test)" ]
	run "$TESTBIN/x_x509" verify "$NOW" self.x.test "$D/self.pem" "$D/self.pem"
	[ "$output" = "ok depth 1" ]
}

@test "x509: a root the server sent that is not an anchor" {
	v s.x.test "$D/leaf2.pem" "$D/int2.pem" "$D/other2.pem"
	[ "$output" = "fail: untrusted root certificate (CN=Stranger Root)" ]
}

@test "x509: an intermediate without CA:true" {
	v n.x.test "$D/undernotca.pem" "$D/notca.pem"
	[ "$output" = "fail: CN=Not A CA is not a CA (basicConstraints)" ]
	v n.x.test "$D/undernobc.pem" "$D/nobc.pem"
	[ "$output" = "fail: CN=No Constraints is not a CA (basicConstraints)" ]
}

@test "x509: an intermediate whose keyUsage lacks keyCertSign" {
	v k.x.test "$D/undernoks.pem" "$D/noks.pem"
	[ "$output" = "fail: CN=No KeyCertSign may not sign certificates (keyUsage lacks keyCertSign)" ]
}

@test "x509: path length exceeded, and just within" {
	v p.x.test "$D/pl0leaf.pem" "$D/pl0sub.pem" "$D/pl0.pem"
	[ "$output" = "fail: path length exceeded: CN=Pathlen Zero allows 0 CA certificates below it" ]
	v d.x.test "$D/pl0direct.pem" "$D/pl0.pem"
	[ "$output" = "ok depth 3" ]
}

@test "x509: an unknown critical extension is refused, an unknown non-critical one is not" {
	v crit.x.test "$D/crit.pem" "$D/int.pem"
	[ "$output" = "fail: unknown critical extension 1.2.3.4 (CN=crit.x.test)" ]
	v noncrit.x.test "$D/noncrit.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
}

@test "x509: a chain of 20 stops at 10" {
	local i args=()
	for ((i = 1; i <= 18; i++)); do
		args=("$D/deep$i.pem" "${args[@]}")
	done
	v deep.x.test "$D/deepleaf.pem" "${args[@]}"
	[ "$output" = "fail: certificate chain longer than 10 certificates (at CN=Deep 10)" ]
	# nine below the root: ten in all, the most there may be
	v deep9.x.test "$D/deep9leaf.pem" "${args[@]}"
	[ "$output" = "ok depth 10" ]
}

@test "x509: wildcards: one whole left-most label, never over a two-label name" {
	v a.w.x.test "$D/wild.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	v A-B.W.X.test "$D/wild.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	local sans="*.w.x.test, *.test, f*.y.test, *.*.z.test"
	for h in w.x.test a.b.w.x.test .w.x.test x.test a.test foo.y.test a.b.z.test; do
		v "$h" "$D/wild.pem" "$D/int.pem"
		[ "$output" = "fail: $h does not match the certificate (SAN: $sans)" ] || { echo "$h: $output"; return 1; }
	done
}

@test "x509: IP SANs match IP literals, v4 and v6; a dNSName never does" {
	for h in 127.0.0.1 ::1 0:0:0:0:0:0:0:1 2001:db8::5 2001:DB8:0::0:5; do
		v "$h" "$D/ips.pem" "$D/int.pem"
		[ "$output" = "ok depth 3" ] || { echo "$h: $output"; return 1; }
	done
	for h in 127.0.0.2 127.0.0.10 ::2 2001:db8::6 127.000.0.1; do
		v "$h" "$D/ips.pem" "$D/int.pem"
		[ "$output" = "fail: $h does not match the certificate (SAN: 127.0.0.1, ::1, 2001:db8::5, 127.0.0.2)" ] || { echo "$h: $output"; return 1; }
	done
}

@test "x509: DNS name constraints, permitted and excluded" {
	v www.x.test "$D/ncok.pem" "$D/ncint.pem"
	[ "$output" = "ok depth 3" ]
	v www.x.test "$D/ncout.pem" "$D/ncint.pem"
	[ "$output" = "fail: www.evil.test is outside the name constraints of CN=Constrained" ]
	v a.bad.x.test "$D/ncex.pem" "$D/ncint.pem"
	[ "$output" = "fail: a.bad.x.test is outside the name constraints of CN=Constrained" ]
	v a.x.test "$D/ncwild.pem" "$D/ncint.pem"
	[ "$output" = "fail: *.x.test is outside the name constraints of CN=Constrained" ]
	v www.x.test "$D/ncip.pem" "$D/ncint.pem"
	[ "$output" = "fail: 10.0.0.1 is outside the name constraints of CN=Constrained" ]
}

@test "x509: a leaf for clients only (EKU clientAuth) is refused" {
	v client.x.test "$D/client.pem" "$D/int.pem"
	[ "$output" = "fail: certificate not meant for a server: extendedKeyUsage lacks serverAuth (CN=client.x.test)" ]
	v c.x.test "$D/underclient.pem" "$D/clientint.pem"
	[ "$output" = "fail: CN=Client CA may not issue server certificates (extendedKeyUsage lacks serverAuth)" ]
}

@test "x509: a leaf whose keyUsage lacks digitalSignature is refused" {
	v enc.x.test "$D/kuenc.pem" "$D/int.pem"
	[ "$output" = "fail: certificate key may not sign: keyUsage lacks digitalSignature (CN=enc.x.test)" ]
}

@test "x509: RSA keys under 2048 bits are refused, in the leaf and in an issuer" {
	v small.x.test "$D/rsa1024leaf.pem" "$D/int.pem"
	[ "$output" = "fail: certificate key too small: RSA 1024 bits (CN=small.x.test)" ]
	v u1024.x.test "$D/under1024.pem" "$D/int1024.pem"
	[ "$output" = "fail: CN=Small Intermediate has an RSA key under 2048 bits, which is not accepted" ]
}

@test "x509: keys and signatures of algorithms tubes does not have (P-521, Ed448) are named" {
	v u448.x.test "$D/under448.pem" "$D/int448.pem"
	[ "$output" = "fail: CN=u448.x.test is signed with an unsupported algorithm" ]
	v u521.x.test "$D/under521.pem" "$D/int521.pem"
	[ "$output" = "fail: CN=P-521 Intermediate has a key of an unsupported algorithm" ]
	v k448.x.test "$D/leaf448.pem" "$D/int.pem"
	[ "$output" = "fail: certificate key of an unsupported algorithm (CN=k448.x.test)" ]
}

@test "x509: SHA-1 signatures are refused in a chain" {
	v sha1.x.test "$D/sha1leaf.pem"
	[ "$output" = "fail: CN=sha1.x.test is signed with SHA-1, which is not accepted" ]
}

@test "x509: a signature that does not verify" {
	# the leaf's signature bytes changed (the last byte of the DER)
	openssl x509 -in "$D/leaf-p256.pem" -outform DER -out "$BATS_TEST_TMPDIR/l.der"
	local n; n=$(stat -c %s "$BATS_TEST_TMPDIR/l.der")
	flip_byte "$BATS_TEST_TMPDIR/l.der" $((n - 1))
	openssl x509 -inform DER -in "$BATS_TEST_TMPDIR/l.der" -out "$BATS_TEST_TMPDIR/l.pem"
	v www.x.test "$BATS_TEST_TMPDIR/l.pem" "$D/int.pem"
	[ "$output" = "fail: bad signature on CN=www.x.test by CN=Tubes Test Intermediate" ]
}

@test "x509: -X shows every certificate, the anchor, the chain and the name matched" {
	run "$TESTBIN/x_x509" verify -X "$NOW" x.test "$D/root.pem" "$D/leaf-ed25519.pem" "$D/int.pem"
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "$output" == *"Certificate 1 of 2"* ]]
	[[ "$output" == *"subject"*"CN=www.x.test"* ]]
	[[ "$output" == *"issuer"*"CN=Tubes Test Intermediate"* ]]
	[[ "$output" == *"validity"*"2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC"* ]]
	[[ "$output" == *"subjectAltName"*"www.x.test, x.test"* ]]
	[[ "$output" == *"public key"*"Ed25519"* ]]
	[[ "$output" == *"public key"*"ECDSA P-384"* ]]
	[[ "$output" == *"signature"*"ecdsa-with-SHA256"* ]]
	[[ "$output" == *"signature"*"sha256WithRSAEncryption"* ]]
	[[ "$output" == *"anchor"*"CN=Tubes Test Root"* ]]
	[[ "$output" == *"chain"*"CN=www.x.test <- CN=Tubes Test Intermediate <- CN=Tubes Test Root (3 certificates)"* ]]
	[[ "$output" == *"name"*"x.test matches x.test"* ]]
	[[ "$output" == *"result"*"verified"* ]]
	[ "${lines[${#lines[@]} - 1]}" = "ok depth 3" ]
}

@test "x509: trust store: SSL_CERT_FILE, SSL_CERT_DIR read lazily, a missing file named" {
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	cp "$D/root.pem" "$BATS_TEST_TMPDIR/dir/root.crt"
	cp "$D/leaf-rsa2048.pem" "$BATS_TEST_TMPDIR/dir/unrelated.pem"
	echo junk >"$BATS_TEST_TMPDIR/dir/README"
	SSL_CERT_FILE="$D/root.pem" SSL_CERT_DIR= run "$TESTBIN/x_x509" verify "$NOW" www.x.test - "$D/leaf-p256.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	SSL_CERT_FILE= SSL_CERT_DIR="$BATS_TEST_TMPDIR/dir" run "$TESTBIN/x_x509" verify "$NOW" www.x.test - "$D/leaf-p256.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	run "$TESTBIN/x_x509" verify -d "$BATS_TEST_TMPDIR/dir" "$NOW" www.x.test - "$D/leaf-p256.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
	# --cacert wins over the environment
	SSL_CERT_FILE="$D/root.pem" run "$TESTBIN/x_x509" verify "$NOW" www.x.test "$D/int.pem" "$D/leaf-p256.pem"
	[ "$output" = "ok depth 2" ]
	run "$TESTBIN/x_x509" verify "$NOW" www.x.test "$BATS_TEST_TMPDIR/none.pem" "$D/leaf-p256.pem"
	[ "$output" = "fail: cannot read $BATS_TEST_TMPDIR/none.pem: No such file or directory" ]
	run "$TESTBIN/x_x509" verify "$NOW" www.x.test "$BATS_TEST_TMPDIR/dir/README" "$D/leaf-p256.pem"
	[ "$output" = "fail: $BATS_TEST_TMPDIR/dir/README holds no certificate" ]
}

# ossl HOST ANCHOR LEAF [CHAIN...]: openssl verify's verdict, ok or fail,
# at the same clock, as a TLS client (sslserver purpose, at most 10
# certificates: 8 intermediates), the host as a name or an IP
ossl() {
	local host=$1 anchor=$2 leaf=$3 opts=()
	shift 3
	case $host in
	-) ;;
	*:*|[0-9]*.[0-9]*.[0-9]*.[0-9]*) opts=(-verify_ip "$host") ;;
	*) opts=(-verify_hostname "$host") ;;
	esac
	if [ $# -gt 0 ]; then
		cat "$@" >"$BATS_TEST_TMPDIR/untrusted.pem"
		opts+=(-untrusted "$BATS_TEST_TMPDIR/untrusted.pem")
	fi
	if openssl verify -attime "$NOW" -purpose sslserver -verify_depth 8 "${opts[@]}" \
	    -CAfile "$anchor" "$leaf" >/dev/null 2>&1; then
		echo ok
	else
		echo fail
	fi
}

@test "x509: differential: the verdicts of openssl verify on every case" {
	# HOST ANCHOR LEAF CHAIN...; "!" before a case: a known difference,
	# where tubes refuses by design what openssl 3.0 takes: the CN when
	# there is no subjectAltName (RFC 6125 6.4.4 lets a client refuse it,
	# browsers do), a partial wildcard label "f*", a SHA-1 signature
	# (openssl 3.0 takes it at its default security level 1), and a
	# wildcard "*.x.test" under an excluded subtree bad.x.test that it
	# could stand for (openssl compares the string only), a leaf whose
	# keyUsage is keyEncipherment only (tubes has no RSA key transport),
	# RSA keys of 1024 bits (openssl 3.0's security level 1 takes them),
	# Ed448 and P-521 keys (not implemented here)
	local cases=(
		"www.x.test root leaf-rsa2048 int"
		"www.x.test root leaf-rsa4096 int"
		"www.x.test root leaf-p256 int"
		"www.x.test root leaf-p384 int"
		"www.x.test root leaf-ed25519 int"
		"pss.x.test root leafpss intpss"
		"www.x.test root leaf-p256 root leaf-rsa2048 int"
		"www.x.test root leaf-p256 leaf-rsa2048"
		"www.x.test other leaf-p256 int"
		"expired.x.test root expired int"
		"early.x.test root early int"
		"u.x.test root underold oldint"
		"www.y.test root leaf-p384 int"
		"!nosan.x.test root nosan int"
		"self.x.test root self"
		"self.x.test self self"
		"s.x.test root leaf2 int2 other2"
		"n.x.test root undernotca notca"
		"n.x.test root undernobc nobc"
		"k.x.test root undernoks noks"
		"p.x.test root pl0leaf pl0sub pl0"
		"d.x.test root pl0direct pl0"
		"crit.x.test root crit int"
		"noncrit.x.test root noncrit int"
		"deep.x.test root deepleaf deep18 deep17 deep16 deep15 deep14 deep13 deep12 deep11 deep10 deep9 deep8 deep7 deep6 deep5 deep4 deep3 deep2 deep1"
		"deep9.x.test root deep9leaf deep8 deep7 deep6 deep5 deep4 deep3 deep2 deep1"
		"a.w.x.test root wild int"
		"w.x.test root wild int"
		"a.b.w.x.test root wild int"
		"a.test root wild int"
		"!foo.y.test root wild int"
		"127.0.0.1 root ips int"
		"::1 root ips int"
		"2001:db8::5 root ips int"
		"127.0.0.2 root ips int"
		"www.x.test root ncok ncint"
		"www.x.test root ncout ncint"
		"a.bad.x.test root ncex ncint"
		"!a.x.test root ncwild ncint"
		"www.x.test root ncip ncint"
		"client.x.test root client int"
		"c.x.test root underclient clientint"
		"!sha1.x.test root sha1leaf"
		"!enc.x.test root kuenc int"
		"!small.x.test root rsa1024leaf int"
		"!u1024.x.test root under1024 int1024"
		"!u448.x.test root under448 int448"
		"!k448.x.test root leaf448 int"
		"!u521.x.test root under521 int521"
	)
	local c host anchor leaf rest ours theirs known n=0 diff=0 f files
	for c in "${cases[@]}"; do
		known=
		[ "${c:0:1}" = "!" ] && { known=1; c=${c:1}; }
		read -r host anchor leaf rest <<<"$c"
		files=()
		for f in $rest; do files+=("$D/$f.pem"); done
		if "$TESTBIN/x_x509" verify "$NOW" "$host" "$D/$anchor.pem" "$D/$leaf.pem" "${files[@]}" >/dev/null; then
			ours=ok
		else
			ours=fail
		fi
		theirs=$(ossl "$host" "$D/$anchor.pem" "$D/$leaf.pem" "${files[@]}")
		n=$((n + 1))
		if [ -n "$known" ]; then
			# a known difference: tubes refuses what openssl takes
			[ "$ours" = fail ] && [ "$theirs" = ok ] || { echo "known difference gone: $c: tubes $ours, openssl $theirs"; diff=$((diff + 1)); }
		elif [ "$ours" != "$theirs" ]; then
			echo "differs: $c: tubes $ours, openssl $theirs"
			diff=$((diff + 1))
		fi
	done
	echo "$n cases, $diff unexpected differences"
	[ "$diff" -eq 0 ]
	[ "$n" -ge 40 ]
}

# sign KEYNAME SCHEME N: N random messages signed by openssl with
# $D/KEYNAME.key under the TLS SignatureScheme, listed in $T/list
sign() {
	local k=$D/$1.key scheme=$2 i m s
	for ((i = 0; i < $3; i++)); do
		m="$BATS_TEST_TMPDIR/$1-$scheme-$i.msg" s="$BATS_TEST_TMPDIR/$1-$scheme-$i.sig"
		head -c $((1 + RANDOM % 300)) /dev/urandom >"$m"
		case $scheme in
		0401|0501|0601) openssl dgst -sha$(( ${scheme:1:1} == 4 ? 256 : ${scheme:1:1} == 5 ? 384 : 512 )) -sign "$k" -out "$s" "$m" ;;
		0804|0805|0806) openssl dgst -sha$(( ${scheme:3:1} == 4 ? 256 : ${scheme:3:1} == 5 ? 384 : 512 )) -sign "$k" \
		    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out "$s" "$m" ;;
		0403) openssl dgst -sha256 -sign "$k" -out "$s" "$m" ;;
		0503) openssl dgst -sha384 -sign "$k" -out "$s" "$m" ;;
		0807) openssl pkeyutl -sign -inkey "$k" -rawin -in "$m" -out "$s" ;;
		esac 2>/dev/null || return 1
		echo "$scheme $m $s" >>"$BATS_TEST_TMPDIR/$1.list"
	done
}

@test "x509: TLS signatures by every leaf key, made by openssl, verify; changed, they do not" {
	local n=12 k s
	for s in 0401 0501 0601 0804 0805 0806; do
		sign leaf-rsa2048 $s $n
		sign leaf-rsa4096 $s 3
	done
	sign leaf-p256 0403 $n
	sign leaf-p384 0503 $n
	sign leaf-ed25519 0807 $n
	for k in leaf-rsa2048 leaf-rsa4096 leaf-p256 leaf-p384 leaf-ed25519; do
		run "$TESTBIN/x_x509" sigs "$D/$k.pem" "$BATS_TEST_TMPDIR/$k.list"
		echo "$k: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *" 0 failures" ]]
	done
	# a scheme that does not fit the key: P-256 with SHA-384 (TLS 1.3 binds the curve)
	read -r _ m s < <(head -1 "$BATS_TEST_TMPDIR/leaf-p256.list")
	run "$TESTBIN/x_x509" sig "$D/leaf-p256.pem" 0503 "$m" "$s"
	[ "$output" = "bad" ]
	run "$TESTBIN/x_x509" sig "$D/leaf-p256.pem" 0403 "$m" "$s"
	[ "$output" = "good" ]
}

@test "x509: the system's CA bundle: every anchor parses, self-signatures verify, each is found" {
	local b=/etc/ssl/certs/ca-certificates.crt
	[ -r "$b" ] || skip "no $b"
	run "$TESTBIN/x_x509" bundle "$b"
	echo "$output"
	[ "$status" -eq 0 ]
	local n; n=$(grep -c -- '-----BEGIN CERTIFICATE-----' "$b")
	[[ "$output" == "$n certificates, $n parsed, "* ]]
	[[ "$output" == *", $n found as anchors, 0 failures" ]]
}

@test "x509: opening the system bundle and finding one anchor is cheap" {
	local b=/etc/ssl/certs/ca-certificates.crt
	[ -r "$b" ] || skip "no $b"
	# the 70th anchor's issuer is what the lookup looks for
	awk '/BEGIN CERT/{n++} n==70{print} /END CERT/{if(n==70) exit}' "$b" >"$BATS_TEST_TMPDIR/one.pem"
	SSL_CERT_FILE= SSL_CERT_DIR= run "$TESTBIN/x_x509" trust 50 "$BATS_TEST_TMPDIR/one.pem"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"from bundle $b, found 50 of 50" ]]
	# CPU time of an open: well under 20 ms even on a loaded machine (about 0.35 ms here)
	local us=${output#open: }
	us=${us%%.*}
	[ "$us" -lt 20000 ]
}

@test "x509: a DER certificate as the CA file" {
	openssl x509 -in "$D/root.pem" -outform DER -out "$BATS_TEST_TMPDIR/root.der"
	run "$TESTBIN/x_x509" verify "$NOW" www.x.test "$BATS_TEST_TMPDIR/root.der" "$D/leaf-p256.pem" "$D/int.pem"
	[ "$output" = "ok depth 3" ]
}
