/*
 * The file-system steps of an event offer: make its socket file appear at a path, and take
 * away only that file on close. The offer's directory may be writable by others (a group's
 * directory, for a group-postable offer), so no step may act through a name such a writer
 * can redirect:
 *
 *   1. mkdirat a fresh private directory (0700, random name) next to the target, and hold it
 *      open: from then on it is reached through its descriptor, never by name, so renaming
 *      it or planting a symlink at its name changes nothing for us.
 *   2. bind the socket inside it, through /proc/self/fd/<dirfd>/s: a short name whatever the
 *      length of the target's (a sun_path holds 107 bytes), naming the directory we hold.
 *   3. set the mode there (fchmodat on the name "s" in our own 0700 directory, where nobody
 *      else can create, rename or remove anything) and listen.
 *   4. linkat into the final name without AT_SYMLINK_FOLLOW: it fails with EEXIST rather than
 *      replace or follow whatever is there.
 *   5. unlinkat the temporary name inside the private directory, and remove the directory
 *      (by its name: see remove_private_dir for the race that remains and why it is harmless).
 *
 * The socket is made 0600 before bind (Linux creates the file with the socket inode's mode
 * minus the umask), so even the private name never has wider permissions than the owner's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "offer_path.h"

#ifdef JIVYKIS_OFFER_TEST_HOOK
#define STEP(step, dirfd, private_name, final_name) \
	jivykis_offer_test_hook(step, dirfd, private_name, final_name)
#else
#define STEP(step, dirfd, private_name, final_name) ((void)(dirfd), (void)(private_name), (void)(final_name))
#endif

/* The socket's name inside the private directory. */
#define PRIVATE_SOCKET "s"
/* Attempts at a private directory name that is not taken. */
#define NAME_ATTEMPTS 16

