package io.jivykis.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * The calls of {@link io.jivykis.children.NativeBadInputProbe}: every native entry point with
 * bad input: negative, closed, huge and wrong-kind descriptors, out-of-range values, null and
 * heap buffers. Each call must come back with a negative errno or a defined value. They live
 * here because several natives are package-private.
 *
 * <p>Prints one line per call and "probe covered: a,b,c" (the natives exercised), then
 * "probe complete: N calls, F unexpected".
 */
public final class NativeBadInputCalls {
    private static final List<String> covered = new ArrayList<>();
    private static int calls;
    private static int unexpected;

    private NativeBadInputCalls() {}

    /** Makes every call; returns how many results were unexpected. */
    public static int run() {
        Native.ensureLoaded();
        int einval = Linux.EINVAL;
        int ebadf = Linux.EBADF;

        int epfd = Native.epollCreate();
        int efd = Native.eventfd();
        long ends = Native.pipe();
        int pipeRead = (int) (ends >>> 32);
        int pipeWrite = (int) ends;
        ByteBuffer events = ByteBuffer.allocateDirect(16 * Linux.EPOLL_EVENT_SIZE);
        long address = Native.bufferAddress(events);

        // Closed last, so that none of the descriptors above takes its number back. The JVM
        // opens descriptors of its own at any time (class loading, JIT, GC), and the kernel
        // hands out the lowest free number: 64 lower numbers are freed after it, so those go
        // first and this one stays closed for the whole probe.
        int[] lower = new int[64];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = Native.eventfd();
        }
        int closed = Native.eventfd();
        Native.close(closed);
        for (int fd : lower) {
            Native.close(fd);
        }
        int huge = Integer.MAX_VALUE;
        int beyondLimit = 1 << 20;
        int[] badFds = {-1, Integer.MIN_VALUE, closed, huge, beyondLimit};

        for (int fd : badFds) {
            expect("close(" + fd + ")", () -> Native.close(fd), r -> r == -ebadf);
            expect("eventfdPost(" + fd + ")", () -> Native.eventfdPost(fd), r -> r == -ebadf);
            expect("eventfdDrain(" + fd + ")", () -> Native.eventfdDrain(fd), r -> r == -ebadf);
            expect("pipePost(" + fd + ")", () -> Native.pipePost(fd), r -> r == -ebadf);
            expect("pipeDrain(" + fd + ")", () -> Native.pipeDrain(fd), r -> r == -ebadf);
            expect("epollCtl(epfd=" + fd + ")",
                    () -> Native.epollCtl(fd, Linux.EPOLL_CTL_ADD, efd, Linux.EPOLLIN, 1), r -> r == -ebadf);
            expect("epollCtl(target=" + fd + ")",
                    () -> Native.epollCtl(epfd, Linux.EPOLL_CTL_ADD, fd, Linux.EPOLLIN, 1), r -> r == -ebadf);
            expect("epollWait(epfd=" + fd + ")", () -> Native.epollWait(fd, address, 16, 0), r -> r == -ebadf);
        }

        // Wrong kinds: an epoll descriptor is neither an eventfd nor a pipe; an eventfd is no
        // epoll instance; writes of the wrong size are refused by the kernel.
        expect("eventfdPost(epoll fd)", () -> Native.eventfdPost(epfd), r -> r == -einval);
        expect("pipePost(epoll fd)", () -> Native.pipePost(epfd), r -> r == -einval);
        expect("eventfdDrain(epoll fd)", () -> Native.eventfdDrain(epfd), r -> r == -einval);
        expect("pipeDrain(epoll fd)", () -> Native.pipeDrain(epfd), r -> r == -einval);
        expect("pipePost(eventfd)", () -> Native.pipePost(efd), r -> r == -einval);
        expect("eventfdDrain(pipe write end)", () -> Native.eventfdDrain(pipeWrite), r -> r == -ebadf);
        expect("eventfdPost(pipe read end)", () -> Native.eventfdPost(pipeRead), r -> r == -ebadf);
        expect("eventfdDrain(empty pipe read end)", () -> Native.eventfdDrain(pipeRead), r -> r == -Linux.EAGAIN);
        expect("epollCtl(epfd=eventfd)",
                () -> Native.epollCtl(efd, Linux.EPOLL_CTL_ADD, pipeRead, Linux.EPOLLIN, 1), r -> r == -einval);
        expect("epollCtl(add epoll to itself)",
                () -> Native.epollCtl(epfd, Linux.EPOLL_CTL_ADD, epfd, Linux.EPOLLIN, 1), r -> r == -einval);
        expect("epollWait(epfd=pipe)", () -> Native.epollWait(pipeRead, address, 16, 0), r -> r == -einval);

