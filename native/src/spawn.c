/*
 * Child processes that inherit event descriptors: posix_spawn with file actions, waiting
 * for exit without reaping, reaping, and signalling exactly the child (pidfds). All policy (environment, names,
 * reaping discipline) is in Java (io.jivykis.ChildProcessBuilder, ChildProcess).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

#define SPAWN_NATIVE_CLASS "io/jivykis/internal/SpawnNative"

/*
 * Splits `count` NUL-terminated strings laid end to end in `block` (`len` bytes) into a
 * NULL-terminated vector; NULL when the block does not hold that many (or on ENOMEM).
 */
static char **split(char *block, jint len, jint count)
{
	char **vector = calloc((size_t)count + 1, sizeof(char *));
	if (vector == NULL)
		return NULL;
	char *end = block + len;
	for (jint i = 0; i < count; i++) {
		char *nul = block < end ? memchr(block, '\0', (size_t)(end - block)) : NULL;
		if (nul == NULL) {
			free(vector);
			return NULL;
		}
		vector[i] = block;
		block = nul + 1;
	}
	return vector;
}

/* Whether a Java byte array (or null, when allowed) is a NUL-terminated C string. */
static int is_cstring(JNIEnv *env, jbyteArray array, int null_ok)
{
	if (array == NULL)
		return null_ok;
	jint len = (*env)->GetArrayLength(env, array);
	if (len < 1)
		return 0;
	jbyte last;
	(*env)->GetByteArrayRegion(env, array, len - 1, 1, &last);
	return last == 0;
}

/*
 * The signals whose disposition in this process is a handler (neither SIG_DFL nor SIG_IGN):
 * those the child resets to default. Numbers sigaction refuses (glibc's own) are skipped.
 */
static void caught_signals(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &old) != 0)
			continue;
		if (old.sa_handler != SIG_IGN && old.sa_handler != SIG_DFL)
			sigaddset(set, sig);
	}
}

/*
 * The child's descriptor table is exactly: 0-2 (this process's, or the redirect files),
 * then the passed descriptors at 3, 4, ... in order, without close-on-exec; everything
 * else is closed (closefrom), including descriptors other threads open meanwhile without
 * O_CLOEXEC. Each passed descriptor is first copied above the target range so that no
 * dup2 onto 3.. can overwrite a source not yet copied.
 */
static int spawn_with(const char *program, char **argv, char **envp, const int *fds, jint nfds,
		      const char *directory, const char *out_path, const char *err_path, int *tmp)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int rc = posix_spawn_file_actions_init(&actions);
	if (rc != 0)
		return -rc;
	rc = posix_spawnattr_init(&attr);
	if (rc != 0) {
		posix_spawn_file_actions_destroy(&actions);
		return -rc;
	}
	for (jint i = 0; i < nfds && rc == 0; i++) {
		tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + nfds);
		if (tmp[i] < 0)
			rc = errno;
	}
	if (rc == 0 && out_path != NULL)
		rc = posix_spawn_file_actions_addopen(&actions, 1, out_path,
						      O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (rc == 0 && err_path != NULL)
		rc = posix_spawn_file_actions_addopen(&actions, 2, err_path,
						      O_WRONLY | O_CREAT | O_TRUNC, 0666);
	for (jint i = 0; i < nfds && rc == 0; i++)
		rc = posix_spawn_file_actions_adddup2(&actions, tmp[i], 3 + i);
	if (rc == 0)
		rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3 + nfds);
	if (rc == 0 && directory != NULL)
		rc = posix_spawn_file_actions_addchdir_np(&actions, directory);

	/*
	 * The JVM blocks signals of its own; a child starts with none blocked. Dispositions: a
	 * signal this process catches (the JVM's, jivykis's) goes back to its default, as exec
	 * would do anyway, but an ignored one stays ignored (nohup's SIGHUP, a shell's SIGINT
	 * for a background job), as ProcessBuilder and every shell leave it.
	 */
	sigset_t none, caught;
	sigemptyset(&none);
	caught_signals(&caught);
	if (rc == 0)
		rc = posix_spawnattr_setsigmask(&attr, &none);
	if (rc == 0)
		rc = posix_spawnattr_setsigdefault(&attr, &caught);
	if (rc == 0)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	pid_t pid = -1;
	if (rc == 0) {
		if (strchr(program, '/') != NULL)
			rc = posix_spawn(&pid, program, &actions, &attr, argv, envp);
		else
			rc = posix_spawnp(&pid, program, &actions, &attr, argv, envp);
	}
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	return rc == 0 ? (int)pid : -rc;
}

