#!/usr/bin/env bats
# The front door: README.md and the man pages agree with the commands.
#  - every option a README example gives one of the commands is in its --help
#  - every man page's SYNOPSIS names the same options as the --help usage
#  - every man page lints clean and has the sections the contract asks for
#  - the examples of "## Pipes" run on a namespace network and print what
#    the README shows

load lib/common
load lib/netns

teardown() { pipes_teardown; }

README=$TOP/README.md
TUBES_CMDS="arpq ping-lite trace dig-lite httpget smtpsend ftpget pop3get"

# the options in some text, one per line: -x, --long, +word; a bundle such
# as -46hjVX gives one line per letter; --opt=value and +opt=value lose the value
opts_in() {
	local w i
	grep -oE -- '(^|[][ |,(])(\+|--?)[A-Za-z0-9][-A-Za-z0-9]*' | tr -d '[]|,( ' |
		while read -r w; do
			case $w in
			--* | +*) printf '%s\n' "$w" ;;
			-??*) for ((i = 1; i < ${#w}; i++)); do printf -- '-%s\n' "${w:i:1}"; done ;;
			*) printf '%s\n' "$w" ;;
			esac
		done | sort -u
}

# the "$ ..." command lines of the README's examples, continuation lines
# ("> ...") joined; one command per line
readme_commands() {
	awk '
		/^```/ { code = !code; next }
		{ line = $0 }
		!code && line !~ /^    / { cmd = ""; next }
		{ sub(/^    /, "", line) }
		line ~ /^\$ / { if (cmd != "") print cmd; cmd = substr(line, 3); next }
		line ~ /^> / && cmd != "" { cmd = cmd " " substr(line, 3); next }
		{ if (cmd != "") print cmd; cmd = "" }
		END { if (cmd != "") print cmd }
	' "$README"
}

# for a command line: "CMD OPTION" for every option given to one of ours
readme_uses() {
	local -a w
	local i cur=
	# quoted strings are not options; shell operators end a command
	read -r -a w <<<"$(sed -E "s/'[^']*'//g; s/\"[^\"]*\"//g; s/[|;&()]/ ; /g" <<<"$1")"
	for ((i = 0; i < ${#w[@]}; i++)); do
		case " $TUBES_CMDS " in
		*" ${w[i]} "*) cur=${w[i]}; continue ;;
		esac
		case ${w[i]} in
		';' | do | then | done) cur= ;;
		-? | -?* | +?*) [ -n "$cur" ] && [ "${w[i]}" != - ] && printf '%s %s\n' "$cur" "${w[i]%%=*}" ;;
		esac
	done
}

@test "README: every option shown in an example is in that command's --help" {
	local line c o bad= n=0 help
	while IFS= read -r line; do
		while read -r c o; do
			[ -n "$c" ] || continue
			help=$("$c" --help 2>&1 | opts_in)
			n=$((n + 1))
			case $o in
			--* | +* | -?)
				grep -qxF -- "$o" <<<"$help" || bad="$bad
$c $o (in: $line)" ;;
			-*)	# a bundle of short options
				local k
				for ((k = 1; k < ${#o}; k++)); do
					grep -qxF -- "-${o:k:1}" <<<"$help" || bad="$bad
$c -${o:k:1} of $o (in: $line)"
				done ;;
			esac
		done < <(readme_uses "$line")
	done < <(readme_commands)
	echo "checked $n options${bad:+; not in --help:$bad}"
	[ "$n" -gt 40 ]
	[ -z "$bad" ]
}

@test "README: every command has its row, its section, its man page" {
	local c
	for c in $TUBES_CMDS; do
		grep -q "^| $c " "$README"
		grep -q "^### $c\$" "$README"
		[ -f "$TOP/man/$c.1" ] || { echo "man/$c.1 missing"; false; }
	done
}

@test "man: every SYNOPSIS names the options of the --help usage, and no other" {
	need_cmd mandoc col
	local m c h s bad=
	for m in "$TOP"/man/*.1; do
		c=${m##*/}
		c=${c%.1}
		[ -x "$BIN/$c" ] || continue
		h=$("$c" --help | awk '/^usage:/ { p = 1 } p && /^$/ { exit } p' | opts_in)
		s=$(mandoc -Tutf8 -O width=200 "$m" | col -b |
			awk '/^SYNOPSIS/ { p = 1; next } p && /^[A-Z]/ { exit } p' | opts_in)
		[ -n "$h" ] && [ -n "$s" ] || bad="$bad
$c: no options found (help: ${#h}, synopsis: ${#s})"
		if [ "$h" != "$s" ]; then
			bad="$bad
$c: --help only: $(comm -23 <(echo "$h") <(echo "$s") | tr '\n' ' ') SYNOPSIS only: $(comm -13 <(echo "$h") <(echo "$s") | tr '\n' ' ')"
		fi
	done
	echo "${bad:-all match}"
	[ -z "$bad" ]
}

@test "man: every page lints clean (mandoc -Tlint -W warning)" {
	need_cmd mandoc
	local m out bad=
	for m in "$TOP"/man/*.1 "$TOP"/man/*.7; do
		out=$(mandoc -Tlint -W warning "$m" 2>&1) || true
		[ -z "$out" ] || bad="$bad
$out"
	done
	echo "${bad:-clean}"
	[ -z "$bad" ]
}

@test "man: every page has the sections of the contract" {
	local m s missing=
	for m in "$TOP"/man/*.1; do
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO" STANDARDS; do
			grep -q "^\.Sh $s\$" "$m" || missing="$missing ${m##*/}:$s"
		done
	done
	for s in EXIT JSON; do
		grep -q "$s" "$TOP/man/tubes.7" || missing="$missing tubes.7:$s"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

# --- the examples of "## Pipes", run -----------------------------------

# the examples of one section: "CMD<TAB>expected output file" pairs
pipes_examples() {
	awk -v dir="$1" '
		/^## / { sec = ($0 ~ /^## Pipes/); next }
		!sec { next }
		/^```/ { if (code && cmd != "") { print cmd "\t" file; cmd = "" } code = !code; next }
		!code { next }
		/^\$ / { if (cmd != "") print cmd "\t" file
			n++; file = dir "/expected." n; printf "" > file
			cmd = substr($0, 3); inc = 1; next }
		/^> / && inc { cmd = cmd "\001" substr($0, 3); next }
		{ inc = 0; print >> file }
	' "$README"
}

pipes_setup() {
	need_root
	need_cmd jq
	ns_lan
	local d=$BATS_TEST_TMPDIR
	# names.txt, a DNS server for lab.example on the client's loopback, a
	# web server for www and blog on n4 (10.9.0.4); old does not exist
	printf '%s\n' www.lab.example old.lab.example blog.lab.example >"$d/names.txt"
	cat >"$d/lab.dns" <<-'EOF'
	match www.lab.example A
	flags aa
	answer www.lab.example. 60 A 10.9.0.4
	match blog.lab.example A
	flags aa
	answer blog.lab.example. 60 A 10.9.0.4
	match *.lab.example *
	flags aa
	match * *
	flags aa
	rcode NXDOMAIN
	EOF
	ip netns exec "$NS_CLIENT" "$TESTBIN/dnspeer" -a 127.0.0.1 -s "$d/lab.dns" -P "$d/dns.port" \
		</dev/null >/dev/null 2>"$d/dns.err" &
	DNS_PID=$!
	wait_file "$d/dns.port"
	printf 'nameserver 127.0.0.1#%s\n' "$(cat "$d/dns.port")" >"$d/resolv.conf"
	# the web peers live for the whole test (-T 300): under valgrind the
	# examples before the last one take longer than 20 s, and a peer that
	# had given up answered the last example with "connection refused".
	# The teardown ends them by PID.
	# port 80: the kernel's "any port" is 80 in the servers' namespaces
	ns_exec n3 sysctl -qw net.ipv4.ip_unprivileged_port_start=0
	ns_exec n3 sysctl -qw net.ipv4.ip_local_port_range="80 80"
	ns_exec n4 sysctl -qw net.ipv4.ip_unprivileged_port_start=0
	ns_exec n4 sysctl -qw net.ipv4.ip_local_port_range="80 80"
	local page='HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi\n'
	printf '%s\n' 'expect ^GET / HTTP/1\.1$' 'expect ^Host: www\.lab\.example$' \
		'expect ^User-Agent:' 'expect ^Accept:' 'expect ^Connection:' 'expect ^$' "send $page" \
		'accept' 'expect ^GET / HTTP/1\.1$' 'expect ^Host: blog\.lab\.example$' \
		'expect ^User-Agent:' 'expect ^Accept:' 'expect ^Connection:' 'expect ^$' "send $page" \
		>"$d/web.peer"
	ip netns exec "$NS_N4" "$TESTBIN/fakepeer" -a 10.9.0.4 -T 300 "$d/web.port" "$d/web.log" "$d/web.peer" \
		</dev/null >/dev/null 2>"$d/web.err" &
	WEB_PID=$!
	printf '%s\n' 'expect ^HEAD / HTTP/1\.1$' 'expect ^Host: 10\.9\.0\.3$' \
		'expect ^User-Agent:' 'expect ^Accept:' 'expect ^Connection:' 'expect ^$' \
		'send HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n' >"$d/n3.peer"
	ip netns exec "$NS_N3" "$TESTBIN/fakepeer" -a 10.9.0.3 -T 300 "$d/n3.port" "$d/n3.log" "$d/n3.peer" \
		</dev/null >/dev/null 2>"$d/n3.err" &
	N3_PID=$!
	wait_file "$d/web.port"
	wait_file "$d/n3.port"
	[ "$(cat "$d/web.port")" = 80 ]
	[ "$(cat "$d/n3.port")" = 80 ]
}

pipes_teardown() {
	local p
	for p in ${DNS_PID:-} ${WEB_PID:-} ${N3_PID:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ns_teardown
}

@test "README: the examples of Pipes run on the rig and print what the README shows" {
	pipes_setup
	local d=$BATS_TEST_TMPDIR cmd file n=0 got
	while IFS=$'\t' read -r cmd file; do
		cmd=${cmd//$'\001'/$'\n'}
		n=$((n + 1))
		# the README's "cat names.txt" is the file itself
		got=$(cd "$d" && ns_exec client env PATH="$PATH" TUBES_RESOLV_CONF="$d/resolv.conf" \
			timeout 20 bash -c "$cmd" 2>"$d/stderr.$n") || true
		if [ "$got" != "$(cat "$file")" ]; then
			echo "example $n: $cmd"
			echo "--- README shows:"
			cat "$file"
			echo "--- it printed:"
			echo "$got"
			cat "$d/stderr.$n"
			false
		fi
	done < <(pipes_examples "$d")
	[ "$n" -ge 4 ]
}
