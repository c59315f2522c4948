#!/usr/bin/env bats
# dig-lite: command line, output, and the hostile DNS cases DNS-01..19 of
# hostile-peers.md against tests/peers/dnspeer (127.0.0.1, kernel ports).
# Interop with nsd at the end (root: network namespace).

load lib/common
bats_require_minimum_version 1.5.0


setup() {
	T=$(mktemp -d)
	PIDS=
}

teardown() {
	nsd_down 2>/dev/null || true
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	[ -n "${NSNAME:-}" ] && ip netns del "$NSNAME" 2>/dev/null
	rm -rf "$T"
}

# peer NAME: start dnspeer with the script on stdin; sets PORT
peer() {
	cat >"$T/$1.script"
	"$TESTBIN/dnspeer" -s "$T/$1.script" -P "$T/$1.port" -l "$T/$1.log" 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/$1.port"
	PORT=$(cat "$T/$1.port")
}

stop_peers() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	PIDS=
	return 0
}

dl() {
	run --separate-stderr dig-lite @127.0.0.1 -p "$PORT" +timeout=1 +tries=1 "$@"
}

ok_peer() {
	peer p <<-EOS
	match lab.test A
	flags aa
	answer lab.test 3600 A 192.0.2.1
	match srv.lab.test A
	answer srv.lab.test 60 A 127.0.0.1
	match lab.test MX
	answer lab.test 3600 MX 10 mx1.lab.test
	answer lab.test 3600 MX 20 mx2.lab.test
	additional mx1.lab.test 3600 A 192.0.2.25
	match nx.lab.test *
	rcode NXDOMAIN
	authority lab.test 300 SOA \# 036e7331036c6162047465737400 0a686f73746d6173746572036c6162047465737400 78b9a3c9 00000e10 00000384 00093a80 0000012c
	match empty.lab.test *
	authority lab.test 300 NS ns1.lab.test
	EOS
}

@test "dig-lite: --help on stdout, exit 0; -V; bad option exit 2" {
	run dig-lite --help
	[ "$status" -eq 0 ]
	[[ "$output" == usage:\ dig-lite* ]]
	run dig-lite -V
	[ "$output" = "dig-lite (tubes) 0.1.0" ]
	run --separate-stderr dig-lite -Z
	[ "$status" -eq 2 ]
	run --separate-stderr dig-lite +bogus x
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"+bogus: unknown option"* ]]
	run --separate-stderr dig-lite -t NOPE x
	[ "$status" -eq 2 ]
}

# the option and type sets of one source, one per line, sorted
opts_code() {
	local src=$BATS_TEST_DIRNAME/../cmd/dig-lite.c
	# getopt's string and the long options
	sed -n 's/.*getopt_long(argc, argv, "-\([^"]*\)".*/\1/p' "$src" | tr -d ':' | grep -o . | sed 's/^/-/'
	sed -n 's/^\t\t{ "\([a-z]*\)", [a-z_]*_argument,.*/--\1/p' "$src"
	# the TLS options every TLS command takes (lib/tls/tlsopt.h's table)
	grep -qE '^\s+TLSOPT_LONGOPTS,' "$src" && sed -n \
	    's/^\t{ "\([a-z-]*\)", [a-z_]*_argument, NULL, TLSOPT_.*/--\1/p' \
	    "$BATS_TEST_DIRNAME/../lib/tls/tlsopt.h"
	# the +option table: name and alias
	sed -n 's/^\t{ "\([a-z=-]*\)", \(NULL\|"\([a-z=-]*\)"\), PO_[A-Z]*,.*/+\1 +\3/p' "$src" |
	    tr ' ' '\n' | grep -v '^+$'
	echo @server
}
opts_help() {
	dig-lite --help | grep -E '^ +[-+@]' | sed -E 's/^ +//; s/   .*//' | tr ' ' '\n' | tr -d ',' |
	    grep -E '^([-@]|\+)' | sed -E 's/^\+\[no\]/+/; s/^(\+[a-z-]+=).*/\1/; s/\[=.*//'
}
opts_man() {
	local man=$BATS_TEST_DIRNAME/../man/dig-lite.1
	sed -n '/^\.Sh OPTIONS/,/^\.Sh/p' "$man" | grep -E '^\.It (Fl|Cm|@)' |
	    sed -E 's/^\.It //; s/ , /\n/g' | sed -E 's/^(Fl|Cm) //; s/^\\-/--/; s/ Ns Ar .*//; s/ Ns Oo .*//; s/ Ar .*//' |
	    sed -E 's/^([0-9A-Za-z])$/-\1/; s/^\\-(.*)/--\1/; s/^\+\[no\]/+/; s/^@$/@server/'
}
opts_completion() {
	PATH=$BIN:$PATH bash -c 'source "$1"; _tubes_opts dig-lite' _ "$BATS_TEST_DIRNAME/../completions/dig-lite"
	echo @server
}

@test "dig-lite: --help, the man page, the completion and the code's tables agree (options and types)" {
	local code help man comp want
	code=$(opts_code | sort -u)
	help=$(opts_help | sort -u)
	man=$(opts_man | sort -u)
	diff <(echo "$code") <(echo "$help")
	diff <(echo "$code") <(echo "$man")
	# the completion offers each flag with and without "no", and the value options with =
	want=$(for w in $code; do
		echo "$w"
		case $w in
		+*=|+all|-*|@*) ;;
		+*) echo "+no${w#+}" ;;
		esac
	done | sed 's/^+noall$//' | sort -u | grep .)
	want=$(printf '%s\n+noall\n' "$want" | sort -u)
	comp=$(opts_completion | sort -u)
	diff <(echo "$want") <(echo "$comp")
	[ "$(wc -l <<<"$code")" -ge 40 ]
	# types: lib/wire/dnstext.c's table, --help, the man page's -t list, what -t completes
	local src=$BATS_TEST_DIRNAME/../lib/wire/dnstext.c tcode thelp tman tcomp t
	tcode=$(sed -n '/^static const struct nv types\[\] = {/,/^}, classes/p' "$src" |
	    grep -oE '"[A-Z0-9]+"' | tr -d '"' | sort)
	thelp=$(dig-lite --help | sed -n 's/^types: //p' | tr ' ' '\n' | grep -vx TYPEn | sort)
	tman=$(sed -n '/^\.It Fl t Ar type/,/^\.Ed/p' "$BATS_TEST_DIRNAME/../man/dig-lite.1" |
	    sed -n '/^\.Bd/,/^\.Ed/p' | grep -v '^\.' | tr ' ' '\n' | grep . | sort)
	tcomp=$(PATH=$BIN:$PATH bash -c 'source "$1"; COMP_WORDS=(dig-lite -t ""); COMP_CWORD=2;
	    _tubes dig-lite; printf "%s\n" "${COMPREPLY[@]}"' _ "$BATS_TEST_DIRNAME/../completions/dig-lite" | sort)
	diff <(echo "$tcode") <(echo "$thelp")
	diff <(echo "$tcode") <(echo "$tman")
	diff <(echo "$tcode") <(echo "$tcomp")
	for t in HTTPS SVCB TLSA NAPTR SSHFP NSEC3 NSEC3PARAM DNAME URI OPENPGPKEY CDS CDNSKEY \
	    CSYNC ZONEMD LOC HINFO RP; do
		grep -qx "$t" <<<"$tcode"
	done
	# and every type offered is accepted
	for t in $tcomp; do
		run --separate-stderr dig-lite -t "$t" @127.0.0.1 -p 1 +tries=1 +timeout=0.01 x
		[ "$status" -ne 2 ] || { echo "rejected: $t"; false; }
	done
}

