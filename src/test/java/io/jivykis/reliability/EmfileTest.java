package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EMFILE at register: a child JVM started with RLIMIT_NOFILE 128 runs {@link EmfileProbe}. */
class EmfileTest {
    @ParameterizedTest
    @ValueSource(strings = {"eventfd", "pipe"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void registerAtTheDescriptorLimitFailsCleanlyAndLeaksNothing(String backend, @TempDir Path crashDir)
            throws Exception {
        ChildJvm.Result result = ChildJvm.run(crashDir, "ulimit -n 128", List.of(),
                EmfileProbe.class.getName(), backend);
        System.out.print(result.output.lines().filter(l -> l.startsWith("emfile"))
                .map(l -> l + System.lineSeparator()).reduce("", String::concat));
        assertTrue(result.crashLogs.isEmpty(), result.toString());
        assertEquals(0, result.exitCode, result.toString());
        assertTrue(result.output.contains("emfile ok"), result.toString());
    }
}
