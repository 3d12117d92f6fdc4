package io.jivykis;

import io.jivykis.internal.Native;
import io.jivykis.internal.PostedSource;
import io.jivykis.internal.Registrar;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * An in-process event whose handler runs on the thread that registered it (ivykis's
 * iv_event): the lighter sibling of {@link EventRaw}.
 *
 * <p>An Event has no descriptor of its own. Every Event of a loop shares the loop's one
 * wake-up descriptor, so any number of them costs no descriptor table entries. In exchange,
 * only threads of this process can post it: another process, or native code in a signal
 * handler, cannot (use {@link EventRaw} for those).
 *
 * <p><b>Guarantees.</b> {@link #post()} may be called from any thread of this process at
 * any time; it never blocks, takes no lock and allocates nothing. Several posts made before
 * the handler starts may be coalesced into one call, but a post is never lost: after every
 * post the handler starts at least once more, and that call sees everything the posting
 * thread did before posting. A post to an Event that is already pending makes no system
 * call; a post from the registering thread makes none either; a post from another thread
 * makes at most one (to wake the loop, and only if it sleeps). A post to an Event that is
 * not registered does nothing.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread; it may
 * unregister from any handler of its loop, including this Event's own, and an Event
 * unregistered in its own handler can be dropped there and garbage-collected. A registered
 * Event keeps {@link EventLoop#run()} going.
 */
public final class Event {
    private static final Registrar<Event, PostedSource> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            Event.class, PostedSource.class, (event, loop) -> PostedSource.open(loop, event.handler),
            event -> "an Event");

    private final Runnable handler;

    /** The current registration, or null; owned by {@link #REGISTRAR}, read by posters (volatile). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile PostedSource registration;

    /**
     * Creates an unregistered event.
     *
     * @param handler what to run on the registering thread after posts
     */
    public Event(Runnable handler) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Registers in the calling thread's loop (iv_event_register). Makes no system call.
     *
     * @throws IllegalStateException if already registered, or this thread has no open loop
     */
    public void register() {
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Unregisters (iv_event_unregister). Posts not yet dispatched are dropped; posts made
     * afterwards do nothing.
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, "");
    }

    /**
     * Makes the handler run on the registering thread (iv_event_post). Any thread of this
     * process, any time; see the class description for what is guaranteed. Does nothing
     * when the event is not registered.
     */
    public void post() {
        PostedSource current = registration;
        if (current != null) {
            current.post();
        }
    }

    /**
     * Whether the event is registered. Any thread.
     *
     * @return true between {@link #register()} and {@link #unregister()} (or the loop's close)
     */
    public boolean isRegistered() {
        return registration != null;
    }
}
