package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Browser;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The console of one vantage point of three, in a real browser, driven with the keyboard: three
 * Pharos processes (the built jar) at 127.0.9.1-3, each its own embedded name server for
 * example.test. A drain made on vp1's page must leave every name server (each asked with dnsjava),
 * an undrain bring the region back on all; the page must say when it has lost vp1 (hung, then
 * killed) and recover by itself, without a reload, when vp1 is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterConsoleIT {
    private static final String ADMIN = "it-admin-" + Cluster.hex(16);
    private static final String PEER = "it-peer-" + Cluster.hex(16);
    private static final List<String> REGIONS = List.of("europe", "apac", "americas");

    private static final LoopbackHttpServer[] LBS = new LoopbackHttpServer[3];
    private static Cluster cluster;
    private static Browser browser;

    @BeforeAll
    static void startThreeInstancesAndABrowser() throws Exception {
        browser = Browser.start(1280, 900);
        for (int r = 0; r < 3; r++) {
            LBS[r] =
                    new LoopbackHttpServer("127.0.5" + (r + 1) + ".1", REGIONS.get(r) + "-lb")
                            .start();
        }
        Path dir = Files.createTempDirectory("pharos-cluster-console-it");
        TestTopology regions = new TestTopology();
        for (int r = 0; r < 3; r++) {
            regions.region(REGIONS.get(r), LBS[r]);
        }
        cluster = Cluster.ofThreeNameServers(regions, dir, PEER, ADMIN);
        cluster.startAll();
        cluster.awaitOrDump(Duration.ofSeconds(180), "all three instances live", cluster::allLive);
        cluster.awaitOrDump(
                Duration.ofSeconds(120),
                "every name server answering all three regions",
                () -> allServe(Set.of()));
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        for (LoopbackHttpServer s : LBS) {
            if (s != null) {
                s.stop();
            }
        }
    }

    private static ChromeDriver page() {
        return browser.driver();
    }

    private static String regionState(String region) {
        return page().findElement(By.id("region-" + region)).getAttribute("data-state");
    }

    private static String focused() {
        return (String) page().executeScript("return document.activeElement.id");
    }

    /** Presses Tab until the element is focused (at most {@code max} times): keyboard only. */
    private static int tabTo(String id, int max) {
        for (int n = 1; n <= max; n++) {
            new Actions(page()).sendKeys(Keys.TAB).perform();
            if (id.equals(focused())) {
                return n;
            }
        }
        throw new AssertionError("Tab never reached #" + id + "; focus is on #" + focused());
    }

    private static void acceptDialog() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> {
                            page().switchTo().alert().accept();
                            return true;
                        });
    }

    @Test
    @Order(1)
    void aDrainMadeWithTheKeyboardOnVp1sPageLeavesAllThreeNameServers() {
        page().get(cluster.vp(1).url() + "/");
        cluster.awaitOrDump(
                Duration.ofSeconds(60),
                "vp1's page showing every region HEALTHY",
                () -> REGIONS.stream().allMatch(r -> "HEALTHY".equals(regionState(r))));
        // the admin token, typed and kept with Enter
        page().findElement(By.id("admin-token")).sendKeys(ADMIN, Keys.ENTER);
        assertThat(page().findElement(By.id("admin-state")).getText()).contains("kept");
        // the region chosen by typing into the select, the reason typed, then Tab to the button
        page().findElement(By.id("drain-region")).sendKeys("europe");
        assertThat(page().findElement(By.id("drain-region")).getAttribute("value"))
                .isEqualTo("europe");
        page().findElement(By.id("drain-reason")).sendKeys("kernel upgrade");
        int tabs = tabTo("drain-submit", 5);
        assertThat(tabs).as("reason -> duration -> Drain").isEqualTo(2);
        // the focused button shows a focus ring
        assertThat(
                        page().executeScript(
                                        "return getComputedStyle(document.activeElement).outlineStyle"))
                .isEqualTo("solid");
        new Actions(page()).sendKeys(Keys.ENTER).perform();
        acceptDialog();

        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "europe gone from all three name servers",
                () -> allServe(Set.of(LBS[0].address())));
        // the page says where the drain has taken effect: every vantage point
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "vp1's page showing the drain held by all three",
                () ->
                        page().findElement(By.id("result"))
                                        .getText()
                                        .contains("at every vantage point")
                                && "DRAINED".equals(regionState("europe")));
        String drains = page().findElement(By.id("drain-list")).getText();
        assertThat(drains).contains("kernel upgrade").contains("held by vp1, vp2, vp3");
        assertThat(page().getCurrentUrl()).doesNotContain(ADMIN);
    }

    @Test
    @Order(2)
    void anUndrainWithSpaceBringsTheRegionBackOnAllThree() {
        // from the section link, Tab walks into the drains section to the Undrain button
        page().findElement(By.cssSelector("nav a[href='#operator']")).sendKeys(Keys.ENTER);
        tabTo("undrain-europe", 40);
        new Actions(page()).sendKeys(Keys.SPACE).perform();
        acceptDialog();
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "europe back on all three name servers after the hold-down",
                () -> allServe(Set.of()));
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "vp1's page showing europe HEALTHY",
                () -> "HEALTHY".equals(regionState("europe")));
    }

    @Test
    @Order(3)
    void thePageSaysWhenItHasLostVp1AndRecoversWhenVp1IsBack() {
        // a mark that a reload would wipe
        page().executeScript("window.pharosNoReload = 7;");
        cluster.awaitOrDump(
                Duration.ofSeconds(10), "the page live", () -> "live".equals(connection()));

        // hung: the process stops answering but keeps its connections open
        cluster.vp(1).signal("STOP");
        try {
            // the stream is silent: the page gives up on it after 12 s
            cluster.awaitOrDump(
                    Duration.ofSeconds(30),
                    "the page saying it lost a hung vp1",
                    () -> "lost".equals(connection()));
            assertThat(page().findElement(By.id("conn")).getText())
                    .startsWith("Connection lost at")
                    .contains("may be out of date");
        } finally {
            cluster.vp(1).signal("CONT");
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(60),
                "the page live again after CONT",
                () -> "live".equals(connection()));

        // killed: the connection is refused
        cluster.vp(1).kill();
        cluster.awaitOrDump(
                Duration.ofSeconds(15),
                "the page saying it lost a killed vp1",
                () -> "lost".equals(connection()));
        assertThat(page().findElement(By.id("conn")).getText()).startsWith("Connection lost at");
        // it keeps saying so while vp1 is down (it retries every second)
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        assertThat(connection()).isEqualTo("lost");

        cluster.vp(1).start();
        cluster.awaitOrDump(
                Duration.ofSeconds(180),
                "the page live again after vp1 restarted",
                () ->
                        "live".equals(connection())
                                && page().findElement(By.id("conn")).getText().startsWith("live"));
        cluster.awaitOrDump(
                Duration.ofSeconds(120),
                "vp1's page showing every region HEALTHY again",
                () -> REGIONS.stream().allMatch(r -> "HEALTHY".equals(regionState(r))));
        assertThat(page().executeScript("return window.pharosNoReload")).isEqualTo(7L);
        assertThat(browser.cspViolations()).isEmpty();
    }

    private static String connection() {
        return (String) page().executeScript("return document.body.dataset.connection");
    }

    // ---- helpers

    /** Every name server answers every region's address but those left out, and only those. */
    private static boolean allServe(Set<String> without) {
        return cluster.allServe(List.of(LBS), without);
    }
}
