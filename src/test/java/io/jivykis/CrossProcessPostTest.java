package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.PostingChild;
import io.jivykis.tools.Main;
import io.jivykis.testing.ChildJvm;
import io.jivykis.testing.Descriptors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * iv_event_raw(3), paragraph 6, third clause (another process may post): children of every kind
 * (Java, C, shell with the tool, shell with nothing but printf, the jar's post command) post
 * to an event they inherited; a child killed mid-stream; the receiver unregistering while the
 * child keeps posting. Every test runs on both backends and counts descriptors.
 */
class CrossProcessPostTest extends BackendCase {
    private static final int POSTS = 25;

    @TempDir
    Path tmp;

    /**
     * Runs {@code command} as a child that posts {@code posts} times with acknowledgements
     * (its last argument is the FIFO it reads them from), and checks that each post ran the
     * handler once, on this thread, and that the parent's descriptors are as before.
     * Returns the child's standard output.
     */
    private String postWithAcks(List<String> command, int posts) throws Exception {
        Path fifo = Children.fifo(tmp.resolve("acks"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        List<String> full = new ArrayList<>(command);
        full.replaceAll(word -> word.equals("ACKS") ? fifo.toString() : word);
        try (EventLoop loop = EventLoop.open(); Children.Acks acks = new Children.Acks(fifo, posts)) {
            EventRaw event = new EventRaw(acks.handler());
            event.register();
            Map<Integer, String> before = Descriptors.libraryKinds();
            ChildProcess child = new ChildProcessBuilder(full).pass(event, "WAKE")
                    .redirectOutput(out).redirectError(err).start();
            Children.runUntilQuitOrExit(loop, child);
            int status = child.waitFor();
            String report = "status " + status + ", stdout: " + Children.read(out) + ", stderr: " + Children.read(err);
            assertEquals(0, status, report);
            assertEquals(posts, acks.calls.get(), "handler calls; " + report);
            assertNull(acks.foreignThread, "the handler ran on another thread than the registering one");
            // The child's exit closed its end of its holder pipe: the next iteration sees the
            // end of file and closes the read end.
            runPending(loop);
            Descriptors.assertNoneLeaked(before, "the child exited");
            event.unregister();
            return Children.read(out);
        }
    }

    @OnBothBackends
    void aJavaChildPostsAndEveryPostRunsTheHandler(Backend backend) throws Exception {
        use(backend);
        String out = postWithAcks(ChildJvm.of(PostingChild.class, "WAKE", String.valueOf(POSTS), "ACKS").command(), POSTS);
        // Whatever the event's backend, a child holds a pipe of its own (HolderPipe).
        assertEquals("posted=" + POSTS + " backend=PIPE\n", out);
    }

    @OnBothBackends
    void aCChildPostsThroughTheSharedLibraryAndSeesOnlyItsDescriptors(Backend backend) throws Exception {
        use(backend);
        String out = postWithAcks(List.of(Children.nativeProgram("posting-child").toString(), "WAKE",
                String.valueOf(POSTS), "ACKS"), POSTS);
        assertEquals("fds: 0 1 2 3\nposted=" + POSTS + " epipe=0\n", out);
    }

    @OnBothBackends
    void aShellChildPostsWithTheJivykisPostTool(Backend backend) throws Exception {
        use(backend);
        String script = "exec 4<\"$1\"; i=0; while [ $i -lt \"$2\" ]; do \"$3\" WAKE || exit 1;"
                + " read ack <&4 || exit 3; i=$((i+1)); done; echo posted=$i";
        String out = postWithAcks(List.of("/bin/sh", "-c", script, "sh", "ACKS", String.valueOf(POSTS),
                Children.nativeProgram("jivykis-post").toString()), POSTS);
        assertEquals("posted=" + POSTS + "\n", out);
    }

    /** No tool at all: printf writes the pipe's byte (an eventfd's 8, were it one) to the inherited descriptor. */
    @OnBothBackends
    void aShellChildPostsWithPrintfAlone(Backend backend) throws Exception {
        use(backend);
        String script = "exec 4<\"$1\"; fd=${JIVYKIS_FD_WAKE#*:}; i=0; while [ $i -lt \"$2\" ]; do"
                + " case $JIVYKIS_FD_WAKE in"
                + " eventfd:*) printf '\\001\\000\\000\\000\\000\\000\\000\\000' >&\"$fd\" ;;"
                + " pipe:*) printf '\\001' >&\"$fd\" ;; esac || exit 1;"
                + " read ack <&4 || exit 3; i=$((i+1)); done; echo posted=$i";
        String out = postWithAcks(List.of("/bin/sh", "-c", script, "sh", "ACKS", String.valueOf(POSTS)), POSTS);
        assertEquals("posted=" + POSTS + "\n", out);
    }

    /** {@code java -jar jivykis.jar post NAME}, for machines without the C tool (a JVM per post: few posts). */
    @OnBothBackends
    void theJarsPostCommandPosts(Backend backend) throws Exception {
        use(backend);
        int posts = 2;
        String script = "exec 4<\"$1\"; shift; i=0; while [ $i -lt " + posts + " ]; do \"$@\" || exit 1;"
                + " read ack <&4 || exit 3; i=$((i+1)); done; echo posted=$i";
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh", "ACKS"));
        command.addAll(ChildJvm.of(Main.class, "post", "WAKE").command());
        assertEquals("posted=" + posts + "\n", postWithAcks(command, posts));
    }

    /** A child killed mid-stream leaves the receiver working, with every descriptor accounted for. */
    @OnBothBackends
    void aChildKilledMidStreamLeavesTheReceiverWorking(Backend backend) throws Exception {
        use(backend);
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            ChildProcess[] child = new ChildProcess[1];
            EventRaw event = new EventRaw(() -> {
                if (calls.incrementAndGet() == 20) {
                    child[0].destroyForcibly();
                }
            });
            event.register();
            Map<Integer, String> before = Descriptors.libraryKinds();
            child[0] = new ChildProcessBuilder(Children.nativeProgram("posting-child").toString(), "WAKE",
                    "100000000", "-", "100").pass(event, "WAKE").redirectOutput(tmp.resolve("out")).start();
            Children.runUntilQuitOrExit(loop, child[0]);
            assertEquals(128 + 9, child[0].waitFor(), "killed by SIGKILL");
            assertTrue(calls.get() >= 20, "handler calls: " + calls.get());
            runPending(loop); // whatever the child wrote before dying

            int afterDeath = calls.get();
            event.post();
            runPending(loop);
            assertEquals(afterDeath + 1, calls.get(), "the event still works after its poster died");
            Descriptors.assertNoneLeaked(before, "the child was killed");
            event.unregister();
        }
    }

    /**
     * The receiver gone: the parent unregisters while the child keeps posting. The child must
     * neither die of SIGPIPE nor hang. On a pipe the C library sees EPIPE (and says so); on an
     * eventfd the posts land in the child's own reference to the counter. The Java poster
     * returns normally on both.
     */
    @OnBothBackends
    void theParentUnregistersWhileTheChildKeepsPosting(Backend backend) throws Exception {
        use(backend);
        List<String> cChild = List.of(Children.nativeProgram("posting-child").toString(), "WAKE", "300", "-", "1000");
        String out = unregisterWhilePosting(cChild);
        int epipe = Integer.parseInt(out.replaceAll("(?s).*epipe=(\\d+).*", "$1"));
        int posted = Integer.parseInt(out.replaceAll("(?s).*posted=(\\d+).*", "$1"));
        assertEquals(300, posted + epipe, out);
        // Unregistering revoked the child's own pipe, on both backends: its posts then report EPIPE.
        assertTrue(epipe > 0, "posts after the receiver unregistered must report EPIPE: " + out);

        String javaOut = unregisterWhilePosting(ChildJvm.of(PostingChild.class, "WAKE", "300", "-", "1000").command());
        assertEquals("posted=300 backend=PIPE\n", javaOut);
    }

    private String unregisterWhilePosting(List<String> command) throws Exception {
        Path out = tmp.resolve("unregister-out.txt");
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            Map<Integer, String> before = Descriptors.libraryKinds();
            EventRaw[] event = new EventRaw[1];
            event[0] = new EventRaw(() -> {
                if (calls.incrementAndGet() == 10) {
                    event[0].unregister();
                }
            });
            event[0].register();
            ChildProcess child = new ChildProcessBuilder(command).pass(event[0], "WAKE").redirectOutput(out).start();
            loop.run(); // returns once the handler unregistered the event
            assertEquals(10, calls.get());
            Descriptors.assertNoneLeaked(before, "the receiver unregistered");
            int status = child.waitFor();
            assertEquals(0, status, "the poster must survive its receiver (141 would be SIGPIPE): "
                    + Children.read(out));
            return Children.read(out);
        }
    }

    /**
     * One parser: the C tool and the jar's post command (Poster.inherited) accept and refuse
     * exactly the same names and values, the rules of jivykis.h. The old Java and C parsers
     * disagreed on the two cases marked: leading zeros (Java refused) and a long name (C did).
     */
    @OnBothBackends
    void theToolAndTheJavaCommandJudgeEveryValueAlike(Backend backend) throws Exception {
        use(backend);
        String kind = "pipe"; // what a child holds, whatever the event's backend
        String longName = "L".repeat(300);
        String[][] cases = { // name, value ("-": announced by ChildProcessBuilder), exit status of both
            {"X", kind + ":3", "0"},
            {"X", kind + ":00000000003", "0"}, // disagreed
            {longName, "-", "0"}, // disagreed
            {"X", kind + ":+3", "1"},
            {"X", kind + ": 3", "1"},
            {"X", kind.toUpperCase(Locale.ROOT) + ":3", "1"},
            {"X", kind + ":1", "1"},
            {"X", kind + ":2147483651", "1"},
        };
        StringBuilder lines = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String[] c : cases) {
            lines.append(c[0]).append(' ').append(c[1]).append('\n');
            expected.append(c[0]).append(' ').append(c[1]).append(" c=").append(c[2]).append(" j=").append(c[2]).append('\n');
        }
        String script = "tool=$0; printf '%s' \"$CASES\" | while read -r n v; do"
                + " if [ \"$v\" != - ]; then export JIVYKIS_FD_$n=\"$v\"; fi;"
                + " \"$tool\" \"$n\" </dev/null >/dev/null 2>&1; c=$?;"
                + " \"$@\" \"$n\" </dev/null >/dev/null 2>&1; j=$?;"
                + " echo \"$n $v c=$c j=$j\"; done";
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script,
                Children.nativeProgram("jivykis-post").toString()));
        command.addAll(ChildJvm.of(Main.class, "post").command());
        AtomicInteger calls = new AtomicInteger();
        Path out = tmp.resolve("alike.txt");
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(calls::incrementAndGet);
            event.register();
            ChildProcessBuilder builder = new ChildProcessBuilder(command).pass(event, "OTHER").pass(event, longName)
                    .redirectOutput(out);
            builder.environment().put("CASES", lines.toString());
            assertEquals(0, builder.start().waitFor(), Children.read(out));
            assertEquals(expected.toString(), Children.read(out));
            runPending(loop);
            assertTrue(calls.get() > 0, "the accepted values posted");
            event.unregister();
        }
    }

    /** A missing, malformed or lying JIVYKIS_FD_ variable: the C tool says what is wrong and posts nothing. */
    @OnBothBackends
    void theToolRefusesAMissingOrWrongVariable(Backend backend) throws Exception {
        use(backend);
        String tool = Children.nativeProgram("jivykis-post").toString();
        String other = "eventfd"; // a child holds a pipe, whatever the event's backend
        String[][] cases = {
            {"exec \"$0\" WAKE", "JIVYKIS_FD_WAKE: the variable is not set"},
            {"JIVYKIS_FD_WAKE=eventfd:x exec \"$0\" WAKE", "JIVYKIS_FD_WAKE=eventfd:x: the name is not [A-Z0-9_]+, or the variable's value is not"},
            {"JIVYKIS_FD_WAKE=" + other + ":3 exec \"$0\" WAKE", "is not of the announced kind"},
            {"JIVYKIS_FD_WAKE=eventfd:9 exec \"$0\" WAKE", "is not open for writing"},
            // Descriptor 5, not a standard stream: those are refused by number before any check.
            {"exec 5>/dev/null; JIVYKIS_FD_WAKE=pipe:5 exec \"$0\" WAKE", "is not of the announced kind"},
            {"true | { exec 5<&0; JIVYKIS_FD_WAKE=pipe:5 exec \"$0\" WAKE; }", "is not open for writing"},
            {"JIVYKIS_FD_WAKE=pipe:1 exec \"$0\" WAKE", "is 0, 1 or 2 (standard input, output or error)"},
            {"JIVYKIS_FD_WAKE=eventfd:0 exec \"$0\" WAKE", "is 0, 1 or 2 (standard input, output or error)"},
            {"JIVYKIS_FD_WAKE=eventfd:+3 exec \"$0\" WAKE", "the variable's value is not"},
            {"exec \"$0\" wake", "the name is not [A-Z0-9_]+"},
        };
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(calls::incrementAndGet);
            event.register();
            for (String[] c : cases) {
                Path err = tmp.resolve("err.txt");
                ChildProcessBuilder builder = new ChildProcessBuilder("/bin/sh", "-c", c[0], tool).redirectError(err);
                if (!c[0].startsWith("exec")) {
                    builder.pass(event, "OTHER"); // descriptor 3 is a real holder's pipe
                }
                assertEquals(1, builder.start().waitFor(), c[0] + ": " + Children.read(err));
                assertTrue(Children.read(err).contains(c[1]), c[0] + " said: " + Children.read(err));
            }
            runPending(loop);
            assertEquals(0, calls.get(), "a refused variable must post nothing");
            event.unregister();
        }
    }

    /** A count too large for a long is refused, not clamped to LONG_MAX (strtol's ERANGE). */
    @org.junit.jupiter.api.Test
    void theToolRefusesACountThatOverflows() throws Exception {
        Path err = tmp.resolve("count.txt");
        ChildProcess tool = new ChildProcessBuilder(Children.nativeProgram("jivykis-post").toString(), "-n",
                "99999999999999999999", "WAKE").redirectError(err).start();
        assertEquals(2, tool.waitFor(), Children.read(err));
        assertTrue(Children.read(err).contains("-n 99999999999999999999: COUNT must be a whole number"),
                Children.read(err));
    }
}