@test "DNS-04 a label over 63 octets or an empty label is a usage error" {
	run --separate-stderr dig-lite @127.0.0.1 "$(printf 'a%.0s' {1..64}).test"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"bad label length"* ]]
	run --separate-stderr dig-lite @127.0.0.1 a..b
	[ "$status" -eq 2 ]
}

@test "dig-lite: dig's layout, sections, footer" {
	ok_peer
	dl lab.test MX
	[ "$status" -eq 0 ]
	[[ "$output" == *";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: "* ]]
	[[ "$output" == *";; flags: qr rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 2"* ]]
	[[ "$output" == *"; EDNS: version: 0, flags:; udp: 1232"* ]]
	grep -qxF ";lab.test.			IN	MX" <<<"$output"
	grep -qxF "lab.test.		3600	IN	MX	10 mx1.lab.test." <<<"$output"
	grep -qxF "mx1.lab.test.		3600	IN	A	192.0.2.25" <<<"$output"
	grep -qx ";; SERVER: 127.0.0.1#$PORT(127.0.0.1) (UDP)" <<<"$output"
	grep -q "^;; MSG SIZE  rcvd: [0-9]" <<<"$output"
	[ -z "$stderr" ]
	grep -q "^udp lab.test. MX edns=1232 rd id=" "$T/p.log"
}

@test "dig-lite: +short, several queries, exit is the worst" {
	ok_peer
	dl +short lab.test MX lab.test
	[ "$status" -eq 0 ]
	[ "$output" = $'10 mx1.lab.test.\n20 mx2.lab.test.\n192.0.2.1' ]
	dl +short lab.test nx.lab.test
	[ "$status" -eq 1 ]
	[ "$output" = "192.0.2.1" ]
	[ "$stderr" = "dig-lite: nx.lab.test: NXDOMAIN" ]
	dl +short empty.lab.test
	[ "$status" -eq 1 ]
	[ "$stderr" = "dig-lite: empty.lab.test: NODATA" ]
}

@test "dig-lite: a CNAME with no record of the type asked is NODATA: the CNAME printed as dig does, exit 1" {
	peer p <<-EOS
	match alias.lab.test A
	answer alias.lab.test 60 CNAME target.lab.test
	authority lab.test 300 NS ns1.lab.test
	match alias.lab.test CNAME
	answer alias.lab.test 60 CNAME target.lab.test
	match www.lab.test A
	answer www.lab.test 60 CNAME web.lab.test
	answer web.lab.test 60 A 192.0.2.80
	EOS
	dl +short alias.lab.test
	[ "$status" -eq 1 ]
	[ "$output" = "target.lab.test." ]
	[ "$stderr" = "dig-lite: alias.lab.test: NODATA" ]
	# the same name asked for its CNAME, and a chain that ends in an A: answers
	dl +short alias.lab.test CNAME
	[ "$status" -eq 0 ]
	[ "$output" = "target.lab.test." ]
	dl +short www.lab.test
	[ "$status" -eq 0 ]
	[ "$output" = $'web.lab.test.\n192.0.2.80' ]
	dl alias.lab.test
	[ "$status" -eq 1 ]
	[[ "$output" == *"status: NOERROR"* ]]
	[[ "$output" == *$'alias.lab.test.\t\t60\tIN\tCNAME\ttarget.lab.test.'* ]]
}

@test "dig-lite: -j one object per response and a summary" {
	ok_peer
	dl -j lab.test MX nx.lab.test
	[ "$status" -eq 1 ]
	[ "$(wc -l <<<"$output")" -eq 3 ]
	line1=$(sed -n 1p <<<"$output")
	[[ "$line1" == '{"type":"response","name":"lab.test.","qtype":"MX","server":"127.0.0.1#'$PORT'","transport":"udp","time_ms":'* ]]
	[[ "$line1" == *'"status":"NOERROR","rcode":0,"flags":{"qr":true,"aa":false,"tc":false,"rd":true,"ra":false,'* ]]
	[[ "$line1" == *'{"name":"lab.test.","ttl":3600,"class":"IN","type":"MX","rdata":"10 mx1.lab.test.","data":{"preference":10,"exchange":"mx1.lab.test."}}'* ]]
	[[ "$(sed -n 2p <<<"$output")" == *'"status":"NXDOMAIN","rcode":3'* ]]
	[ "$(sed -n 3p <<<"$output")" = '{"type":"summary","queries":2,"answered":1,"failed":0,"exit":1}' ]
}

@test "dig-lite: -X decodes the query and the response field by field" {
	ok_peer
	dl -X +short lab.test
	[ "$status" -eq 0 ]
	grep -q "^--- sent 37 bytes to 127.0.0.1#$PORT (UDP) ---" <<<"$output"
	grep -q "^--- received 53 bytes from 127.0.0.1#$PORT (UDP) ---" <<<"$output"
	grep -Eq "^ +QNAME +lab.test.$" <<<"$output"
	grep -Eq "^ +UDP payload size +1232$" <<<"$output"
	grep -Eq "^ +RDATA +192.0.2.1$" <<<"$output"
	grep -q "^  0000  00 00 81 80 00 01 00 01" <<<"$output" || grep -q "^  0000 " <<<"$output"
	[ "$(tail -1 <<<"$output")" = "192.0.2.1" ]
}

@test "dig-lite: -x builds the reverse name; +norecurse clears RD; +noedns drops OPT" {
	peer p <<-EOS
	match 1.2.0.192.in-addr.arpa PTR
	answer 1.2.0.192.in-addr.arpa 60 PTR host.lab.test
	match 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR
	answer 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa 60 PTR six.lab.test
	EOS
	dl +short -x 192.0.2.1 +norecurse +noedns
	[ "$status" -eq 0 ]
	[ "$output" = "host.lab.test." ]
	grep -qx "udp 1.2.0.192.in-addr.arpa. PTR id=[0-9]* port=[0-9]*" "$T/p.log"
	dl +short -x 2001:db8::1
	[ "$output" = "six.lab.test." ]
	run --separate-stderr dig-lite -x 300.1.1.1
	[ "$status" -eq 2 ]
}

