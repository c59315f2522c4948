# tests/lib/netns.bash - network namespace topologies for the tests and the demo
#
#   load lib/common
#   load lib/netns
#   setup()    { need_root; ns_chain; }
#   teardown() { ns_teardown; }
#
# Every namespace is named tb-<TAG>-<role>, TAG random per run (NS_TAG), so
# parallel runs never collide; ns_teardown deletes exactly those (and kills
# nothing it did not start).  Safe to call twice, and from a trap:
#   trap ns_teardown EXIT
#
# ns_lan        client + three neighbours on one bridge, one of them a gateway
#               to a second subnet with a host in it
# ns_chain      client - r1 - r2 - r3 - server, IPv4 and IPv6, forwarding on
# ns_silent R   router R (r1|r2|r3) stops sending ICMP errors (time exceeded...)
# ns_unreachable  r3 answers net / host / admin-prohibited unreachable for
#               the addresses exported as UNREACH_NET, UNREACH_HOST, UNREACH_ADMIN
# ns_netem LOSS DUP [ROLE [IF]]   tc netem loss/duplication (skips if the
#               kernel lacks sch_netem)
# ns_exec NS CMD...   run CMD inside NS (a full name or a role: client, r1, ...)
#
# Addresses and names are exported as variables; see each function.

# the role -> namespace map is kept in NS_<ROLE> variables; NS_ALL lists them
ns_tag() {
	if [ -z "${NS_TAG:-}" ]; then
		NS_TAG=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
		export NS_TAG
	fi
}

# _ns_new ROLE: create tb-TAG-ROLE, lo up, remember it
_ns_new() {
	local role=$1 name
	ns_tag
	name=tb-$NS_TAG-$role
	ip netns add "$name" || return 1
	NS_ALL="${NS_ALL:-} $name"
	export NS_ALL
	local var="NS_${role^^}"
	printf -v "$var" '%s' "$name"
	export "${var?}"
	ip -n "$name" link set lo up
	# no DAD (addresses usable at once), no rate limit on ICMP errors (so
	# every probe of a trace is answered), ping sockets for everyone
	ip netns exec "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv4.icmp_ratelimit=0 \
		net.ipv6.icmp.ratelimit=0 net.ipv4.route.error_cost=0 \
		net.ipv4.ping_group_range="0 2147483647" 2>/dev/null
	return 0
}

# _ns_name NS-or-role -> full namespace name
_ns_name() {
	local var
	if [[ "$1" =~ ^[a-z0-9]+$ ]]; then
		var="NS_${1^^}"
		if [ -n "${!var:-}" ]; then
			printf '%s\n' "${!var}"
			return 0
		fi
	fi
	printf '%s\n' "$1"
}

