package io.jivykis.children;

import io.jivykis.internal.NativeBadInputCalls;

/**
 * A child JVM's main for NativeBoundaryTest: makes {@link NativeBadInputCalls} and exits 1 if
 * any result was unexpected. A JVM crash shows up in the parent as a non-zero exit and an
 * hs_err file.
 */
public final class NativeBadInputProbe {
    private NativeBadInputProbe() {}

    public static void main(String[] args) {
        System.exit(NativeBadInputCalls.run() == 0 ? 0 : 1);
    }
}