@test "dig-lite: -f batch, results in input order, one per input" {
	peer p <<-EOS
	match slow.lab.test A
	delay 0.3
	answer slow.lab.test 60 A 192.0.2.9
	match nx.lab.test *
	rcode NXDOMAIN
	match * A
	answer * 60 A 192.0.2.1
	EOS
	sed -i 's/^answer \* 60/answer fast.lab.test 60/' "$T/p.script"
	printf 'slow.lab.test\nfast.lab.test A\n# comment\nnx.lab.test\nfast.lab.test\n' >"$T/in"
	dl +short -f "$T/in"
	[ "$status" -eq 1 ]
	[ "$output" = $'192.0.2.9\n192.0.2.1\n192.0.2.1' ]
	[ "$stderr" = "dig-lite: nx.lab.test: NXDOMAIN" ]
	run --separate-stderr sh -c "printf 'fast.lab.test\n' | dig-lite @127.0.0.1 -p $PORT +short -f -"
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "dig-lite: -f batch larger than the window, every query done at once (+tcp)" {
	peer p <<-EOS
	match x.lab.test A
	answer x.lab.test 60 A 192.0.2.1
	EOS
	for i in $(seq 150); do echo x.lab.test; done >"$T/in"
	run --separate-stderr timeout 20 dig-lite @127.0.0.1 -p "$PORT" +tcp +short -f "$T/in"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^192.0.2.1$' <<<"$output")" -eq 150 ]
}

@test "dig-lite: -f with -j: one object per input line, bad lines included, exit 2" {
	ok_peer
	printf 'lab.test\na..b\nnx.lab.test\n' >"$T/in"
	dl -j -f "$T/in"
	[ "$status" -eq 2 ]
	[[ "$(sed -n 1p <<<"$output")" == '{"type":"response","name":"lab.test.","qtype":"A",'* ]]
	[ "$(sed -n 2p <<<"$output")" = '{"type":"error","line":2,"error":"not a query line"}' ]
	[[ "$(sed -n 3p <<<"$output")" == *'"status":"NXDOMAIN"'* ]]
	[ "$(sed -n 4p <<<"$output")" = '{"type":"summary","queries":2,"answered":1,"failed":0,"exit":2}' ]
	[ "$stderr" = "dig-lite: line 2: a..b: not a domain name" ]
}

@test "dig-lite: -f with a line over 4,096 bytes: one error result for it, never split into two queries" {
	ok_peer
	{ echo lab.test; head -c 5000 /dev/zero | tr '\0' a; echo; echo nx.lab.test; printf 'lab.test'; } >"$T/in"
	dl -j -f "$T/in"
	[ "$status" -eq 2 ]
	[ "$(wc -l <<<"$output")" -eq 5 ]
	[[ "$(sed -n 1p <<<"$output")" == '{"type":"response","name":"lab.test.",'* ]]
	[ "$(sed -n 2p <<<"$output")" = '{"type":"error","line":2,"error":"not a query line"}' ]
	[[ "$(sed -n 3p <<<"$output")" == *'"status":"NXDOMAIN"'* ]]
	[[ "$(sed -n 4p <<<"$output")" == '{"type":"response","name":"lab.test.",'* ]]	# a last line without LF
	[ "$stderr" = "dig-lite: line 2: longer than 4096 bytes" ]
}

@test "dig-lite: -f - answers each line as it arrives, as dig does, not at the end of the input" {
	ok_peer
	{ echo lab.test; sleep 3; echo srv.lab.test; } |
		dig-lite @127.0.0.1 -p "$PORT" +timeout=1 +tries=1 +short -f - >"$T/out" 2>"$T/err" &
	local pid=$!
	wait_file "$T/out" 2	# within 2 s, while the second line is still 1 s away
	[ "$(cat "$T/out")" = "192.0.2.1" ]
	wait "$pid"
	[ "$(cat "$T/out")" = $'192.0.2.1\n127.0.0.1' ]
	[ ! -s "$T/err" ]
}

# batch_peer: four names, each its own address; every UDP answer preceded
# by hostile replies (another ID, another name, another type, another port),
# n2 answered late (out of order on the shared socket), then a duplicate
batch_peer() {
	peer p <<-EOS
	match n1.lab.test A
	pre wrongid
	pre wrongname
	bogus n1.lab.test 60 A 6.6.6.6
	answer n1.lab.test 60 A 192.0.2.1
	match n2.lab.test A
	delay 0.2
	pre wrongtype
	pre otherport
	bogus n2.lab.test 60 A 6.6.6.6
	answer n2.lab.test 60 A 192.0.2.2
	match n3.lab.test A
	post dup
	bogus n3.lab.test 60 A 6.6.6.6
	answer n3.lab.test 60 A 192.0.2.3
	match n4.lab.test A
	pre wrongid
	pre wrongtype
	bogus n4.lab.test 60 A 6.6.6.6
	answer n4.lab.test 60 A 192.0.2.4
	match tc.lab.test A
	tc
	answer tc.lab.test 60 A 192.0.2.10
	match fe.lab.test A
	formerr-edns
	answer fe.lab.test 60 A 192.0.2.11
	EOS
}

@test "DNS-12/13/14/16 in a -f batch on one shared socket: hostile and late replies never land on another line" {
	batch_peer
	for i in $(seq 25); do printf 'n1.lab.test\nn2.lab.test\nn3.lab.test\nn4.lab.test\n'; done >"$T/in"
	for i in $(seq 25); do printf '192.0.2.1\n192.0.2.2\n192.0.2.3\n192.0.2.4\n'; done >"$T/want"
	dl +short -f "$T/in"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(cat "$T/want")" ]
	# 100 queries on one socket (one source port), none asked twice
	[ "$(grep -c '^udp ' "$T/p.log")" -eq 100 ]
	[ "$(sed -n 's/.* port=\([0-9]*\)$/\1/p' "$T/p.log" | sort -u | wc -l)" -eq 1 ]
}

@test "DNS-10/17 in a -f batch: TC goes to TCP and FORMERR to EDNS is asked again, the rest stay on UDP" {
	batch_peer
	printf 'n1.lab.test\ntc.lab.test\nn3.lab.test\nfe.lab.test\nn4.lab.test\n' >"$T/in"
	dl -j -f "$T/in"
	[ "$status" -eq 0 ]
	[ "$(grep -c '"type":"response"' <<<"$output")" -eq 5 ]
	[[ "$(sed -n 2p <<<"$output")" == *'"name":"tc.lab.test.","qtype":"A",'*'"transport":"tcp"'*'"address":"192.0.2.10"'* ]]
	[[ "$(sed -n 4p <<<"$output")" == *'"name":"fe.lab.test.",'*'"transport":"udp"'*'"edns":null'*'"address":"192.0.2.11"'* ]]
	[[ "$(sed -n 5p <<<"$output")" == *'"address":"192.0.2.4"'* ]]
	grep -q '^tcp tc.lab.test. A' "$T/p.log"
	[ "$(grep -c '^udp fe.lab.test. A' "$T/p.log")" -eq 2 ]
}

@test "dig-lite: -f batch where one name is never answered: it alone times out (both tries), the rest are answered" {
	peer p <<-EOS
	match lost.lab.test A
	drop
	match n1.lab.test A
	answer n1.lab.test 60 A 192.0.2.1
	EOS
	{ for i in $(seq 20); do echo n1.lab.test; done; echo lost.lab.test
	  for i in $(seq 20); do echo n1.lab.test; done; } >"$T/in"
	s=$(date +%s%N)
	run --separate-stderr dig-lite @127.0.0.1 -p "$PORT" +timeout=0.4 +tries=2 +short -f "$T/in"
	e=$(date +%s%N)
	[ "$status" -eq 3 ]
	[ "$(grep -c '^192.0.2.1$' <<<"$output")" -eq 40 ]
	[ "$stderr" = "dig-lite: lost.lab.test: timed out" ]
	[ "$(grep -c '^udp lost.lab.test. A' "$T/p.log")" -eq 2 ]
	# two tries of 0.4 s, not one wait per line (a bound valgrind's start-up would break)
	[ "${VALGRIND:-}" = 1 ] || [ $(( (e - s) / 1000000 )) -lt 3000 ]
	[ $(( (e - s) / 1000000 )) -ge 800 ]
}

@test "DNS-15 in a -f batch: a fresh socket (random port) every 512 queries, IDs random" {
	ok_peer
	for i in $(seq 1100); do echo lab.test; done >"$T/in"
	dl +short -f "$T/in"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^192.0.2.1$' <<<"$output")" -eq 1100 ]
	ports=$(sed -n 's/.* port=\([0-9]*\)$/\1/p' "$T/p.log" | uniq | wc -l)
	[ "$ports" -eq 3 ]
	! grep -q " port=53$" "$T/p.log"
	[ "$(sed -n 's/.* id=\([0-9]*\) .*/\1/p' "$T/p.log" | sort -u | wc -l)" -ge 1000 ]
}

@test "dig-lite: -f batch against a closed port: every line fails at once (ECONNREFUSED), exit 3" {
	PORT=$("$TESTBIN/freeport" 2>/dev/null || echo 9)
	for i in $(seq 40); do echo lab.test; done >"$T/in"
	run --separate-stderr timeout 4 dig-lite @127.0.0.1 -p "$PORT" +timeout=5 +tries=1 +short -f "$T/in"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$(grep -c 'lab.test: .*refused' <<<"$stderr")" -eq 40 ]
}

@test "dig-lite: every allocation failing in turn: exit 2 with a message, never a crash" {
	ok_peer
	printf 'lab.test\nlab.test MX\n' >"$T/in"
	printf 'nameserver 127.0.0.1#%s\n' "$PORT" >"$T/rc"
	run env TUBES_ALLOC_LOG="$T/n1" dig-lite @127.0.0.1 -p "$PORT" +short -f "$T/in"
	[ "$status" -eq 0 ]
	run env TUBES_ALLOC_LOG="$T/n2" TUBES_RESOLV_CONF="$T/rc" TUBES_HOSTS=/dev/null \
	    dig-lite @srv.lab.test -p "$PORT" +short lab.test
	[ "$status" -eq 0 ]
	n1=$(cat "$T/n1") n2=$(cat "$T/n2")
	[ "$n1" -ge 2 ]
	[ "$n2" -ge 2 ]
	for k in $(seq "$n1"); do
		run --separate-stderr env TUBES_FAIL_ALLOC=$k dig-lite @127.0.0.1 -p "$PORT" +short -f "$T/in"
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"out of memory"* ]]
	done
	# the server's name resolves through the peer to 127.0.0.1: the run works
	# unless an allocation fails (lib/sys/resolv.c reads a hosts file it cannot
	# allocate for as empty, so that failure goes unnoticed: exit 0 too)
	for k in $(seq "$n2"); do
		run --separate-stderr env TUBES_FAIL_ALLOC=$k TUBES_RESOLV_CONF="$T/rc" TUBES_HOSTS=/dev/null \
		    dig-lite @srv.lab.test -p "$PORT" +short lab.test
		[ "$status" -eq 0 ] || { [ "$status" -eq 2 ] && [[ "$stderr" == *"out of memory"* ]]; }
	done
}

