package io.jivykis;

import io.jivykis.internal.Announcement;
import io.jivykis.internal.CStrings;
import io.jivykis.internal.Errors;
import io.jivykis.internal.HolderPipe;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Loop;
import io.jivykis.internal.Native;
import io.jivykis.internal.Spawn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a child process that can post to events of this process.
 *
 * <p>{@link java.lang.ProcessBuilder} closes every descriptor above 2 in the child, and an
 * eventfd cannot be reopened through /proc, so a Java program has no other way to hand an
 * {@link EventRaw} to a child. Here each {@link #pass(EventRaw, String) passed} event is
 * given to the child as a descriptor of its own, at 3, 4, ... in the order passed, and
 * announced in its environment as {@code JIVYKIS_FD_<NAME>=<kind>:<fd>}, e.g.
 * {@code JIVYKIS_FD_WAKE=pipe:3}.
 *
 * <p><b>What the child can do with it: post, and nothing else.</b> The descriptor is the
 * write end of a pipe made for this child alone, whatever the event's backend; this process
 * keeps the read end and watches it in the event's loop. The child shares no open file with
 * the event's owner, so whatever it does (clear O_NONBLOCK, flood, close, pass it on to its
 * own children) it cannot block the owner's loop, swallow or delay anyone else's posts, or
 * make the owner leak: when every copy of its end is closed the owner closes the read end.
 * Unregistering the event revokes it: the child's writes then fail with EPIPE, which
 * {@link Poster} and {@code jivykis_post} report as "no effect". The child posts with {@link Poster#inherited(String)}
 * (Java), {@code jivykis_post_inherited()} (C, jivykis.h), {@code jivykis-post NAME} or
 * {@code java -jar jivykis.jar post NAME} (shell), or by writing the descriptor itself.
 *
 * <pre>{@code
 * EventRaw wake = new EventRaw(() -> System.out.println("the child posted"));
 * wake.register();
 * ChildProcess child = new ChildProcessBuilder("jivykis-post", "WAKE").pass(wake, "WAKE").start();
 * EventLoop.current().run();
 * }</pre>
 *
 * <p>The child receives exactly stdio (this process's, or the redirect files) and the passed
 * descriptors: nothing else of this process, not even descriptors other threads open without
 * close-on-exec meanwhile. Its {@code JIVYKIS_FD_*} variables are exactly the passed events
 * (any inherited from this process's environment are removed, since their descriptors are
 * not passed on). Signals this process ignores stay ignored in it (as
 * {@code nohup} expects), signals it catches start at their default action, and none is
 * blocked. A
 * program name without '/' is searched in this process's {@code PATH}. Like
 * {@link java.lang.ProcessBuilder}, a builder is not safe for use by several threads at once.
 */
public final class ChildProcessBuilder {
    private final List<String> command;
    private final Map<String, String> environment = new HashMap<>(System.getenv());
    private final Map<String, EventRaw> passed = new LinkedHashMap<>();
    private Path directory;
    private Path output;
    private Path error;

    /**
     * A builder for {@code command}: the program, then its arguments.
     *
     * @param command the program (a path, or a name looked up in this process's {@code PATH}),
     *     then its arguments; at least the program, none of them null or holding NUL
     * @throws IllegalArgumentException if the command is empty or holds a NUL character
     */
    public ChildProcessBuilder(String... command) {
        this(List.of(command));
    }

    /**
     * A builder for {@code command}: the program, then its arguments.
     *
     * @param command the program (a path, or a name looked up in this process's {@code PATH}),
     *     then its arguments; at least the program, none of them null or holding NUL. The list
     *     is copied: later changes to it do not reach the builder
     * @throws IllegalArgumentException if the command is empty or holds a NUL character
     */
    public ChildProcessBuilder(List<String> command) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        this.command = List.copyOf(command);
        if (this.command.isEmpty() || this.command.get(0).isEmpty()) {
            throw new IllegalArgumentException("the command is empty: give the program to run first");
        }
        for (String word : this.command) {
            CStrings.checkNoNul("command argument", word);
        }
    }

    /**
     * Passes {@code event} to the child under {@code name}: at {@link #start()} the child gets
     * a descriptor of its own that posts to the event (see the class description). The event
     * must be registered, on the thread that calls {@link #start()}, when the child starts.
     *
     * @param event the event the child will post to; not null, and registered on the
     *     starting thread by the time of {@link #start()}
     * @param name {@code [A-Z0-9_]+}; the child finds the descriptor in {@code JIVYKIS_FD_<name>}
     * @return this builder
     * @throws IllegalArgumentException if the name is not {@code [A-Z0-9_]+} or already used
     */
    public ChildProcessBuilder pass(EventRaw event, String name) {
        Objects.requireNonNull(event, "event");
        Announcement.checkName(name);
        if (passed.containsKey(name)) {
            throw new IllegalArgumentException("an event is already passed as \"" + name + "\": each name announces one descriptor");
        }
        passed.put(name, event);
        return this;
    }

    /**
     * The child's working directory (default: this process's).
     *
     * @param directory the directory the child starts in; not null. It is checked only at
     *     {@link #start()}
     * @return this builder
     */
    public ChildProcessBuilder directory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * The child's environment: a mutable map that starts as a copy of this process's. The
     * {@code JIVYKIS_FD_*} variables of passed events are added at {@link #start()}.
     *
     * @return the map itself, not a copy: what you put in or remove is what the child gets
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Sends the child's standard output to {@code file}, created or truncated (default: this process's).
     *
     * @param file the file the child writes its standard output to; not null. Its directory
     *     must exist when the child starts
     * @return this builder
     */
    public ChildProcessBuilder redirectOutput(Path file) {
        this.output = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Sends the child's standard error to {@code file}, created or truncated (default: this process's).
     *
     * @param file the file the child writes its standard error to; not null. Its directory
     *     must exist when the child starts
     * @return this builder
     */
    public ChildProcessBuilder redirectError(Path file) {
        this.error = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Starts the child.
     *
     * @return the started child, for its pid, its exit status, or to signal it
     * @throws IllegalStateException if a passed event is not registered, or is registered in
     *     another thread's loop (its descriptor could be closed while the child starts)
     * @throws IllegalArgumentException if the environment holds a null, '=' in a name, or NUL
     * @throws UncheckedIOException if the child cannot be started (no such program, not
     *     executable, bad directory, an unwritable redirect file); the message names the
     *     program and the errno text, and nothing is left open
     */
    public ChildProcess start() {
        int[] fds = new int[passed.size()];
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "environment name");
            String value = Objects.requireNonNull(e.getValue(), () -> "value of environment variable " + key);
            if (key.isEmpty() || key.indexOf('=') >= 0) {
                throw new IllegalArgumentException("\"" + key + "\" is not a valid environment variable name");
            }
            CStrings.checkNoNul("environment variable " + key, key + value);
            if (!key.startsWith(Announcement.PREFIX)) {
                env.put(key, value);
            }
        }
        // Each passed event gets a pipe of its own for this child (HolderPipe): the child can
        // post and nothing else; the owner keeps the read end, and closes its copy of the
        // write end once the child has it, so the child's exit is seen as end of file.
        List<HolderPipe> holders = new ArrayList<>();
        int pid;
        try {
            int i = 0;
            for (Map.Entry<String, EventRaw> e : passed.entrySet()) {
                EventRaw event = e.getValue();
                Loop loop = event.registeredLoop();
                if (loop == null) {
                    throw new IllegalStateException("the event passed as \"" + e.getKey()
                            + "\" is not registered: register it before start()");
                }
                loop.checkOwner("ChildProcessBuilder.start() passing \"" + e.getKey() + "\"");
                HolderPipe holder = event.newHolder();
                holders.add(holder);
                fds[i] = holder.writeFd();
                env.put(Announcement.PREFIX + e.getKey(), Announcement.value(Backend.PIPE, 3 + i));
                i++;
            }
            List<String> vars = new ArrayList<>();
            env.forEach((k, v) -> vars.add(k + "=" + v));
            pid = Spawn.start(command, vars, fds, directory, output, error);
        } catch (RuntimeException e) {
            holders.forEach(HolderPipe::revoke);
            throw e;
        } finally {
            holders.forEach(HolderPipe::releaseWriteEnd);
        }
        if (pid < 0) {
            holders.forEach(HolderPipe::revoke);
            throw new UncheckedIOException(new IOException(startFailure(-pid)));
        }
        return ChildProcess.started(pid, command.get(0));
    }

    /** The message for a failed start: the program, the errno text, and the likely culprit. */
    private String startFailure(int errno) {
        String what = "cannot start \"" + command.get(0) + "\": " + Errors.describe(errno);
        boolean pathError = errno == Linux.ENOENT || errno == Linux.ENOTDIR || errno == Linux.EACCES;
        if (pathError && directory != null && !Files.isDirectory(directory)) {
            return what + ": the working directory " + directory + " is not a directory";
        }
        for (Path file : new Path[] {output, error}) {
            Path parent = file == null ? null : file.toAbsolutePath().getParent();
            if (pathError && parent != null && !Files.isDirectory(parent)) {
                return what + ": the redirect file " + file + " cannot be created";
            }
        }
        return what;
    }
}
