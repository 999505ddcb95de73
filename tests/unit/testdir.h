/*
 * testdir.h — one temporary directory per test suite (header-only; each
 * test binary is one translation unit).
 *
 * testdir_make in the group setup, testdir_path to name a file in it,
 * testdir_remove in the teardown: suites run in parallel and leave
 * nothing behind.
 */
#ifndef DANVAN_TESTDIR_H
#define DANVAN_TESTDIR_H

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

static char testdir[64];

/* Create the directory "/tmp/danvan-test-NAME-XXXXXX"; 0 on success. */
static inline int testdir_make(const char *name)
{
	xsnprintf(testdir, sizeof testdir, "/tmp/danvan-test-%s-XXXXXX", name);
	return mkdtemp(testdir) ? 0 : -1;
}

/* testdir + "/" + name into out. */
static inline void testdir_path(char *out, size_t n, const char *name)
{
	xsnprintf(out, n, "%s/%s", testdir, name);
}

static inline void testdir_rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (str_eq(e->d_name, ".") || str_eq(e->d_name, ".."))
			continue;
		char p[512];
		xsnprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			testdir_rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static inline void testdir_remove(void)
{
	testdir_rm_tree(testdir);
}

#endif
