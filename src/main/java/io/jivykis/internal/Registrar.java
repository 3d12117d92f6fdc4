package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * "Registered in this thread's loop", written once for every kind of loop object.
 *
 * <p>Each public loop object ({@code EventRaw}, {@code Timer}, ...) keeps its current
 * registration, a fresh {@link Source} per register, in a volatile field named
 * {@code registration}; its class holds one static Registrar that owns every access to that
 * field but the readers': the register race, the owner check on unregister, and clearing the
 * field when the source is detached, however that happens (unregister, a one-shot firing,
 * the loop closing). Posters and {@code isRegistered()} read the field directly, so a post
 * costs one volatile load of the object's own field and nothing more.
 *
 * <p>Orderings: the field is set with a CAS after the source is fully attached, so a poster
 * that reads it (volatile) sees a complete registration; it is cleared with a CAS on the
 * loop thread before the source releases what it holds (its descriptor), so a poster that
 * still finds the source finds it detached, and posts to it do nothing.
 *
 * @param <O> the public object's class
 * @param <S> its registration's class
 */
public final class Registrar<O, S extends Source> {
    /** Finds the calling thread's loop, or throws saying how to open one. */
    @FunctionalInterface
    public interface LoopFinder {
        /**
         * The calling thread's loop.
         *
         * @param kind the object's class name, for the message ("EventRaw")
         */
        Loop loopFor(String kind);
    }

    private final VarHandle field;
    private final String kind;
    private final BiFunction<O, Loop, S> opener;
    private final Function<O, String> describer;

    /**
     * @param lookup the public class's lookup, which can reach its private field
     * @param type the public class, whose field {@code registration} this registrar owns
     * @param sourceType the field's type
     * @param opener makes and attaches a registration of an object in a loop; on failure it
     *     leaves nothing attached or open and throws
     * @param describer names an object in messages ("a watch of fd 5")
     */
    public Registrar(MethodHandles.Lookup lookup, Class<O> type, Class<S> sourceType,
            BiFunction<O, Loop, S> opener, Function<O, String> describer) {
        try {
            this.field = lookup.findVarHandle(type, "registration", sourceType);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        this.kind = type.getSimpleName();
        this.opener = opener;
        this.describer = describer;
    }

    /**
     * Registers {@code owner} in the calling thread's loop.
     *
     * @return the new registration
     * @throws IllegalStateException if {@code owner} is registered already (in any loop), or
     *     the calling thread has no loop
     */
    public S register(O owner, LoopFinder finder) {
        @SuppressWarnings("unchecked")
        S current = (S) field.getVolatile(owner);
        if (current != null) {
            throw alreadyRegistered(owner, current);
        }
        S fresh = opener.apply(owner, finder.loopFor(kind));
        fresh.bind(this, owner);
        // Two threads racing to register one object is misuse, but it must not leave a
        // registration nobody can reach: the loser undoes its own and gets the exception.
        if (!field.compareAndSet(owner, (S) null, fresh)) {
            fresh.detach();
            @SuppressWarnings("unchecked")
            S winner = (S) field.getVolatile(owner);
            throw alreadyRegistered(owner, winner);
        }
        return fresh;
    }

    /**
     * The current registration of {@code owner}, checked to belong to the calling thread.
     *
     * @param action what the caller does, for the message ("unregister")
     * @param hint what the message adds after "not registered" (may be empty)
     * @throws IllegalStateException if not registered, or registered by another thread
     */
    public S owned(O owner, String action, String hint) {
        @SuppressWarnings("unchecked")
        S current = (S) field.getVolatile(owner);
        if (current == null) {
            throw new IllegalStateException(kind + "." + action + "() on " + describer.apply(owner)
                    + " that is not registered" + hint);
        }
        current.loop.checkOwner(kind + "." + action + "()");
        return current;
    }

    /**
     * Unregisters {@code owner}: detaches its registration on the loop thread.
     *
     * @param hint what the message adds after "not registered" (may be empty)
     * @throws IllegalStateException if not registered, or registered by another thread
     */
    public void unregister(O owner, String hint) {
        owned(owner, "unregister", hint).detach();
    }

    /**
     * Throws unless {@code owner} is unregistered.
     *
     * @param method the method refused, for the message ("expiresAt")
     * @param advice what to do instead
     */
    public void requireUnregistered(O owner, String method, String advice) {
        if (field.getVolatile(owner) != null) {
            throw new IllegalStateException(kind + "." + method + "() on " + describer.apply(owner)
                    + " that is registered: " + advice);
        }
    }

    /** The public class's name ("EventRaw"), for messages. */
    String kind() {
        return kind;
    }

    /** Clears {@code owner}'s field if it still holds {@code source}. Loop thread, on detach. */
    void forget(Object owner, Source source) {
        field.compareAndSet(owner, source, (Source) null);
    }

    private IllegalStateException alreadyRegistered(O owner, S current) {
        String where = current == null ? "another thread" : "thread \"" + current.loop.owner().getName() + "\"";
        return new IllegalStateException(kind + ".register() was called on thread \""
                + Thread.currentThread().getName() + "\" for " + describer.apply(owner)
                + " that is already registered (in the loop of " + where + "): call unregister() on that thread first");
    }
}
