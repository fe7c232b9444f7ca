package dev.pharos.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.observation.ContentState;
import dev.pharos.observation.ContentVote;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A region's content state holds only when a quorum of vantage points votes for it. */
class ContentQuorumTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private static ContentVote vote(ContentState s) {
        return new ContentVote(s, NOW, 1000L, NOW, "aaaaaaaaaaaa", false, s.label() + " here");
    }

    private static ContentVerdict verdict(ContentState... states) {
        Map<String, Map<String, ContentVote>> votes = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            if (states[i] != null) {
                votes.put("vp" + (i + 1), Map.of("europe", vote(states[i])));
            }
        }
        return ContentQuorum.evaluate(votes, List.of("europe"), 2, Map.of(), NOW).get("europe");
    }

    @Test
    void oneVantagePointSeeingStaleContentChangesNothing() {
        ContentVerdict v = verdict(ContentState.STALE, ContentState.FRESH, ContentState.FRESH);
        assertThat(v.state()).isEqualTo(ContentState.FRESH);
        assertThat(v.votes()).hasSize(3);
    }

    @Test
    void aMajorityMakesItStale() {
        ContentVerdict v = verdict(ContentState.STALE, ContentState.STALE, ContentState.FRESH);
        assertThat(v.state()).isEqualTo(ContentState.STALE);
        assertThat(v.stale()).isTrue();
        assertThat(v.reason()).isEqualTo("2 of 3 vantage points: vp1: stale here");
    }

    @Test
    void staleAndLaggingTogetherAreLagging() {
        assertThat(verdict(ContentState.STALE, ContentState.LAGGING, ContentState.FRESH).state())
                .isEqualTo(ContentState.LAGGING);
        assertThat(verdict(ContentState.SYNCING, ContentState.SYNCING, ContentState.STALE).state())
                .isEqualTo(ContentState.SYNCING);
    }

    @Test
    void withoutAQuorumOfKnownVotesTheRegionIsUnknown() {
        assertThat(verdict(ContentState.STALE, ContentState.UNKNOWN, null).state())
                .isEqualTo(ContentState.UNKNOWN);
        assertThat(verdict(ContentState.STALE, null, null).state()).isEqualTo(ContentState.UNKNOWN);
    }

    @Test
    void sinceIsCarriedOverWhileTheStateHolds() {
        Map<String, Map<String, ContentVote>> votes =
                Map.of(
                        "vp1", Map.of("europe", vote(ContentState.STALE)),
                        "vp2", Map.of("europe", vote(ContentState.STALE)));
        Map<String, ContentVerdict> first =
                ContentQuorum.evaluate(votes, List.of("europe"), 2, Map.of(), NOW);
        Map<String, ContentVerdict> later =
                ContentQuorum.evaluate(votes, List.of("europe"), 2, first, NOW.plusSeconds(60));
        assertThat(later.get("europe").since()).isEqualTo(NOW);
    }
}
