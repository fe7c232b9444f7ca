package dev.pharos.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.decision.RegionState;
import dev.pharos.journal.Event;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PipelineEvent;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.quorum.QuorumStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    final List<JournalEvent> events = new ArrayList<>();

    void add(int second, Event e) {
        events.add(new JournalEvent(events.size() + 1, T0.plusSeconds(second), "vp1", e));
    }

    static Event region(String name, RegionState before, RegionState after) {
        return PipelineEvent.RegionStateChanged.of(
                name, before, new RegionEvidence(after, "because", Map.of(), Map.of()));
    }

    @Test
    void oneIncidentPerOutageWithItsEventsNewestFirst() {
        add(0, PipelineEvent.WarmupDone.of(3));
        add(10, region("europe", RegionState.HEALTHY, RegionState.DEGRADED));
        add(12, region("europe", RegionState.DEGRADED, RegionState.DEAD));
        add(15, region("apac", RegionState.HEALTHY, RegionState.DEAD));
        add(20, region("europe", RegionState.DEAD, RegionState.HEALTHY));
        QuorumStatus lost = new QuorumStatus(false, 1, 2, 3, List.of("vp2", "vp3"), T0);
        add(30, PipelineEvent.QuorumLost.of(lost));

        List<Timeline.Incident> incidents = Timeline.of(events, 10);

        assertThat(incidents)
                .extracting(Timeline.Incident::key)
                .containsExactly("quorum", "region/apac", "region/europe");
        Timeline.Incident europe = incidents.get(2);
        assertThat(europe.worst()).isEqualTo("DEAD");
        assertThat(europe.started()).isEqualTo(T0.plusSeconds(10));
        assertThat(europe.ended()).isEqualTo(T0.plusSeconds(20));
        assertThat(europe.events()).hasSize(3);
        assertThat(incidents.get(1).ended()).as("apac is still down").isNull();
        assertThat(incidents.get(0).region()).isNull();
        // the warm-up belongs to no incident
        assertThat(incidents)
                .flatExtracting(Timeline.Incident::events)
                .extracting(Timeline.Entry::type)
                .doesNotContain("warmup_done");
    }

    @Test
    void aSecondOutageOfTheSameRegionIsASecondIncidentAndTheLimitKeepsTheNewest() {
        add(0, region("europe", RegionState.HEALTHY, RegionState.DEAD));
        add(5, region("europe", RegionState.DEAD, RegionState.HEALTHY));
        add(60, region("europe", RegionState.HEALTHY, RegionState.DEAD));

        List<Timeline.Incident> incidents = Timeline.of(events, 1);

        assertThat(incidents).hasSize(1);
        assertThat(incidents.get(0).started()).isEqualTo(T0.plusSeconds(60));
        assertThat(Timeline.of(events, 10)).hasSize(2);
    }
}
