package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.testing.TestTopology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pharos.content and the regions' content overrides, validated into ContentSettings. */
class ContentSectionTest {

    private static TestTopology twoRegions() {
        return TestTopology.node("vp1")
                .region("asia", r -> r.ipv4("127.0.2.1").backend("web1", "127.0.2.11"))
                .region("europe", r -> r.ipv4("127.0.1.1").backend("web1", "127.0.1.11"));
    }

    private static List<String> problems(TestTopology t) {
        try {
            t.topology();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
        return List.of();
    }

    @Test
    void nothingIsCheckedWithoutATraceOrAManifest() {
        ContentSettings c = twoRegions().topology().content();
        assertThat(c.enabled()).isFalse();
        assertThat(c.onStale()).isEqualTo(ContentSettings.OnStale.ALERT);
    }

    @Test
    void defaultsApplyToEveryRegionAndARegionOverridesThem() {
        ContentSettings c =
                twoRegions()
                        .set("pharos.content.trace-path", "/trace")
                        .set("pharos.content.manifest-path", "/repomd.xml")
                        .set("pharos.content.syncing-path", "/Archive-Update-in-Progress")
                        .set("pharos.content.on-stale", "leave-dns")
                        .set("pharos.content.backends", "true")
                        .set("pharos.regions.asia.content.stale-after", "3h")
                        .set("pharos.regions.asia.content.trace-path", "/asia-trace")
                        .topology()
                        .content();
        assertThat(c.onStale()).isEqualTo(ContentSettings.OnStale.LEAVE_DNS);
        RegionContent europe = c.region("europe").orElseThrow();
        assertThat(europe.tracePath()).contains("/trace");
        assertThat(europe.manifestPath()).contains("/repomd.xml");
        assertThat(europe.syncingPath()).contains("/Archive-Update-in-Progress");
        assertThat(europe.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(europe.warnAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(europe.staleAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(europe.loadBalancer().id()).isEqualTo("europe/content/lb-ipv4");
        assertThat(europe.loadBalancer().probe().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(europe.loadBalancer().probe().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(europe.backends()).extracting(Target::id).containsExactly("europe/content/web1");
        RegionContent asia = c.region("asia").orElseThrow();
        assertThat(asia.tracePath()).contains("/asia-trace");
        assertThat(asia.staleAfter()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void aRegionCanBeLeftOut() {
        ContentSettings c =
                twoRegions()
                        .set("pharos.content.trace-path", "/trace")
                        .set("pharos.regions.asia.content.enabled", "false")
                        .topology()
                        .content();
        assertThat(c.regions().keySet()).containsExactly("europe");
    }

    @Test
    void invalidSettingsStopStartUpNamingTheKey() {
        assertThat(
                        problems(
                                twoRegions()
                                        .set("pharos.content.trace-path", "trace file")
                                        .set("pharos.content.on-stale", "panic")
                                        .set("pharos.content.warn-after", "2h")
                                        .set("pharos.content.stale-after", "1h")
                                        .set("pharos.content.timeout", "90s")
                                        .set("pharos.content.max-body", "0")))
                .containsExactlyInAnyOrder(
                        "pharos.content.trace-path: 'trace file' is not an absolute path without"
                                + " blanks or control characters",
                        "pharos.content.on-stale: unknown policy 'panic' (alert, leave-geo,"
                                + " leave-dns)",
                        "pharos.content.stale-after: 1s must be longer than warn-after 7200s"
                                .replace("1s", "3600s"),
                        "pharos.content.timeout: 90s must be shorter than the interval 60s",
                        "pharos.content.max-body: must be between 1 and 16777216, got 0");
        assertThat(
                        problems(
                                twoRegions()
                                        .set("pharos.content.trace-path", "/trace")
                                        .set("pharos.regions.asia.content.interval", "0s")))
                .containsExactly("pharos.regions.asia.content.interval: must be positive");
        assertThat(
                        problems(
                                twoRegions()
                                        .set(
                                                "pharos.regions.asia.content.syncing-path",
                                                "/in-progress")))
                .containsExactly(
                        "pharos.regions.asia.content.syncing-path: needs a trace-path or a"
                                + " manifest-path (an in-progress marker alone says nothing about"
                                + " the content)");
        assertThatThrownBy(() -> twoRegions().set("pharos.content.trace-pth", "/x").topology())
                .hasMessageContaining("trace-pth");
    }
}
