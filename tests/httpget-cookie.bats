#!/usr/bin/env bats
# httpget-cookie.bats - curl's -b and -c in httpget (issue 23): cookies
# set by a server (tests/peers/cookiepeer.py on 127.0.0.1) and sent back
# on later requests and redirects, compared with what curl sends; jars
# written by each read by the other; the Domain and stdout refusals.
load lib/common

bats_require_minimum_version 1.5.0

setup() {
	command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
	CP_DIR=$(mktemp -d "$BATS_TEST_TMPDIR/cp.XXXXXX")
	python3 "$TOP/tests/peers/cookiepeer.py" "$CP_DIR/port" "$CP_DIR/log" 60 \
	    2>"$CP_DIR/err" 3>&- &
	CP_PID=$!
	wait_file "$CP_DIR/port" 5 || { cat "$CP_DIR/err" >&2; return 1; }
	PORT=$(cat "$CP_DIR/port")
	U="http://127.0.0.1:$PORT"
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	[ -n "${CP_PID:-}" ] || return 0
	kill "$CP_PID" 2>/dev/null
	wait "$CP_PID" 2>/dev/null || true
}

need_curl() {
	command -v curl >/dev/null 2>&1 || skip "curl not installed"
}

# a Cookie field as its pairs, one a line, sorted (curl's order of
# cookies with paths of one length is its own)
pairs() {
	tr -d '\n' | sed 's/; /\n/g' | sort
}

# the cookie lines of a jar, sorted, without the header comments; the
# expiry of b (Max-Age=3600) as "now+3600" when it is within 5 s of that
# (curl and httpget ran a second apart, or not)
jarlines() {
	grep -v '^# \|^$' "$1" | awk -F '\t' -v now="$(date +%s)" 'BEGIN { OFS = "\t" }
	    $6 == "b" && $5 >= now + 3595 && $5 <= now + 3605 { $5 = "now+3600" } { print }' |
	    sort
}

@test "-c: a second request and a redirect carry the cookies the server set, as curl's" {
	need_curl
	run -0 httpget -s -c h.jar "$U/set" "$U/sub/echo" "$U/echo" "$U/redir"
	[ "${lines[0]}" = set ]
	[ "$(echo "${lines[1]}" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4')" ]
	[ "$(echo "${lines[2]}" | pairs)" = "$(printf 'a=1\nb=2\nd=4')" ]
	# the 302 set r=7 on its way: the redirected request has it
	[ "$(echo "${lines[3]}" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4\nr=7')" ]
	# c (Path=/sub) came before the others (longer paths first)
	[[ "${lines[1]}" == "c=3; "* ]]
	# curl sends the same cookies
	run -0 curl -sL -c c.jar "$U/set" "$U/sub/echo" "$U/echo" "$U/redir"
	[ "$(echo "${lines[1]}" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4')" ]
	[ "$(echo "${lines[2]}" | pairs)" = "$(printf 'a=1\nb=2\nd=4')" ]
	[ "$(echo "${lines[3]}" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4\nr=7')" ]
	# and the two jars hold the same lines (gone=x, Max-Age=0, in neither)
	diff <(jarlines h.jar) <(jarlines c.jar)
	jarlines h.jar | grep -q "	now+3600	b	2\$"
	! grep -q gone h.jar || false
	grep -q "^#HttpOnly_127.0.0.1	FALSE	/	FALSE	0	d	4\$" h.jar
	head -1 h.jar | grep -qx '# Netscape HTTP Cookie File'
}

@test "-c: the jar is written mode 0600 by a rename, and replaces the old file" {
	echo old >h.jar
	chmod 644 h.jar
	run -0 httpget -s -c h.jar "$U/set"
	[ "$(stat -c %a h.jar)" = 600 ]
	grep -q "	a	1\$" h.jar
	! grep -q old h.jar || false
	# no temporary file left beside it
	[ "$(ls -A | grep -c jar)" = 1 ]
	# no cookies and no file: none is made (as a failed run leaves none)
	run -0 httpget -s -c new.jar "$U/echo"
	[ ! -e new.jar ]
	# no cookies left, the file there: it is emptied of them
	printf '127.0.0.1\tFALSE\t/\tFALSE\t1000\told\tv\n' >h.jar
	run -0 httpget -s -b h.jar -c h.jar "$U/echo"
	[ "$output" = - ]
	! grep -q old h.jar || false
	head -1 h.jar | grep -qx '# Netscape HTTP Cookie File'
}

