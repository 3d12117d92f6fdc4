package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jivykis.children.FallbackProbe;
import io.jivykis.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * iv_event_raw(3), paragraph 9, first two sentences: an eventfd where the kernel has them,
 * and a pipe where it does not.
 *
 * <p>A child JVM runs under a seccomp filter (native/test/deny_eventfd.c) that makes the
 * kernel answer eventfd(2) with ENOSYS (no such system call) or EINVAL (flags unsupported,
 * as on kernels before 2.6.27); it asks for eventfd and must get a working pipe.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackendFallbackTest {

    @ParameterizedTest(name = "eventfd answers {0}")
    @ValueSource(strings = {"ENOSYS", "EINVAL"})
    void whenTheKernelRefusesEventfdRegisterFallsBackToAWorkingPipe(String errno) throws Exception {
        Path launcher = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"),
                "jivykis-test-deny-eventfd");
        assumeTrue(Files.isExecutable(launcher), "the CMake build did not make " + launcher);
        ChildJvm.Result child = ChildJvm.of(FallbackProbe.class).under(launcher.toString(), errno)
                .jvmArgs("-Djivykis.backend=eventfd").run();
        assumeTrue(child.exitCode != 77, "seccomp is not available here: " + child.output);
        assertEquals(0, child.exitCode, child.toString());
        assertEquals(List.of("backend: PIPE"), child.lines("backend: "), child.toString());
        assertEquals(List.of("fd-kind: pipe:[]"), child.lines("fd-kind: "), child.toString());
        assertEquals(List.of("handler-calls: 1"), child.lines("handler-calls: "), child.toString());
    }
}
