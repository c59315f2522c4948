#!/usr/bin/env bats
# lib/wire/inflate.c against python3's zlib: random inputs compressed at
# every level 0-9, with every window size, memory level and strategy, in
# zlib, raw and gzip wrapping, decoded by tests/peers/inflatecat fed in
# random piece sizes, must give back the input; cut or corrupted ones
# must fail.  The fixed vectors are tests/unit/t_inflate.c.
load lib/common

setup() {
	need_cmd python3
}

@test "inflate: python3 zlib at levels 0-9, every wrapping, random pieces" {
	run python3 - "$TESTBIN/inflatecat" <<'EOF'
import gzip, random, subprocess, sys, zlib
cat = sys.argv[1]
rng = random.Random(450)
def sample(i):
    kind = i % 5
    n = rng.choice([0, 1, 2, 100, 1000, 40000, 70000, 200000])
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(n))
    if kind == 1:
        words = [bytes(rng.choice(b"etaoinshrdlu") for _ in range(rng.randrange(1, 9))) for _ in range(50)]
        return b" ".join(rng.choice(words) for _ in range(n // 5))[:n]
    if kind == 2:
        return bytes(rng.choice(b"ab") for _ in range(n))
    if kind == 3:
        return b"\0" * n
    blk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 40000)))
    return (blk * (n // len(blk) + 1))[:n]
runs = bad = 0
for i in range(60):
    data = sample(i)
    for level in range(10):
        wrap = rng.choice(["zlib", "raw", "gzip", "auto", "auto"])
        wb = rng.randrange(9, 16)
        strat = rng.choice([zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY,
                            zlib.Z_RLE, zlib.Z_FIXED])
        mem = rng.randrange(1, 10)
        w = {"zlib": wb, "raw": -wb, "gzip": 16 + wb, "auto": rng.choice([wb, -wb])}[wrap]
        c = zlib.compressobj(level, zlib.DEFLATED, w, mem, strat)
        comp = c.compress(data) + c.flush()
        piece = str(rng.choice([1, 3, 64, 1000, 65536]) if len(comp) < 300000 else 65536)
        if len(comp) > 20000 and piece in ("1", "3"):
            piece = "4096"
        p = subprocess.run([cat, wrap, piece], input=comp, capture_output=True, timeout=60)
        runs += 1
        if p.returncode != 0 or p.stdout != data:
            bad += 1
            print("FAIL input %d level %d %s wbits %d strategy %d piece %s: rc %d, %d of %d bytes %s"
                  % (i, level, wrap, w, strat, piece, p.returncode, len(p.stdout), len(data),
                     p.stderr.decode().strip()))
        if wrap in ("zlib", "gzip") and len(comp) > 20:
            # a cut stream and a wrong check value both fail
            for broken in (comp[:rng.randrange(1, len(comp))],
                           comp[:-1] + bytes([comp[-1] ^ 1]) if wrap == "zlib" else
                           comp[:-8] + bytes([comp[-8] ^ 1]) + comp[-7:]):
                p = subprocess.run([cat, wrap], input=broken, capture_output=True, timeout=60)
                runs += 1
                if p.returncode != 1:
                    bad += 1
                    print("FAIL input %d level %d %s broken: rc %d" % (i, level, wrap, p.returncode))
# gzip members one after another, as gzip -c a b > c makes
a, b = sample(6), sample(7)
p = subprocess.run([cat, "gzip", "7"], input=gzip.compress(a) + gzip.compress(b, 1), capture_output=True)
runs += 1
if p.returncode != 0 or p.stdout != a + b:
    bad += 1
    print("FAIL two members")
print("%d runs, %d bad" % (runs, bad))
sys.exit(1 if bad or runs < 600 else 0)
EOF
	echo "$output"
	[ "$status" -eq 0 ]
}
