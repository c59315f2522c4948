#!/bin/sh
# tests/lint-man.sh - every man page must pass mandoc -Tlint with no warnings
command -v mandoc >/dev/null 2>&1 || { echo "lint-man: mandoc not installed, skipped" >&2; exit 0; }
rc=0
for m in "$@"; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1) || rc=1
	[ -n "$out" ] && { echo "$out"; rc=1; }
done
[ $rc -eq 0 ] && echo "lint-man: $# pages clean"
exit $rc