@test "dig-lite: an IPv6 server (::1), and -4 refusing it" {
	[ -e /proc/net/if_inet6 ] || skip "no IPv6"
	printf 'match lab.test AAAA\nanswer lab.test 60 AAAA 2001:db8::1\n' >"$T/v6.script"
	"$TESTBIN/dnspeer" -a ::1 -s "$T/v6.script" -P "$T/v6.port" -l "$T/v6.log" 3>&- &
	PIDS="$PIDS $!"
	wait_file "$T/v6.port"
	run --separate-stderr dig-lite @::1 -p "$(cat "$T/v6.port")" +short lab.test AAAA
	[ "$status" -eq 0 ]
	[ "$output" = "2001:db8::1" ]
	grep -q "^;; SERVER: ::1#" <<<"$(dig-lite @::1 -p "$(cat "$T/v6.port")" lab.test AAAA)"
	run --separate-stderr dig-lite -4 @::1 -p "$(cat "$T/v6.port")" lab.test AAAA
	[ "$status" -eq 2 ]
}

@test "dig-lite: timeout is exit 3 with the reason on stderr, nothing on stdout" {
	peer p <<-EOS
	match * *
	drop
	EOS
	dl lab.test
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "dig-lite: lab.test: timed out" ]
}

# --- hostile-peers.md DNS-01 .. DNS-19 ---------------------------------
# The peer scripts are tests/cases/DNS-*.dns (tests/peers/dnspeer.c syntax).

case_peer() {
	peer p <"$BATS_TEST_DIRNAME/cases/$1.dns"
}

@test "DNS-01 compression pointer loop in a reply is malformed (exit 3)" {
	case_peer DNS-01
	dl lab.test
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "dig-lite: lab.test: malformed reply: compression pointer loop" ]
}

@test "DNS-02 a forward pointer is malformed" {
	case_peer DNS-02-forward
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"compression pointer forward or past the end"* ]]
}

@test "DNS-02 a pointer beyond the message end is malformed" {
	case_peer DNS-02-past-end
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"compression pointer forward or past the end"* ]]
}

@test "DNS-03 reserved label types 0x40/0x80 are malformed" {
	case_peer DNS-03
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"reserved label type"* ]]
}

