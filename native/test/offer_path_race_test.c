/*
 * The offer's file-system steps (native/src/offer_path.c, compiled here with
 * JIVYKIS_OFFER_TEST_HOOK) against another user who can write the offer's directory and
 * acts at each step: it plants a symlink at the final name, or renames the private directory
 * away and puts a symlink, a directory of its own or a plain file at its name. Each attempt
 * must either publish a listening socket with exactly the asked mode at the final name, or
 * fail cleanly; in both cases no other file changes mode, content or place, no socket is
 * left anywhere else, and no descriptor leaks.
 *
 * The attacker is a forked child that has become user and group "nobody" (65534), so the
 * kernel's permission checks are the real ones: it can rename entries of the shared
 * directory (0777, no sticky bit: the worst case), but cannot enter the private one. Hence
 * this test needs root; otherwise it reports itself skipped (exit 77).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offer_path.h"

#define NOBODY 65534
#define MODE 0660

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

enum attack { SYMLINK_AT_FINAL, PRIVATE_TO_SYMLINK, PRIVATE_TO_OWN_DIR, PRIVATE_TO_FILE, ATTACKS };
static const char *attack_names[ATTACKS] = { "symlink at the final name", "private dir swapped for a symlink",
	"private dir swapped for the attacker's dir", "private dir swapped for a file" };
static const char *step_names[JIVYKIS_OFFER_STEPS] = { "made private dir", "opened private dir", "bound",
	"mode set", "linked", "removing private dir", "remove checked" };

static char shared[64];
static int armed_step = -1;
static enum attack armed_attack;

static void at(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", shared, name);
}

/* What the other user does, in a child with its credentials. */
static void attack(enum attack kind, const char *private_name)
{
	char victim[128], victim_dir[128], final[128], priv[128], moved[128];
	at(victim, sizeof(victim), "victim");
	at(victim_dir, sizeof(victim_dir), "victim-dir");
	at(final, sizeof(final), "final");
	at(moved, sizeof(moved), "moved");
	if (private_name != NULL)
		at(priv, sizeof(priv), private_name);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
			_exit(2);
		if (kind == SYMLINK_AT_FINAL)
			_exit(symlink(victim, final) < 0 && errno != EEXIST); /* EEXIST: published already */
		if (private_name == NULL || rename(priv, moved) < 0)
			_exit(0); /* nothing to swap at this step */
		int rc;
		if (kind == PRIVATE_TO_SYMLINK)
			rc = symlink(victim_dir, priv);
		else if (kind == PRIVATE_TO_OWN_DIR)
			rc = mkdir(priv, 0777);
		else
			rc = close(open(priv, O_CREAT | O_WRONLY, 0666));
		_exit(rc < 0);
	}
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the attacker (as nobody) failed: %s at %s",
	      attack_names[kind], private_name == NULL ? "-" : private_name);
}

void jivykis_offer_test_hook(enum jivykis_offer_step step, int dirfd, const char *private_name,
			     const char *final_name)
{
	(void)dirfd; (void)final_name;
	if ((int)step == armed_step)
		attack(armed_attack, private_name);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/* The victims are as made; no socket lies anywhere but at `allowed` (NULL: nowhere). */
static void check_victims(const char *what)
{
	char path[160];
	struct stat st;
	at(path, sizeof(path), "victim");
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640 && st.st_size == 6,
	      "%s: the victim file changed", what);
	at(path, sizeof(path), "victim-dir");
	CHECK(lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750,
	      "%s: the victim directory changed", what);
	at(path, sizeof(path), "victim-dir/keep");
	CHECK(lstat(path, &st) == 0 && (st.st_mode & 07777) == 0600, "%s: the victim directory's file changed", what);
	DIR *d = opendir(shared);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		char sub[400];
		snprintf(sub, sizeof(sub), "%s/%s", shared, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISSOCK(st.st_mode) && strcmp(e->d_name, "final") != 0)
			CHECK(0, "%s: a socket file was left at %s", what, e->d_name);
	}
	closedir(d);
	at(path, sizeof(path), "victim-dir");
	d = opendir(path);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		CHECK(e->d_name[0] == '.' || strcmp(e->d_name, "keep") == 0, "%s: %s appeared in the victim directory",
		      what, e->d_name);
	closedir(d);
}

/* Removes everything but the victims from the shared directory. */
static void tidy(void)
{
	DIR *d = opendir(shared);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (strcmp(e->d_name, "victim") == 0 || strcmp(e->d_name, "victim-dir") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0)
			(void)unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static int connects(const char *path)
{
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len >= sizeof(addr.sun_path)) {
		close(c);
		return 0;
	}
	memcpy(addr.sun_path, path, len + 1);
	int ok = connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(c);
	return ok;
}

