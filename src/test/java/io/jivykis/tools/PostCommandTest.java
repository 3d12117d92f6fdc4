package io.jivykis.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar's post command refuses what the C tool refuses, with the same exit status. */
class PostCommandTest {
    private static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PostCommand.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, text);
        return text;
    }

    @Test
    void aNameThisProcessWasNotPassedIsExplained() {
        String text = run(1, "PCT_NOT_PASSED");
        assertTrue(text.contains("JIVYKIS_FD_PCT_NOT_PASSED is not set"), text);
        assertTrue(run(1, "lower").contains("[A-Z0-9_]+"));
    }

    @Test
    void aSocketNobodyOffersIsExplained() {
        String text = run(1, "--socket", "/nonexistent/jivykis.sock");
        assertTrue(text.contains("No such file or directory"), text);
    }

    @Test
    void badUsageIsStatus2() {
        run(2);
        run(2, "-n", "0", "WAKE");
        run(2, "-n", "x", "WAKE");
        run(2, "A", "B");
        run(2, "A", "--socket", "/x");
    }
}
