#!/bin/sh
# tests/lint-man.sh - every man page must pass mandoc -Tlint with no
# warnings, and render with groff, as man(1) shows it, without a warning
# (groff's mdoc differs from mandoc: a callable macro name such as "An" or
# "No" in a reference title, or "(Fl I )", renders wrong there only) and
# without a macro name left in the text
rc=0
if command -v mandoc >/dev/null 2>&1; then
	for m in "$@"; do
		out=$(mandoc -Tlint -W warning "$m" 2>&1) || rc=1
		[ -n "$out" ] && { echo "$out"; rc=1; }
	done
else
	echo "lint-man: mandoc not installed, mandoc -Tlint skipped" >&2
fi
if command -v groff >/dev/null 2>&1; then
	for m in "$@"; do
		err=$(groff -mandoc -Tutf8 -ww "$m" 2>&1 >/dev/null)
		[ -n "$err" ] && { echo "$m: groff: $err"; rc=1; }
		# a macro name as a word of the text: a call groff did not parse
		left=$(groff -mandoc -Tascii -P-cbou "$m" 2>/dev/null |
			grep -nE '(^|[ (])(Fl|Ar|Pq|Ql|Cm|Li|Xr|Nm|Op|Ns|Sx|Qq|Dq|Pa|Ev|Va) [A-Za-z-]')
		[ -n "$left" ] && { echo "$m: macro left unparsed in the text:"; echo "$left"; rc=1; }
	done
else
	echo "lint-man: groff not installed, the groff rendering skipped" >&2
fi
[ $rc -eq 0 ] && echo "lint-man: $# pages clean"
exit $rc
