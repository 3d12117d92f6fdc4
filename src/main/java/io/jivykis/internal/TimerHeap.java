package io.jivykis.internal;

import java.util.Arrays;

/**
 * The armed timers of one loop: a binary min-heap of {@link Source}s keyed by (deadline,
 * sequence). Deadlines are on the System.nanoTime() clock and are compared by difference,
 * as that clock requires; the sequence makes timers with the same deadline come out in the
 * order they were armed. Each source knows its index, so removal is O(log n).
 *
 * <p>Loop thread only; no synchronisation.
 */
final class TimerHeap {
    private Source[] heap = new Source[16];
    private int size;
    private long nextSequence;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The sequence the next {@link #add} will give. */
    long nextSequence() {
        return nextSequence;
    }

    /** The earliest timer, or null. */
    Source peek() {
        return size == 0 ? null : heap[0];
    }

    /** Adds {@code source} with {@code deadline}; it must not be in the heap already. */
    void add(Source source, long deadline) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        source.deadline = deadline;
        source.sequence = nextSequence++;
        heap[size] = source;
        source.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    /** Removes and returns the earliest timer; the heap must not be empty. */
    Source poll() {
        Source first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code source} if it is in the heap. */
    void remove(Source source) {
        int index = source.heapIndex;
        if (index >= 0 && index < size && heap[index] == source) {
            removeAt(index);
        }
    }

    private void removeAt(int index) {
        Source removed = heap[index];
        removed.heapIndex = -1;
        size--;
        Source last = heap[size];
        heap[size] = null;
        if (index == size) {
            return;
        }
        heap[index] = last;
        last.heapIndex = index;
        siftDown(index);
        if (heap[index] == last) {
            siftUp(index);
        }
    }

    /** Whether {@code a} comes before {@code b}: earlier deadline, or the same one armed earlier. */
    private static boolean before(Source a, Source b) {
        long difference = a.deadline - b.deadline;
        return difference < 0 || (difference == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int index) {
        Source moving = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Source above = heap[parent];
            if (!before(moving, above)) {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = moving;
        moving.heapIndex = index;
    }

    private void siftDown(int index) {
        Source moving = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], moving)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = moving;
        moving.heapIndex = index;
    }
}
