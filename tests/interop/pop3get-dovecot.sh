#!/bin/sh
# pop3get-dovecot.sh - a private dovecot-pop3d on 127.0.0.1 for pop3get's
# interop tests and benchmark.
#
#   pop3get-dovecot.sh start DIR    config, passwd and a Maildir for user
#                                   "martha" (password "tanstaaf") under DIR;
#                                   prints the port; the Maildir to fill is
#                                   DIR/home/martha/Maildir
#   pop3get-dovecot.sh stop DIR     stop that dovecot (by its pid file)
#
# Needs root (dovecot drops to its own users).  Dovecot takes port 0 to
# mean "no listener", so the kernel picks a free port for a socket we
# bind and close, and dovecot gets that port.
set -eu
cmd=$1 dir=$(realpath -m "$2")

case $cmd in
stop)
	pid=$(cat "$dir/run/master.pid" 2>/dev/null) || exit 0
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
	exit 0
	;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

command -v dovecot >/dev/null || { echo "dovecot not installed" >&2; exit 2; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
	shuf -i 20000-60999 -n 1)
mkdir -p "$dir/run" "$dir/state" "$dir/home/martha/Maildir/new" \
	"$dir/home/martha/Maildir/cur" "$dir/home/martha/Maildir/tmp"
chown -R nobody:nogroup "$dir/home"
chmod 755 "$dir" "$dir/home"
printf 'martha:{PLAIN}tanstaaf:65534:65534::%s/home/martha\n' "$dir" >"$dir/passwd"
cat >"$dir/dovecot.conf" <<EOC
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = $dir/passwd
}
userdb {
  driver = passwd-file
  args = $dir/passwd
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $port
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}
EOC
dovecot -c "$dir/dovecot.conf"
i=0
while [ ! -s "$dir/run/master.pid" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
i=0
while [ $i -lt 250 ]; do
	if awk -v p="$(printf '%04X' "$port")" '$4 == "0A" { split($2, a, ":"); if (a[2] == p) f = 1 } END { exit !f }' /proc/net/tcp; then
		echo "$port"
		exit 0
	fi
	sleep 0.02
	i=$((i + 1))
done
echo "dovecot did not listen (see $dir/dovecot.log)" >&2
exit 1
