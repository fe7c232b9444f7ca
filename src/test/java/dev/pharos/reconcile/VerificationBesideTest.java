package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.decision.DesiredState;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification runs beside the loop: while one change waits for a name server that never answers,
 * the next desired state is applied at once, and the status reports each server. The provider's
 * verification answers only when the test says so (a fake server): no sleeps.
 */
class VerificationBesideTest {
    @TempDir Path dir;
    Scene scene;

    @AfterEach
    void close() {
        scene.close();
    }

    private static DesiredState only(String... addresses) {
        Map.Entry<?, RecordSet> rr = Scene.allIn().records().entrySet().iterator().next();
        RecordSet set = rr.getValue().withValues(List.of(addresses));
        return new DesiredState(Map.of(set.key(), set), Map.of(), List.of(), false);
    }

    @Test
    void aNewerDesiredStateIsAppliedWhileTheLastOneIsStillVerified() throws Exception {
        scene = new Scene(dir);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        ScriptedDns dns =
                new ScriptedDns(scene.clock) {
                    @Override
                    public VerifyReport verify(DnsPlan plan, Duration timeout) {
                        started.incrementAndGet();
                        try {
                            // 127.0.0.2 never answers; the test decides when the deadline is up
                            answer.await();
                        } catch (InterruptedException e) {
                            // superseded by the newer change
                            return new VerifyReport(
                                    List.of(
                                            VerifyReport.Server.notServed(
                                                    "127.0.0.2:53", "verification interrupted")));
                        }
                        return new VerifyReport(
                                List.of(
                                        VerifyReport.Server.served(
                                                "127.0.0.1:53", Duration.ofMillis(4)),
                                        VerifyReport.Server.notServed(
                                                "127.0.0.2:53", "not served after 1000 ms")));
                    }
                };
        // verification on the step's own thread, as in production
        ReconcileLoop<DnsStep> loop =
                scene.dns(dns, ActuatorMode.APPLY, Optional.of(Scene.RESYNC), null);

        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> {
                    loop.offer(only("127.0.1.1"), Map.of());
                    scene.scheduler.runReady();
                    loop.offer(only("127.0.2.1"), Map.of());
                    scene.scheduler.runReady();
                });

        assertThat(dns.published().values().iterator().next().values())
                .containsExactly("127.0.2.1");
        assertThat(dns.applied()).hasSize(2);
        assertThat(loop.status().verifying()).isTrue();

        answer.countDown();
        VerifyReport report = loop.step().awaitVerification();
        assertThat(report.servers())
                .extracting(VerifyReport.Server::server, VerifyReport.Server::served)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1:53", true),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.2:53", false));
        ActuatorStatus status = loop.status();
        assertThat(status.verifying()).isFalse();
        assertThat(status.verification()).isEqualTo(report.servers());
        assertThat(status.lastError())
                .isEqualTo("verify: 127.0.0.2:53 did not serve it: not served after 1000 ms");
        // the first change's verification was superseded: one verdict, the second change's
        List<JournalEvent> failed =
                scene.events().stream().filter(e -> e.type() == EventType.APPLY_FAILED).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).message()).contains("127.0.0.2:53 did not serve it");
        assertThat(started.get()).isBetween(1, 2);
    }
}
