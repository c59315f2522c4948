#!/usr/bin/env bats
# make demo (demo/demo.sh): every step passes, the namespaces are always
# removed, DEMO_LAYERS=1 decodes every step, and without root it says so.

load lib/common

DEMO_O=${O:-build/rel}

# the namespaces of one run: the demo names its tag in its output
demo_tag() { sed -n 's/.*(tb-demo-\([0-9a-f]*\)-\*).*/\1/p' <<<"$output" | head -1; }

@test "demo: every step does what it says, within 30 s, and leaves no namespace" {
	need_root
	local t0 t1 tag
	t0=$(date +%s)
	O=$DEMO_O run timeout 60 bash "$TOP/demo/demo.sh"
	t1=$(date +%s)
	echo "$output"
	[ "$status" -eq 0 ]
	[ $((t1 - t0)) -lt 30 ]
	[[ "$output" == *"every step did what it said"* ]]
	[[ "$output" != *"FAILED"* ]]
	# each step is narrated and shows its command
	grep -q '^laptop\$ arpq 10\.0\.0\.1' <<<"$output"
	grep -q '^laptop\$ dig-lite +trace +roothints=root\.hints www\.kindoldaunts\.example A' <<<"$output"
	grep -q '^laptop\$ ping-lite -c 3 ' <<<"$output"
	grep -q '^laptop\$ httpget -v http://www\.kindoldaunts\.example/' <<<"$output"
	grep -q '^laptop\$ dig-lite kindoldaunts\.example MX' <<<"$output"
	grep -q '^laptop\$ smtpsend .* AuntMartha@kindoldaunts\.example < birthday\.txt' <<<"$output"
	grep -q '^laptop\$ pop3get .*pop3://mail\.kindoldaunts\.example/' <<<"$output"
	[ "$(grep -c '^    ok: ' <<<"$output")" -ge 7 ]
	grep -q '^laptop\$ trace -n www\.kindoldaunts\.example' <<<"$output"
	[ "$(grep -c '^    ok: ' <<<"$output")" -eq 11 ]
	# Aunt Martha's homework (seed 001): 5,732 bytes in 512-byte segments, a
	# window of 5, packet #4 lost once and sent again; the counts are the segments shown
	grep -q '^laptop\$ smtpsend -X --tls off -s 10\.203\.98\.25 -f nephew@home\.example AuntMartha@kindoldaunts\.example < hw\.eml' <<<"$output"
	grep -q '^    the message: 11 segments of 512 bytes and one of 103 (the last 100 bytes and the end-of-data dot), 13 sent with the one sent again$' <<<"$output"
	grep -q '^    packet #4 of the message (its bytes 1536-2047, relative seq [0-9]*) never reached her: isp3 dropped it$' <<<"$output"
	grep -Eq '^    how the laptop knew: her server went on acknowledging byte [0-9]+, [0-9]+ duplicate ACKs, so it sent those bytes again \((fast retransmit|after a timeout)\)$' <<<"$output"
	local hw segs
	hw=$(sed -n '/^==> \[11\/11\] Aunt Martha/,/^    ok: /p' <<<"$output")
	segs=$(grep -c '^    --- TCP segment ' <<<"$hw")
	grep -q "^    $segs segments in all, " <<<"$hw"
	[ "$(grep -c '^    --- TCP segment sent \[[A-Z,]*\], 512 bytes of data' <<<"$hw")" -eq 12 ]
	[ "$(grep -c '^    --- TCP segment sent \[SYN\]' <<<"$hw")" -eq 1 ]
	# the TLS step (issue 21): the handshake told in order, the name matched
	local tls ftp
	tls=$(sed -n '/^==> \[6\/11\] The same page over HTTPS/,/^    ok: /p' <<<"$output")
	grep -q '^laptop\$ httpget -v --layers --cacert ca\.pem https://www\.kindoldaunts\.example/$' <<<"$tls"
	# slides 108-113: the messages, in the order they went, each told
	[ "$(grep -E '^    [0-9]+\. ' <<<"$tls" | grep -v NewSessionTicket |
	    sed -E 's/^    [0-9]+\. ([A-Za-z]+( data: the [A-Za-z]+)?).*/\1/' | tr '\n' ' ')" = \
	    "ClientHello ServerHello EncryptedExtensions Certificate CertificateVerify Finished Finished application data: the GET application data: the response " ]
	grep -q '^    \* TLS: TLSv1\.3 .*, verified$' <<<"$tls"
	grep -q '^    the certificate verified against the demo CA (--cacert ca\.pem); the name: www\.kindoldaunts\.example matches www\.kindoldaunts\.example$' <<<"$tls"
	grep -q '^    ok: the handshake in order' <<<"$tls"
	# the FTP step (issue 22): port 21 for the commands, the 227's port for the file
	ftp=$(sed -n '/^==> \[7\/11\] FTP/,/^    ok: /p' <<<"$output")
	grep -q '^laptop\$ ftpget -v --tls off --no-epsv -o - ftp://ftp\.kindoldaunts\.example/pub/birthday-card\.txt$' <<<"$ftp"
	grep -q '^    the control connection: laptop -> 10\.203\.99\.21 port 21, .*USER anonymous, PASS (any), TYPE I, .*PASV, RETR pub/birthday-card\.txt, QUIT$' <<<"$ftp"
	grep -Eq '^    the data connection: laptop -> 10\.203\.99\.21 port 5000[0-9] \(the 227 reply.s 195 \* 256 \+ 8[0-9]\), opened by the laptop after PASV; it carried the file, '"$(wc -c <"$TOP/demo/birthday-card.txt")"' bytes' <<<"$ftp"
	# Aunt Martha's mail over STARTTLS (issue 21): a new EHLO inside TLS, verified
	local mail
	mail=$(sed -n '/^==> \[9\/11\] The birthday mail/,/^    ok: /p' <<<"$output")
	grep -q '^laptop\$ smtpsend -v --tls required --cacert ca\.pem ' <<<"$mail"
	[ "$(grep -E '^    (C: (EHLO|STARTTLS)|smtpsend: TLS: )' <<<"$mail" | sed 's/^    //; s/^\(C: EHLO\) .*/\1/; s/, verified$//; s/TLSv1\.3 .*/TLSv1.3/' | tr '\n' '|')" = \
	    "C: EHLO|C: STARTTLS|smtpsend: TLS: TLSv1.3|C: EHLO|" ]
	grep -q '^    smtpsend: TLS: TLSv1\.3 .*, verified$' <<<"$mail"
	grep -q '^    data	250	2\.0\.0 queued over TLS$' <<<"$mail"
	# the file's bytes, as ftpget wrote them to stdout
	while IFS= read -r l; do
		grep -Fxq "    $l" <<<"$ftp" || { echo "missing from the FTP step: $l"; false; }
	done <"$TOP/demo/birthday-card.txt"
	tag=$(demo_tag)
	[ -n "$tag" ]
	! ip netns list | grep -q "tb-demo-$tag-"
}

