#!/usr/bin/env python3
# inflate_vectors.py - writes tests/unit/inflate_vectors.h: compressed
# streams made by python3's zlib and gzip (and a hand-built gzip header
# with every optional field) with what they decode to, for t_inflate.c.
# Run again only to change the vectors: python3 tests/unit/inflate_vectors.py
import gzip, random, struct, zlib

rng = random.Random(23)
text = (b"The quick brown fox jumps over the lazy dog. " * 10 +
        bytes(rng.choice(b"abcdefgh \n") for _ in range(700)))
rnd = bytes(rng.getrandbits(8) for _ in range(400))

def z(data, level=6, wbits=15, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    return c.compress(data) + c.flush()

def gz_all_fields(data):
    # FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT, then the raw stream and trailer
    hdr = bytes([0x1f, 0x8b, 8, 0x1f]) + struct.pack("<I", 1234567) + b"\x02\x03"
    hdr += struct.pack("<H", 6) + b"AB\x02\x00hi"
    hdr += b"name.txt\x00" + b"a comment\x00"
    hdr += struct.pack("<H", zlib.crc32(hdr) & 0xffff)
    return hdr + z(data, 9, -15) + struct.pack("<II", zlib.crc32(data), len(data) & 0xffffffff)

vecs = [
    # name, wrap, compressed, plain
    ("zlib stored", "INF_ZLIB", z(text, 0), text),
    ("zlib fixed", "INF_ZLIB", z(text, 6, 15, zlib.Z_FIXED), text),
    ("zlib dynamic", "INF_ZLIB", z(text, 9), text),
    ("zlib huffman only", "INF_ZLIB", z(text, 6, 15, zlib.Z_HUFFMAN_ONLY), text),
    ("zlib rle", "INF_ZLIB", z(b"a" * 1000 + text, 6, 15, zlib.Z_RLE), b"a" * 1000 + text),
    ("zlib random", "INF_ZLIB", z(rnd, 9), rnd),
    ("zlib empty", "INF_ZLIB", z(b""), b""),
    ("zlib small window", "INF_ZLIB", z(text, 9, 9), text),
    ("raw dynamic", "INF_RAW", z(text, 9, -15), text),
    ("raw empty", "INF_RAW", z(b"", 9, -15), b""),
    ("auto zlib", "INF_AUTO", z(text, 1), text),
    ("auto raw", "INF_AUTO", z(text, 1, -15), text),
    ("gzip", "INF_GZIP", gzip.compress(text, 9, mtime=0), text),
    ("gzip empty", "INF_GZIP", gzip.compress(b"", mtime=0), b""),
    ("gzip every header field", "INF_GZIP", gz_all_fields(text), text),
    ("gzip two members", "INF_GZIP",
     gzip.compress(text[:100], mtime=0) + gzip.compress(rnd[:300], 0, mtime=0),
     text[:100] + rnd[:300]),
    ("gzip padded with zeros", "INF_GZIP", gzip.compress(b"pad", mtime=0) + b"\0" * 5, b"pad"),
]
for name, wrap, comp, plain in vecs:
    w = {"INF_ZLIB": 15, "INF_RAW": -15, "INF_AUTO": 15, "INF_GZIP": 31}[wrap]
    d = zlib.decompressobj(-15 if name == "auto raw" else w)
    if "two members" not in name and "padded" not in name:
        assert d.decompress(comp) == plain, name

def c(b):
    out = []
    for i in range(0, len(b), 20):
        out.append('\t    "' + "".join("\\x%02x" % x for x in b[i:i + 20]) + '"')
    return "\n".join(out) if out else '\t    ""'

with open("tests/unit/inflate_vectors.h", "w") as f:
    f.write("/* inflate_vectors.h - made by inflate_vectors.py (python3 zlib and gzip): do not edit */\n")
    f.write("struct infvec {\n\tconst char *name;\n\tint wrap;\n\tconst char *comp;\n\tsize_t ncomp;\n"
            "\tconst char *plain;\n\tsize_t nplain;\n};\n\nstatic const struct infvec infvecs[] = {\n")
    for name, wrap, comp, plain in vecs:
        f.write('\t{ "%s", %s,\n%s, %d,\n%s, %d },\n' % (name, wrap, c(comp), len(comp), c(plain), len(plain)))
    f.write("};\n")
