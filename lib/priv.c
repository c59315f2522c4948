/* priv.c - give up a setuid/setgid identity after the raw socket is open */
#include <grp.h>
#include <unistd.h>

#include "tubes.h"

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
		(void)setgroups(1, &gid);
	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		tb_die(EXIT_LOCAL, "cannot drop privileges");
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid)
		tb_die(EXIT_LOCAL, "privileges were not dropped");
}