@test "DNS-05 a name over 255 octets built through a pointer is malformed" {
	local l63a l63b qn
	l63a="3f$(printf '61%.0s' {1..63})"
	l63b="3f$(printf '62%.0s' {1..63})"
	qn="$(printf 'a%.0s' {1..63})"
	peer p <<-EOS
	match $qn.$qn.$qn.test A
	raw 0000 8180 0001 0001 0000 0000 $l63a $l63a $l63a 0474657374 00 0001 0001 $l63b c00c 0001 0001 00000e10 0004 c0000201
	EOS
	dl "$qn.$qn.$qn.test"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"name longer than 255 octets"* ]]
}

@test "DNS-06 dots, NUL, space and newline in a label are printed escaped" {
	case_peer DNS-06
	dl +short lab.test
	[ "$status" -eq 1 ]	# a CNAME and no A: NODATA, the CNAME printed
	[ "$output" = 'a\.b\000\032\010.lab.test.' ]
	dl -j lab.test
	[[ "$output" == *'"rdata":"a\\.b\\000\\032\\010.lab.test."'* ]]
}

@test "DNS-07 an A record with rdlength 5 is malformed" {
	case_peer DNS-07-a-len5
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"bad rdata length"* ]]
}

@test "DNS-07 rdlength past the end of the message is malformed" {
	case_peer DNS-07-past-end
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"bad rdata length"* ]]
}

@test "DNS-08 a 0-byte and a 5-byte datagram are ignored, the real answer taken" {
	case_peer DNS-08-short
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "DNS-08 a reply cut off in the question is ignored: timeout" {
	case_peer DNS-08-cut-question
	dl lab.test
	[ "$status" -eq 3 ]
	[ "$stderr" = "dig-lite: lab.test: timed out" ]
}

@test "DNS-09 ANCOUNT higher than the records present is malformed" {
	case_peer DNS-09-count
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"fewer records than counted"* ]]
}

@test "DNS-09 trailing bytes after the counted records: answer, with a warning" {
	case_peer DNS-09-trailing
	dl lab.test
	[ "$status" -eq 0 ]
	[ "$stderr" = "dig-lite: lab.test: 2 bytes after the last record" ]
}

@test "DNS-10 TC on UDP: the same query over TCP on the same port" {
	case_peer DNS-10
	dl lab.test
	[ "$status" -eq 0 ]
	grep -qx "lab.test.		60	IN	A	192.0.2.1" <<<"$output"
	grep -q "(TCP)$" <<<"$output"
	[ "$(cut -d' ' -f1-3 "$T/p.log")" = $'udp lab.test. A\ntcp lab.test. A' ]
}

@test "DNS-10 TC with +ignore: truncated answer printed, exit 3" {
	case_peer DNS-10
	dl +ignore lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"answer truncated"* ]]
	grep -q "flags: qr tc rd" <<<"$output"
	[ "$(wc -l <"$T/p.log")" -eq 1 ]
}

@test "DNS-10 +tcp asks over TCP only" {
	ok_peer
	dl +tcp +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
	[ "$(cut -d' ' -f1 "$T/p.log")" = "tcp" ]
}

@test "DNS-11 TCP length prefix longer than the data: cut short, exit 3" {
	case_peer DNS-11-long
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TCP reply cut short"* ]]
}

@test "DNS-11 TCP length prefix of 0" {
	case_peer DNS-11-zero
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"TCP reply length too short"* ]]
}

@test "DNS-12 a reply with another ID is ignored" {
	case_peer DNS-12
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "DNS-13 a reply with the right ID and another question is ignored" {
	case_peer DNS-13
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "DNS-13 question matching ignores case" {
	case_peer DNS-12
	dl +short LaB.TeSt
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "DNS-14 a reply from another port is ignored" {
	case_peer DNS-14
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
}

@test "DNS-14 only a reply from another port: timeout" {
	case_peer DNS-14-only
	dl lab.test
	[ "$status" -eq 3 ]
	[ "$stderr" = "dig-lite: lab.test: timed out" ]
}

@test "DNS-15 IDs and source ports are random, never 53" {
	ok_peer
	for i in 1 2 3 4 5 6; do dl +short lab.test; [ "$status" -eq 0 ]; done
	ids=$(sed -n 's/.* id=\([0-9]*\) .*/\1/p' "$T/p.log" | sort -u | wc -l)
	ports=$(sed -n 's/.* port=\([0-9]*\)$/\1/p' "$T/p.log" | sort -u | wc -l)
	[ "$ids" -ge 5 ]
	[ "$ports" -ge 5 ]
	! grep -q " port=53$" "$T/p.log"
}

@test "DNS-16 a late duplicate is dropped: one answer" {
	case_peer DNS-16
	dl +short lab.test lab.test
	[ "$status" -eq 0 ]
	[ "$output" = $'192.0.2.1\n192.0.2.1' ]
}

@test "DNS-17 FORMERR to EDNS: retried once without OPT" {
	case_peer DNS-17-formerr
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
	[ "$(cut -d' ' -f1-4 "$T/p.log")" = $'udp lab.test. A edns=1232\nudp lab.test. A rd' ]
}

@test "DNS-17 two OPT records are malformed" {
	case_peer DNS-17-two-opt
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"misplaced or repeated OPT record"* ]]
}

@test "DNS-17 OPT in the answer section is malformed" {
	case_peer DNS-17-opt-answer
	dl lab.test
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"misplaced or repeated OPT record"* ]]
}

@test "DNS-18 SERVFAIL and REFUSED exit 3, NXDOMAIN exits 1, each named" {
	case_peer DNS-18
	dl +short sf.lab.test
	[ "$status" -eq 3 ]
	[ "$stderr" = "dig-lite: sf.lab.test: SERVFAIL" ]
	dl +short other.lab.test
	[ "$status" -eq 3 ]
	[ "$stderr" = "dig-lite: other.lab.test: REFUSED" ]
	dl nx.lab.test
	[ "$status" -eq 1 ]
	grep -q "status: NXDOMAIN" <<<"$output"
	dl sf.lab.test
	[ "$status" -eq 3 ]
	grep -q "status: SERVFAIL" <<<"$output"
}

@test "DNS-19 a 65507-byte datagram is read whole and handled" {
	case_peer DNS-19
	dl +short lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
	[[ "$stderr" == *"65454 bytes after the last record"* ]]
}

# --- interop: nsd and unbound in a namespace of our own ---------------------

FIX=$BATS_TEST_DIRNAME/fixtures/dns

ns_dns() {
	need_root
	need_cmd nsd dig
	NSNAME=tb-dns-$$-$RANDOM
	ip netns add "$NSNAME"
	ip -n "$NSNAME" link set lo up
}

in_ns() {
	ip netns exec "$NSNAME" "$@"
}