        // Out-of-range values.
        for (int op : new int[] {-1, 0, 4, 999, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            expect("epollCtl(op=" + op + ")",
                    () -> Native.epollCtl(epfd, op, efd, Linux.EPOLLIN, 1), r -> r == -einval);
        }
        expect("epollCtl(MOD, not added)",
                () -> Native.epollCtl(epfd, Linux.EPOLL_CTL_MOD, efd, Linux.EPOLLIN, 1), r -> r == -Linux.ENOENT);
        expect("epollCtl(events=-1)",
                () -> Native.epollCtl(epfd, Linux.EPOLL_CTL_ADD, efd, -1, Long.MIN_VALUE), r -> r == -einval || r == 0);
        Native.epollCtl(epfd, Linux.EPOLL_CTL_DEL, efd, 0, 0);
        for (int max : new int[] {0, -1, Integer.MIN_VALUE}) {
            expect("epollWait(maxEvents=" + max + ")", () -> Native.epollWait(epfd, address, max, 0), r -> r == -einval);
        }
        expect("epollWait(address=0)", () -> Native.epollWait(epfd, 0, 16, 0), r -> r == 0 || r == -Linux.named("EFAULT"));
        // epoll_pwait2: the same checks; a kernel or filter that refuses the call answers ENOSYS or EPERM.
        long enosys = -Linux.ENOSYS;
        long eperm = -Linux.EPERM;
        for (int fd : badFds) {
            expect("epollWaitNanos(epfd=" + fd + ")", () -> TimedWaitNative.epollWaitNanos(fd, address, 16, 1),
                    r -> r == -ebadf || r == enosys || r == eperm);
        }
        expect("epollWaitNanos(epfd=pipe)", () -> TimedWaitNative.epollWaitNanos(pipeRead, address, 16, 1),
                r -> r == -einval || r == enosys || r == eperm);
        for (int max : new int[] {0, -1, Integer.MIN_VALUE}) {
            expect("epollWaitNanos(maxEvents=" + max + ")", () -> TimedWaitNative.epollWaitNanos(epfd, address, max, 1),
                    r -> r == -einval || r == enosys || r == eperm);
        }
        expect("epollWaitNanos(address=0)", () -> TimedWaitNative.epollWaitNanos(epfd, 0, 16, 1),
                r -> r == 0 || r == -Linux.named("EFAULT") || r == enosys || r == eperm);
        expect("epollWaitNanos(timeout=1 ms + 1 ns, nothing ready)",
                () -> TimedWaitNative.epollWaitNanos(epfd, address, 16, 1_000_001L),
                r -> r == 0 || r == enosys || r == eperm);
        expect("bufferAddress(null)", () -> Native.bufferAddress(null), r -> r == -einval);
        expect("bufferAddress(heap buffer)", () -> Native.bufferAddress(ByteBuffer.allocate(64)), r -> r == -einval);
        expect("constant(null)", () -> Native.constant(null), r -> r == Long.MIN_VALUE);
        expect("constant(\"\")", () -> Native.constant(""), r -> r == Long.MIN_VALUE);
        expect("constant(64 KiB name)", () -> Native.constant("E".repeat(65536)), r -> r == Long.MIN_VALUE);
        expect("constant(\"EAGAIN\\0X\")", () -> Native.constant("EAGAIN\0X"), r -> r == Long.MIN_VALUE);
        for (int errno : new int[] {-1, 0, 4095, 99999, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            expect("strerror(" + errno + ")", () -> Native.strerror(errno).isEmpty() ? -1 : 0, r -> r == 0);
        }

        // Child processes: malformed C strings and vectors are refused before any spawn; pids
        // that would mean "any child", a process group or everyone are refused outright.
        byte[] sh = "/bin/sh\0".getBytes();
        byte[] noEnv = new byte[0];
        expect("spawn(null program)", () -> SpawnNative.spawn(null, sh, 1, noEnv, 0, new int[0], null, null, null),
                r -> r == -einval);
        expect("spawn(unterminated program)", () -> SpawnNative.spawn("/bin/sh".getBytes(), sh, 1, noEnv, 0,
                new int[0], null, null, null), r -> r == -einval);
        expect("spawn(argc beyond the block)", () -> SpawnNative.spawn(sh, sh, 5, noEnv, 0, new int[0], null, null,
                null), r -> r == -einval);
        expect("spawn(argc 0)", () -> SpawnNative.spawn(sh, sh, 0, noEnv, 0, new int[0], null, null, null),
                r -> r == -einval);
        expect("spawn(envc beyond the block)", () -> SpawnNative.spawn(sh, sh, 1, noEnv, 3, new int[0], null, null,
                null), r -> r == -einval);
        expect("spawn(null pass)", () -> SpawnNative.spawn(sh, sh, 1, noEnv, 0, null, null, null, null),
                r -> r == -einval);
        expect("spawn(unterminated directory)", () -> SpawnNative.spawn(sh, sh, 1, noEnv, 0, new int[0],
                "/".getBytes(), null, null), r -> r == -einval);
        for (int fd : badFds) {
            expect("spawn(pass " + fd + ")", () -> SpawnNative.spawn(sh, sh, 1, noEnv, 0, new int[] {fd}, null, null,
                    null), r -> r == -ebadf);
        }
        expect("spawn(no such program)", () -> SpawnNative.spawn("/nonexistent/x\0".getBytes(), sh, 1, noEnv, 0,
                new int[0], null, null, null), r -> r == -Linux.ENOENT);
        for (int pid : new int[] {0, -1, Integer.MIN_VALUE}) {
            expect("awaitExit(" + pid + ")", () -> SpawnNative.awaitExit(pid), r -> r == -einval);
            expect("reap(" + pid + ")", () -> SpawnNative.reap(pid), r -> r == -einval);
            expect("signalPid(" + pid + ", TERM)", () -> SpawnNative.signalPid(pid, false), r -> r == -einval);
            expect("signalPid(" + pid + ", KILL)", () -> SpawnNative.signalPid(pid, true), r -> r == -einval);
            expect("pidfdOpen(" + pid + ")", () -> SpawnNative.pidfdOpen(pid), r -> r == -einval);
        }
        expect("awaitExit(not a child)", () -> SpawnNative.awaitExit(1), r -> r == -Linux.ECHILD);
        expect("reap(not a child)", () -> SpawnNative.reap(1), r -> r == -Linux.ECHILD);
        // Not this process's child: refused before any kill (it could be anybody's pid).
        expect("signalPid(not a child)", () -> SpawnNative.signalPid(1, true), r -> r == -Linux.ESRCH);
        expect("signalPid(no such pid)", () -> SpawnNative.signalPid(Integer.MAX_VALUE, true), r -> r == -Linux.ESRCH);
        expect("pidfdOpen(not a child)", () -> SpawnNative.pidfdOpen(1), r -> r == -Linux.ESRCH || r == -Linux.ENOSYS);
        for (int fd : badFds) {
            expect("signalPidfd(" + fd + ")", () -> SpawnNative.signalPidfd(fd, false), r -> r == -ebadf);
            expect("awaitExitPidfd(" + fd + ")", () -> SpawnNative.awaitExitPidfd(fd), r -> r == -ebadf || r == -einval);
            expect("reapPidfd(" + fd + ")", () -> SpawnNative.reapPidfd(fd), r -> r == -ebadf || r == -einval);
        }

        // Event offers: bad paths, descriptors that are no sockets, nothing listening.
        byte[] tooLong = "/tmp/".concat("x".repeat(200)).getBytes();
        long[] identity = new long[2];
        expect("listen(null)", () -> OfferNative.listen(null, 0600, identity), r -> r == -einval);
        expect("listen(empty)", () -> OfferNative.listen(new byte[0], 0600, identity), r -> r == -einval);
        expect("listen(embedded NUL)", () -> OfferNative.listen("\0abstract".getBytes(), 0600, identity),
                r -> r == -einval);
        expect("listen(too long)", () -> OfferNative.listen(tooLong, 0600, identity), r -> r == -Linux.ENAMETOOLONG);
        expect("listen(no such directory)", () -> OfferNative.listen("/nonexistent/dir/s".getBytes(), 0600, identity),
                r -> r == -Linux.ENOENT);
        expect("listen(no identity array)", () -> OfferNative.listen("/tmp/s".getBytes(), 0600, null), r -> r == -einval);
        expect("listen(ends in a slash)", () -> OfferNative.listen("/tmp/".getBytes(), 0600, identity), r -> r == -einval);
        expect("remove(null)", () -> OfferNative.remove(null, 0, 0), r -> r == -einval);
        expect("remove(nothing there)", () -> OfferNative.remove("/nonexistent/dir/s".getBytes(), 0, 0), r -> r == 1);
        for (int fd : badFds) {
            expect("accept(" + fd + ")", () -> OfferNative.accept(fd), r -> r == -ebadf);
            expect("send(conn " + fd + ")", () -> OfferNative.send(fd, efd, false), r -> r == -ebadf);
        }
        expect("accept(eventfd)", () -> OfferNative.accept(efd), r -> r == -Linux.named("ENOTSOCK"));
        expect("send(eventfd as connection)", () -> OfferNative.send(efd, efd, false), r -> r == -Linux.named("ENOTSOCK"));
        expect("send(event fd -1)", () -> OfferNative.send(efd, -1, true), r -> r == -ebadf);
        expect("connect(null)", () -> OfferNative.connect(null, 100), r -> r == -einval);
        expect("connect(empty)", () -> OfferNative.connect(new byte[0], 100), r -> r == -einval);
        expect("connect(too long)", () -> OfferNative.connect(tooLong, 100), r -> r == -Linux.ENAMETOOLONG);
        expect("connect(no such socket)", () -> OfferNative.connect("/nonexistent/s".getBytes(), -5),
                r -> r == -Linux.ENOENT);
        // Announced descriptors: null, empty and malformed strings, bad and wrong-kind descriptors.
        expect("checkName(null)", () -> AnnouncementNative.checkName(null), r -> r == -einval);
        expect("checkName(empty)", () -> AnnouncementNative.checkName(""), r -> r == -einval);
        expect("checkName(embedded NUL)", () -> AnnouncementNative.checkName("A\0B"), r -> r == -einval);
        expect("parse(null)", () -> AnnouncementNative.parse(null), r -> r == -einval);
        expect("parse(empty)", () -> AnnouncementNative.parse(""), r -> r == -einval);
        expect("parse(embedded NUL)", () -> AnnouncementNative.parse("eventfd:3\0"), r -> r == -einval);
        expect("parse(overflow)", () -> AnnouncementNative.parse("pipe:" + "9".repeat(400)), r -> r == -einval);
        expect("parse(stdio)", () -> AnnouncementNative.parse("pipe:1"), r -> r == -Linux.ERANGE);
        for (int fd : badFds) {
            expect("check(" + fd + ")", () -> AnnouncementNative.check(fd, DescriptorKind.KIND_ANY), r -> r == -ebadf);
        }
        expect("check(epoll fd)", () -> AnnouncementNative.check(epfd, DescriptorKind.KIND_ANY), r -> r == -Linux.ENOTSUP);
        expect("check(unknown kind)", () -> AnnouncementNative.check(efd, 12345), r -> r == -Linux.ENOTSUP);
        expect("check(pipe read end)", () -> AnnouncementNative.check(pipeRead, DescriptorKind.KIND_PIPE),
                r -> r == -Linux.EACCES);
        // Signals: numbers outside 1..NSIG-1, slots outside the table, descriptors out of range.
        int nsig = Linux.named("NSIG");
        int usr1 = Linux.named("SIGUSR1");
        for (int sig : new int[] {0, -1, nsig, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            expect("install(" + sig + ")", () -> SignalNative.install(sig), r -> r == -einval);
            expect("restore(" + sig + ")", () -> SignalNative.restore(sig), r -> r == -einval);
            expect("disposition(" + sig + ")", () -> SignalNative.disposition(sig), r -> r == -einval);
            expect("publish(signal " + sig + ")", () -> SignalNative.publish(sig, 0, efd, false), r -> r == -einval);
            expect("clear(signal " + sig + ")", () -> SignalNative.clear(sig, 0), r -> r == -einval);
            // Signal 0 only checks that the target exists: the one number here that succeeds.
            long killResult = sig == 0 ? 0 : -einval;
            expect("raise(" + sig + ")", () -> SignalNative.raise(sig), r -> r == killResult);
            expect("kill(self, " + sig + ")", () -> SignalNative.kill((int) ProcessHandle.current().pid(), sig),
                    r -> r == killResult);
        }
        expect("install(SIGKILL)", () -> SignalNative.install(Linux.named("SIGKILL")), r -> r == -einval);
        expect("restore(not installed)", () -> SignalNative.restore(usr1), r -> r == 0);
        for (int slot : new int[] {-1, SignalNative.slotCount(), Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            expect("publish(slot " + slot + ")", () -> SignalNative.publish(usr1, slot, efd, false), r -> r == -einval);
            expect("clear(slot " + slot + ")", () -> SignalNative.clear(usr1, slot), r -> r == -einval);
        }
        for (int fd : new int[] {-1, Integer.MIN_VALUE}) {
            expect("publish(fd " + fd + ")", () -> SignalNative.publish(usr1, 0, fd, true), r -> r == -einval);
        }
        expect("kill(no such pid)", () -> SignalNative.kill(Integer.MAX_VALUE, 0), r -> r == -Linux.named("ESRCH"));
        expect("quiesce()", () -> {
            SignalNative.quiesce();
            return 0;
        }, r -> r == 0);
        expect("slotCount()", SignalNative::slotCount, r -> r > 0);
        expect("rtMin()", SignalNative::rtMin, r -> r > 31);
        expect("rtMax()", SignalNative::rtMax, r -> r < nsig);

        // Descriptor creators take no arguments; they are exercised for completeness.
        expect("eventfd()", () -> {
            int fd = Native.eventfd();
            return fd < 0 ? fd : Native.close(fd);
        }, r -> r == 0);
        expect("pipe()", () -> {
            long p = Native.pipe();
            return p < 0 ? p : Native.close((int) (p >>> 32)) + Native.close((int) p);
        }, r -> r == 0);
        expect("epollCreate()", () -> {
            int fd = Native.epollCreate();
            return fd < 0 ? fd : Native.close(fd);
        }, r -> r == 0);

        Native.close(epfd);
        Native.close(efd);
        Native.close(pipeRead);
        Native.close(pipeWrite);
        System.out.println("probe covered: " + String.join(",", new java.util.TreeSet<>(covered)));
        System.out.println("probe complete: " + calls + " calls, " + unexpected + " unexpected");
        return unexpected;
    }

    private static void expect(String call, LongSupplier action, LongPredicate ok) {
        calls++;
        covered.add(call.replaceAll("\\(.*", ""));
        String outcome;
        boolean good;
        try {
            long r = action.getAsLong();
            good = ok.test(r);
            outcome = Long.toString(r);
        } catch (RuntimeException e) {
            // A Java exception is an acceptable answer to bad input; a crash is not.
            good = true;
            outcome = e.toString();
        }
        if (!good) {
            unexpected++;
        }
        System.out.println((good ? "ok   " : "BAD  ") + call + " -> " + outcome);
    }
}
