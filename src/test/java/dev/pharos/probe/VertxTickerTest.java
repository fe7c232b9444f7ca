package dev.pharos.probe;

import static dev.pharos.probe.RawServer.readHead;
import static dev.pharos.probe.RawServer.response;
import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Target;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VertxTickerTest {
    private static final int LOOPS = 3;

    private Vertx vertx;
    private VertxTicker ticker;
    private RawServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
        ticker = new VertxTicker(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        await(vertx.close());
    }

    /** Runs three chained tasks on the lane; the names of the threads they ran on. */
    private static CompletableFuture<List<String>> chain(Ticker lane) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        List<String> threads = new ArrayList<>();
        Runnable[] step = new Runnable[1];
        step[0] =
                () -> {
                    threads.add(Thread.currentThread().getName());
                    if (threads.size() == 3) {
                        done.complete(threads);
                    } else {
                        lane.schedule(1, step[0]);
                    }
                };
        lane.schedule(1, step[0]);
        return done;
    }

    @Test
    void eachLaneStaysOnOneEventLoopAndLanesCoverEveryLoop() throws Exception {
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (int i = 0; i < 2 * LOOPS; i++) {
            runs.add(chain(ticker.lane()));
        }
        Set<String> all = new HashSet<>();
        for (CompletableFuture<List<String>> run : runs) {
            List<String> threads = run.get(30, TimeUnit.SECONDS);
            assertThat(new HashSet<>(threads)).hasSize(1);
            assertThat(threads.get(0)).startsWith("vert.x-eventloop-thread-");
            all.addAll(threads);
        }
        assertThat(all).hasSize(LOOPS);
    }

    @Test
    void aCancelledTimerNeverRuns() throws Exception {
        Ticker lane = ticker.lane();
        AtomicBoolean ran = new AtomicBoolean();
        lane.schedule(1000, () -> ran.set(true)).cancel();
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        lane.schedule(2000, () -> later.complete(ran.get()));
        assertThat(later.get(30, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aProbeStartedOnALaneRunsOnThatLanesEventLoop() throws Exception {
        server =
                RawServer.start(
                        "127.0.51.1",
                        s -> {
                            readHead(s);
                            write(s, response(200, "OK", "ok"));
                        });
        HttpProber prober = new HttpProber(vertx, Clock.systemUTC(), Optional.empty());
        Target target = http().path("/").target(server.address(), server.port());
        // where each probe started and where its result arrived, for six lanes over three loops
        List<CompletableFuture<String[]>> probes = new ArrayList<>();
        Set<String> results = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 2 * LOOPS; i++) {
            CompletableFuture<String[]> seen = new CompletableFuture<>();
            probes.add(seen);
            ticker.lane()
                    .schedule(
                            1,
                            () -> {
                                String started = Thread.currentThread().getName();
                                prober.probe(target)
                                        .onComplete(
                                                ar -> {
                                                    results.add(
                                                            ar.succeeded() && ar.result().success()
                                                                    ? "ok"
                                                                    : "failed");
                                                    seen.complete(
                                                            new String[] {
                                                                started,
                                                                Thread.currentThread().getName()
                                                            });
                                                });
                            });
        }
        for (CompletableFuture<String[]> p : probes) {
            String[] threads = p.get(30, TimeUnit.SECONDS);
            assertThat(threads[1]).isEqualTo(threads[0]);
        }
        assertThat(results).containsExactly("ok");
        await(prober.close());
    }
}
