#!/usr/bin/env bats
# make install / make uninstall into a DESTDIR: binaries, man pages and
# bash completions land where they should, the installed binaries run, the
# completions complete, and uninstall takes every file away again.

load lib/common

INST_O=${O:-build/rel}
CMDS=()

setup() {
	local c
	CMDS=()
	for c in "$TOP"/cmd/*.c; do
		c=${c##*/}
		CMDS+=("${c%.c}")
	done
	DEST=$BATS_TEST_TMPDIR/dest
}

inst() { make -s -C "$TOP" O="$INST_O" DESTDIR="$DEST" PREFIX=/usr "$@"; }

@test "install: binaries, man pages and completions under DESTDIR/usr" {
	run inst install
	echo "$output"
	[ "$status" -eq 0 ]
	local c m
	for c in "${CMDS[@]}"; do
		[ -x "$DEST/usr/bin/$c" ]
		[ -f "$DEST/usr/share/bash-completion/completions/$c" ]
		[ ! -L "$DEST/usr/share/bash-completion/completions/$c" ]
		grep -q "complete -F _tubes .*$c" "$DEST/usr/share/bash-completion/completions/$c"
	done
	for m in "$TOP"/man/*.1; do
		[ -f "$DEST/usr/share/man/man1/${m##*/}" ]
	done
	for m in "$TOP"/man/*.7; do
		[ -f "$DEST/usr/share/man/man7/${m##*/}" ]
	done
	# nothing outside DESTDIR/usr
	[ "$(ls "$DEST")" = usr ]
}

@test "install: the installed binaries run (--version, --help)" {
	inst install
	local c
	for c in "${CMDS[@]}"; do
		run "$DEST/usr/bin/$c" --version
		[ "$status" -eq 0 ]
		[[ "$output" == "$c (tubes) "* ]]
		run "$DEST/usr/bin/$c" --help
		[ "$status" -eq 0 ]
		[[ "$output" == *"usage: $c "* ]]
	done
}

@test "install: the installed man pages render with man -l" {
	need_cmd man
	inst install
	local m
	for m in "$DEST"/usr/share/man/man1/*.1 "$DEST"/usr/share/man/man7/*.7; do
		run env MANWIDTH=80 man -l "$m"
		[ "$status" -eq 0 ]
		[[ "$output" == *NAME* ]]
		[[ "$output" == *SYNOPSIS* || "$m" == *.7 ]]
	done
}

@test "install: the installed completions complete options and dig-lite types" {
	inst install
	run env PATH="$DEST/usr/bin:$PATH" bash -c '
		source "$1/dig-lite"
		t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _tubes "$1"; echo "${COMPREPLY[*]}"; }
		t dig-lite +tr
		t dig-lite -t MX
		t dig-lite www.lab.test AA
		t httpget --max-re
		t pop3get --pass
		t ping-lite --unt
		t smtpsend --auth p
		t arpq --cach' _ "$DEST/usr/share/bash-completion/completions"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "+trace +tries=" ]
	[ "${lines[1]}" = "MX" ]
	[ "${lines[2]}" = "AAAA" ]
	[ "${lines[3]}" = "--max-redirs" ]
	[ "${lines[4]}" = "--password-file" ]
	[ "${lines[5]}" = "--until" ]
	[ "${lines[6]}" = "plain" ]
	[ "${lines[7]}" = "--cached" ]
}

# a section table line of readelf -S names .symtab or .debug_info
has_syms() { LC_ALL=C readelf -S "$1" | grep -Eq ' \.(symtab|debug_info) '; }

@test "install keeps the symbols; install-strip strips them, and the stripped binaries run" {
	need_cmd readelf
	inst install
	local c
	for c in "${CMDS[@]}"; do
		has_syms "$DEST/usr/bin/$c"
	done
	rm -rf "$DEST"
	run inst install-strip
	echo "$output"
	[ "$status" -eq 0 ]
	for c in "${CMDS[@]}"; do
		[ -x "$DEST/usr/bin/$c" ]
		! has_syms "$DEST/usr/bin/$c"
		# the same program, only smaller
		[ "$(stat -c %s "$DEST/usr/bin/$c")" -lt "$(stat -c %s "$TOP/$INST_O/bin/$c")" ]
		run "$DEST/usr/bin/$c" --version
		[ "$status" -eq 0 ]
		[[ "$output" == "$c (tubes) "* ]]
	done
	# the man pages and completions come too
	[ -f "$DEST/usr/share/man/man7/tubes.7" ]
	[ -f "$DEST/usr/share/bash-completion/completions/arpq" ]
}

@test "uninstall: every installed file is gone" {
	inst install
	run inst uninstall
	[ "$status" -eq 0 ]
	run find "$DEST" -type f
	echo "$output"
	[ -z "$output" ]
}

# man_opts PAGE: the options a man page's SYNOPSIS and OPTIONS name, one a line
# (a bundle such as Fl bDfhjnqUVX counted letter by letter)
man_opts() {
	local w i
	for w in $(grep -E '^\.(It|Op) ' "$1" | grep -oE 'Fl \\?-?[-A-Za-z0-9]+' | sed 's/^Fl //; s/\\//g'); do
		case $w in
		-*) printf '%s\n' "-$w" ;;
		?) printf '%s\n' "-$w" ;;
		*) for ((i = 0; i < ${#w}; i++)); do printf '%s\n' "-${w:i:1}"; done ;;
		esac
	done | sort -u
}

@test "completion, --help and the man page name the same options (arpq, trace, ping-lite)" {
	local c comp man
	for c in arpq trace ping-lite; do
		comp=$(PATH="$TOP/$INST_O/bin:$PATH" bash -c 'source "$1/completions/.tubes.bash"; _tubes_opts "$2"' _ "$TOP" "$c" | sort -u)
		man=$(man_opts "$TOP/man/$c.1")
		echo "$c completion: $(echo $comp)"; echo "$c man page:   $(echo $man)"
		[ -n "$comp" ]
		[ "$comp" = "$man" ]
	done
	# what this round added is there
	PATH="$TOP/$INST_O/bin:$PATH" bash -c 'source "$1/completions/.tubes.bash"; _tubes_opts arpq' _ "$TOP" | grep -qx -- -b
	"$TOP/$INST_O/bin/trace" --help | grep -q '^  packetlen  '
}
