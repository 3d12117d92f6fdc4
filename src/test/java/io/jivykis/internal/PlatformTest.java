package io.jivykis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The C library check behind the musl message. This machine runs glibc, so a musl process
 * cannot be started here; the check reads a maps text, and is given one as an Alpine JVM's
 * process shows it, beside this very process's own.
 */
class PlatformTest {
    @Test
    void thisGlibcProcessIsNotMusl() {
        assertNull(Platform.muslLoader(), "this test JVM runs on glibc");
    }

    @Test
    void anAlpineProcessMapsIsRecognisedByItsLoader() {
        String maps = "7f0000000000-7f0000001000 r--p 00000000 08:01 123 /usr/lib/jvm/java-17/lib/server/libjvm.so\n"
                + "7f1000000000-7f1000010000 r-xp 00014000 08:01 456 /lib/ld-musl-x86_64.so.1\n"
                + "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n";
        assertEquals("/lib/ld-musl-x86_64.so.1", Platform.muslLoaderIn(maps));
    }

    @Test
    void aGlibcProcessMapsIsNot() {
        String maps = "7f1000000000-7f1000010000 r-xp 00000000 08:01 456 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
                + "7f2000000000-7f2000010000 r-xp 00000000 08:01 457 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n";
        assertNull(Platform.muslLoaderIn(maps));
    }
}
