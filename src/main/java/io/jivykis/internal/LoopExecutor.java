package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs Runnables submitted from any thread on a loop's thread, in submission order.
 *
 * <p>Submissions go into a lock-free multi-producer, single-consumer linked queue (one node
 * allocated per submission; a producer swaps itself in as the tail, then links the old tail
 * to its node), and the executor posts itself, as one in-process {@link Source}, so the loop
 * drains the queue in its posted-sources step. Like every post, that costs no system call
 * from the loop's thread or when a drain is already pending, and at most one wake-up write
 * otherwise.
 *
 * <p>The source is never attached: an idle executor does not keep {@code run()} going, but a
 * queued drain does (the loop runs while posts are queued), so work submitted while
 * {@code run()} is active runs before it returns. Each drain runs at most
 * {@link #DRAIN_BUDGET} tasks, then posts itself again, so descriptors and timers are served
 * between batches.
 */
public final class LoopExecutor extends Source implements Executor {
    /** Tasks one drain runs before yielding to the rest of the iteration. */
    static final int DRAIN_BUDGET = 1024;

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(LoopExecutor.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A queued task; {@code next} is set once, by the producer of the following node. */
    private static final class Node {
        Runnable task;
        @SuppressWarnings("unused") // accessed through NEXT
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    /**
     * The consumer's position: a node whose task has been taken (or the initial empty node).
     * Loop thread only (plain).
     */
    private Node head;

    /**
     * The last node. Producers swap it with getAndSet (volatile), which orders submissions
     * and publishes the node's task before the link to it is made.
     */
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node tail;

    /** Set on the loop thread when the loop closes; read by submitters (volatile). */
    private volatile boolean shutDown;

    /** Creates the executor of {@code loop}. */
    public LoopExecutor(Loop loop) {
        super(loop);
        Node empty = new Node(null);
        head = empty;
        tail = empty;
    }

    /**
     * Queues {@code task} to run on the loop's thread. Any thread; lock-free; tasks submitted
     * by one thread run in the order that thread submitted them.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (shutDown) {
            throw new RejectedExecutionException("this EventLoop's executor cannot take tasks: the loop of thread \""
                    + loop.owner().getName() + "\" is closed");
        }
        Node node = new Node(task);
        Node previous = (Node) TAIL.getAndSet(this, node);
        // Release: the consumer that reads this link (acquire) sees the node's task.
        NEXT.setRelease(previous, node);
        post();
    }

    /**
     * Stops accepting tasks and forgets the queued ones. A task racing this call is either
     * rejected or silently dropped. Called by the loop as it closes (on its thread, or on the
     * cleaner's once that thread has ended).
     */
    public void shutDown() {
        shutDown = true;
        head = (Node) TAIL.getVolatile(this);
        head.task = null;
    }

    /**
     * Runs up to {@link #DRAIN_BUDGET} queued tasks, then posts itself again if more are
     * queued (also when a task throws, so the rest are not stranded). A producer between its
     * swap and its link looks like the end of the queue here; its own post, made after the
     * link, drains again.
     */
    @Override
    protected void posted() {
        try {
            for (int i = 0; i < DRAIN_BUDGET && !shutDown; i++) {
                Node next = (Node) NEXT.getAcquire(head);
                if (next == null) {
                    return;
                }
                head = next;
                Runnable task = next.task;
                next.task = null;
                task.run();
            }
        } finally {
            if (!shutDown && NEXT.getAcquire(head) != null) {
                post();
            }
        }
    }

    /** Never attached, so never released. */
    @Override
    protected void released() {}
}
