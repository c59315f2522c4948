#!/bin/sh
# tests/deps.sh - make test's first step: the Debian packages in
# tests/deps.txt that are not installed are installed with apt-get when run
# as root, and named with the command that installs them otherwise (the
# tests that need them then skip, saying so).  Never fails: a missing tool
# is a skip, not an error.
cd "$(dirname "$0")/.." || exit 0
missing=
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $(sed 's/#.*//' tests/deps.txt); do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
elif ! command -v bats >/dev/null 2>&1; then
	missing=" bats"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "tests: installing what the suite uses:$missing" >&2
		# daemons must not start on install: the tests start their own
		rcd=
		[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d &&
			chmod +x /usr/sbin/policy-rc.d && rcd=1; }
		# shellcheck disable=SC2086
		# one transaction; if it fails (a name this release does not
		# have, such as tinyproxy-bin before Debian 12), one package at a
		# time, so that one unknown name does not leave gnutls-bin and
		# the rest uninstalled
		apt-get update -qq >&2
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends $missing >/dev/null 2>&1; then
			failed=
			for p in $missing; do
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				    --no-install-recommends "$p" >/dev/null 2>&1 || failed="$failed $p"
			done
			[ -n "$failed" ] && echo "tests: apt-get could not install:$failed" >&2
		fi
		[ -n "$rcd" ] && rm -f /usr/sbin/policy-rc.d
	else
		echo "tests: not installed:$missing" >&2
		echo "tests: the tests that need them will skip; to run them all:" >&2
		echo "tests:   sudo apt-get install -y --no-install-recommends$missing" >&2
	fi
fi
exit 0
