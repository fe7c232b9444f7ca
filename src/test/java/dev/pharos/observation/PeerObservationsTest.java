package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Freshness and ordering of peer data, with an injected clock (stale-after 3 s). */
class PeerObservationsTest {
    private static final String LB = "europe/lb/ipv4";

    private final MutableClock clock = MutableClock.atEpoch();
    private final Topology topology =
            TestTopology.vp1OfThree().quorum("stale-after", "3s").topology();
    private final PeerObservations peers = new PeerObservations(topology, clock);
    private final Instant started = clock.instant().minusSeconds(60);

    private VantageSnapshot snapshot(
            String vantage, String instance, Instant startedAt, long round, Long ageMs) {
        Map<String, VantageSnapshot.TargetVote> targets = new LinkedHashMap<>();
        targets.put(
                LB,
                new VantageSnapshot.TargetVote(
                        Health.DOWN,
                        startedAt,
                        ageMs,
                        new VantageSnapshot.Summary(false, "REFUSED", "connection refused", 0.4)));
        return new VantageSnapshot(
                vantage, instance, startedAt, round, clock.instant(), false, targets);
    }

    private VantageSnapshot snapshot(long round, Long ageMs) {
        return snapshot("vp2", "run-a", started, round, ageMs);
    }

    private VantageView view(String peer) {
        return peers.views(clock.instant()).stream()
                .filter(v -> v.vantage().equals(peer))
                .findFirst()
                .orElseThrow();
    }

    private boolean lbFresh(String peer) {
        VantageView.VoteView v = view(peer).votes().get(LB);
        return v != null && v.fresh();
    }

    private VantageSnapshot withDatabase(String vantage, long round, String sha256) {
        VantageSnapshot s = snapshot(vantage, "run-" + vantage, started, round, 0L);
        return new VantageSnapshot(
                s.vantage(),
                s.instance(),
                s.startedAt(),
                s.round(),
                s.now(),
                false,
                s.targets(),
                null,
                null,
                null,
                null,
                sha256 == null ? null : new VantageSnapshot.GeoDatabase(started, sha256),
                null);
    }

    @Test
    void peersWhoseLocationDatabaseDiffersAreNamedAndABadChecksumIsRefused() {
        String ours = "a".repeat(64);
        assertThat(peers.geoDatabasesDiffering(ours, clock.instant())).isEmpty();
        assertThat(peers.accept(withDatabase("vp2", 1, ours), PeerObservations.Via.PULL)).isTrue();
        assertThat(peers.accept(withDatabase("vp3", 1, "b".repeat(64)), PeerObservations.Via.PULL))
                .isTrue();
        assertThat(peers.geoDatabasesDiffering(ours, clock.instant())).containsExactly("vp3");
        // a peer that names none has none, or predates the field: different from ours
        assertThat(peers.accept(withDatabase("vp2", 2, null), PeerObservations.Via.PULL)).isTrue();
        assertThat(peers.geoDatabasesDiffering(ours, clock.instant()))
                .containsExactly("vp2", "vp3");
        // unreachable peers are not judged
        clock.advance(Duration.ofSeconds(3));
        assertThat(peers.geoDatabasesDiffering(ours, clock.instant())).isEmpty();
        assertThat(peers.problem(withDatabase("vp2", 3, "not-a-checksum")))
                .contains("geoDatabase.sha256 must be 64 lower-case hex digits");
    }

    @Test
    void aPeerNeverHeardFromIsUnreachableWithNoVotes() {
        List<VantageView> views = peers.views(clock.instant());
        assertThat(views).extracting(VantageView::vantage).containsExactly("vp2", "vp3");
        assertThat(views).allSatisfy(v -> assertThat(v.reachable()).isFalse());
        assertThat(views).allSatisfy(v -> assertThat(v.votes()).isEmpty());
        assertThat(peers.status(clock.instant()).get(0).lastSeenAgoMs()).isNull();
    }