ns_exec() {
	local ns
	ns=$(_ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# _ns_link NS_A IF_A NS_B IF_B [MAC_A [MAC_B]]: a veth pair between two namespaces
_ns_link() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	[ -n "${5:-}" ] && ip -n "$1" link set "$2" address "$5"
	[ -n "${6:-}" ] && ip -n "$3" link set "$4" address "$6"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

_ns_forward() {
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# ns_lan: the LAN shape, for arpq and ping-lite.
#   NS_SW      the switch (a bridge br0, nothing else)
#   NS_CLIENT  eth0 10.9.0.1/24, MAC 02:00:00:00:00:01, default via 10.9.0.2
#   NS_N2      eth0 10.9.0.2, 02:00:00:00:00:02 - the gateway; eth1 10.9.1.1/24
#   NS_N3      eth0 10.9.0.3, 02:00:00:00:00:03
#   NS_N4      eth0 10.9.0.4, 02:00:00:00:00:04
#   NS_FAR     eth0 10.9.1.2/24, 02:00:00:00:01:02, default via 10.9.1.1
# exported: LAN_IF=eth0 LAN_CLIENT LAN_CLIENT_MAC LAN_GW LAN_GW_MAC LAN_N3 LAN_N3_MAC
#   LAN_N4 LAN_N4_MAC LAN_FAR LAN_FAR_MAC LAN_FREE (an address nobody has)
ns_lan() {
	_ns_new sw && _ns_new client && _ns_new n2 && _ns_new n3 && _ns_new n4 && _ns_new far ||
		return 1
	ip -n "$NS_SW" link add br0 type bridge || return 1
	ip -n "$NS_SW" link set br0 up
	local n ns
	for n in 1 2 3 4; do
		case $n in
		1) ns=$NS_CLIENT ;; 2) ns=$NS_N2 ;; 3) ns=$NS_N3 ;; 4) ns=$NS_N4 ;;
		esac
		_ns_link "$ns" eth0 "$NS_SW" "p$n" "02:00:00:00:00:0$n" || return 1
		ip -n "$NS_SW" link set "p$n" master br0
		ip -n "$ns" addr add "10.9.0.$n/24" dev eth0
		ip -n "$ns" -6 addr add "fd00:9::$n/64" dev eth0 nodad
	done
	_ns_link "$NS_N2" eth1 "$NS_FAR" eth0 02:00:00:00:01:01 02:00:00:00:01:02 || return 1
	ip -n "$NS_N2" addr add 10.9.1.1/24 dev eth1
	ip -n "$NS_FAR" addr add 10.9.1.2/24 dev eth0
	ip -n "$NS_FAR" route add default via 10.9.1.1
	ip -n "$NS_CLIENT" route add default via 10.9.0.2
	_ns_forward "$NS_N2"
	export LAN_IF=eth0 LAN_CLIENT=10.9.0.1 LAN_CLIENT_MAC=02:00:00:00:00:01 \
		LAN_GW=10.9.0.2 LAN_GW_MAC=02:00:00:00:00:02 \
		LAN_N3=10.9.0.3 LAN_N3_MAC=02:00:00:00:00:03 \
		LAN_N4=10.9.0.4 LAN_N4_MAC=02:00:00:00:00:04 \
		LAN_FAR=10.9.1.2 LAN_FAR_MAC=02:00:00:00:01:02 LAN_FREE=10.9.0.99
}

# ns_chain: client - r1 - r2 - r3 - server, for ping-lite and trace.
#   link k (k = 0..3) is 10.10.k.0/24 and fd00:a:k::/64; the side nearer the
#   client is .1 / ::1, the other .2 / ::2.
# exported: NS_CLIENT NS_R1 NS_R2 NS_R3 NS_SERVER, and
#   CHAIN_CLIENT=10.10.0.1 CHAIN_R1=10.10.0.2 CHAIN_R2=10.10.1.2 CHAIN_R3=10.10.2.2
#   CHAIN_SERVER=10.10.3.2 (each router's address facing the client: what a
#   trace prints), and the same with a 6 suffix (fd00:a:0::1 ...).
ns_chain() {
	_ns_new client && _ns_new r1 && _ns_new r2 && _ns_new r3 && _ns_new server || return 1
	local ns=("$NS_CLIENT" "$NS_R1" "$NS_R2" "$NS_R3" "$NS_SERVER") k
	for k in 0 1 2 3; do
		_ns_link "${ns[k]}" "up$k" "${ns[k + 1]}" "down$k" || return 1
		ip -n "${ns[k]}" addr add "10.10.$k.1/24" dev "up$k"
		ip -n "${ns[k + 1]}" addr add "10.10.$k.2/24" dev "down$k"
		ip -n "${ns[k]}" -6 addr add "fd00:a:$k::1/64" dev "up$k" nodad
		ip -n "${ns[k + 1]}" -6 addr add "fd00:a:$k::2/64" dev "down$k" nodad
	done
	for k in 1 2 3; do
		_ns_forward "${ns[k]}"
	done
	# towards the server: default routes; r3 has none (see ns_unreachable)
	ip -n "$NS_CLIENT" route add default via 10.10.0.2
	ip -n "$NS_CLIENT" -6 route add default via fd00:a:0::2
	ip -n "$NS_R1" route add default via 10.10.1.2
	ip -n "$NS_R1" -6 route add default via fd00:a:1::2
	ip -n "$NS_R2" route add default via 10.10.2.2
	ip -n "$NS_R2" -6 route add default via fd00:a:2::2
	# back towards the client
	ip -n "$NS_SERVER" route add default via 10.10.3.1
	ip -n "$NS_SERVER" -6 route add default via fd00:a:3::1
	ip -n "$NS_R3" route add 10.10.0.0/23 via 10.10.2.1
	ip -n "$NS_R3" -6 route add fd00:a::/63 via fd00:a:2::1
	ip -n "$NS_R2" route add 10.10.0.0/24 via 10.10.1.1
	ip -n "$NS_R2" -6 route add fd00:a:0::/64 via fd00:a:1::1
	export CHAIN_CLIENT=10.10.0.1 CHAIN_R1=10.10.0.2 CHAIN_R2=10.10.1.2 CHAIN_R3=10.10.2.2 \
		CHAIN_SERVER=10.10.3.2 \
		CHAIN_CLIENT6=fd00:a:0::1 CHAIN_R16=fd00:a:0::2 CHAIN_R26=fd00:a:1::2 \
		CHAIN_R36=fd00:a:2::2 CHAIN_SERVER6=fd00:a:3::2
}

