package io.jivykis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop engine below EventRaw: a stale epoll result (for a source detached earlier in the
 * same batch, whose slot a new source took) never reaches the new source. EventRaw alone
 * could not show this, since it ignores readiness with nothing to read.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopDispatchTest {

    /** Watches the read end of a pipe (level-triggered) and counts readiness reports. */
    private static final class PipeWatch extends WatchedSource {
        final int readFd;
        final int writeFd;
        int readyCalls;
        Runnable onReady = () -> {};
        Runnable onPosted = () -> {};

        PipeWatch(Loop loop, boolean readable) {
            super(loop);
            long ends = Errors.check("pipe2", Native.pipe());
            readFd = (int) (ends >>> 32);
            writeFd = (int) ends;
            if (readable) {
                Errors.check("write", Native.pipePost(writeFd));
            }
            Errors.check("epoll_ctl(ADD)", watch(readFd, Linux.EPOLLIN));
        }

        @Override
        protected void ready(int epollFlags) {
            readyCalls++;
            onReady.run();
        }

        @Override
        protected void posted() {
            onPosted.run();
        }

        @Override
        protected void unwatched() {
            Native.close(readFd);
            Native.close(writeFd);
        }
    }

    @Test
    void aStaleEpollResultNeverReachesTheSourceThatReusedTheSlot() {
        Loop loop = Loop.open();
        try {
            PipeWatch[] pair = {new PipeWatch(loop, true), new PipeWatch(loop, true)};
            List<PipeWatch> newcomers = new ArrayList<>();
            PipeWatch finisher = new PipeWatch(loop, false);
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                pair[i].onReady = () -> {
                    if (newcomers.isEmpty()) {
                        // Both pipes are readable, so both results are in this batch. Detach
                        // the other one and attach a newcomer in its slot, watching an EMPTY
                        // pipe: any readiness the newcomer gets in this batch is stale.
                        int freed = pair[other].slot;
                        pair[other].detach();
                        PipeWatch newcomer = new PipeWatch(loop, false);
                        assertEquals(freed, newcomer.slot, "the newcomer takes the freed slot");
                        newcomers.add(newcomer);
                        finisher.post(); // runs after the whole batch
                    }
                };
            }
            finisher.onPosted = () -> {
                pair[0].detach();
                pair[1].detach();
                newcomers.get(0).detach();
                finisher.detach();
            };
            loop.run();
            assertEquals(1, pair[0].readyCalls + pair[1].readyCalls, "only the first of the pair ran");
            assertEquals(0, newcomers.get(0).readyCalls, "the newcomer's pipe was never readable");
            // run() returned without quit(): nothing is registered any more.
        } finally {
            loop.close();
        }
    }

    @Test
    void postedSourcesRunAfterReadyDescriptorsInPostOrder() throws Exception {
        Loop loop = Loop.open();
        try {
            List<String> order = new ArrayList<>();
            PipeWatch ready = new PipeWatch(loop, true);
            PipeWatch first = new PipeWatch(loop, false);
            PipeWatch second = new PipeWatch(loop, false);
            PipeWatch remote = new PipeWatch(loop, false);
            ready.onReady = () -> {
                order.add("ready");
                ready.detach();
            };
            first.onPosted = () -> order.add("first");
            second.onPosted = () -> {
                order.add("second");
                first.detach();
                second.detach();
                remote.detach();
            };
            remote.onPosted = () -> order.add("remote");
            first.post();
            second.post();
            first.post(); // already pending: coalesced, keeps its place
            Thread poster = new Thread(remote::post, "poster");
            poster.start();
            poster.join();
            loop.run();
            assertEquals(List.of("ready", "remote", "first", "second"), order);
        } finally {
            loop.close();
        }
    }
}
