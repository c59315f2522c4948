/*
 * x_tls - the TLS client (lib/tls) against real servers, for
 * tests/tls.bats: connect to an address literal and port, run the
 * handshake, send stdin, print what comes back.  At stdin's end it sends
 * close_notify and reads on until the server's close_notify (or its EOF,
 * which after ours is no truncation).  The handshake's outcome goes to
 * stderr as one "tls: ..." line.  Exit 0, 2 for a usage or local error,
 * 3 with the message when the connection or the server fails.
 *
 *   x_tls [-kX] [--cacert FILE] [--sni NAME] [--host NAME] [--alpn LIST]
 *         [--keylog FILE] [--group x25519|p256|p384] [--now SECS] [-w SECS]
 *         [--tls-min 1.2|1.3] [--tls-max 1.2|1.3] [--resume] ADDRESS PORT
 *
 * --resume reads stdin whole and sends it on two connections, the
 * second offering the first's session (tls_session_get); its "tls:"
 * line ends in resumed=1 when the server took it.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "tls/tls.h"
#include "tls/x509.h"
#include "tubes.h"

static struct conn c;

static void
usage(void)
{
	fprintf(stderr, "usage: x_tls [-kX] [--cacert FILE] [--sni NAME] [--host NAME] "
	    "[--alpn LIST] [--keylog FILE] [--group x25519|p256|p384] [--now SECS] [-w SECS] "
	    "[--tls-min 1.2|1.3] [--tls-max 1.2|1.3] [--resume] ADDRESS PORT\n");
	exit(2);
}

/*
 * One connection: the handshake, then the input (fd 0, or the bytes in
 * with closeafter) sent and the replies printed until close_notify.
 * The conn is left open for tls_session_get; exits 3 on failure.
 */