    @Test
    void aPeerIsReachableUntilStaleAfterHasPassedSinceItsLatestSnapshotArrived() {
        assertThat(peers.accept(snapshot(1, 0L), PeerObservations.Via.PULL)).isTrue();
        assertThat(view("vp2").reachable()).isTrue();
        clock.advance(Duration.ofMillis(2999));
        assertThat(view("vp2").reachable()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(view("vp2").reachable()).isFalse();
        assertThat(view("vp2").votes()).isEmpty();
        assertThat(view("vp3").reachable()).isFalse();
    }

    @Test
    void aVoteIsFreshWhileItsAgeAtTheSenderPlusTheTimeSinceReceiptIsBelowStaleAfter() {
        peers.accept(snapshot(1, 2500L), PeerObservations.Via.PUSH);
        assertThat(lbFresh("vp2")).isTrue();
        clock.advance(Duration.ofMillis(499));
        assertThat(lbFresh("vp2")).isTrue();
        clock.advance(Duration.ofMillis(1));
        // the peer is still reachable, but the probe result behind this vote is 3 s old
        assertThat(view("vp2").reachable()).isTrue();
        assertThat(lbFresh("vp2")).isFalse();
        assertThat(view("vp2").votes().get(LB).vote()).isEqualTo(Health.DOWN);
    }

    @Test
    void aVoteWithNoProbeResultBehindItIsNeverFresh() {
        peers.accept(snapshot(1, null), PeerObservations.Via.PULL);
        assertThat(view("vp2").reachable()).isTrue();
        assertThat(lbFresh("vp2")).isFalse();
    }

    @Test
    void freshnessDoesNotDependOnTheSendersClock() {
        Instant skewed = clock.instant().minus(Duration.ofHours(5));
        VantageSnapshot s =
                new VantageSnapshot(
                        "vp2",
                        "run-a",
                        skewed.minusSeconds(60),
                        1,
                        skewed,
                        false,
                        snapshot(1, 100L).targets());
        peers.accept(s, PeerObservations.Via.PULL);
        assertThat(lbFresh("vp2")).isTrue();
    }

    @Test
    void withinOneRunOfAPeerTheHigherRoundWins() {
        assertThat(peers.accept(snapshot(5, 0L), PeerObservations.Via.PULL)).isTrue();
        assertThat(peers.accept(snapshot(4, 0L), PeerObservations.Via.PUSH)).isFalse();
        assertThat(peers.accept(snapshot(5, 0L), PeerObservations.Via.PUSH)).isFalse();
        assertThat(peers.latest("vp2").orElseThrow().snapshot().round()).isEqualTo(5);
        assertThat(peers.accept(snapshot(6, 0L), PeerObservations.Via.PUSH)).isTrue();
        assertThat(peers.latest("vp2").orElseThrow().via()).isEqualTo(PeerObservations.Via.PUSH);
    }

    @Test
    void anOlderSnapshotArrivingLateDoesNotRefreshTheReceiptTime() {
        peers.accept(snapshot(5, 0L), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(2000));
        peers.accept(snapshot(4, 0L), PeerObservations.Via.PUSH);
        clock.advance(Duration.ofMillis(1000));
        assertThat(view("vp2").reachable()).isFalse();
    }

    @Test
    void aRestartedPeerIsTakenAtOnceDespiteItsLowerRound() {
        peers.accept(snapshot(900, 0L), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(500));
        VantageSnapshot restarted = snapshot("vp2", "run-b", clock.instant(), 1, 0L);
        assertThat(peers.accept(restarted, PeerObservations.Via.PUSH)).isTrue();
        assertThat(peers.status(clock.instant()).get(0).instance()).isEqualTo("run-b");
        assertThat(peers.status(clock.instant()).get(0).round()).isEqualTo(1);
    }

    @Test
    void aLateAnswerFromBeforeTheRestartIsDropped() {
        VantageSnapshot restarted = snapshot("vp2", "run-b", clock.instant(), 1, 0L);
        peers.accept(restarted, PeerObservations.Via.PUSH);
        assertThat(peers.accept(snapshot(900, 0L), PeerObservations.Via.PULL)).isFalse();
        assertThat(peers.latest("vp2").orElseThrow().snapshot().instance()).isEqualTo("run-b");
    }

    @Test
    void anEarlierStartedRunIsTakenOnceTheHeldOneHasGoneStale() {
        // e.g. the peer's clock stepped back across its restart
        peers.accept(snapshot("vp2", "run-b", clock.instant(), 1, 0L), PeerObservations.Via.PUSH);
        clock.advance(Duration.ofSeconds(3));
        assertThat(
                        peers.accept(
                                snapshot("vp2", "run-c", started, 1, 0L),
                                PeerObservations.Via.PULL))
                .isTrue();
        assertThat(view("vp2").reachable()).isTrue();
    }

    @Test
    void ifThisClockStepsBackFarThePeersDataCountsAsStaleNotFresh() {
        peers.accept(snapshot(1, 0L), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(-200));
        assertThat(lbFresh("vp2")).as("a receipt a moment 'ahead' is normal").isTrue();
        clock.advance(Duration.ofHours(-1));
        assertThat(view("vp2").reachable()).isFalse();
    }

    @Test
    void votesOnTargetsThisInstanceDoesNotKnowAreIgnored() {
        Map<String, VantageSnapshot.TargetVote> targets =
                new LinkedHashMap<>(snapshot(1, 0L).targets());
        targets.put("atlantis/lb/ipv4", targets.get(LB));
        peers.accept(
                new VantageSnapshot("vp2", "run-a", started, 1, clock.instant(), false, targets),
                PeerObservations.Via.PULL);
        assertThat(view("vp2").votes()).containsOnlyKeys(LB);
    }

    @Test
    void anAbstainingPeerIsReachableAndSaysSo() {
        VantageSnapshot s = snapshot(1, 0L);
        peers.accept(
                new VantageSnapshot("vp2", "run-a", started, 1, s.now(), true, s.targets()),
                PeerObservations.Via.PULL);
        assertThat(view("vp2").reachable()).isTrue();
        assertThat(view("vp2").abstaining()).isTrue();
        assertThat(peers.status(clock.instant()).get(0).abstaining()).isTrue();
    }

    @Test
    void snapshotsThatCannotBeTakenAreExplained() {
        assertThat(peers.problem(snapshot("vp9", "x", started, 1, 0L)))
                .contains("unknown vantage point 'vp9'; configured peers: vp2, vp3");
        assertThat(peers.problem(snapshot("vp1", "x", started, 1, 0L)))
                .contains("vantage 'vp1' is this node's own name");
        assertThat(peers.problem(snapshot("vp2", " ", started, 1, 0L)))
                .contains("instance is required");
        assertThat(peers.problem(snapshot("vp2", "x", started, 0, 0L)))
                .contains("round must be at least 1, got 0");
        assertThat(peers.problem(snapshot("vp2", "x", null, 1, 0L)))
                .contains("startedAt is required");
        assertThat(peers.problem(snapshot("vp2", "x", started, 1, -5L)))
                .contains("targets.europe/lb/ipv4.ageMs must not be negative");
        Map<String, VantageSnapshot.TargetVote> noVote = new LinkedHashMap<>();
        noVote.put(LB, new VantageSnapshot.TargetVote(null, null, 0L, null));
        assertThat(
                        peers.problem(
                                new VantageSnapshot(
                                        "vp2", "x", started, 1, clock.instant(), false, noVote)))
                .contains("targets.europe/lb/ipv4.vote is required");
        assertThat(
                        peers.problem(
                                new VantageSnapshot(
                                        "vp2", "x", started, 1, clock.instant(), false, null)))
                .contains("targets is required");
        assertThat(peers.problem(snapshot(1, 0L))).isEmpty();
    }

    private PeerRefusal.Reason refusal(VantageSnapshot s) {
        return peers.check(s).map(PeerRefusal::reason).orElse(null);
    }

    @Test
    void aRoundMayAdvanceAtMostOneStepOverTheHeldOne() {
        long step = PeerObservations.MAX_ROUND_STEP;
        assertThat(peers.accept(snapshot(5, 0L), PeerObservations.Via.PULL)).isTrue();
        assertThat(refusal(snapshot(5 + step, 0L))).isNull();
        assertThat(refusal(snapshot(5 + step + 1, 0L))).isEqualTo(PeerRefusal.Reason.ROUND);
        assertThat(peers.check(snapshot(5 + step + 1, 0L)).orElseThrow().detail())
                .isEqualTo("round jumps from 5 to 100006, more than 100000 at once");
        // accept enforces it too, whoever calls it without checking first
        assertThat(peers.accept(snapshot(5 + step + 1, 0L), PeerObservations.Via.PUSH)).isFalse();
        assertThat(peers.accept(snapshot(6, 0L), PeerObservations.Via.PUSH)).isTrue();
    }

    @Test
    void aRoundOfLongMaxValueIsRefusedAndTheGenuinePeerCarriesOn() {
        peers.accept(snapshot(10, 0L), PeerObservations.Via.PULL);
        VantageSnapshot forged = snapshot(Long.MAX_VALUE, 0L);
        assertThat(refusal(forged)).isEqualTo(PeerRefusal.Reason.ROUND);
        assertThat(peers.accept(forged, PeerObservations.Via.PUSH)).isFalse();
        assertThat(peers.accept(snapshot(11, 0L), PeerObservations.Via.PULL)).isTrue();
        // nothing held yet (another peer): still refused, as no run can have produced it
        assertThat(refusal(snapshot("vp3", "run-x", started, Long.MAX_VALUE, 0L)))
                .isEqualTo(PeerRefusal.Reason.ROUND);
    }

    @Test
    void aRoundBeyondWhatTheRunCouldHaveProducedIsRefused() {
        // started 60 s ago, plus 30 s of allowed clock skew: at most 100000 + 90 * 10000
        assertThat(refusal(snapshot(1_000_000, 0L))).isNull();
        assertThat(refusal(snapshot(1_000_001, 0L))).isEqualTo(PeerRefusal.Reason.ROUND);
        // a start date so far back it would overflow a naive computation: no exception
        assertThat(refusal(snapshot("vp2", "run-b", Instant.MIN, Long.MAX_VALUE, 0L))).isNull();
    }

    @Test
    void whateverIsHeldGivesWayOnceStaleSoNoRunIdCanBeLockedOut() {
        peers.accept(snapshot(10, 0L), PeerObservations.Via.PULL);
        // the largest jump still allowed, sent by whoever holds vp2's credential
        assertThat(
                        peers.accept(
                                snapshot(10 + PeerObservations.MAX_ROUND_STEP, 0L),
                                PeerObservations.Via.PUSH))
                .isTrue();
        assertThat(peers.accept(snapshot(11, 0L), PeerObservations.Via.PULL)).isFalse();
        clock.advance(Duration.ofMillis(2999));
        assertThat(peers.accept(snapshot(12, 0L), PeerObservations.Via.PULL)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(peers.accept(snapshot(13, 0L), PeerObservations.Via.PULL)).isTrue();
        assertThat(peers.latest("vp2").orElseThrow().snapshot().round()).isEqualTo(13);
    }

    @Test
    void anAgeOlderThanTheSendersRunIsRefusedAndAHugeAgeNeverCountsAsFresh() {
        assertThat(refusal(snapshot(1, 90_000L))).isNull();
        assertThat(refusal(snapshot(1, 90_001L))).isEqualTo(PeerRefusal.Reason.AGE);
        assertThat(refusal(snapshot(1, Long.MAX_VALUE))).isEqualTo(PeerRefusal.Reason.AGE);
        assertThat(refusal(snapshot(1, -1L))).isEqualTo(PeerRefusal.Reason.AGE);
        // taken without the check (the exchange always checks): still stale, never an overflow
        peers.accept(snapshot(1, Long.MAX_VALUE - 1), PeerObservations.Via.PULL);
        assertThat(view("vp2").reachable()).isTrue();
        assertThat(lbFresh("vp2")).isFalse();
        peers.accept(snapshot(2, 3000L), PeerObservations.Via.PULL);
        assertThat(lbFresh("vp2")).as("an age at stale-after is not fresh").isFalse();
    }

    @Test
    void aStartInTheFutureBeyondTheAllowedClockSkewIsRefused() {
        Instant now = clock.instant();
        assertThat(refusal(snapshot("vp2", "run-f", now.plusSeconds(30), 1, 0L))).isNull();
        assertThat(refusal(snapshot("vp2", "run-f", now.plusSeconds(31), 1, 0L)))
                .isEqualTo(PeerRefusal.Reason.STARTED_AT);
        assertThat(peers.check(snapshot("vp2", "run-f", now.plusSeconds(31), 1, 0L)))
                .map(PeerRefusal::detail)
                .contains(
                        "startedAt 2026-01-01T00:00:31Z is more than max-clock-skew 30000 ms in"
                                + " the future");
    }

    @Test
    void statusShowsStalenessAndTheLatestError() {
        peers.accept(snapshot(7, 0L), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(1200));
        peers.failed("vp2", "pull: no answer within 500 ms");
        clock.advance(Duration.ofMillis(300));
        PeerStatus s = peers.status(clock.instant()).get(0);
        assertThat(s.name()).isEqualTo("vp2");
        assertThat(s.url()).isEqualTo("http://127.0.9.2:8080");
        assertThat(s.reachable()).isTrue();
        assertThat(s.lastSeenAgoMs()).isEqualTo(1500);
        assertThat(s.via()).isEqualTo("pull");
        assertThat(s.round()).isEqualTo(7);
        assertThat(s.lastError()).isEqualTo("pull: no answer within 500 ms");
        assertThat(s.lastErrorAgoMs()).isEqualTo(300);
    }

    private VantageSnapshot deciding(long round, VantageSnapshot.Decided decided) {
        VantageSnapshot s = snapshot(round, 0L);
        return new VantageSnapshot(
                s.vantage(),
                s.instance(),
                s.startedAt(),
                s.round(),
                s.now(),
                false,
                s.targets(),
                null,
                null,
                null,
                null,
                null,
                decided);
    }

    @Test
    void aReachablePeerThatDecidesIsListedWithTheAgeOfItsRecordsByThisClock() {
        List<dev.pharos.domain.RecordSet> records =
                List.of(dev.pharos.domain.RecordSet.of("cdn.example.test", "A", 60, List.of()));
        assertThat(peers.check(deciding(1, new VantageSnapshot.Decided(1500L, records)))).isEmpty();
        peers.accept(
                deciding(1, new VantageSnapshot.Decided(1500L, records)),
                PeerObservations.Via.PULL);
        peers.accept(snapshot("vp3", "run-b", started, 1, 0L), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(200));
        assertThat(peers.deciding(clock.instant()))
                .as("vp3 sends no decided block: it does not decide")
                .containsExactly(new PeerObservations.Deciding("vp2", records, 1700));
        clock.advance(Duration.ofSeconds(3));
        assertThat(peers.deciding(clock.instant())).as("vp2 gone stale").isEmpty();
    }

    @Test
    void aDecidedBlockOutOfBoundsIsRefused() {
        assertThat(peers.check(deciding(1, new VantageSnapshot.Decided(-1L, List.of()))))
                .get()
                .extracting(PeerRefusal::reason)
                .isEqualTo(PeerRefusal.Reason.AGE);
        assertThat(peers.check(deciding(1, new VantageSnapshot.Decided(0L, null)))).isPresent();
        java.util.ArrayList<dev.pharos.domain.RecordSet> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThat(peers.check(deciding(1, new VantageSnapshot.Decided(0L, withNull))))
                .get()
                .extracting(PeerRefusal::detail)
                .asString()
                .contains("decided.records[0]");
    }
}
