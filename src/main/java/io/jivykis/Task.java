package io.jivykis;

import io.jivykis.internal.Native;
import io.jivykis.internal.OneShotSource;
import io.jivykis.internal.Registrar;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Work that runs once on the registering thread's loop, on its next iteration, before the
 * loop blocks (ivykis's iv_task).
 *
 * <p>A task is unregistered just before its handler runs, so the handler may register it
 * again to run on the following iteration. Tasks registered before an iteration's task step
 * run in registration order, after that iteration's expired timers (see {@link EventLoop}).
 * A registered task keeps {@link EventLoop#run()} going and makes the loop poll without
 * blocking.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread; it may
 * unregister a task from any handler of its loop, and the task then does not run.
 */
public final class Task {
    private static final Registrar<Task, OneShotSource> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            Task.class, OneShotSource.class, (task, loop) -> OneShotSource.onNextIteration(loop, task.handler),
            task -> "a task");

    private final Runnable handler;

    /** The current registration, or null; owned by {@link #REGISTRAR} (volatile for {@link #isRegistered()}). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile OneShotSource registration;

    /**
     * Creates an unregistered task.
     *
     * @param handler what to run, once per registration
     */
    public Task(Runnable handler) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Registers in the calling thread's loop (iv_task_register): the handler runs once on
     * the loop's next iteration.
     *
     * @throws IllegalStateException if already registered (it has not run yet), or this
     *     thread has no open loop
     */
    public void register() {
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Unregisters (iv_task_unregister): the handler will not run for this registration.
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, " (it has run already, or was never registered)");
    }

    /**
     * Whether the task is registered and has not run yet. Any thread.
     *
     * @return true from {@link #register()} until just before the handler runs, or until
     *     {@link #unregister()}
     */
    public boolean isRegistered() {
        return registration != null;
    }
}
