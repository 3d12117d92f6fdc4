package io.jivykis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jivykis.children.ExtractionReport;
import io.jivykis.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The extracted library: 0600 in a fresh 0700 directory, an unpredictable name, deleted after load. */
class NativeLoaderTest {
    @Test
    void thisJvmLoadedFromAPrivateFileInAPrivateDirectoryAndDeletedBoth() {
        Native.ensureLoaded();
        NativeLoader.Extraction e = NativeLoader.lastExtraction;
        assertNotNull(e, "the loader recorded no extraction");
        assertEquals("rw-------", e.fileMode, "mode of the extracted library file");
        assertEquals("rwx------", e.directoryMode, "mode of the directory holding it");
        assertEquals(e.directory, e.file.getParent(), "the file lives in the fresh directory");
        assertFalse(e.leftBehind, "the loader left " + e.file + " or its directory behind");
        assertFalse(Files.exists(e.file), e.file + " still exists");
        assertFalse(Files.exists(e.directory), e.directory + " still exists");
        Path base = Paths.get(System.getProperty(NativeLoader.WORKDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        assertEquals(base.toAbsolutePath(), e.directory.getParent().toAbsolutePath(), "made under the work directory");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoJvmsUseDifferentPathsAndLeaveTheWorkDirectoryEmpty(@TempDir Path workdir) throws Exception {
        List<String[]> reports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ChildJvm.Result child = ChildJvm.of(ExtractionReport.class)
                    .jvmArgs("-D" + NativeLoader.WORKDIR_PROPERTY + "=" + workdir).run();
            String out = child.output;
            assertEquals(0, child.exitCode, out);
            String line = out.lines().filter(l -> l.startsWith("extraction ")).findFirst()
                    .orElseThrow(() -> new AssertionError(out));
            String[] f = line.split(" ");
            assertEquals("rwx------", f[3], line);
            assertEquals("rw-------", f[4], line);
            assertEquals("false", f[5], line);
            assertEquals(workdir.toAbsolutePath(), Paths.get(f[1]).getParent().toAbsolutePath(), line);
            reports.add(f);
        }
        assertNotEquals(reports.get(0)[1], reports.get(1)[1], "two JVMs extracted into the same directory");
        assertNotEquals(Paths.get(reports.get(0)[2]).getFileName(), Paths.get(reports.get(1)[2]).getFileName(),
                "two JVMs used the same file name");
        try (Stream<Path> left = Files.list(workdir)) {
            assertEquals(0, left.count(), "the work directory is not empty after both loads");
        }
    }
}