# nsd_up ADDR ZONE FILE [ZONE FILE]...: an nsd for the zones on ADDR:53 inside the namespace
nsd_up() {
	local d=$T/nsd-$1 i a=$1
	mkdir -p "$d"
	cp "$FIX/$3" "$d/"
	sed -e "s|@DIR@|$d|g; s|@ADDR@|$1|; s|@ZONE@|$2|; s|@FILE@|$3|" "$FIX/nsd.conf.in" >"$d/nsd.conf"
	shift 3
	while [ $# -ge 2 ]; do
		cp "$FIX/$2" "$d/"
		printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "$1" "$2" >>"$d/nsd.conf"
		shift 2
	done
	set -- "$a" "$(sed -n 's/^\tname: "\(.*\)"/\1/p' "$d/nsd.conf" | head -1)"
	in_ns nsd -c "$d/nsd.conf" 3>&-
	for ((i = 0; i < 100; i++)); do
		in_ns dig-lite @"$1" +short +timeout=0.1 +tries=1 "$2" SOA >/dev/null 2>&1 && return 0
	done
	echo "nsd on $1 did not come up" >&2
	cat "$d/nsd.log" >&2
	return 1
}

# unbound_up ADDR NSD_ADDR: a recursive unbound with lab.test stubbed to nsd
unbound_up() {
	local d=$T/unbound i
	need_cmd unbound
	mkdir -p "$d"
	sed -e "s|@DIR@|$d|g; s|@ADDR@|$1|; s|@NSD@|$2|" "$FIX/unbound.conf.in" >"$d/unbound.conf"
	ip netns exec "$NSNAME" unbound -c "$d/unbound.conf" 3>&- 2>"$d/err" &
	PIDS="$PIDS $!"
	for ((i = 0; i < 100; i++)); do
		in_ns dig-lite @"$1" +short +timeout=0.1 +tries=1 lab.test SOA >/dev/null 2>&1 && return 0
	done
	echo "unbound on $1 did not come up" >&2
	cat "$d/err" >&2
	return 1
}

# nsd_down: stop every nsd we started and wait (bounded) until each is gone
nsd_down() {
	local f p i
	for f in "$T"/nsd-*/nsd.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		kill "$p" 2>/dev/null || continue
		for ((i = 0; i < 250; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.02
		done
		rm -f "$f"
	done
	return 0
}

interop_teardown() {
	nsd_down
}

@test "interop: dig-lite +short equals dig +short for every type (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	local n t a b bad=0
	for n in lab.test www.lab.test alias.lab.test txt.lab.test longtxt.lab.test \
	    _sip._udp.lab.test ptr.lab.test unk.lab.test nx.lab.test; do
		for t in A AAAA NS CNAME SOA PTR MX TXT SRV CAA DS DNSKEY RRSIG NSEC TYPE65280 ANY; do
			a=$(in_ns dig-lite @127.0.0.1 +short "$n" "$t" 2>/dev/null) || true
			b=$(in_ns dig @127.0.0.1 +short "$n" "$t") || true
			if [ "$a" != "$b" ]; then
				echo "differ: $n $t: dig-lite [$a] dig [$b]"
				bad=1
			fi
		done
	done
	nsd_down
	[ "$bad" -eq 0 ]
}

@test "interop: full output sections match dig's records (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	run in_ns dig-lite @127.0.0.1 lab.test MX
	[ "$status" -eq 0 ]
	mine=$(grep -v '^;' <<<"$output" | grep -v '^$')
	theirs=$(in_ns dig @127.0.0.1 lab.test MX | grep -v '^;' | grep -v '^$')
	nsd_down
	[ "$mine" = "$theirs" ]
}

@test "interop: an answer over 512 bytes without EDNS: TC, then TCP, as dig" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	run in_ns dig-lite @127.0.0.1 +noedns big.lab.test
	[ "$status" -eq 0 ]
	grep -q "^;; SERVER: 127.0.0.1#53(127.0.0.1) (TCP)" <<<"$output"
	[ "$(grep -c '^big.lab.test.' <<<"$output")" -eq 40 ]
	a=$(in_ns dig-lite @127.0.0.1 +noedns +short big.lab.test | sort)
	b=$(in_ns dig @127.0.0.1 +noedns +short big.lab.test | sort)
	[ "$a" = "$b" ]
	run in_ns dig-lite @127.0.0.1 +short huge.lab.test
	[ "$(wc -l <<<"$output")" -eq 100 ]
	run in_ns dig-lite @127.0.0.1 -j huge.lab.test
	[[ "$output" == *'"transport":"tcp"'* ]]
	nsd_down
}

@test "interop: through unbound (recursive, cached): dig-lite, dig and the resolver agree" {
	ns_dns
	nsd_up 127.0.0.2 lab.test lab.test.zone
	unbound_up 127.0.0.1 127.0.0.2
	a=$(in_ns dig-lite @127.0.0.1 +short alias.lab.test)
	b=$(in_ns dig @127.0.0.1 +short alias.lab.test)
	[ "$a" = "$b" ]
	[ "$a" = $'www.lab.test.\n192.0.2.10' ]
	run in_ns dig-lite @127.0.0.1 www.lab.test
	grep -q "flags: qr rd ra;" <<<"$output"
	printf 'nameserver 127.0.0.1\nsearch lab.test\n' >"$T/resolv.conf"
	: >"$T/hosts"
	run env TUBES_RESOLV_CONF="$T/resolv.conf" TUBES_HOSTS="$T/hosts" \
	    ip netns exec "$NSNAME" "$TESTBIN/dnsresolve" www
	[ "$status" -eq 0 ]
	[ "$output" = $'192.0.2.10\n2001:db8::10' ]
	run env TUBES_RESOLV_CONF="$T/resolv.conf" TUBES_HOSTS="$T/hosts" \
	    ip netns exec "$NSNAME" "$TESTBIN/dnsresolve" -m lab.test
	[ "$output" = $'10 mx1.lab.test\n20 mx2.lab.test' ]
	nsd_down
}

@test "interop: +trace walks root -> test. -> lab.test. served by three nsd" {
	ns_dns
	nsd_up 127.0.0.1 . root.zone
	nsd_up 127.0.0.2 test test.zone
	nsd_up 127.0.0.3 lab.test lab.test.zone
	run in_ns dig-lite +trace +roothints="$FIX/root.hints" www.lab.test
	nsd_down
	[ "$status" -eq 0 ]
	grep -qx "test.			86400	IN	NS	ns1.nic.test." <<<"$output"
	grep -q "^;; Received [0-9]* bytes from 127.0.0.1#53(a.root.lab.) in " <<<"$output"
	grep -qx "lab.test.		172800	IN	NS	ns1.lab.test." <<<"$output"
	grep -q "^;; Received [0-9]* bytes from 127.0.0.2#53(ns1.nic.test.) in " <<<"$output"
	grep -qx "www.lab.test.		3600	IN	A	192.0.2.10" <<<"$output"
	grep -q "^;; Received [0-9]* bytes from 127.0.0.3#53(ns1.lab.test.) in " <<<"$output"
}

