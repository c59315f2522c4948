#!/usr/bin/env bats
# agree.bats - for the transfer commands (httpget, smtpsend, ftpget,
# pop3get): --help, the man page's OPTIONS, what bash completion offers
# and what the binary accepts name the same options (issue 23).  dig-lite
# has its own, stricter test (its tables) in dig-lite.bats.

load lib/common

bats_require_minimum_version 1.5.0

# the options a --help shows, one per line: -x and --long, from the lines
# that describe options ("  -x, --long ARG   text" or "      --long ARG ...")
opts_help() {
	"$1" --help | grep -E '^ +-' | sed -E 's/^ +//; s/   .*//' | tr ' ,' '\n\n' |
	    grep -E '^--?[A-Za-z0-9]' | sed -E 's/=.*//' | sort -u
}

# the options of the man page's OPTIONS section
opts_man() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$TOP/man/$1.1" | grep -E '^\.It Fl' |
	    sed -E 's/^\.It //; s/ , /\n/g' | sed -E 's/ (Ar|Cm) .*//; s/ Ns .*//; s/\\-/-/g' |
	    sed -E 's/^Fl /-/' | grep -E '^--?[A-Za-z0-9][-A-Za-z0-9]*$' | sort -u
}

# what the completion offers after "-"
opts_completion() {
	PATH=$BIN:$PATH bash -c 'source "$1"; _tubes_opts "$2"' _ "$TOP/completions/$1" "$1" | sort -u
}

agree() {
	local cmd=$1 help man comp o
	help=$(opts_help "$cmd")
	man=$(opts_man "$cmd")
	comp=$(opts_completion "$cmd")
	[ "$(wc -l <<<"$help")" -ge 12 ]
	diff <(echo "$help") <(echo "$man")
	diff <(echo "$help") <(echo "$comp")
	# the binary knows each one: never "unrecognized" or "unknown option"
	for o in $help; do
		run --separate-stderr "$cmd" "$o" x y z
		if [[ "$stderr" == *"unrecognized option"* || "$stderr" == *"invalid option"* ||
		    "$stderr" == *"unknown option"* ]]; then
			echo "$cmd does not know $o: $stderr"
			return 1
		fi
	done
}

@test "agree: pop3get's --help, man page, completion and getopt name the same options" {
	agree pop3get
}

@test "agree: httpget's --help, man page, completion and getopt name the same options" {
	agree httpget
}

@test "agree: smtpsend's --help, man page, completion and getopt name the same options" {
	agree smtpsend
}

@test "agree: ftpget's --help, man page, completion and getopt name the same options" {
	agree ftpget
}
