package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one conflict rule for operator actions: the later hybrid-logical-clock stamp wins per key, a
 * clear is a newer entry, and every merge order gives the same set.
 */
class ActionSetTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
    private static final Set<String> VPS = Set.of("vp1", "vp2", "vp3");

    private final MutableClock clock = new MutableClock(T0);

    private static Hlc at(long offsetMs, int counter, String origin) {
        return new Hlc(T0.toEpochMilli() + offsetMs, counter, origin);
    }

    private static OperatorAction drain(Hlc hlc, String reason) {
        return OperatorAction.drain("europe", reason, T0.plus(Duration.ofHours(1)), "admin", hlc);
    }

    @Test
    void theLaterStampWinsThenTheCounterThenTheOriginName() {
        OperatorAction a = drain(at(0, 0, "vp2"), "a");
        OperatorAction later = drain(at(1, 0, "vp1"), "later");
        OperatorAction counted = drain(at(0, 1, "vp1"), "counted");
        OperatorAction vp3 = drain(at(0, 0, "vp3"), "vp3");
        assertThat(ActionSet.wins(later, a)).isTrue();
        assertThat(ActionSet.wins(a, later)).isFalse();
        assertThat(ActionSet.wins(counted, a)).isTrue();
        assertThat(ActionSet.wins(vp3, a)).as("same time and counter: the origin name").isTrue();
        assertThat(ActionSet.wins(a, vp3)).isFalse();
        assertThat(ActionSet.wins(a, a)).as("idempotent").isFalse();
    }

    @Test
    void aClearIsANewerEntryAndAnOlderSetCannotBringTheDrainBack() {
        OperatorAction set = drain(at(0, 0, "vp1"), "upgrade");
        OperatorAction clear = OperatorAction.clear(set, "admin", at(500, 0, "vp2"));
        ActionSet s = ActionSet.of(List.of(set)).merge(List.of(clear)).set();
        assertThat(s.drainOf("europe", T0.plusSeconds(1))).isEmpty();
        ActionSet.Merge again = s.merge(List.of(set));
        assertThat(again.changed()).as("the older set from a peer that missed the clear").isEmpty();
        assertThat(again.set().drainOf("europe", T0.plusSeconds(1))).isEmpty();
        assertThat(clear.until())
                .as("the tombstone keeps the end of what it cleared")
                .isEqualTo(set.until());
        assertThat(clear.reason()).as("no reason on a tombstone").isNull();

        OperatorAction redrain = drain(at(900, 0, "vp3"), "again");
        assertThat(s.merge(List.of(redrain)).set().drainOf("europe", T0.plusSeconds(1)))
                .as("a set newer than the clear wins")
                .contains(redrain);
    }

    @Test
    void everyOrderOfTheSameEntriesConvergesToTheSameSet() {
        Random random = new Random(14);
        String[] origins = {"vp1", "vp2", "vp3"};
        String[] keys = {"europe", "apac", "americas"};
        List<OperatorAction> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Hlc hlc = at(random.nextInt(20), random.nextInt(3), origins[random.nextInt(3)]);
            String region = keys[random.nextInt(3)];
            OperatorAction set =
                    OperatorAction.drain(region, "r" + i, T0.plusSeconds(3600), "admin", hlc);
            all.add(random.nextBoolean() ? set : OperatorAction.clear(set, "admin", hlc));
        }
        ActionSet reference = ActionSet.of(all);
        for (int trial = 0; trial < 200; trial++) {
            List<OperatorAction> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, random);
            // three vantage points each see part of it first, then exchange in random order
            ActionSet[] vp = {ActionSet.empty(), ActionSet.empty(), ActionSet.empty()};
            for (OperatorAction a : shuffled) {
                int i = random.nextInt(3);
                vp[i] = vp[i].merge(List.of(a)).set();
            }
            for (int round = 0; round < 2; round++) {
                for (int from = 0; from < 3; from++) {
                    for (int to = 0; to < 3; to++) {
                        vp[to] = vp[to].merge(vp[from].all()).set();
                    }
                }
            }
            for (ActionSet s : vp) {
                assertThat(s).isEqualTo(reference);
            }
        }
    }

    @Test
    void drainsAndWindowsTakeTheRegionOutOnlyWhileTheyLast() {
        OperatorAction d = drain(at(0, 0, "vp1"), "upgrade");
        OperatorAction window =
                OperatorAction.maintenance(
                        "w1",
                        "apac",
                        "switch swap",
                        T0.plusSeconds(600),
                        T0.plusSeconds(1200),
                        "admin",
                        at(0, 0, "vp2"));
        ActionSet s = ActionSet.of(List.of(d, window));
        clock.set(T0.plusSeconds(60));
        assertThat(s.drainOf("europe", clock.instant())).contains(d);
        assertThat(s.drainOf("apac", clock.instant())).as("announced, not yet in force").isEmpty();
        assertThat(s.maintenance(clock.instant())).containsExactly(window);
        assertThat(s.nextBoundary(clock.instant())).contains(T0.plusSeconds(600));

        clock.set(T0.plusSeconds(600));
        assertThat(s.drainOf("apac", clock.instant())).as("starts on time").contains(window);
        assertThat(s.nextBoundary(clock.instant())).contains(T0.plusSeconds(1200));

        clock.set(T0.plusSeconds(1200));
        assertThat(s.drainOf("apac", clock.instant())).as("ends on time").isEmpty();
        assertThat(s.maintenance(clock.instant())).isEmpty();

        clock.set(T0.plus(Duration.ofHours(1)));
        assertThat(s.drainOf("europe", clock.instant())).as("the drain expired").isEmpty();

        assertThat(s.purge(T0.plus(Duration.ofHours(2)), Duration.ofDays(1)))
                .as("kept a day after it ended")
                .isSameAs(s);
        assertThat(s.purge(T0.plus(Duration.ofDays(2)), Duration.ofDays(1)).all())
                .as("window forgotten, the per-region drain entry kept")
                .containsExactly(d);
    }

    @Test
    void malformedEntriesFromAPeerAreNamed() {
        OperatorAction ok = drain(at(0, 0, "vp1"), "upgrade");
        assertThat(ActionSet.problem(ok, VPS)).isEmpty();
        assertThat(ActionSet.problem(drain(at(0, 0, "mallory"), "x"), VPS))
                .hasValueSatisfying(p -> assertThat(p).contains("not a vantage point"));
        assertThat(
                        ActionSet.problem(
                                new OperatorAction(
                                        "reboot/europe",
                                        ok.hlc(),
                                        false,
                                        "europe",
                                        "x",
                                        T0,
                                        T0,
                                        "admin"),
                                VPS))
                .hasValueSatisfying(p -> assertThat(p).contains("is not drain/"));
        assertThat(
                        ActionSet.problem(
                                new OperatorAction(
                                        "drain/apac",
                                        ok.hlc(),
                                        false,
                                        "europe",
                                        "x",
                                        T0,
                                        T0,
                                        "admin"),
                                VPS))
                .hasValueSatisfying(p -> assertThat(p).contains("differs from the key"));
        assertThat(
                        ActionSet.problem(
                                new OperatorAction(
                                        "drain/europe",
                                        null,
                                        false,
                                        "europe",
                                        "x",
                                        T0,
                                        T0,
                                        "admin"),
                                VPS))
                .hasValueSatisfying(p -> assertThat(p).contains("hlc"));
    }

    @Test
    void theClockStampsAfterEverythingItSawEvenFromAPeerAhead() {
        HybridClock hlc = new HybridClock("vp1", clock);
        Hlc first = hlc.tick();
        assertThat(first).isEqualTo(new Hlc(T0.toEpochMilli(), 0, "vp1"));
        assertThat(hlc.tick())
                .as("same millisecond")
                .isEqualTo(new Hlc(T0.toEpochMilli(), 1, "vp1"));
        Hlc ahead = new Hlc(T0.toEpochMilli() + 5000, 7, "vp2");
        hlc.observe(ahead);
        Hlc next = hlc.tick();
        assertThat(next.after(ahead)).as("a later action here wins over what it saw").isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(hlc.tick())
                .as("the wall clock leads again")
                .isEqualTo(new Hlc(T0.toEpochMilli() + 10_000, 0, "vp1"));
    }

    @Test
    void theBookTakesPeersEntriesOnceAndRefusesOnesStampedFarAhead() {
        ActionBook book = new ActionBook("vp1", List.of("vp2", "vp3"), clock, List.of());
        OperatorAction fromVp2 = drain(at(0, 0, "vp2"), "upgrade");
        assertThat(book.merge("vp2", List.of(fromVp2))).isTrue();
        assertThat(book.merge("vp3", List.of(fromVp2))).as("the same entry again").isFalse();
        assertThat(book.received()).containsExactly(fromVp2);
        assertThat(book.received()).isEmpty();
        OperatorAction farAhead =
                drain(at(ActionBook.MAX_AHEAD.toMillis() + 60_000, 0, "vp3"), "future");
        assertThat(book.merge("vp3", List.of(farAhead))).isFalse();
        assertThat(book.current().drainOf("europe", clock.instant())).contains(fromVp2);
        Hlc mine = book.stamp();
        assertThat(mine.after(fromVp2.hlc())).isTrue();
    }

    @Test
    void aRestoredBookStampsAfterWhatItSavedEvenIfTheClockWentBack() {
        OperatorAction saved = drain(at(60_000, 3, "vp1"), "upgrade");
        ActionBook book = new ActionBook("vp1", List.of("vp2"), clock, List.of(saved));
        assertThat(book.current().all()).containsExactly(saved);
        assertThat(book.stamp().after(saved.hlc())).isTrue();
    }
}
