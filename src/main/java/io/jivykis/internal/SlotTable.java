package io.jivykis.internal;

import java.util.Arrays;

/**
 * The registered sources of one loop, each in a slot whose index, with a generation number,
 * makes the source's epoll token ({@code generation << 32 | slot}). A freed slot is reused,
 * but never with the same generation, so an epoll result still in flight for a source that
 * was detached (its slot perhaps already reused) names a token no live source has, and is
 * dropped.
 *
 * <p>Loop thread only; no synchronisation.
 */
final class SlotTable {
    private Source[] slots = new Source[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    /** Slots ever handed out: indexes at or past it have never been used. */
    private int used;
    private int size;
    /** Sources that are registered objects of their own ({@link Source#countsAsObject()}). */
    private int objects;
    private int generation;

    /** Puts {@code source} in a slot and gives it a fresh token. */
    void add(Source source) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            slot = used++;
        }
        // 31 bits: the token stays positive, and no slot reaches 0xFFFFFFFF (the wake-up token).
        generation = (generation + 1) & 0x7fffffff;
        source.slot = slot;
        source.token = ((long) generation << 32) | slot;
        slots[slot] = source;
        size++;
        if (source.countsAsObject()) {
            objects++;
        }
    }

    /** Whether {@code source} holds a slot here. */
    boolean holds(Source source) {
        return source.slot >= 0 && slots[source.slot] == source;
    }

    /** The source whose token is {@code token}, or null if it was removed since. */
    Source byToken(long token) {
        int slot = (int) token;
        Source source = slot >= 0 && slot < used ? slots[slot] : null;
        return source != null && source.token == token ? source : null;
    }

    /** Frees the slot of {@code source}, which must hold one ({@link #holds}). */
    void remove(Source source) {
        int slot = source.slot;
        slots[slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
        source.slot = -1;
        size--;
        if (source.countsAsObject()) {
            objects--;
        }
    }

    /** How many sources hold a slot. */
    int size() {
        return size;
    }

    /** How many of them are registered objects of their own. */
    int objects() {
        return objects;
    }

    /** Every source holding a slot, in slot order (a copy: the caller may remove them). */
    Source[] snapshot() {
        Source[] all = new Source[size];
        int n = 0;
        for (int i = 0; i < used && n < all.length; i++) {
            if (slots[i] != null) {
                all[n++] = slots[i];
            }
        }
        return n == all.length ? all : Arrays.copyOf(all, n);
    }
}
