package io.jivykis;

import io.jivykis.internal.DescriptorSource;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Loop;
import io.jivykis.internal.Native;
import io.jivykis.internal.Registrar;
import io.jivykis.internal.ShutdownSignalWatch;
import io.jivykis.internal.SignalRefusals;
import io.jivykis.internal.SignalTable;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Runs a handler on the registering thread when a signal is delivered to the process
 * (ivykis's iv_signal).
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.open()) {
 *     SignalHandler hup = new SignalHandler(Signals.SIGHUP, () -> reloadConfiguration());
 *     hup.register();
 *     loop.run();
 * }
 * }</pre>
 *
 * <p><b>How.</b> Each registration owns a descriptor (an eventfd, or a pipe; see
 * {@link Backend}) watched by the registering thread's {@link EventLoop}. A native
 * sigaction(2) handler, installed when the first SignalHandler of a signal registers,
 * writes the descriptors of that signal's registrations and does nothing else: it runs no
 * Java code, takes no lock, allocates nothing and leaves errno as it found it. It is
 * installed with SA_RESTART (interrupted system calls resume) and with every signal blocked
 * while it runs. Deliveries in a child forked by native code, before it execs, are ignored.
 *
 * <p><b>Guarantees.</b> Whichever thread of the process the signal is delivered to, the
 * handler runs on the thread that registered it, inside {@link EventLoop#run()}. After
 * every delivery the handler starts at least once more; deliveries that arrive before it
 * starts are coalesced into that one call (the kernel itself merges standard signals that
 * are pending). If the signal arrives again while the handler runs, it is called again
 * after it returns.
 *
 * <p><b>Several handlers for one signal.</b> Any number of SignalHandlers, in one loop or
 * in several threads' loops, may register for the same signal. Taken in registration order
 * (process-wide), every one is called up to and including the first that is
 * <i>exclusive</i>; those registered after it are not called while it stays registered.
 * The order in which the called handlers run is not defined (they may run on different
 * threads at once). When an exclusive handler unregisters, those behind it are called
 * again; a signal that arrives during that change may reach both. A delivery still pending
 * for the exclusive handler when it unregisters (the signal arrived, its handler has not
 * run) is handed to the handlers behind it, as in ivykis: a signal that arrived reaches
 * someone who still listens.
 *
 * <p><b>Signals the JVM owns are refused</b> with an {@link IllegalArgumentException}
 * saying why: SIGSEGV, SIGBUS, SIGFPE, SIGILL (the JVM turns them into exceptions), SIGPIPE
 * and SIGXFSZ (the JVM ignores them so failed writes become exceptions), SIGQUIT (thread
 * dumps), SIGUSR2 (HotSpot's thread suspension), SIGPROF (profilers' and the JDK's CPU-time
 * sampling), {@code SIGRTMAX - 2} (the JDK's NIO
 * interrupts blocked channel I/O with it), SIGKILL and SIGSTOP (cannot be caught), and the
 * signals glibc reserves below SIGRTMIN.
 *
 * <p><b>SIGINT, SIGTERM and SIGHUP</b> are allowed. The JVM normally handles them by
 * running its shutdown hooks and exiting; while a SignalHandler is registered for one, that
 * signal runs the handler instead and the JVM does not exit. When the last SignalHandler of
 * a signal unregisters, the disposition that was in place before the first registered is
 * put back (for these three, the JVM's), so the signal again runs the shutdown hooks. A
 * thread that ends without closing its loop gives these three back within a second: a
 * watcher thread, which exists only while such a handler is registered, closes the loop of
 * an ended thread (with a warning on the {@code io.jivykis} logger). If
 * other native code replaced the jivykis handler in between, its handler is left in place.
 * Under {@code -Xrs} the JVM installs no handler for these signals: registering works the
 * same, and afterwards the default action is put back, so the signal terminates the
 * process without running shutdown hooks, as {@code -Xrs} promises.
 *
 * <p><b>After the last unregister</b> the previous disposition applies to every delivery,
 * including a signal sent earlier but not yet delivered: kill(2) returns before another
 * thread has taken a process-directed signal. For SIGUSR1, whose default action ends the
 * process, unregister the last handler only once nobody sends the signal any more.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread, as
 * for {@link EventRaw}; the handler may unregister its own object. Closing the loop
 * unregisters it too.
 */
public final class SignalHandler {
    private static final Registrar<SignalHandler, Registration> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            SignalHandler.class, Registration.class, Registration::open,
            handler -> "a handler for " + Signals.name(handler.signum));

    private final int signum;
    private final boolean exclusive;
    private final Runnable handler;

    /** The current registration, or null; owned by {@link #REGISTRAR} (volatile for {@link #isRegistered()}). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile Registration registration;

    /**
     * Creates an unregistered, non-exclusive handler.
     *
     * @param signum the signal, from {@link Signals}
     * @param handler what to run on the registering thread after the signal is delivered
     * @throws IllegalArgumentException if the signal is not a signal number, cannot be
     *     caught, or is owned by the JVM; the message says why
     */
    public SignalHandler(int signum, Runnable handler) {
        this(signum, false, handler);
    }

    /**
     * Creates an unregistered handler.
     *
     * @param signum the signal, from {@link Signals}
     * @param exclusive whether SignalHandlers of the same signal registered after this one
     *     are not called while this one is registered
     * @param handler what to run on the registering thread after the signal is delivered
     * @throws IllegalArgumentException if the signal is not a signal number, cannot be
     *     caught, or is owned by the JVM; the message says why
     */
    public SignalHandler(int signum, boolean exclusive, Runnable handler) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        SignalRefusals.check(signum);
        this.signum = signum;
        this.exclusive = exclusive;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * The signal number.
     *
     * @return the number given to the constructor
     */
    public int signum() {
        return signum;
    }

    /**
     * Whether this handler is exclusive.
     *
     * @return true if SignalHandlers of the same signal registered after this one are not
     *     called while it is registered
     */
    public boolean isExclusive() {
        return exclusive;
    }

    /**
     * Registers in the calling thread's loop: from now on the signal runs the handler on
     * this thread. The first registration of a signal in the process installs the native
     * handler, replacing the previous disposition until the last one unregisters.
     *
     * @throws IllegalStateException if already registered, if this thread has no loop, or
     *     if the signal already has the maximum number of registrations (256)
     * @throws java.io.UncheckedIOException if the kernel refuses a descriptor or the
     *     sigaction(2) call; nothing is then registered and nothing is left open
     */
    public void register() {
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Unregisters and closes the descriptor. When this returns the native handler no longer
     * writes it; a delivery not yet dispatched is dropped, unless this handler is exclusive
     * and others wait behind it: they then receive it. The last SignalHandler of a
     * signal to unregister restores the disposition that the first one replaced.
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, "");
    }

    /**
     * Whether the handler is registered.
     *
     * @return true between {@link #register()} and {@link #unregister()} (or the loop's close)
     */
    public boolean isRegistered() {
        return registration != null;
    }

    /** One registration: a descriptor in the loop's epoll set, published to the native handler. */
    private static final class Registration extends DescriptorSource {
        /** The native table entry; null until published and after withdrawal. Loop thread only. */
        private SignalTable.Entry entry;
        /** Whether {@link ShutdownSignalWatch} counts this registration. Loop thread only. */
        private boolean watched;

        private Registration(Loop loop, EventDescriptor descriptor, Runnable handler) {
            super(loop, descriptor, handler);
        }

        static Registration open(SignalHandler owner, Loop loop) {
            Registration registration = new Registration(loop, EventDescriptor.open(), owner.handler);
            registration.open();
            try {
                registration.entry = SignalTable.add(owner.signum, owner.exclusive, registration.descriptor);
            } catch (RuntimeException e) {
                registration.detach();
                throw e;
            }
            if (ShutdownSignalWatch.isShutdownSignal(owner.signum)) {
                // If this thread ends without closing its loop, the signal goes back to the
                // JVM within a second rather than at some garbage collection.
                ShutdownSignalWatch.add(loop);
                registration.watched = true;
            }
            return registration;
        }

        @Override
        protected boolean deliversSignals() {
            return true;
        }

        @Override
        protected void beforeUnwatch() {
            if (watched) {
                watched = false;
                ShutdownSignalWatch.remove(loop);
            }
            SignalTable.Entry published = entry;
            entry = null;
            if (published != null) {
                // Returns only once no signal handler can write the descriptor any more.
                SignalTable.remove(published);
            }
        }
    }
}
