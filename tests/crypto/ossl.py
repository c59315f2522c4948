#!/usr/bin/env python3
# ossl.py - the reference side of the differential tests that need
# thousands of cases where the openssl command takes one input per
# process (kdf, mac, enc -chacha20, pkeyutl -sign and -derive): one
# python3 process calls the same libcrypto.so.3 the openssl command runs
# on, through ctypes, with the same EVP calls the command makes.  A test
# tool only, like the openssl command; nothing in tubes links it.
# Hex is lowercase, "-" is empty, as the x_* drivers write it.
#
#   ossl.py version                 the library's version line
#   ossl.py hkdf < "H LEN IKM SALT INFO"      OKM in hex (x_hash cases hkdf)
#   ossl.py prf < "H LEN SECRET LABEL SEED"   TLS 1.2 PRF in hex (x_hash
#                                   cases prf; LABEL is hex)
#   ossl.py chacha DIR < "NAME KEY NONCE CTR IV"  ChaCha20 of DIR/NAME
#                                   into DIR/NAME.ossl (x_chacha gen)
#   ossl.py poly DIR < the same     Poly1305 tags, upper-case hex
#   ossl.py eckeys p256|p384 N DIR  N keys DIR/kI.der (PKCS#8, as genpkey
#                                   -outform DER) and DIR/kI.pub (SPKI DER)
#   ossl.py ecsign < "KEY DIGEST SIG"   DER ECDSA signature of the digest
#                                   file into SIG (as pkeyutl -sign)
#   ossl.py ecdh < "KEYA PUBB SECRET"   shared secret into SECRET (as
#                                   pkeyutl -derive)
#   ossl.py ed25519 < "PRIV MSGFILE SIGFILE"  signs; prints PUB SIGFILE
#                                   MSGFILE for x_25519 verify
#   ossl.py x25519 < "SCALAR U"     X25519 in hex, "fail" when refused
#   ossl.py x25519pub < SCALARS     X25519(SCALAR, 9) in hex
#   ossl.py gcm < "KEY NONCE AAD PT"  AES-GCM seal: "CT TAG" (x_aes seal)
#
# Exits 2 if libcrypto cannot be loaded (the tests then skip), 1 if a
# call fails.

import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, Structure, byref, c_char_p, c_int, c_size_t,
                    c_uint, c_void_p, create_string_buffer)


def load():
	for name in ("libcrypto.so.3", ctypes.util.find_library("crypto")):
		if not name:
			continue
		try:
			lib = ctypes.CDLL(name)
			lib.OpenSSL_version.restype = c_char_p
			if lib.OpenSSL_version(0).startswith(b"OpenSSL 3"):
				return lib
		except (OSError, AttributeError):
			pass
	sys.stderr.write("ossl.py: no OpenSSL 3 libcrypto\n")
	sys.exit(2)


L = load()


class Param(Structure):
	_fields_ = [("key", c_char_p), ("data_type", c_uint), ("data", c_void_p),
	    ("data_size", c_size_t), ("return_size", c_size_t)]


def sig(name, res, *args):
	f = getattr(L, name)
	f.restype = res
	f.argtypes = list(args)