# ns_silent ROUTER: the router forwards but never sends an ICMP message of
# its own (time exceeded, unreachable; echo replies too): its locally made
# ICMP is routed to a blackhole by a policy rule (iif lo = generated here).
ns_silent() {
	local ns
	ns=$(_ns_name "$1")
	ip -n "$ns" rule add iif lo ipproto icmp priority 100 table 100 &&
		ip -n "$ns" route add blackhole default table 100 &&
		ip -n "$ns" -6 rule add iif lo ipproto ipv6-icmp priority 100 table 100 &&
		ip -n "$ns" -6 route add blackhole default table 100
}

# ns_unreachable: on r3 (needs ns_chain), three destinations that fail:
#   UNREACH_NET=10.99.0.1   no route at r3: ICMP net unreachable (v6: no route)
#   UNREACH_HOST=10.98.0.1  an "unreachable" route: ICMP host unreachable
#   UNREACH_ADMIN=10.97.0.1 a "prohibit" route: ICMP communication administratively
#                           prohibited (v6 admin prohibited)
#   and UNREACH_NET6=fd00:99::1 UNREACH_HOST6=fd00:98::1 UNREACH_ADMIN6=fd00:97::1
ns_unreachable() {
	[ -n "${NS_R3:-}" ] || { echo "ns_unreachable: needs ns_chain" >&2; return 1; }
	ip -n "$NS_R3" route add unreachable 10.98.0.0/16 &&
		ip -n "$NS_R3" route add prohibit 10.97.0.0/16 &&
		ip -n "$NS_R3" -6 route add unreachable fd00:98::/32 &&
		ip -n "$NS_R3" -6 route add prohibit fd00:97::/32 || return 1
	export UNREACH_NET=10.99.0.1 UNREACH_HOST=10.98.0.1 UNREACH_ADMIN=10.97.0.1 \
		UNREACH_NET6=fd00:99::1 UNREACH_HOST6=fd00:98::1 UNREACH_ADMIN6=fd00:97::1
}

# ns_netem LOSS DUP [ROLE [IF]]: loss and duplication (percent) on ROLE's
# interface IF (default: the client's first link, up0 in the chain, eth0 on the LAN)
ns_netem() {
	local loss=$1 dup=$2 ns dev
	ns=$(_ns_name "${3:-client}")
	dev=${4:-}
	if [ -z "$dev" ]; then
		dev=$(ip -n "$ns" -o link show | awk -F': ' '$2 != "lo" { sub(/@.*/, "", $2); print $2; exit }')
	fi
	local err
	if ! err=$(tc -n "$ns" qdisc add dev "$dev" root netem loss "$loss%" duplicate "$dup%" 2>&1); then
		local why="tc netem not available here: ${err:-tc failed}"
		if declare -F skip >/dev/null; then skip "$why"; fi
		echo "ns_netem: $why" >&2
		return 1
	fi
}

# ns_teardown: delete every namespace this run made; always succeeds
ns_teardown() {
	local ns
	[ -n "${NS_TAG:-}" ] || return 0
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^tb-$NS_TAG-"); do
		ip netns del "$ns" 2>/dev/null
	done
	NS_ALL=
	return 0
}
