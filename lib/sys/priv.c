/* priv.c - give up a setuid/setgid identity after the raw socket is open */
#include <sys/syscall.h>
#include <unistd.h>

#include "tubes.h"

/*
 * The commands are single-threaded, so the kernel's per-task calls are
 * the whole job.  libc's setresuid & co. would first stop every thread
 * to change them all (musl's __synccall, glibc's setxid broadcast) and
 * pull that machinery, 2 KB of it, into every static binary.  The
 * 32-bit-ID calls where the plain ones take 16 bits (i386, arm).
 */
#ifdef SYS_setresuid32
#define SETGROUPS	SYS_setgroups32
#define SETRESGID	SYS_setresgid32
#define SETRESUID	SYS_setresuid32
#else
#define SETGROUPS	SYS_setgroups
#define SETRESGID	SYS_setresgid
#define SETRESUID	SYS_setresuid
#endif

void
tb_drop_privs(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	gid_t gid = getgid();
	uid_t uid = getuid();

	if (geteuid() == uid && getegid() == gid)
		return;
	if (geteuid() == 0 && uid != 0)
		(void)syscall(SETGROUPS, 1, &gid);
	if (syscall(SETRESGID, gid, gid, gid) < 0 || syscall(SETRESUID, uid, uid, uid) < 0)
		tb_die(EXIT_LOCAL, "cannot drop privileges");
	/* and check: never go on believing it worked */
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid)
		tb_die(EXIT_LOCAL, "privileges were not dropped");
}
