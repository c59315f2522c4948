#!/usr/bin/env bats
# The floors of lib/ as DESIGN.md draws them, checked from the source:
# wire code (lib/wire) makes no system call and includes no system
# header beyond the C library's pure ones.  The files that still format
# with snprintf are listed in STDIO_LEFT; the list may only shrink
# (issue 18: wire files without stdio).

load lib/common

# wire files that still include <stdio.h> for snprintf into a buffer (the
# others use wire.h's struct fmt)
STDIO_LEFT="icmp.c ip.c"

@test "floors: lib/wire includes only <stddef.h> <stdint.h> <string.h> <limits.h> <stdbool.h>" {
	local bad
	bad=$(grep -Hn '^#include <' "$TOP"/lib/wire/*.[ch] |
	    grep -Ev '<(stddef|stdint|string|limits|stdbool)\.h>' |
	    grep -v '<stdio\.h>' || true)
	[ -z "$bad" ] || { echo "$bad"; false; }
}

@test "floors: no lib/wire file but the listed ones includes <stdio.h> or names FILE" {
	local f base bad=
	for f in "$TOP"/lib/wire/*.[ch]; do
		base=${f##*/}
		case " $STDIO_LEFT " in *" $base "*) continue ;; esac
		if grep -Eq '#include <stdio\.h>|\bFILE\b *\*' "$f"; then
			bad="$bad $base"
		fi
	done
	[ -z "$bad" ] || { echo "stdio in:$bad"; false; }
}

@test "floors: lib/wire makes no system call and reads no clock or environment" {
	local bad
	bad=$(grep -HnE '\b(open|close|read|write|socket|poll|malloc|free|getenv|time|clock_gettime|exit|abort)\(' \
	    "$TOP"/lib/wire/*.c | grep -v '^\S*:[0-9]*:\s*/\?\*' || true)
	[ -z "$bad" ] || { echo "$bad"; false; }
}

@test "floors: the stdio list is not stale (a file cleaned up leaves it)" {
	local f
	for f in $STDIO_LEFT; do
		grep -q '#include <stdio\.h>' "$TOP/lib/wire/$f" ||
		    { echo "$f no longer uses stdio: take it off STDIO_LEFT"; false; }
	done
}