@test "jars cross: curl -c read by httpget -b, httpget -c read by curl -b" {
	need_curl
	curl -s -c c.jar "$U/set" >/dev/null
	run -0 httpget -s -b c.jar "$U/sub/echo"
	[ "$(echo "$output" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4')" ]
	httpget -s -c h.jar "$U/set" >/dev/null
	run -0 curl -s -b h.jar "$U/sub/echo"
	[ "$(echo "$output" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4')" ]
	# -b FILE turns the engine on: a cookie set in the run is sent later in it
	run -0 httpget -s -b h.jar "$U/redir"
	[ "$(echo "$output" | pairs)" = "$(printf 'a=1\nb=2\nc=3\nd=4\nr=7')" ]
	# -b FILE -c FILE: read, then written back with what came since
	run -0 httpget -s -b h.jar -c h.jar "$U/redir"
	grep -q "	r	7\$" h.jar
	# a -b file that does not exist: no cookies, no error (as curl)
	run -0 httpget -s -b nosuch.jar "$U/echo"
	[ "$output" = - ]
}

@test "-b DATA: sent as the Cookie field to every URL, as curl -b DATA" {
	need_curl
	run -0 httpget -s -b 'x=1; y=2' "$U/echo" "$U/sub/echo"
	[ "${lines[0]}" = "x=1; y=2" ] && [ "${lines[1]}" = "x=1; y=2" ]
	run -0 curl -s -b 'x=1; y=2' "$U/echo"
	[ "$output" = "x=1; y=2" ]
	# with -c, the jar's cookies join them
	run -0 httpget -s -b 'x=1' -c h.jar "$U/set" "$U/echo"
	[ "$(echo "${lines[1]}" | pairs)" = "$(printf 'a=1\nb=2\nd=4\nx=1')" ]
	# no -b and no -c: no engine, no Cookie field
	run -0 httpget -s "$U/set" "$U/echo"
	[ "${lines[1]}" = - ]
	run -2 httpget -s -b "$(printf 'x=1\001')" "$U/echo"
}

@test "a Domain for another site, or a bare suffix, is refused; others from the response taken" {
	run -0 httpget -s -c h.jar "$U/evil" "$U/echo"
	[ "${lines[1]}" = "ok=1" ]
	! grep -q "e1\|e2" h.jar || false
	run -0 httpget -sv -c h.jar "$U/evil"
	[[ "$stderr" == *"Set-Cookie 1 from 127.0.0.1 ignored: its Domain is not the host's"* ]] ||
	    [[ "$output" == *"Set-Cookie 1 from 127.0.0.1 ignored"* ]]
}

@test "Secure: not taken over http, nor sent; (curl treats 127.0.0.1 as secure)" {
	run -0 httpget -s -c h.jar "$U/secure" "$U/echo"
	[ "${lines[1]}" = - ]
	! grep -q "	s	5\$" h.jar || false
	printf '127.0.0.1\tFALSE\t/\tTRUE\t0\ts\t5\n127.0.0.1\tFALSE\t/\tFALSE\t0\tp\t6\n' >in.jar
	run -0 httpget -s -b in.jar "$U/echo"
	[ "$output" = "p=6" ]
}

@test "a redirect to another origin: host-only cookies and -b DATA stay behind" {
	# the redirect goes to localhost: named 127.0.0.1 by a hosts file of
	# the test's own (a fresh machine's /etc/hosts may not say so)
	printf '127.0.0.1 localhost\n' >hosts
	export TUBES_HOSTS=$PWD/hosts
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\th\t1\nlocalhost\tFALSE\t/\tFALSE\t0\tl\t2\n' >in.jar
	run -0 httpget -4 -s -b in.jar -b 'x=9' "$U/away"
	[ "$output" = "l=2" ]
	grep -q "^/away	h=1; x=9\$" "$CP_DIR/log" || grep -q "^/away	x=9; h=1\$" "$CP_DIR/log"
	# --location-trusted: -b DATA goes along too
	run -0 httpget -4 -s -b in.jar -b 'x=9' --location-trusted "$U/away"
	[ "$(echo "$output" | pairs)" = "$(printf 'l=2\nx=9')" ]
	# and a -H Cookie: field stays under the credential rule as before
	run -0 httpget -4 -s -H 'Cookie: z=1' "$U/away"
	[ "$output" = - ]
}

@test "-c - writes the jar to stdout when the body goes to a file; refused otherwise" {
	run -0 --separate-stderr httpget -s -o body -c - "$U/set"
	[ "$(cat body)" = set ]
	[[ "$output" == "# Netscape HTTP Cookie File"* ]]
	[[ "$output" == *"	a	1"* ]]
	run -2 --separate-stderr httpget -s -c - "$U/set"
	[[ "$stderr" == *"-c -"* ]]
	[ -z "$output" ]
	run -2 httpget -s -j -o body -c - "$U/set"
	run -2 httpget -s -c '' "$U/set"
}