/* Opens the directory part of `path` and points `*base` at the last component: fd or -errno. */
static int open_parent(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	*base = slash == NULL ? path : slash + 1;
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return -EINVAL;
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	size_t len = slash == NULL ? 0 : (size_t)(slash - path);
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	if (slash == NULL)
		strcpy(dir, ".");
	else if (len == 0)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	/* The directory's own path is trusted like any path a caller names; only its entries
	 * are shared with other writers. */
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

/* A fresh ".jv<16 hex>" directory (0700) in `dirfd`; its name in `name` (24 bytes): 0 or -errno. */
static int make_private_dir(int dirfd, char name[24])
{
	for (unsigned attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
		unsigned long long noise = 0;
		if (getrandom(&noise, sizeof(noise), GRND_NONBLOCK) != (ssize_t)sizeof(noise)) {
			/* No entropy yet (early boot): unpredictability is not what makes this safe,
			 * mkdirat's EEXIST and the checks in open_private_dir are. */
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			noise = (unsigned long long)now.tv_nsec * 6364136223846793005ull ^ (unsigned long long)getpid()
				^ attempt;
		}
		snprintf(name, 24, ".jv%016llx", noise);
		if (mkdirat(dirfd, name, 0700) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/*
 * Opens the directory just made, refusing anything else someone may have put at its name
 * in between (a symlink: O_NOFOLLOW; another user's directory: the owner check; a directory
 * others can enter: the mode check). Its identity goes to `*id`. fd or -errno.
 */
static int open_private_dir(int dirfd, const char *name, struct stat *id)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -EBUSY : -errno;
	int rc = fstat(fd, id) < 0 ? -errno : 0;
	if (rc == 0 && (id->st_uid != geteuid() || (id->st_mode & 077) != 0))
		rc = -EBUSY;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/*
 * Removes the private directory `name` of `dirfd` if it is still the one `id` describes.
 * The race left: between this check and the rmdir another writer of the directory could put
 * an empty directory of its own at the name, and it would be removed. That is harmless:
 * only an empty directory can go, and whoever can rename entries of this directory can
 * remove that one themselves. A directory renamed away is left where it was moved (empty).
 */
static void remove_private_dir(int dirfd, const char *name, const struct stat *id)
{
	struct stat now;
	if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_dev != id->st_dev
	    || now.st_ino != id->st_ino)
		return;
	STEP(JIVYKIS_OFFER_REMOVING_PRIVATE_DIR, dirfd, name, NULL);
	(void)unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Binds `fd` to the private directory's socket name, through the directory's descriptor. */
static int bind_inside(int fd, int private_fd)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int n = snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/" PRIVATE_SOCKET, private_fd);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path))
		return -ENAMETOOLONG; /* cannot happen: at most 31 bytes */
	return bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 ? 0 : -errno;
}

/* Steps 2 to 4 on an open private directory; 0 or -errno, the private name perhaps left bound. */
static int publish(int fd, int dirfd, int private_fd, const char *private_name, const char *base,
		   mode_t mode, struct jivykis_offer_file *made)
{
	STEP(JIVYKIS_OFFER_OPENED_PRIVATE_DIR, dirfd, private_name, base);
	int rc = bind_inside(fd, private_fd);
	if (rc < 0)
		return rc == -ENOENT ? -ENOSYS : rc; /* the directory is open, so ENOENT means no /proc */
	STEP(JIVYKIS_OFFER_BOUND, dirfd, private_name, base);
	struct stat st;
	if (fstatat(private_fd, PRIVATE_SOCKET, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EBUSY;
	made->dev = st.st_dev;
	made->ino = st.st_ino;
	if (fchmodat(private_fd, PRIVATE_SOCKET, mode, 0) < 0)
		return -errno;
	STEP(JIVYKIS_OFFER_MODE_SET, dirfd, private_name, base);
	if (listen(fd, 64) < 0)
		return -errno;
	if (linkat(private_fd, PRIVATE_SOCKET, dirfd, base, 0) < 0)
		return errno == EEXIST ? -EADDRINUSE : -errno;
	STEP(JIVYKIS_OFFER_LINKED, dirfd, private_name, base);
	return 0;
}

int jivykis_offer_listen_at(const char *path, mode_t mode, struct jivykis_offer_file *made)
{
	const char *base;
	int dirfd = open_parent(path, &base);
	if (dirfd < 0)
		return dirfd;
	struct stat st;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		close(dirfd);
		return -EADDRINUSE; /* the usual case of a taken path, reported before any work */
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		int rc = -errno;
		close(dirfd);
		return rc;
	}
	char private_name[24];
	int rc = fchmod(fd, 0600) < 0 ? -errno : make_private_dir(dirfd, private_name);
	if (rc == 0) {
		STEP(JIVYKIS_OFFER_MADE_PRIVATE_DIR, dirfd, private_name, base);
		struct stat private_id;
		int private_fd = open_private_dir(dirfd, private_name, &private_id);
		if (private_fd < 0) {
			rc = private_fd;
		} else {
			rc = publish(fd, dirfd, private_fd, private_name, base, mode, made);
			(void)unlinkat(private_fd, PRIVATE_SOCKET, 0);
			close(private_fd);
			remove_private_dir(dirfd, private_name, &private_id);
		}
	}
	close(dirfd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/*
 * The bound socket holds a reference to its file's inode, so while the listening socket is
 * open that inode cannot be freed and its number cannot be given to a new file: a file with
 * the same (st_dev, st_ino) is ours. That is why this runs before the socket is closed.
 *
 * The race left: between lstat and unlink, another writer of the directory could remove our
 * file and put another at the name, which would then be removed. It needs someone to delete
 * our live socket file and create theirs within those microseconds; whoever can do that can
 * delete their own file too, and an honest second offer cannot be in that window: it can
 * only be made once our file is gone, and it is not gone until that instant.
 */
int jivykis_offer_remove(const char *path, const struct jivykis_offer_file *made)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 1 : -errno;
	if (st.st_dev != made->dev || st.st_ino != made->ino || !S_ISSOCK(st.st_mode))
		return 1;
	STEP(JIVYKIS_OFFER_REMOVE_CHECKED, -1, NULL, path);
	if (unlink(path) < 0)
		return errno == ENOENT ? 1 : -errno;
	return 0;
}