sig("OSSL_PARAM_construct_utf8_string", Param, c_char_p, c_char_p, c_size_t)
sig("OSSL_PARAM_construct_octet_string", Param, c_char_p, c_void_p, c_size_t)
sig("OSSL_PARAM_construct_end", Param)
sig("EVP_KDF_fetch", c_void_p, c_void_p, c_char_p, c_char_p)
sig("EVP_KDF_CTX_new", c_void_p, c_void_p)
sig("EVP_KDF_CTX_free", None, c_void_p)
sig("EVP_KDF_derive", c_int, c_void_p, c_char_p, c_size_t, POINTER(Param))
sig("EVP_MAC_fetch", c_void_p, c_void_p, c_char_p, c_char_p)
sig("EVP_MAC_CTX_new", c_void_p, c_void_p)
sig("EVP_MAC_CTX_free", None, c_void_p)
sig("EVP_MAC_init", c_int, c_void_p, c_char_p, c_size_t, c_void_p)
sig("EVP_MAC_update", c_int, c_void_p, c_char_p, c_size_t)
sig("EVP_MAC_final", c_int, c_void_p, c_char_p, POINTER(c_size_t), c_size_t)
sig("EVP_CIPHER_fetch", c_void_p, c_void_p, c_char_p, c_char_p)
sig("EVP_CIPHER_CTX_new", c_void_p)
sig("EVP_CIPHER_CTX_free", None, c_void_p)
sig("EVP_EncryptInit_ex", c_int, c_void_p, c_void_p, c_void_p, c_char_p, c_char_p)
sig("EVP_EncryptUpdate", c_int, c_void_p, c_char_p, POINTER(c_int), c_char_p, c_int)
sig("EVP_PKEY_CTX_new_from_name", c_void_p, c_void_p, c_char_p, c_char_p)
sig("EVP_PKEY_CTX_new", c_void_p, c_void_p, c_void_p)
sig("EVP_PKEY_CTX_free", None, c_void_p)
sig("EVP_PKEY_keygen_init", c_int, c_void_p)
sig("EVP_PKEY_CTX_set_group_name", c_int, c_void_p, c_char_p)
sig("EVP_PKEY_generate", c_int, c_void_p, POINTER(c_void_p))
sig("EVP_PKEY_free", None, c_void_p)
sig("EVP_PKEY2PKCS8", c_void_p, c_void_p)
sig("PKCS8_PRIV_KEY_INFO_free", None, c_void_p)
sig("i2d_PKCS8_PRIV_KEY_INFO", c_int, c_void_p, POINTER(c_char_p))
sig("i2d_PUBKEY", c_int, c_void_p, POINTER(c_char_p))
sig("d2i_AutoPrivateKey", c_void_p, c_void_p, POINTER(c_char_p), ctypes.c_long)
sig("d2i_PUBKEY", c_void_p, c_void_p, POINTER(c_char_p), ctypes.c_long)
sig("EVP_PKEY_sign_init", c_int, c_void_p)
sig("EVP_PKEY_sign", c_int, c_void_p, c_char_p, POINTER(c_size_t), c_char_p, c_size_t)
sig("EVP_PKEY_derive_init", c_int, c_void_p)
sig("EVP_PKEY_derive_set_peer", c_int, c_void_p, c_void_p)
sig("EVP_PKEY_derive", c_int, c_void_p, c_char_p, POINTER(c_size_t))
sig("EVP_PKEY_new_raw_private_key", c_void_p, c_int, c_void_p, c_char_p, c_size_t)
sig("EVP_PKEY_new_raw_public_key", c_void_p, c_int, c_void_p, c_char_p, c_size_t)
sig("EVP_PKEY_get_raw_public_key", c_int, c_void_p, c_char_p, POINTER(c_size_t))
sig("EVP_MD_CTX_new", c_void_p)
sig("EVP_MD_CTX_free", None, c_void_p)
sig("EVP_DigestSignInit", c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
sig("EVP_DigestSign", c_int, c_void_p, c_char_p, POINTER(c_size_t), c_char_p, c_size_t)
sig("EVP_CIPHER_CTX_ctrl", c_int, c_void_p, c_int, c_int, c_void_p)
sig("EVP_EncryptFinal_ex", c_int, c_void_p, c_char_p, POINTER(c_int))
sig("ERR_clear_error", None)

NID_X25519 = 1034
NID_ED25519 = 1087


def die(what):
	sys.stderr.write("ossl.py: %s failed\n" % what)
	sys.exit(1)


def ok(r, what):
	if not r:
		die(what)
	return r


def unhex(s):
	return b"" if s == "-" else bytes.fromhex(s)


def slurp(path):
	with open(path, "rb") as f:
		return f.read()


def spit(path, b):
	with open(path, "wb") as f:
		f.write(b)


def octets(key, b):
	# a zero-length string still needs a buffer to point at
	buf = create_string_buffer(b, len(b) + 1)
	return L.OSSL_PARAM_construct_octet_string(key, buf, len(b)), buf


def kdf(name, lines, names):
	k = ok(L.EVP_KDF_fetch(None, name, None), name.decode())
	for line in lines:
		f = line.split()
		# ctypes keeps no reference for the library: keep the buffers
		keep = [create_string_buffer(f[0].encode())]
		ps = [L.OSSL_PARAM_construct_utf8_string(b"digest", keep[0], 0)]
		if name == b"HKDF":
			parts = [unhex(f[2]), unhex(f[3]), unhex(f[4])]
		else:
			parts = [unhex(f[2]), unhex(f[3]) + unhex(f[4])]
		for pname, v in zip(names, parts):
			if pname == b"salt" and not v:
				continue	# as the command line omits an empty salt
			p, b = octets(pname, v)
			ps.append(p)
			keep.append(b)
		ps.append(L.OSSL_PARAM_construct_end())
		arr = (Param * len(ps))(*ps)
		ctx = ok(L.EVP_KDF_CTX_new(k), "EVP_KDF_CTX_new")
		out = create_string_buffer(int(f[1]))
		ok(L.EVP_KDF_derive(ctx, out, int(f[1]), arr) == 1, name.decode())
		L.EVP_KDF_CTX_free(ctx)
		print(out.raw.hex())


def chacha(d, lines):
	c = ok(L.EVP_CIPHER_fetch(None, b"ChaCha20", None), "ChaCha20")
	for line in lines:
		name, key, _, _, iv = line.split()
		m = slurp(os.path.join(d, name))
		ctx = L.EVP_CIPHER_CTX_new()
		ok(L.EVP_EncryptInit_ex(ctx, c, None, bytes.fromhex(key), bytes.fromhex(iv)) == 1, "init")
		out, n = create_string_buffer(len(m) + 16), c_int(0)
		ok(L.EVP_EncryptUpdate(ctx, out, byref(n), m, len(m)) == 1, "ChaCha20")
		L.EVP_CIPHER_CTX_free(ctx)
		spit(os.path.join(d, name + ".ossl"), out.raw[:n.value])


def poly(d, lines):
	mac = ok(L.EVP_MAC_fetch(None, b"POLY1305", None), "POLY1305")
	for line in lines:
		name, key = line.split()[:2]
		m = slurp(os.path.join(d, name))
		ctx = L.EVP_MAC_CTX_new(mac)
		k = bytes.fromhex(key)
		ok(L.EVP_MAC_init(ctx, k, len(k), None) == 1, "EVP_MAC_init")
		ok(L.EVP_MAC_update(ctx, m, len(m)) == 1, "EVP_MAC_update")
		out, n = create_string_buffer(16), c_size_t(0)
		ok(L.EVP_MAC_final(ctx, out, byref(n), 16) == 1, "EVP_MAC_final")
		L.EVP_MAC_CTX_free(ctx)
		print(out.raw[:n.value].hex().upper())


def i2d(f, x):
	n = f(x, None)
	buf = create_string_buffer(n)
	p = c_char_p(ctypes.addressof(buf))
	ok(f(x, byref(p)) == n, "i2d")
	return buf.raw


def eckeys(curve, n, d):
	group = {"p256": b"P-256", "p384": b"P-384"}[curve]
	for i in range(1, n + 1):
		ctx = L.EVP_PKEY_CTX_new_from_name(None, b"EC", None)
		ok(L.EVP_PKEY_keygen_init(ctx) == 1, "keygen_init")
		ok(L.EVP_PKEY_CTX_set_group_name(ctx, group) == 1, "group")
		k = c_void_p()
		ok(L.EVP_PKEY_generate(ctx, byref(k)) == 1, "EVP_PKEY_generate")
		p8 = ok(L.EVP_PKEY2PKCS8(k), "EVP_PKEY2PKCS8")
		spit("%s/k%d.der" % (d, i), i2d(L.i2d_PKCS8_PRIV_KEY_INFO, p8))
		spit("%s/k%d.pub" % (d, i), i2d(L.i2d_PUBKEY, k))
		L.PKCS8_PRIV_KEY_INFO_free(p8)
		L.EVP_PKEY_free(k)
		L.EVP_PKEY_CTX_free(ctx)


def d2i(f, path):
	b = slurp(path)
	p = c_char_p(b)
	return ok(f(None, byref(p), len(b)), "d2i " + path)


def ecsign(lines):
	keys = {}
	for line in lines:
		kf, hf, sf = line.split()
		if kf not in keys:
			keys[kf] = d2i(L.d2i_AutoPrivateKey, kf)
		ctx = L.EVP_PKEY_CTX_new(keys[kf], None)
		ok(L.EVP_PKEY_sign_init(ctx) == 1, "EVP_PKEY_sign_init")
		h = slurp(hf)
		out, n = create_string_buffer(160), c_size_t(160)
		ok(L.EVP_PKEY_sign(ctx, out, byref(n), h, len(h)) == 1, "EVP_PKEY_sign")
		L.EVP_PKEY_CTX_free(ctx)
		spit(sf, out.raw[:n.value])


def ecdh(lines):
	for line in lines:
		ka, pb, sf = line.split()
		a, b = d2i(L.d2i_AutoPrivateKey, ka), d2i(L.d2i_PUBKEY, pb)
		ctx = L.EVP_PKEY_CTX_new(a, None)
		ok(L.EVP_PKEY_derive_init(ctx) == 1, "EVP_PKEY_derive_init")
		ok(L.EVP_PKEY_derive_set_peer(ctx, b) == 1, "EVP_PKEY_derive_set_peer")
		out, n = create_string_buffer(64), c_size_t(64)
		ok(L.EVP_PKEY_derive(ctx, out, byref(n)) == 1, "EVP_PKEY_derive")
		L.EVP_PKEY_CTX_free(ctx)
		L.EVP_PKEY_free(a)
		L.EVP_PKEY_free(b)
		spit(sf, out.raw[:n.value])


def rawpub(k):
	out, n = create_string_buffer(32), c_size_t(32)
	ok(L.EVP_PKEY_get_raw_public_key(k, out, byref(n)) == 1, "get_raw_public_key")
	return out.raw[:n.value]


def ed25519(lines):
	for line in lines:
		priv, mf, sf = line.split()
		k = ok(L.EVP_PKEY_new_raw_private_key(NID_ED25519, None, bytes.fromhex(priv), 32), "ed25519 key")
		md = L.EVP_MD_CTX_new()
		ok(L.EVP_DigestSignInit(md, None, None, None, k) == 1, "EVP_DigestSignInit")
		m = slurp(mf)
		out, n = create_string_buffer(64), c_size_t(64)
		ok(L.EVP_DigestSign(md, out, byref(n), m, len(m)) == 1, "EVP_DigestSign")
		spit(sf, out.raw[:n.value])
		print(rawpub(k).hex(), sf, mf)
		L.EVP_MD_CTX_free(md)
		L.EVP_PKEY_free(k)


def x25519(lines, base):
	for line in lines:
		f = line.split()
		k = ok(L.EVP_PKEY_new_raw_private_key(NID_X25519, None, bytes.fromhex(f[0]), 32), "x25519 key")
		if base:
			print(rawpub(k).hex())
			L.EVP_PKEY_free(k)
			continue
		u = ok(L.EVP_PKEY_new_raw_public_key(NID_X25519, None, bytes.fromhex(f[1]), 32), "x25519 point")
		ctx = L.EVP_PKEY_CTX_new(k, None)
		ok(L.EVP_PKEY_derive_init(ctx) == 1, "EVP_PKEY_derive_init")
		ok(L.EVP_PKEY_derive_set_peer(ctx, u) == 1, "EVP_PKEY_derive_set_peer")
		out, n = create_string_buffer(32), c_size_t(32)
		# the all-zero result is refused, as pkeyutl -derive refuses it
		if L.EVP_PKEY_derive(ctx, out, byref(n)) == 1:
			print(out.raw[:n.value].hex())
		else:
			print("fail")
			L.ERR_clear_error()
		L.EVP_PKEY_CTX_free(ctx)
		L.EVP_PKEY_free(k)
		L.EVP_PKEY_free(u)


EVP_CTRL_GCM_GET_TAG = 0x10


def gcm(lines):
	ciphers = {16: ok(L.EVP_CIPHER_fetch(None, b"AES-128-GCM", None), "AES-128-GCM"),
	    32: ok(L.EVP_CIPHER_fetch(None, b"AES-256-GCM", None), "AES-256-GCM")}
	for line in lines:
		k, iv, a, p = map(unhex, line.split())
		ctx = L.EVP_CIPHER_CTX_new()
		# the default IV length is 12 bytes, the only one x_aes uses
		ok(len(iv) == 12, "a 12-byte nonce")
		ok(L.EVP_EncryptInit_ex(ctx, ciphers[len(k)], None, k, iv) == 1, "init")
		n = c_int(0)
		if a:
			ok(L.EVP_EncryptUpdate(ctx, None, byref(n), a, len(a)) == 1, "AAD")
		out = create_string_buffer(len(p) + 16)
		if p:
			ok(L.EVP_EncryptUpdate(ctx, out, byref(n), p, len(p)) == 1, "AES-GCM")
		m = c_int(0)
		ok(L.EVP_EncryptFinal_ex(ctx, None, byref(m)) == 1, "final")
		tag = create_string_buffer(16)
		ok(L.EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1, "tag")
		L.EVP_CIPHER_CTX_free(ctx)
		print(out.raw[:len(p)].hex() or "-", tag.raw.hex())


def main(a):
	lines = lambda: (l for l in sys.stdin if l.strip())
	if a == ["version"]:
		print(L.OpenSSL_version(0).decode())
	elif a == ["hkdf"]:
		kdf(b"HKDF", lines(), [b"key", b"salt", b"info"])
	elif a == ["prf"]:
		# OpenSSL 3.0's TLS1-PRF takes the label as the first bytes of
		# the seed, as the command line gives it
		kdf(b"TLS1-PRF", lines(), [b"secret", b"seed"])
	elif len(a) == 2 and a[0] == "chacha":
		chacha(a[1], lines())
	elif len(a) == 2 and a[0] == "poly":
		poly(a[1], lines())
	elif len(a) == 4 and a[0] == "eckeys":
		eckeys(a[1], int(a[2]), a[3])
	elif a == ["ecsign"]:
		ecsign(lines())
	elif a == ["ecdh"]:
		ecdh(lines())
	elif a == ["ed25519"]:
		ed25519(lines())
	elif a == ["x25519"]:
		x25519(lines(), False)
	elif a == ["x25519pub"]:
		x25519(lines(), True)
	elif a == ["gcm"]:
		gcm(lines())
	else:
		sys.stderr.write("usage: ossl.py version|hkdf|prf|chacha|poly|eckeys|ecsign|ecdh|ed25519|x25519|x25519pub|gcm ...\n")
		sys.exit(2)


main(sys.argv[1:])