static void
session(struct tls_config *cfg, const struct tb_addr *a, uint16_t port, int64_t wait,
    int mem, const char *in, size_t inlen)
{
	struct tls_info info;
	const char *why;
	char msg[300], buf[16384];
	int in_open = !mem, closed = 0;
	size_t i;
	ssize_t r;

	c.idle = wait;
	c.deadline = tb_now() + 3 * wait;
	if (conn_tcp(&c, a, port, wait) < 0)
		tb_die(3, "connect: %s", strerror(errno));
	c.idle = wait;
	c.deadline = tb_now() + 3 * wait;
	if (tls_start(&c, cfg, &info, msg, sizeof msg) < 0) {
		conn_close(&c);
		tb_die(3, "%s", msg);
	}
	fprintf(stderr, "tls: version=0x%04x suite=%s group=%s hrr=%d alpn=%s verified=%d "
	    "scheme=%s chain=%zu", info.version, info.suite, info.group, info.hrr,
	    info.alpn[0] ? info.alpn : "-", info.verified,
	    tls_sigscheme_name(info.sig_scheme), info.nchain);
	for (i = 0; i < info.nchain && i < TLS_CHAIN_MAX; i++)
		fprintf(stderr, "%s%s", i ? "|" : " ", info.chain[i]);
	fprintf(stderr, "%s%s%s\n", info.verified ? "" : " why=", info.verify_why,
	    info.resumed ? " resumed=1" : "");
	if (mem) {
		if (inlen > 0 && conn_write(&c, in, inlen) < 0) {
			why = tls_error(&c);
			tb_die(3, "write: %s", why ? why : strerror(errno));
		}
		closed = 1;
		if (c.tp->shutdown(&c) < 0)
			tb_die(3, "close_notify: %s", tls_error(&c));
	}
	for (;;) {
		struct pollfd p[2];
		int np = 1;

		p[0].fd = c.rfd;
		p[0].events = POLLIN;
		if (in_open) {
			p[1].fd = 0;
			p[1].events = POLLIN;
			np = 2;
		}
		p[0].revents = p[1].revents = 0;
		if (c.tp->pending(&c) == 0 &&
		    tb_poll(p, np, tb_now() + wait) <= 0) {
			conn_close(&c);
			tb_die(3, "timed out");
		}
		if (np == 2 && p[1].revents) {
			r = read(0, buf, sizeof buf);
			if (r > 0 && conn_write(&c, buf, (size_t)r) < 0) {
				why = tls_error(&c);
				tb_die(3, "write: %s", why ? why : strerror(errno));
			}
			if (r <= 0) {
				in_open = 0;
				closed = 1;
				if (c.tp->shutdown(&c) < 0)
					tb_die(3, "close_notify: %s", tls_error(&c));
			}
		}
		if (p[0].revents || c.tp->pending(&c)) {
			r = conn_read(&c, buf, sizeof buf);
			if (r > 0) {
				if (tb_write_all(1, buf, (size_t)r) < 0)
					tb_die(2, "stdout: %s", strerror(errno));
				continue;
			}
			if (r == 0) {
				fprintf(stderr, "x_tls: close_notify after %llu bytes\n",
				    (unsigned long long)tls_received(&c));
				if (!closed)
					c.tp->shutdown(&c);
				break;
			}
			why = tls_error(&c);
			if (closed && why && strstr(why, "without close_notify")) {
				fprintf(stderr, "x_tls: server closed after our close_notify\n");
				break;
			}
			fprintf(stderr, "x_tls: %s\n", why ? why : strerror(errno));
			conn_close(&c);
			tb_exit(3);
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "cacert", required_argument, NULL, 'C' },
		{ "sni", required_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'H' },
		{ "alpn", required_argument, NULL, 'A' },
		{ "keylog", required_argument, NULL, 'L' },
		{ "group", required_argument, NULL, 'G' },
		{ "now", required_argument, NULL, 'N' },
		{ "tls-min", required_argument, NULL, 'm' },
		{ "tls-max", required_argument, NULL, 'M' },
		{ "resume", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct tls_config cfg;
	struct tls_session sess;
	struct layers lv = { stdout };
	struct tb_trust *trust = NULL;
	struct tb_addr a;
	const char *cafile = NULL, *why;
	long long port, n;
	int64_t wait = 10000000;
	int ch, resume = 0;
	ssize_t r;

	tb_init(argv[0]);
	memset(&cfg, 0, sizeof cfg);
	while ((ch = getopt_long(argc, argv, "kw:X", lo, NULL)) != -1) {
		switch (ch) {
		case 'k':
			cfg.insecure = 1;
			break;
		case 'w':
			if (tb_secs(optarg, 3600, &wait) < 0)
				usage();
			break;
		case 'X':
			cfg.lv = &lv;
			break;
		case 'R':
			resume = 1;
			break;
		case 'C':
			cafile = optarg;
			break;
		case 'S':
			cfg.sni = optarg;
			break;
		case 'H':
			cfg.host = optarg;
			break;
		case 'A':
			cfg.alpn = optarg;
			break;
		case 'L':
			cfg.keylog = optarg;
			break;
		case 'G':
			if (strcmp(optarg, "p256") == 0)
				cfg.group = TLS_GROUP_P256;
			else if (strcmp(optarg, "p384") == 0)
				cfg.group = TLS_GROUP_P384;
			else if (strcmp(optarg, "x25519") != 0)
				usage();
			break;
		case 'N':
			if (tb_num(optarg, 1, 1LL << 40, &n) < 0)
				usage();
			cfg.now = n;
			break;
		case 'm':
		case 'M':
			if (strcmp(optarg, "1.2") == 0)
				n = TLS_V12;
			else if (strcmp(optarg, "1.3") == 0)
				n = TLS_V13;
			else
				usage();
			if (ch == 'm')
				cfg.min_version = (int)n;
			else
				cfg.max_version = (int)n;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2 || tb_addr_parse(argv[optind], &a) < 0 ||
	    tb_num(argv[optind + 1], 1, 65535, &port) < 0)
		usage();
	if (cfg.host == NULL)
		cfg.host = cfg.sni ? cfg.sni : argv[optind];
	if (cafile && (trust = tb_trust_open(cafile, NULL, &why)) == NULL)
		tb_die(2, "%s: %s", cafile, why);
	cfg.trust = trust;
	if (!resume) {
		session(&cfg, &a, (uint16_t)port, wait, 0, NULL, 0);
	} else {
		/*
		 * --resume: stdin read whole, sent on two connections, the
		 * second offering the first's session
		 */
		static char in[65536];
		size_t inlen = 0;

		while ((r = read(0, in + inlen, sizeof in - inlen)) > 0)
			inlen += (size_t)r;
		session(&cfg, &a, (uint16_t)port, wait, 1, in, inlen);
		if (tls_session_get(&c, &sess) < 0)
			tb_die(3, "no session to resume (no ticket came)");
		conn_close(&c);
		cfg.resume = &sess;
		session(&cfg, &a, (uint16_t)port, wait, 1, in, inlen);
		tls_session_wipe(&sess);
	}
	conn_close(&c);
	if (trust)
		tb_trust_close(trust);
	tb_exit(0);
}