@test "demo: DEMO_LAYERS=1 adds the layer view to every step" {
	need_root
	O=$DEMO_O DEMO_LAYERS=1 run timeout 60 bash "$TOP/demo/demo.sh"
	[ "$status" -eq 0 ]
	grep -q '^laptop\$ arpq -X ' <<<"$output"
	grep -q '^laptop\$ dig-lite -X +trace ' <<<"$output"
	grep -q '^laptop\$ ping-lite -X ' <<<"$output"
	grep -q '^laptop\$ trace -X ' <<<"$output"
	grep -q '^laptop\$ httpget -v --layers ' <<<"$output"
	grep -q '^laptop\$ smtpsend -v -X ' <<<"$output"
	grep -q '^laptop\$ pop3get -X ' <<<"$output"
	grep -q '^laptop\$ httpget -v --layers --cacert ca\.pem https://' <<<"$output"
	grep -q '^laptop\$ ftpget -v -X --tls off --no-epsv ' <<<"$output"
	# the TLS step in full: every handshake field, the certificate's too,
	# then the same story
	grep -q '^    TLS handshake: ClientHello, ' <<<"$output"
	grep -q '^        *host_name  *www\.kindoldaunts\.example' <<<"$output"
	grep -q '^        *subjectAltName  *www\.kindoldaunts\.example, mail\.kindoldaunts\.example$' <<<"$output"
	grep -q '^        *result  *verified$' <<<"$output"
	grep -q '^    [0-9]*\. CertificateVerify ' <<<"$output"
	# the ARP request and the DNS header decoded field by field
	grep -qi 'arp' <<<"$output"
	[ "$(wc -l <<<"$output")" -gt 300 ]
	tag=$(demo_tag)
	! ip netns list | grep -q "tb-demo-$tag-"
}