/* NULL for a null array, else the array's bytes (copied; the Java side ends them with NUL). */
static char *bytes_of(JNIEnv *env, jbyteArray array)
{
	if (array == NULL)
		return NULL;
	return (char *)(*env)->GetByteArrayElements(env, array, NULL);
}

static void release(JNIEnv *env, jbyteArray array, char *bytes)
{
	if (array != NULL && bytes != NULL)
		(*env)->ReleaseByteArrayElements(env, array, (jbyte *)bytes, JNI_ABORT);
}

/* Returns the child's pid, or a negative errno; on failure nothing is left open. */
static jint spawn(JNIEnv *env, jclass cls, jbyteArray program, jbyteArray argv_block, jint argc,
		  jbyteArray env_block, jint envc, jintArray pass, jbyteArray directory,
		  jbyteArray out_path, jbyteArray err_path)
{
	(void)cls;
	if (!is_cstring(env, program, 0) || argv_block == NULL || env_block == NULL || pass == NULL ||
	    argc < 1 || envc < 0 || !is_cstring(env, directory, 1) || !is_cstring(env, out_path, 1) ||
	    !is_cstring(env, err_path, 1))
		return -EINVAL;
	jint nfds = (*env)->GetArrayLength(env, pass);
	jint argv_len = (*env)->GetArrayLength(env, argv_block);
	jint env_len = (*env)->GetArrayLength(env, env_block);
	/*
	 * Each Get*ArrayElements may fail (NULL, an OutOfMemoryError pending); after one fails
	 * no other JNI call is made but the Release* calls, which the JNI specification allows
	 * with an exception pending. The pending OutOfMemoryError then reaches the caller.
	 */
	char *prog = NULL, *args = NULL, *vars = NULL, *dir = NULL, *out = NULL, *err = NULL;
	jint *fds = NULL;
	int got = (prog = bytes_of(env, program)) != NULL &&
		  (args = bytes_of(env, argv_block)) != NULL &&
		  (vars = bytes_of(env, env_block)) != NULL &&
		  ((dir = bytes_of(env, directory)) != NULL || directory == NULL) &&
		  ((out = bytes_of(env, out_path)) != NULL || out_path == NULL) &&
		  ((err = bytes_of(env, err_path)) != NULL || err_path == NULL) &&
		  (fds = (*env)->GetIntArrayElements(env, pass, NULL)) != NULL;
	char **argv = got ? split(args, argv_len, argc) : NULL;
	char **envp = got ? split(vars, env_len, envc) : NULL;
	int *tmp = got ? malloc(sizeof(int) * ((size_t)nfds + 1)) : NULL;
	jint rc = -ENOMEM;
	if (got && (!argv || !envp))
		rc = -EINVAL; /* fewer strings than counted */
	if (got && argv && envp && tmp) {
		for (jint i = 0; i < nfds; i++)
			tmp[i] = -1;
		rc = spawn_with(prog, argv, envp, (const int *)fds, nfds, dir, out, err, tmp);
		for (jint i = 0; i < nfds; i++) {
			if (tmp[i] >= 0)
				close(tmp[i]);
		}
	}
	free(tmp);
	free(envp);
	free(argv);
	if (fds)
		(*env)->ReleaseIntArrayElements(env, pass, fds, JNI_ABORT);
	release(env, err_path, err);
	release(env, out_path, out);
	release(env, directory, dir);
	release(env, env_block, vars);
	release(env, argv_block, args);
	release(env, program, prog);
	return rc;
}

#ifndef P_PIDFD
#define P_PIDFD 3 /* linux/wait.h; glibc before 2.36 does not name it */
#endif

/*
 * waitid(P_PIDFD, pidfd, WEXITED | WNOWAIT): blocks until exactly the child the pidfd names
 * has exited, without reaping it. 0 or a negative errno.
 */
static jint await_exit_pidfd(JNIEnv *env, jclass cls, jint pidfd)
{
	(void)env; (void)cls;
	if (pidfd < 0)
		return -EBADF;
	siginfo_t info;
	int rc;
	do {
		rc = waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOWAIT);
	} while (rc < 0 && errno == EINTR);
	return rc == 0 ? 0 : -errno;
}

/*
 * Reaps exactly the child the pidfd names (waitid P_PIDFD, WNOHANG): its exit code, or 128 +
 * the killing signal, -EAGAIN while it runs, or a negative errno (-ECHILD: reaped by someone
 * else). Unlike waitpid on a number, it can never take the status of a process that
 * inherited the pid.
 */
