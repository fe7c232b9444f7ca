package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.RegionContent;
import dev.pharos.config.Topology;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One vantage point's content states, with an injected clock. */
class ContentJudgeTest {
    private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private static Map<String, RegionContent> regions() {
        Topology t =
                TestTopology.node("vp1")
                        .region("asia", "127.0.2.1")
                        .region("europe", "127.0.1.1")
                        .set("pharos.content.trace-path", "/trace")
                        .set("pharos.content.manifest-path", "/manifest")
                        .set("pharos.content.syncing-path", "/syncing")
                        .set("pharos.content.warn-after", "10m")
                        .set("pharos.content.stale-after", "1h")
                        .topology();
        return t.content().regions();
    }

    private ContentReading reading(Instant synced, String manifest, boolean syncing) {
        return new ContentReading(
                clock.instant(),
                Optional.ofNullable(synced),
                Optional.ofNullable(manifest),
                Optional.ofNullable(manifest).map(m -> m.substring(7, 19)),
                syncing,
                Optional.empty());
    }

    private static String manifest(char c) {
        return "sha256:" + String.valueOf(c).repeat(64) + " length:10 etag:-";
    }

    @Test
    void theAgeOfTheLastSyncMakesARegionLaggingThenStale() {
        ContentJudge judge = new ContentJudge(regions());
        Map<String, ContentReading> r = new LinkedHashMap<>();
        r.put("europe", reading(T0.minus(Duration.ofMinutes(5)), manifest('a'), false));
        r.put("asia", reading(T0.minus(Duration.ofMinutes(11)), manifest('a'), false));
        Map<String, ContentVote> v = judge.judge(r, clock.instant());
        assertThat(v.get("europe").state()).isEqualTo(ContentState.FRESH);
        assertThat(v.get("asia").state()).isEqualTo(ContentState.LAGGING);
        assertThat(v.get("asia").detail()).isEqualTo("last sync 11m 0s ago (warn-after 10m 0s)");

        r.put("asia", reading(T0.minus(Duration.ofMinutes(61)), manifest('a'), false));
        v = judge.judge(r, clock.instant());
        assertThat(v.get("asia").state()).isEqualTo(ContentState.STALE);
        assertThat(v.get("asia").syncedAt()).isEqualTo(T0.minus(Duration.ofMinutes(61)));
        assertThat(v.get("asia").version()).isEqualTo("aaaaaaaaaaaa");
    }

    @Test
    void aManifestThatDiffersFromTheNewestIsLaggingThenStaleAfterStaleAfter() {
        ContentJudge judge = new ContentJudge(regions());
        Map<String, ContentReading> r = new LinkedHashMap<>();
        r.put("europe", reading(T0, manifest('a'), false));
        r.put("asia", reading(T0, manifest('a'), false));
        judge.judge(r, clock.instant());

        clock.advance(Duration.ofMinutes(1));
        // europe gets a new manifest with a newer trace; asia keeps the old one (and an old trace)
        r.put("europe", reading(clock.instant(), manifest('b'), false));
        r.put("asia", reading(T0, manifest('a'), false));
        Map<String, ContentVote> v = judge.judge(r, clock.instant());
        assertThat(v.get("europe").state()).isEqualTo(ContentState.FRESH);
        assertThat(v.get("asia").state()).isEqualTo(ContentState.LAGGING);
        assertThat(v.get("asia").detail()).contains("differs from the newest bbbbbbbbbbbb");

        for (int i = 0; i < 61; i++) {
            clock.advance(Duration.ofMinutes(1));
            r.put("europe", reading(clock.instant(), manifest('b'), false));
            r.put(
                    "asia",
                    new ContentReading(
                            clock.instant(),
                            Optional.of(clock.instant()), // its trace is even rewritten...
                            Optional.of(manifest('a')),
                            Optional.of("aaaaaaaaaaaa"),
                            false,
                            Optional.empty()));
            v = judge.judge(r, clock.instant());
        }
        // ...but its manifest has differed from the newest for longer than stale-after: STALE
        assertThat(v.get("asia").state()).isEqualTo(ContentState.STALE);
        assertThat(v.get("asia").detail())
                .isEqualTo(
                        "last sync 0s ago; manifest aaaaaaaaaaaa differs from the newest"
                                + " bbbbbbbbbbbb for 1h 1m (stale-after 1h 0m)");
        assertThat(v.get("europe").state()).isEqualTo(ContentState.FRESH);
    }

    @Test
    void aSyncInProgressIsSyncingForAtMostStaleAfter() {
        ContentJudge judge = new ContentJudge(regions());
        Map<String, ContentReading> r = new LinkedHashMap<>();
        r.put("europe", reading(T0.minus(Duration.ofMinutes(50)), manifest('a'), true));
        assertThat(judge.judge(r, clock.instant()).get("europe").state())
                .isEqualTo(ContentState.SYNCING);
        for (int i = 0; i < 62; i++) {
            clock.advance(Duration.ofMinutes(1));
            r.put("europe", reading(T0.minus(Duration.ofMinutes(50)), manifest('a'), true));
        }
        ContentVote v = judge.judge(r, clock.instant()).get("europe");
        assertThat(v.state()).isEqualTo(ContentState.STALE);
        assertThat(v.syncing()).isTrue();
    }

    @Test
    void noReadingAnOldReadingOrAnUnreadableFileIsUnknown() {
        ContentJudge judge = new ContentJudge(regions());
        Map<String, ContentReading> r = new LinkedHashMap<>();
        r.put(
                "europe",
                new ContentReading(
                        clock.instant(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Optional.of("trace /trace: status 404")));
        Map<String, ContentVote> v = judge.judge(r, clock.instant());
        assertThat(v.get("asia").state()).isEqualTo(ContentState.UNKNOWN);
        assertThat(v.get("asia").detail()).isEqualTo("not checked yet");
        assertThat(v.get("europe").state()).isEqualTo(ContentState.UNKNOWN);
        assertThat(v.get("europe").detail()).isEqualTo("trace /trace: status 404");

        r.put("europe", reading(T0, manifest('a'), false));
        clock.advance(Duration.ofMinutes(4));
        v = judge.judge(r, clock.instant());
        assertThat(v.get("europe").state()).isEqualTo(ContentState.UNKNOWN);
        assertThat(v.get("europe").ageMs()).isEqualTo(Duration.ofMinutes(4).toMillis());
    }

    @Test
    void traceTimesAreEpochSecondsOrRfc3339() {
        assertThat(ContentReading.parseTime("1700000000\n"))
                .contains(Instant.ofEpochSecond(1_700_000_000));
        assertThat(ContentReading.parseTime("1700000000.5"))
                .contains(Instant.ofEpochSecond(1_700_000_000, 500_000_000));
        assertThat(ContentReading.parseTime("2026-12-02T15:04:05+01:00\nsynced by origin"))
                .contains(Instant.parse("2026-12-02T14:04:05Z"));
        assertThat(ContentReading.parseTime("2026-12-02 15:04:05Z"))
                .contains(Instant.parse("2026-12-02T15:04:05Z"));
        assertThat(ContentReading.parseTime("yesterday")).isEmpty();
        assertThat(ContentReading.parseTime("")).isEmpty();
    }
}
