package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.config.AlertSettings;
import dev.pharos.config.DeliverySettings;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.Severity;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.SilentServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier over real HTTP on loopback, fed by a real journal. */
class NotifierTest {
    static final String SECRET = "webhook-secret-for-tests-7d1e";

    @TempDir Path dir;
    private Journal journal;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void open() {
        journal = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 1000);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        journal.close();
    }

    private static DeliverySettings fast() {
        return new DeliverySettings(
                Duration.ofSeconds(2),
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                Duration.ofMinutes(1),
                100);
    }

    private static ReceiverSettings webhook(String name, String url) {
        return new ReceiverSettings(
                name,
                AlertSettings.ReceiverType.WEBHOOK,
                URI.create(url),
                Optional.of(SECRET),
                Severity.INFO,
                Set.of());
    }

    private Notifier notifier(DeliverySettings d, ReceiverSettings... receivers) {
        AlertMetrics m =
                new AlertMetrics(
                        java.util.Arrays.stream(receivers).map(ReceiverSettings::name).toList(),
                        registry);
        Notifier n =
                new Notifier(
                        List.of(receivers), d, journal, Clock.systemUTC(), Json.MAPPER, m, null);
        n.listen();
        closing.add(0, n::close);
        return n;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private void region(String region, String state, Severity sev) {
        journal.append(RegionEvents.changed(region, state, sev));
    }

    private double count(String receiver, String outcome) {
        return registry.get("pharos_notifications_total")
                .tags("receiver", receiver, "outcome", outcome)
                .counter()
                .count();
    }

    @Test
    void aReceiverVerifiesTheSignatureAndRefusesAReplayOutsideItsWindow() throws Exception {
        MutableClock receiverClock = new MutableClock(Instant.now());
        SigningReceiver r =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.1", SECRET, receiverClock, Duration.ofMinutes(5)));
        notifier(fast(), webhook("ops", r.url()));

        region("europe", "DEAD", Severity.CRITICAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> r.processed().size() == 1);
        SigningReceiver.Request got = r.processed().get(0);
        assertThat(got.answer()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(got.body());
        assertThat(body.get("version").asText()).isEqualTo("1");
        assertThat(body.get("id").asText()).isEqualTo(got.delivery());
        assertThat(body.get("incident").asText()).isEqualTo("region/europe#1");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("severity").asText()).isEqualTo("critical");
        assertThat(body.get("event").asText()).isEqualTo("region_state_changed");
        assertThat(body.get("region").asText()).isEqualTo("europe");
        assertThat(body.get("node").asText()).isEqualTo("vp1");
        assertThat(body.get("data").get("state").asText()).isEqualTo("DEAD");
        assertThat(Instant.parse(body.get("time").asText())).isBeforeOrEqualTo(Instant.now());

        assertThat(r.replay(got, got.body()))
                .as("a replay within the window is acknowledged but not processed again")
                .isEqualTo(200);
        byte[] tampered =
                got.text().replace("\"critical\"", "\"info\"").getBytes(StandardCharsets.UTF_8);
        assertThat(r.replay(got, tampered)).as("a changed body fails the signature").isEqualTo(401);
        receiverClock.advance(Duration.ofMinutes(6));
        assertThat(r.replay(got, got.body()))
                .as("the same request outside the 5-minute window is refused")
                .isEqualTo(401);
        assertThat(r.processed()).hasSize(1);
    }

    @Test
    void aReceiverThatFailsTwiceThenSucceedsGetsEveryMessageExactlyOnceInOrder() {
        SigningReceiver r =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.2", SECRET, Clock.systemUTC(), Duration.ofMinutes(5)));
        r.failFirst(2);
        notifier(fast(), webhook("ops", r.url()));

        region("europe", "DEAD", Severity.CRITICAL);
        journal.append(new QuorumLost(1, 2, List.of("vp2"), "lost"));
        region("europe", "HEALTHY", Severity.INFO);
        journal.append(new QuorumRegained(2, 2, "back"));

        // the receiver has a message before the notifier has counted its answer: wait for both
        await().atMost(Duration.ofSeconds(10))
                .until(() -> r.processed().size() == 4 && count("ops", "delivered") == 4);
        assertThat(r.processed())
                .extracting(q -> field(q, "incident") + " " + field(q, "status"))
                .containsExactly(
                        "region/europe#1 firing",
                        "quorum#2 firing",
                        "region/europe#1 resolved",
                        "quorum#2 resolved");
        assertThat(r.requests())
                .extracting(SigningReceiver.Request::answer)
                .containsExactly(500, 500, 200, 200, 200, 200);
        assertThat(r.requests().get(0).delivery())
                .as("a retry carries the same delivery id")
                .isEqualTo(r.requests().get(2).delivery());
        assertThat(count("ops", "delivered")).isEqualTo(4);
        assertThat(count("ops", "retried")).isEqualTo(2);
        assertThat(count("ops", "failed")).isZero();
    }

    @Test
    void aReceiverThatNeverAnswersDelaysNeitherAnotherReceiverNorTheJournal() {
        SilentServer dead = closeLater(new SilentServer("127.0.70.3"));
        SigningReceiver live =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.4", SECRET, Clock.systemUTC(), Duration.ofMinutes(5)));
        DeliverySettings slow =
                new DeliverySettings(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(10),
                        100);
        notifier(slow, webhook("dead", dead.url()), webhook("live", live.url()));

        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            region("r" + i, "DEAD", Severity.CRITICAL);
        }
        long appendMs = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(Duration.ofSeconds(10)).until(() -> live.processed().size() == 20);
        long deliveredMs = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(Duration.ofSeconds(5)).until(() -> dead.connections() >= 1);
        System.out.printf(
                "20 events journaled in %d ms, all delivered to the live receiver after %d ms,"
                        + " while the dead one holds its first%n",
                appendMs, deliveredMs);
        assertThat(deliveredMs)
                .as("the live receiver is not held behind the dead one's 30 s timeout")
                .isLessThan(10_000);
        assertThat(dead.connections()).as("one attempt in flight at a time").isEqualTo(1);
    }

    @Test
    void anAnswerWhoseBodyNeverEndsIsCutAndRetried() throws Exception {
        java.net.ServerSocket server =
                closeLater(
                        new java.net.ServerSocket(
                                0, 50, java.net.InetAddress.getByName("127.0.70.9")));
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread t =
                new Thread(
                        () -> {
                            while (!server.isClosed()) {
                                try {
                                    java.net.Socket s = server.accept();
                                    held.add(s);
                                    s.getOutputStream()
                                            .write(
                                                    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                                                            .getBytes(StandardCharsets.US_ASCII));
                                    s.getOutputStream().flush();
                                } catch (java.io.IOException e) {
                                    return;
                                }
                            }
                        });
        t.setDaemon(true);
        t.start();
        notifier(
                new DeliverySettings(
                        Duration.ofMillis(300),
                        Duration.ofMillis(20),
                        Duration.ofMillis(100),
                        Duration.ofMinutes(1),
                        10),
                webhook("slow", "http://127.0.70.9:" + server.getLocalPort() + "/hook"));

        journal.append(new QuorumLost(1, 2, List.of("vp2"), "lost"));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("slow", "retried") >= 2);
        assertThat(count("slow", "delivered")).isZero();
        for (java.net.Socket s : held) {
            s.close();
        }
    }

    @Test
    void filtersPickFiringMessagesAndResolutionsFollowWhatAReceiverWasTold() {
        SigningReceiver pager =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.5", SECRET, Clock.systemUTC(), Duration.ofMinutes(5)));
        ReceiverSettings critical =
                new ReceiverSettings(
                        "pager",
                        AlertSettings.ReceiverType.WEBHOOK,
                        URI.create(pager.url()),
                        Optional.of(SECRET),
                        Severity.CRITICAL,
                        Set.of(EventType.REGION_STATE_CHANGED));
        notifier(fast(), critical);

        region("apac", "RELAYING", Severity.WARNING);
        journal.append(new QuorumLost(1, 2, List.of("vp2"), "lost"));
        region("europe", "DEAD", Severity.CRITICAL);
        region("apac", "HEALTHY", Severity.INFO);
        region("europe", "HEALTHY", Severity.INFO);

        await().atMost(Duration.ofSeconds(10)).until(() -> pager.processed().size() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(pager.processed())
                .extracting(q -> field(q, "incident") + " " + field(q, "status"))
                .containsExactly("region/europe#3 firing", "region/europe#3 resolved");
    }

    @Test
    void aMessageTheReceiverRefusesIsJournaledAsFailedWithoutTheUrlOrTheSecret() {
        SigningReceiver r =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.6",
                                "another-secret",
                                Clock.systemUTC(),
                                Duration.ofMinutes(5)));
        notifier(fast(), webhook("ops", r.url()));

        journal.append(new QuorumLost(1, 2, List.of("vp2"), "lost"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !failures().isEmpty());
        JournalEvent f = failures().get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message())
                .isEqualTo(
                        "notification of quorum#1 (firing) to receiver ops given up after 1"
                                + " attempts: refused: HTTP 401");
        assertThat(f.data()).containsEntry("receiver", "ops").containsEntry("attempts", 1);
        String all = f.toString();
        assertThat(all).doesNotContain(SECRET).doesNotContain(r.url()).doesNotContain("127.0.70.6");
        assertThat(count("ops", "failed")).isEqualTo(1);
        assertThat(r.requests()).hasSize(1);
    }

    @Test
    void aSlackReceiverGetsOneReadableTextField() throws Exception {
        SigningReceiver slack =
                closeLater(
                        new SigningReceiver(
                                "127.0.70.7", null, Clock.systemUTC(), Duration.ofMinutes(5)));
        notifier(
                fast(),
                new ReceiverSettings(
                        "chat",
                        AlertSettings.ReceiverType.SLACK,
                        URI.create(slack.url()),
                        Optional.empty(),
                        Severity.INFO,
                        Set.of()));

        region("europe", "DEAD", Severity.CRITICAL);
        region("europe", "HEALTHY", Severity.INFO);

        await().atMost(Duration.ofSeconds(10)).until(() -> slack.processed().size() == 2);
        JsonNode firing = Json.MAPPER.readTree(slack.processed().get(0).body());
        assertThat(firing.size()).isEqualTo(1);
        assertThat(firing.get("text").asText())
                .as("Slack's control characters escaped: it shows &gt; as >")
                .startsWith(
                        ":red_circle: *FIRING CRITICAL* region europe -&gt; DEAD\n_Pharos vp1 ·")
                .contains("region_state_changed · incident region/europe#1");
        assertThat(Json.MAPPER.readTree(slack.processed().get(1).body()).get("text").asText())
                .startsWith(":white_check_mark: *RESOLVED* region europe -&gt; HEALTHY");
        assertThat(slack.processed().get(0).signature()).as("Slack is not signed").isNull();
    }

    private List<JournalEvent> failures() {
        return journal.page(e -> e.type() == EventType.NOTIFICATION_FAILED, Long.MAX_VALUE, 10);
    }

    private static String field(SigningReceiver.Request q, String name) {
        try {
            return Json.MAPPER.readTree(q.body()).get(name).asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