static jint reap_pidfd(JNIEnv *env, jclass cls, jint pidfd)
{
	(void)env; (void)cls;
	if (pidfd < 0)
		return -EBADF;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	int rc;
	do {
		rc = waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (info.si_pid == 0)
		return -EAGAIN;
	if (info.si_code == CLD_EXITED)
		return info.si_status;
	return 128 + info.si_status;
}

/* Blocks until the child has exited, without reaping it (the pid stays reserved). */
static jint await_exit(JNIEnv *env, jclass cls, jint pid)
{
	(void)env; (void)cls;
	if (pid <= 0)
		return -EINVAL; /* only one given child: never "any child" or a process group */
	siginfo_t info;
	int rc;
	do {
		rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT);
	} while (rc < 0 && errno == EINTR);
	return rc == 0 ? 0 : -errno;
}

/*
 * Reaps an exited child: its exit code, or 128 + the signal that killed it, or -EAGAIN when
 * it is still running, or another negative errno.
 */
static jint reap(JNIEnv *env, jclass cls, jint pid)
{
	(void)env; (void)cls;
	if (pid <= 0)
		return -EINVAL; /* waitpid(0 or -1) would reap children that are not ours */
	int status;
	pid_t rc;
	do {
		rc = waitpid((pid_t)pid, &status, WNOHANG);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -EAGAIN;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * A pidfd for child `pid` (pidfd_open, close-on-exec), checked to still name this process's
 * unreaped child: if something else reaped it and the number was given to a new process
 * before pidfd_open ran, the pidfd would name that stranger, and waitid on it answers
 * ECHILD. The descriptor, -ESRCH (no longer this child), or -ENOSYS and the like when the
 * kernel has no pidfds (before 5.3, or 5.4 for P_PIDFD): the caller then falls back to
 * kill() under its rule.
 */
static jint pidfd_open_child(JNIEnv *env, jclass cls, jint pid)
{
	(void)env; (void)cls;
	if (pid <= 0)
		return -EINVAL;
#ifdef SYS_pidfd_open
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (fd < 0)
		return -errno;
	siginfo_t info;
	int rc;
	do {
		rc = waitid((idtype_t)P_PIDFD, (id_t)fd, &info, WEXITED | WNOHANG | WNOWAIT);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		int error = errno;
		close(fd);
		return error == ECHILD ? -ESRCH : -error;
	}
	return fd;
#else
	return -ENOSYS;
#endif
}

/*
 * pidfd_send_signal: SIGKILL (`forcibly`) or SIGTERM to exactly the process the pidfd names,
 * never a recycled pid. -ESRCH once it has been reaped (by anyone).
 */
static jint signal_pidfd(JNIEnv *env, jclass cls, jint pidfd, jboolean forcibly)
{
	(void)env; (void)cls;
#ifdef SYS_pidfd_send_signal
	long rc = syscall(SYS_pidfd_send_signal, pidfd, forcibly ? SIGKILL : SIGTERM, NULL, 0);
	return rc == 0 ? 0 : -errno;
#else
	(void)pidfd; (void)forcibly;
	return -ENOSYS;
#endif
}

/*
 * kill(pid, SIGTERM or SIGKILL) without pidfds. Java calls it only while its own reaper has
 * not reaped the child (under the lock that reaper takes). Something else in this process
 * may have reaped it (waitpid(-1), SIGCHLD ignored), after which the number may name a
 * stranger: so it is first checked to be this process's unreaped child (waitid WNOWAIT: a
 * zombie or a running child keeps its pid reserved), and -ESRCH is returned otherwise. The
 * check and the kill are two calls: only a reaper outside jivykis acting between them can
 * still defeat it, which pidfds (above) rule out.
 */
static jint signal_pid(JNIEnv *env, jclass cls, jint pid, jboolean forcibly)
{
	(void)env; (void)cls;
	if (pid <= 0)
		return -EINVAL; /* kill(0) or kill(-1) would signal a group, or everyone */
	siginfo_t info;
	int rc;
	do {
		rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return errno == ECHILD ? -ESRCH : -errno;
	return kill((pid_t)pid, forcibly ? SIGKILL : SIGTERM) == 0 ? 0 : -errno;
}

int jivykis_register_spawn(JNIEnv *env)
{
	static const JNINativeMethod methods[] = {
		{ "spawn", "([B[BI[BI[I[B[B[B)I", (void *)spawn },
		{ "awaitExit", "(I)I", (void *)await_exit },
		{ "reap", "(I)I", (void *)reap },
		{ "pidfdOpen", "(I)I", (void *)pidfd_open_child },
		{ "awaitExitPidfd", "(I)I", (void *)await_exit_pidfd },
		{ "reapPidfd", "(I)I", (void *)reap_pidfd },
		{ "signalPidfd", "(IZ)I", (void *)signal_pidfd },
		{ "signalPid", "(IZ)I", (void *)signal_pid },
	};
	return jivykis_bind(env, SPAWN_NATIVE_CLASS, methods, ARRAY_LENGTH(methods));
}
