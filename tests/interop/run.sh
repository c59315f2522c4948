#!/bin/bash
# tests/interop/run.sh [-s "nginx nsd ..."] CMD... - start the real servers
# (all, or those named with -s), run CMD with the IOP_* variables exported
# (see servers.bash), then stop them.  With no CMD: print the variables and
# wait for Ctrl-C.  Needs root and a built tree (make check-build).
top=$(cd "$(dirname "$0")/../.." && pwd)
TOP=$top
TESTBIN=${TESTBIN:-$top/${O:-build/rel}/tests}
servers=
if [ "${1:-}" = -s ]; then
	servers=$2
	shift 2
fi
. "$top/tests/interop/servers.bash"
trap iop_stop_all EXIT
trap 'exit 130' INT TERM
# shellcheck disable=SC2086
iop_start $servers || { echo "run.sh: some servers did not start" >&2; exit 2; }
echo "servers up in $IOP_START_MS ms" >&2
if [ $# -eq 0 ]; then
	env | grep '^IOP_' | sort
	echo "Ctrl-C stops them" >&2
	while :; do sleep 3600; done
fi
"$@"
