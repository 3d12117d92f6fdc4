package io.jivykis.internal;

/**
 * The scheduled tasks of one loop, FIFO, linked through {@link Source#nextTask}. The loop's
 * task step runs only the tasks queued before it began ({@link #size()} at its start), so a
 * task that schedules itself again runs on the next iteration, not in a loop here.
 *
 * <p>Loop thread only; no synchronisation.
 */
final class TaskQueue {
    private Source head;
    private Source tail;
    private int size;

    void add(Source source) {
        if (tail == null) {
            head = source;
        } else {
            tail.nextTask = source;
        }
        tail = source;
        size++;
    }

    /** The first task, unlinked, or null. */
    Source poll() {
        Source task = head;
        if (task == null) {
            return null;
        }
        head = task.nextTask;
        if (head == null) {
            tail = null;
        }
        task.nextTask = null;
        size--;
        return task;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    void clear() {
        head = tail = null;
        size = 0;
    }
}
