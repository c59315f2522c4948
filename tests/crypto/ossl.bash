# tests/crypto/ossl.bash - loaded (`load crypto/ossl`) by the crypto bats
# files that compare thousands of cases with OpenSSL where the openssl
# command takes one input per process: tests/crypto/ossl.py makes the
# same EVP calls as the command, on the same libcrypto.so.3, in one
# python3 process.  The openssl command itself still checks hundreds of
# cases of each in the same files.

OSSL_PY="$TOP/tests/crypto/ossl.py"

# need_ossl: skip unless python3 and OpenSSL 3's libcrypto are there
need_ossl() {
	command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
	python3 "$OSSL_PY" version >/dev/null 2>&1 || skip "no OpenSSL 3 libcrypto for tests/crypto/ossl.py"
}

# ossl ARGS...: run tests/crypto/ossl.py
ossl() {
	python3 "$OSSL_PY" "$@"
}