@test "interop: +trace of a name that does not exist ends in NXDOMAIN, exit 1" {
	ns_dns
	nsd_up 127.0.0.1 . root.zone
	nsd_up 127.0.0.2 test test.zone
	nsd_up 127.0.0.3 lab.test lab.test.zone
	run --separate-stderr in_ns dig-lite +trace +short +roothints="$FIX/root.hints" nx.lab.test
	nsd_down
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "dig-lite: nx.lab.test: NXDOMAIN" ]
}

@test "interop: +trace follows a delegation without glue by resolving the server's name" {
	ns_dns
	nsd_up 127.0.0.1 . root.zone
	nsd_up 127.0.0.2 test test.zone
	nsd_up 127.0.0.3 lab.test lab.test.zone other.test other.test.zone
	echo "127.0.0.3 nsother.invalid" >"$T/hosts"
	run --separate-stderr env TUBES_HOSTS="$T/hosts" ip netns exec "$NSNAME" \
	    "$BIN/dig-lite" +trace +roothints="$FIX/root.hints" www.other.test
	nsd_down
	[ "$status" -eq 0 ]
	grep -qx "other.test.		172800	IN	NS	nsother.invalid." <<<"$output"
	grep -qx "www.other.test.		3600	IN	A	192.0.2.77" <<<"$output"
	grep -q "^;; Received [0-9]* bytes from 127.0.0.3#53(nsother.invalid.) in " <<<"$output"
}

# --- issue 23: dig's output controls and the types dig prints by name --------

# the parts of dig's output that change from run to run
norm_dig() {
	sed -e 's/id: [0-9]*/id: X/' -e 's/Query time: [0-9]*/Query time: X/' \
	    -e 's/^;; WHEN: .*/;; WHEN: X/' -e 's/ in [0-9]* ms/ in X ms/'
}

@test "interop: each output control prints byte for byte what dig 9.18 prints (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	local o q a b bad=0 n=0
	for o in "+nocmd" "+nocmd +nocomments" "+nocmd +nostats" "+nocmd +noquestion" \
	    "+noall +answer" "+noall +answer +authority" "+noall +comments" "+noall +stats" \
	    "+noall +question" "+noall +additional" "+nocmd +noanswer" "+nocmd +noauthority" \
	    "+noall +answer +nottlid" "+noall +answer +noclass" "+noall +answer +noclass +nottlid" \
	    "+nocmd +nottlid +noclass" "+noall +question +noclass" "+nocmd +noadditional +noauthority" \
	    "+short +identify" "+noall +answer +identify" "+nocmd +norecurse" "+noall +all +nocmd" \
	    "+nocmd +time=2" "+nocmd +fail" "+noall +answer +nosearch" "+nocmd +ignore" \
	    "+nocmd +multiline" "+noall +answer +multiline +nottlid" "+noall +answer +multiline +noclass"; do
		for q in "lab.test MX" "nx.lab.test" "svc.lab.test HTTPS" "alias.lab.test" "lab.test NSEC3"; do
			a=$(in_ns dig @127.0.0.1 $o $q | norm_dig)
			b=$(in_ns dig-lite @127.0.0.1 $o $q 2>/dev/null | norm_dig)
			n=$((n + 1))
			if [ "$a" != "$b" ]; then
				echo "differ: $o $q"
				diff <(echo "$a") <(echo "$b") || true
				bad=1
			fi
		done
	done
	# +cmd: the first comment names the query (dig names itself: not compared)
	run in_ns dig-lite @127.0.0.1 +noall +cmd lab.test MX
	[ "$output" = $'\n; <<>> dig-lite (tubes) 0.1.0 <<>> lab.test MX' ]
	run in_ns dig-lite @127.0.0.1 +nocmd lab.test MX
	[[ "$output" != *"<<>>"* ]]
	nsd_down
	[ "$n" -eq 145 ]
	[ "$bad" -eq 0 ]
}

@test "interop: HTTPS SVCB TLSA NAPTR SSHFP NSEC3PARAM DNAME URI OPENPGPKEY CDS CDNSKEY CSYNC ZONEMD LOC HINFO RP as dig 9.18 prints them (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	local q o a b bad=0
	for q in "svc HTTPS" "svc SVCB" "_443._tcp TLSA" "naptr NAPTR" "ssh SSHFP" \
	    "nsec3p NSEC3PARAM" "dname DNAME" "uri URI" "openpgp OPENPGPKEY" "@ CDS" "@ CDNSKEY" \
	    "@ CSYNC" "@ ZONEMD" "loc LOC" "loc2 LOC" "hinfo HINFO" "rp RP"; do
		set -- $q
		[ "$1" = @ ] && set -- lab.test "$2" || set -- "$1.lab.test" "$2"
		for o in "+nocmd" "+short" "+noall +answer +nottlid" "+nocmd +multiline" \
		    "+noall +answer +multiline +noclass"; do
			a=$(in_ns dig @127.0.0.1 $o "$1" "$2" | norm_dig)
			b=$(in_ns dig-lite @127.0.0.1 $o "$1" "$2" | norm_dig)
			if [ -z "$a" ] || [ "$a" != "$b" ]; then
				echo "differ: $o $1 $2"
				diff <(echo "$a") <(echo "$b") || true
				bad=1
			fi
		done
	done
	# -j: the fields of the rdata
	run in_ns dig-lite @127.0.0.1 -j svc.lab.test HTTPS
	[[ "${lines[0]}" == *'"data":{"priority":1,"target":".","params":{"alpn":"h2,h3","port":"8443","ipv4hint":"192.0.2.1,192.0.2.2","ech":"AEX+DQBB","ipv6hint":"2001:db8::1"}}'* ]]
	run in_ns dig-lite @127.0.0.1 -j naptr.lab.test NAPTR
	[[ "${lines[0]}" == *'"data":{"order":100,"preference":10,"flags":"S","services":"SIP+D2U","regexp":"","replacement":"_sip._udp.lab.test."}'* ]]
	run in_ns dig-lite @127.0.0.1 -j loc2.lab.test LOC
	[[ "${lines[0]}" == *'"data":{"latitude":-42.3651389,"longitude":-71.1050342,"altitude":24.00,"size":30.00,"horiz_pre":100.00,"vert_pre":2.00}'* ]]
	run in_ns dig-lite @127.0.0.1 -j lab.test CSYNC
	[[ "${lines[0]}" == *'"data":{"serial":66,"flags":3,"types":["A","NS","AAAA"]}'* ]]
	run in_ns dig-lite @127.0.0.1 -j _443._tcp.lab.test TLSA
	[[ "${lines[0]}" == *'"data":{"usage":3,"selector":1,"matching_type":1,"data":"0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"}'* ]]
	nsd_down
	[ "$bad" -eq 0 ]
}