@test "demo: without openssl the TLS step is skipped, saying why, and every other step passes" {
	need_root
	# a PATH with everything on this one but openssl
	local bin=$BATS_TEST_TMPDIR/bin d f dirs
	mkdir "$bin"
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			[ -f "$f" ] && [ -x "$f" ] && [ "${f##*/}" != openssl ] || continue
			[ -e "$bin/${f##*/}" ] || ln -s "$f" "$bin/${f##*/}"
		done
	done
	[ ! -e "$bin/openssl" ]
	[ -e "$bin/ip" ]
	PATH=$bin O=$DEMO_O run timeout 60 bash "$TOP/demo/demo.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"every step did what it said"* ]]
	[ "$(grep -c '^    skipped: ' <<<"$output")" -eq 1 ]
	grep -A1 '^==> \[6/11\] The same page over HTTPS' <<<"$output" |
	    grep -qx '    skipped: openssl is not installed (it makes the demo.s CA and certificate)'
	[ "$(grep -c '^laptop\$ httpget .*https://' <<<"$output")" -eq 0 ]
	[ "$(grep -c '^    ok: ' <<<"$output")" -eq 10 ]
	grep -q '^    ok: the control connection on port 21' <<<"$output"
	# the mail goes in clear, to the scripted peer
	grep -q '^    data	250	2\.0\.0 queued for Aunt Martha$' <<<"$output"
	[ "$(grep -c 'STARTTLS' <<<"$output")" -eq 0 ]
	tag=$(demo_tag)
	[ -n "$tag" ]
	! ip netns list | grep -q "tb-demo-$tag-"
}

@test "demo: killed half-way, it still removes its namespaces and servers" {
	need_root
	local log=$BATS_TEST_TMPDIR/demo.log pid tag i st=0 p peers
	O=$DEMO_O bash "$TOP/demo/demo.sh" >"$log" 2>&1 &
	pid=$!
	# wait until the servers are up (the "built in" line), then kill it
	for ((i = 0; i < 500; i++)); do
		grep -q 'built in' "$log" && break
		sleep 0.02
	done
	grep -q 'built in' "$log"
	tag=$(sed -n 's/.*(tb-demo-\([0-9a-f]*\)-\*).*/\1/p' "$log" | head -1)
	[ -n "$tag" ]
	peers=$(ip netns pids "tb-demo-$tag-root"; ip netns pids "tb-demo-$tag-web")
	[ -n "$peers" ]
	kill -TERM "$pid"
	wait "$pid" || st=$?
	[ "$st" -ne 0 ]
	! ip netns list | grep -q "tb-demo-$tag-"
	for p in $peers; do
		! kill -0 "$p" 2>/dev/null
	done
}

@test "demo: without root, a clear message and exit 2" {
	need_cmd setpriv
	[ "$(id -u)" = 0 ] || skip "needs root to become another user (as a user, run it directly)"
	# the script from a directory nobody can read (a checkout under /root
	# is not): it must say "needs root" before it needs anything else
	local d
	d=$(mktemp -d /tmp/tubes-demo-user.XXXXXX)
	mkdir "$d/demo"
	cp "$TOP/demo/demo.sh" "$d/demo/"
	chmod -R a+rX "$d"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env O="$DEMO_O" bash "$d/demo/demo.sh"
	rm -rf "$d"
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs root"* ]]
	[[ "$output" == *"sudo make demo"* ]]
}
