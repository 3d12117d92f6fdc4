package io.jivykis;

import io.jivykis.internal.Loop;
import io.jivykis.internal.Source;
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
    private final Runnable handler;

    /** The current registration, or null. Written by the registering thread only (volatile for {@link #isRegistered()}). */
    private volatile Registration registration;

    /**
     * Creates an unregistered task.
     *
     * @param handler what to run, once per registration
     */
    public Task(Runnable handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Registers in the calling thread's loop (iv_task_register): the handler runs once on
     * the loop's next iteration.
     *
     * @throws IllegalStateException if already registered, or this thread has no open loop
     */
    public void register() {
        Registration current = registration;
        if (current != null) {
            throw new IllegalStateException("Task.register() on a task that is already registered"
                    + " (in the loop of thread \"" + current.loop().owner().getName() + "\"): it has not run yet");
        }
        Registration fresh = new Registration(this, EventLoop.coreForRegister("Task"));
        fresh.schedule();
        registration = fresh;
    }

    /**
     * Unregisters (iv_task_unregister): the handler will not run for this registration.
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        Registration current = registration;
        if (current == null) {
            throw new IllegalStateException("Task.unregister() on a task that is not registered (it has run already, or was never registered)");
        }
        current.loop().checkOwner("Task.unregister()");
        current.detach();
    }

    /** Whether the task is registered and has not run yet. Any thread. */
    public boolean isRegistered() {
        return registration != null;
    }

    /** One registration: an entry in the loop's task queue. */
    private static final class Registration extends Source {
        private final Task owner;

        Registration(Task owner, Loop loop) {
            super(loop);
            this.owner = owner;
        }

        void schedule() {
            attach();
            scheduleTask();
        }

        Loop loop() {
            return loop;
        }

        /** One-shot: unregister first, so the handler may register the task again. */
        @Override
        protected void due() {
            detach();
            owner.handler.run();
        }

        @Override
        protected void released() {
            if (owner.registration == this) {
                owner.registration = null;
            }
        }
    }
}