/* One offer with the attacker armed at `step`; checks what must hold whatever happened. */
static void attempt(int step, enum attack kind)
{
	char what[160], final[128];
	snprintf(what, sizeof(what), "%s at step \"%s\"", step < 0 ? "no attack" : attack_names[kind],
		 step < 0 ? "-" : step_names[step]);
	at(final, sizeof(final), "final");
	int before = count_fds();
	armed_step = step;
	armed_attack = kind;
	struct jivykis_offer_file made;
	int fd = jivykis_offer_listen_at(final, MODE, &made);
	armed_step = -1;
	struct stat st;
	if (fd >= 0) {
		CHECK(lstat(final, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == MODE
		      && st.st_ino == made.ino && st.st_dev == made.dev,
		      "%s: open succeeded but the final name is not our socket with mode %o", what, MODE);
		CHECK(connects(final), "%s: open succeeded but nobody listens at the final name", what);
		int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		CHECK(conn >= 0, "%s: the connection did not reach the offer's socket", what);
		if (conn >= 0)
			close(conn);
		CHECK(jivykis_offer_remove(final, &made) == 0, "%s: close did not remove our own file", what);
		close(fd);
	} else {
		int gone = lstat(final, &st) < 0 && errno == ENOENT;
		int theirs = !gone && S_ISLNK(st.st_mode) && kind == SYMLINK_AT_FINAL;
		CHECK(gone || theirs, "%s: a failed open (%s) left something at the final name", what, strerror(-fd));
		CHECK(fd == -EADDRINUSE || fd == -EBUSY, "%s: failed with %s, not EADDRINUSE or EBUSY", what,
		      strerror(-fd));
	}
	check_victims(what);
	tidy();
	CHECK(count_fds() == before, "%s: %d descriptors before, %d after", what, before, count_fds());
	printf("%-45s -> %s\n", what, fd >= 0 ? "opened" : strerror(-fd));
}

/* Offer A's file removed by someone, offer B made at the path: closing A leaves B's file. */
static void test_close_leaves_a_replacement(void)
{
	char final[128];
	at(final, sizeof(final), "final");
	struct jivykis_offer_file a, b;
	int fa = jivykis_offer_listen_at(final, 0600, &a);
	CHECK(fa >= 0, "offer A: %s", strerror(-fa));
	CHECK(unlink(final) == 0, "removing A's file");
	int fb = jivykis_offer_listen_at(final, 0600, &b);
	CHECK(fb >= 0, "offer B: %s", strerror(-fb));
	CHECK(jivykis_offer_remove(final, &a) == 1, "closing A reported removing a file");
	CHECK(connects(final), "closing A removed B's file");
	CHECK(jivykis_offer_remove(final, &b) == 0, "closing B did not remove its file");
	CHECK(jivykis_offer_remove(final, &b) == 1, "a second remove found something");
	close(fa);
	close(fb);
}

/* A long directory with a one-byte name: the temporary name must not be longer than sun_path. */
static void test_short_name_in_a_long_directory(void)
{
	char dir[128], final[256];
	int n = snprintf(dir, sizeof(dir), "%s/", shared);
	memset(dir + n, 'd', 104 - (size_t)n);
	dir[104] = '\0';
	CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
	snprintf(final, sizeof(final), "%s/a", dir); /* 106 bytes: a sun_path holds 107 */
	struct jivykis_offer_file made;
	int fd = jivykis_offer_listen_at(final, 0600, &made);
	CHECK(fd >= 0, "a 106-byte path with a one-byte name: %s", strerror(-fd));
	if (fd >= 0) {
		CHECK(connects(final), "nobody listens at the 106-byte path");
		CHECK(jivykis_offer_remove(final, &made) == 0, "removing it");
		close(fd);
	}
	CHECK(rmdir(dir) == 0, "the long directory is left empty");
}

int main(void)
{
	if (geteuid() != 0) {
		printf("skipped: acting as another user (nobody) needs root\n");
		return 77;
	}
	snprintf(shared, sizeof(shared), "/tmp/jivykis-offer-race-XXXXXX");
	if (mkdtemp(shared) == NULL || chmod(shared, 0777) < 0) {
		perror("shared directory");
		return 1;
	}
	char path[128];
	at(path, sizeof(path), "victim");
	int v = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
	if (v < 0 || write(v, "intact", 6) != 6 || fchmod(v, 0640) < 0)
		return 1;
	close(v);
	at(path, sizeof(path), "victim-dir");
	if (mkdir(path, 0750) < 0 || chmod(path, 0750) < 0)
		return 1;
	at(path, sizeof(path), "victim-dir/keep");
	v = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (v < 0 || fchmod(v, 0600) < 0)
		return 1;
	close(v);

	attempt(-1, SYMLINK_AT_FINAL);
	for (int step = 0; step < JIVYKIS_OFFER_REMOVE_CHECKED; step++)
		for (int kind = 0; kind < ATTACKS; kind++)
			attempt(step, (enum attack)kind);
	test_close_leaves_a_replacement();
	test_short_name_in_a_long_directory();

	tidy();
	at(path, sizeof(path), "victim-dir/keep");
	unlink(path);
	at(path, sizeof(path), "victim-dir");
	rmdir(path);
	at(path, sizeof(path), "victim");
	unlink(path);
	rmdir(shared);
	printf("%s\n", failures == 0 ? "offer path race test passed" : "offer path race test FAILED");
	return failures == 0 ? 0 : 1;
}
