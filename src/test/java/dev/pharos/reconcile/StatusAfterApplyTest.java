package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.decision.DesiredState;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the status and the plan show of a DNS provider (its published records, whether they are in
 * sync, the pending changes) is the state after the last apply, not the one read before it.
 */
class StatusAfterApplyTest {
    @TempDir Path dir;
    Scene scene;

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
    }

    @AfterEach
    void close() {
        scene.close();
    }

    @Test
    void afterEachApplyTheStatusShowsWhatWasAppliedAndNothingPending() throws Exception {
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop = scene.dns(dns, ActuatorMode.APPLY);
        DesiredState all = Scene.allIn();
        loop.start(all);
        loop.offer(all, Map.of());
        scene.scheduler.runReady();
        assertThat(dns.applied()).hasSize(1);
        assertShows(loop, all);

        // one region's address leaves the first record: the second apply's outcome is shown
        Map<RecordKey, RecordSet> fewer = new TreeMap<>(all.records());
        Map.Entry<RecordKey, RecordSet> first = fewer.entrySet().iterator().next();
        RecordSet one = first.getValue().withValues(List.of(first.getValue().values().first()));
        assertThat(one).isNotEqualTo(first.getValue());
        fewer.put(first.getKey(), one);
        DesiredState changed = new DesiredState(fewer, all.relays(), List.of(), false);
        loop.offer(changed, Map.of());
        scene.scheduler.runReady();
        assertThat(dns.applied()).hasSize(2);
        assertShows(loop, changed);
        assertThat(loop.step().published()).containsEntry(first.getKey(), one);
    }

    private static void assertShows(ReconcileLoop<DnsStep> loop, DesiredState desired) {
        DnsStep step = loop.step();
        assertThat(step.published())
                .as("published, as GET /api/v1/status shows it (inSync compares it)")
                .isEqualTo(step.publishable(desired.records()));
        assertThat(loop.status().plan()).as("pending changes in GET /api/v1/plan").isEmpty();
        assertThat(loop.status().published())
                .containsExactlyElementsOf(step.publishable(desired.records()).values());
    }
}