@test "dig-lite: NSEC3 as dig 9.18 prints it; malformed NSEC3 rdata is exit 3, never a crash" {
	need_cmd dig
	peer p <<-EOS
	match 2t7b4g4vsa5smi47k61mv5bv1a22bojr.lab.test *
	answer 2t7b4g4vsa5smi47k61mv5bv1a22bojr.lab.test 300 NSEC3 \# 0101000C04AABBCCDD14174EB2409FE28BCB4887A1836F957F0A8425E27B0006400000000002
	answer 2t7b4g4vsa5smi47k61mv5bv1a22bojr.lab.test 300 NSEC3 \# 010000000014174EB2409FE28BCB4887A1836F957F0A8425E27B
	match bad.lab.test *
	raw 0000 8180 0001 0001 0000 0000 03626164036c616204746573740000320001 c00c 0032 0001 00000e10 0006 0101000C0000
	EOS
	a=$(dig @127.0.0.1 -p "$PORT" +nocmd 2t7b4g4vsa5smi47k61mv5bv1a22bojr.lab.test NSEC3 | norm_dig)
	dl +nocmd 2t7b4g4vsa5smi47k61mv5bv1a22bojr.lab.test NSEC3
	[ "$status" -eq 0 ]
	[ "$(norm_dig <<<"$output")" = "$a" ]
	grep -qF "IN NSEC3	1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG" <<<"$output"
	dl bad.lab.test NSEC3
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"malformed reply: bad rdata length"* ]]
}

@test "dig-lite: +besteffort prints what parses of a reply whose counts lie, as dig 9.18 does; exit 3" {
	need_cmd dig
	peer p <<-EOS
	match lab.test A
	raw 0000 8180 0001 0003 0000 0000 036c616204746573740000010001 c00c 0001 0001 00000e10 0004 c0000201 c00c 0001 0001 00000e10 0004 c0000202
	EOS
	a=$(dig @127.0.0.1 -p "$PORT" +besteffort +nocmd +nostats lab.test | norm_dig)
	dl +besteffort +nocmd +nostats lab.test
	[ "$status" -eq 3 ]
	[ "$(norm_dig <<<"$output")" = "$a" ]
	[[ "$output" == ";; Warning: Message parser reports malformed message packet."* ]]
	dl +nocmd +nostats lab.test
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "dig-lite: lab.test: malformed reply: fewer records than counted" ]
}

@test "dig-lite: +search tries resolv.conf's search list (a name with fewer dots than ndots first with it)" {
	peer p <<-EOS
	match www.lab.test A
	answer www.lab.test 60 A 192.0.2.10
	match www.corp.test *
	rcode NXDOMAIN
	match www *
	rcode NXDOMAIN
	EOS
	printf 'nameserver 127.0.0.1#%s\nsearch corp.test lab.test\n' "$PORT" >"$T/resolv.conf"
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" dig-lite +search +short +tries=1 www
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.10" ]
	[ "$(grep -c '^udp ' "$T/p.log")" -eq 2 ]
	grep -q "^udp www.corp.test. A" "$T/p.log"
	grep -q "^udp www.lab.test. A" "$T/p.log"
	# without +search (dig's default) and with a final dot the name is asked as it is
	: >"$T/p.log"
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" dig-lite +short +tries=1 www
	[ "$status" -eq 1 ]
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" dig-lite +search +short +tries=1 www.
	[ "$status" -eq 1 ]
	[ "$(grep -c '^udp ' "$T/p.log")" -eq 2 ]
	! grep -q "corp.test" "$T/p.log"
}

@test "dig-lite: +fail (dig's default) stops at SERVFAIL, +nofail asks the next server" {
	peer p <<-EOS
	match lab.test A
	rcode SERVFAIL
	EOS
	local p1=$PORT
	peer q <<-EOS
	match lab.test A
	answer lab.test 60 A 192.0.2.1
	EOS
	printf 'nameserver 127.0.0.1#%s\nnameserver 127.0.0.1#%s\n' "$p1" "$PORT" >"$T/resolv.conf"
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" dig-lite +short +tries=1 lab.test
	[ "$status" -eq 3 ]
	[ "$stderr" = "dig-lite: lab.test: SERVFAIL" ]
	[ ! -s "$T/q.log" ]
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" dig-lite +short +tries=1 +nofail lab.test
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.1" ]
	grep -q "^udp lab.test. A" "$T/q.log"
}

@test "interop: +nssearch asks each name server of the zone for its SOA, one line each as dig prints them (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	printf 'nameserver 127.0.0.1\n' >"$T/resolv.conf"
	: >"$T/hosts"
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" TUBES_HOSTS="$T/hosts" \
	    ip netns exec "$NSNAME" "$BIN/dig-lite" @127.0.0.1 +nssearch lab.test
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^"SOA ns1.lab.test. hostmaster.lab.test. 2026112201 3600 900 604800 300 from server 127.0.0.1 in "[0-9]+" ms."$ ]]
	run --separate-stderr env TUBES_RESOLV_CONF="$T/resolv.conf" TUBES_HOSTS="$T/hosts" \
	    ip netns exec "$NSNAME" "$BIN/dig-lite" @127.0.0.1 +nssearch nx.lab.test
	nsd_down
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "dig-lite: nx.lab.test: NXDOMAIN" ]
}

@test "interop: +multiline prints SOA, DNSKEY, RRSIG, NSEC, TXT, an unknown type and the rest as dig 9.18 does (nsd)" {
	ns_dns
	nsd_up 127.0.0.1 lab.test lab.test.zone
	local q o a b bad=0
	for q in "lab.test SOA" "lab.test DNSKEY" "www.lab.test RRSIG" "www.lab.test NSEC" \
	    "txt.lab.test TXT" "longtxt.lab.test TXT" "unk.lab.test TYPE65280" "lab.test MX" \
	    "www.lab.test AAAA" "lab.test CAA" "_sip._udp.lab.test SRV" "big.lab.test A"; do
		for o in "+nocmd +multiline" "+noall +answer +multiline +nottlid" "+short +multiline"; do
			a=$(in_ns dig @127.0.0.1 $o $q | norm_dig)
			b=$(in_ns dig-lite @127.0.0.1 $o $q | norm_dig)
			if [ -z "$a" ] || [ "$a" != "$b" ]; then
				echo "differ: $o $q"
				diff <(echo "$a") <(echo "$b") || true
				bad=1
			fi
		done
	done
	run in_ns dig-lite @127.0.0.1 +noall +answer +multiline lab.test SOA
	[ "${lines[4]}" = $'\t\t\t\t604800     ; expire (1 week)' ]
	nsd_down
	[ "$bad" -eq 0 ]
}
