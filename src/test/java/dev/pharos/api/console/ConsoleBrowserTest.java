package dev.pharos.api.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.testing.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The operator console in a real headless browser (Debian's chromium), against one Pharos watching
 * three loopback regions, with a read token and an admin token configured. Writes the screenshots
 * docs/STATUS-PAGE.md shows.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsoleResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("docs/status-page");
    static final Duration STARTUP = Duration.ofSeconds(90);
    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    static WebDriver page() {
        return browser.driver();
    }

    static JsonPath status() {
        return given().auth()
                .oauth2(ConsoleResource.READ)
                .get("/api/v1/status")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String regionState(String region) {
        return page().findElement(By.id("region-" + region)).getAttribute("data-state");
    }

    static List<String> desiredOnPage(String record) {
        String d =
                page().findElement(By.id("record-" + record + "-A")).getAttribute("data-desired");
        return d.isBlank() ? List.of() : List.of(d.split(" "));
    }

    static List<String> desiredInApi(String record) {
        return status().getList("records.find { it.name == '" + record + "' }.desired");
    }

    /** Clicks an element the page may be rebuilding at that moment. */
    static void click(By by) {
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> {
                            page().findElement(by).click();
                            return true;
                        });
    }

    /** Accepts the page's confirmation dialog. */
    static void confirmDialog() {
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> {
                            page().switchTo().alert().accept();
                            return true;
                        });
    }

    @Test
    @Order(1)
    void asksForTheReadTokenThenShowsEveryRegionHealthy() {
        // without the read token the stream is refused, the public view is not
        given().get("/api/v1/stream").then().statusCode(401);
        given().get("/api/v1/public").then().statusCode(200);

        page().get(root.toString());
        await().atMost(STARTUP)
                .ignoreExceptions()
                .until(() -> page().findElement(By.id("login")).isDisplayed());
        assertThat(page().findElement(By.id("conn")).getText()).contains("read token needed");
        page().findElement(By.id("read-token")).sendKeys(ConsoleResource.READ);
        page().findElement(By.cssSelector("#read-form button")).click();
        // the token is in this tab's session storage, never in the URL
        assertThat(page().getCurrentUrl()).doesNotContain(ConsoleResource.READ);

        await().atMost(STARTUP)
                .ignoreExceptions()
                .until(
                        () ->
                                ConsoleResource.REGIONS.stream()
                                        .allMatch(r -> "HEALTHY".equals(regionState(r))));
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () ->
                                desiredOnPage("cdn.example.test")
                                        .containsAll(ConsoleResource.ADDRESSES));
        assertThat(page().findElement(By.id("conn")).getText()).startsWith("live");
        // the matrix: a cell per target and vantage point, with the vote and the latency
        // (the matrix is rebuilt at every update: read it whole, retrying a cell replaced
        // meanwhile)
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            WebElement cell =
                                    page().findElement(
                                                    By.cssSelector(
                                                            "[id='target-europe/lb/ipv4'] td[data-vote]"));
                            assertThat(cell.getAttribute("data-vote")).isEqualTo("UP");
                            assertThat(cell.getText()).contains(" ms").contains("s old");
                        });
        // the embedded server publishes what is desired
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () ->
                                page().findElement(By.id("record-cdn.example.test-A"))
                                        .getText()
                                        .contains("yes"));
        browser.screenshot(SHOTS.resolve("overview.png"));
    }

    @Test
    @Order(2)
    void aKilledLoadBalancerShowsItsRegionDeadAndTheRecordChangeWithoutAReload() {
        // a mark that a reload would wipe
        browser.driver().executeScript("window.pharosNoReload = 42;");
        ConsoleResource.lbs.get(0).stop();
        // the instance knows: the region is DEAD and the record has changed
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                "DEAD"
                                                .equals(
                                                        status().getString(
                                                                        "regions.find { it.name == 'europe' }.state"))
                                        && !desiredInApi("cdn.example.test")
                                                .contains(ConsoleResource.ADDRESSES.get(0)));
        long known = System.nanoTime();
        // ... and the page shows it within 2 s, by itself
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(
                        () ->
                                "DEAD".equals(regionState("europe"))
                                        && !desiredOnPage("cdn.example.test")
                                                .contains(ConsoleResource.ADDRESSES.get(0)));
        long lagMs = (System.nanoTime() - known) / 1_000_000;
        System.out.println("console: page showed europe DEAD " + lagMs + " ms after the API did");
        assertThat(browser.driver().executeScript("return window.pharosNoReload")).isEqualTo(42L);
        assertThat(page().findElement(By.id("region-europe")).getText())
                .contains("DEAD")
                .contains("load balancer");
        // the incident is in the timeline
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () ->
                                page().findElement(By.id("incident-list"))
                                        .getText()
                                        .contains("region europe"));
        browser.screenshot(SHOTS.resolve("incident.png"));

        ConsoleResource.lbs.get(0).start();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> "HEALTHY".equals(regionState("europe")));
    }

    @Test
    @Order(3)
    void theLastHourChartsShowTheKilledLoadBalancersFailedProbes() {
        // test 2 stopped europe's load balancer until the region was DEAD: its chart has red
        // bars
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () -> {
                            WebElement chart = page().findElement(By.id("history-europe/lb/ipv4"));
                            return chart.isDisplayed()
                                    && Integer.parseInt(chart.getAttribute("data-failed")) > 0;
                        });
        WebElement europe = page().findElement(By.id("history-europe/lb/ipv4"));
        assertThat(europe.findElements(By.cssSelector("svg rect[fill='#b71c1c']"))).isNotEmpty();
        assertThat(europe.findElement(By.cssSelector("svg path")).getAttribute("d"))
                .startsWith("M");
        assertThat(europe.findElement(By.cssSelector("svg")).getAttribute("aria-label"))
                .contains("failed")
                .contains(" ms");
        // a chart for every target the API has a history of; each draws its own numbers: red
        // bars exactly when it counts failed probes (a loaded machine fails a few probes of the
        // live regions too: their 150 ms timeout is short)
        JsonPath h =
                given().auth()
                        .oauth2(ConsoleResource.READ)
                        .get("/api/v1/history")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        List<String> ids = h.getList("targets.id", String.class);
        assertThat(ids).contains("europe/lb/ipv4", "apac/lb/ipv4", "americas/lb/ipv4");
        for (String id : ids) {
            WebElement chart = page().findElement(By.id("history-" + id));
            int probes = Integer.parseInt(chart.getAttribute("data-probes"));
            int failed = Integer.parseInt(chart.getAttribute("data-failed"));
            assertThat(probes).as(id).isPositive().isGreaterThanOrEqualTo(failed);
            assertThat(chart.findElements(By.cssSelector("svg rect[fill='#b71c1c']")).isEmpty())
                    .as(id + ": no red bar exactly when no probe failed")
                    .isEqualTo(failed == 0);
            assertThat(chart.findElements(By.cssSelector("svg rect"))).as(id).isNotEmpty();
        }
    }

    @Test
    @Order(4)
    void aDrainFromThePageRemovesTheRegionAndAnUndrainBringsItBack() {
        WebDriver p = page();
        // an action without the admin token is refused on the page, before any request
        p.findElement(By.cssSelector("#drain-region option[value=apac]")).click();
        p.findElement(By.id("drain-reason")).sendKeys("kernel upgrade");
        p.findElement(By.id("drain-submit")).click();
        assertThat(p.findElement(By.id("result")).getText()).contains("enter the admin token");

        p.findElement(By.id("admin-token")).sendKeys(ConsoleResource.ADMIN);
        p.findElement(By.cssSelector("#admin-form button[type=submit]")).click();
        p.findElement(By.id("drain-submit")).click();
        confirmDialog();
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () ->
                                "DRAINED".equals(regionState("apac"))
                                        && !desiredOnPage("cdn.example.test")
                                                .contains(ConsoleResource.ADDRESSES.get(1)));
        assertThat(status().getString("regions.find { it.name == 'apac' }.state"))
                .isEqualTo("DRAINED");
        assertThat(desiredInApi("cdn.example.test"))
                .doesNotContain(ConsoleResource.ADDRESSES.get(1));
        // where it took effect: every vantage point holding the drain (here, the one)
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () ->
                                p.findElement(By.id("result"))
                                        .getText()
                                        .contains("held by vp-console"));
        assertThat(p.findElement(By.id("drain-list")).getText()).contains("kernel upgrade");
        assertThat(p.getCurrentUrl()).doesNotContain(ConsoleResource.ADMIN);

        click(By.id("undrain-apac"));
        confirmDialog();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () ->
                                "HEALTHY".equals(regionState("apac"))
                                        && desiredOnPage("cdn.example.test")
                                                .contains(ConsoleResource.ADDRESSES.get(1)));
    }

    /** The content line of a region's card; throws while the card has none. */
    static WebElement contentLine(String region) {
        return page().findElement(By.cssSelector("#region-" + region + " p.content"));
    }

    static String contentVersionInApi(String region) {
        return status().getString("regions.find { it.name == '" + region + "' }.content.version");
    }

    @Test
    @Order(5)
    void eachRegionCardShowsItsContentStateVersionAndAge() {
        // every region synced just now with release 2: FRESH, with the API's version
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (String r : ConsoleResource.REGIONS) {
                                WebElement line = contentLine(r);
                                assertThat(line.getAttribute("data-content-state"))
                                        .as(r)
                                        .isEqualTo("FRESH");
                                assertThat(line.getAttribute("class")).contains("c-FRESH");
                                assertThat(line.getText())
                                        .as(r)
                                        .contains("FRESH")
                                        .contains("version " + contentVersionInApi(r))
                                        .containsPattern(
                                                "synced (less than a minute|[0-9]+ min) ago");
                            }
                        });
        String release2 = contentVersionInApi("europe");

        // americas an hour behind: LAGGING while the region stays HEALTHY, so only the content
        // line changes on its card
        ConsoleResource.serve(2, Instant.now().minusSeconds(3600), "release-2");
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            WebElement line = contentLine("americas");
                            assertThat(line.getAttribute("data-content-state"))
                                    .isEqualTo("LAGGING");
                            assertThat(line.getText())
                                    .contains("LAGGING")
                                    .containsPattern("synced 6[01] min ago");
                        });
        assertThat(regionState("americas")).isEqualTo("HEALTHY");

        // europe three hours old with the older release: STALE, styled as a warning, and the
        // region DEGRADED with the reason
        ConsoleResource.serve(0, Instant.now().minusSeconds(3 * 3600), "release-1");
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            WebElement line = contentLine("europe");
                            assertThat(line.getAttribute("data-content-state")).isEqualTo("STALE");
                            assertThat(line.getAttribute("class")).contains("c-STALE");
                            assertThat(line.getText())
                                    .contains("STALE")
                                    .contains("synced 3 h ago")
                                    .contains("version " + contentVersionInApi("europe"))
                                    .doesNotContain("version " + release2);
                            assertThat(regionState("europe")).isEqualTo("DEGRADED");
                            assertThat(page().findElement(By.id("region-europe")).getText())
                                    .contains("stale content");
                            assertThat(contentLine("apac").getAttribute("data-content-state"))
                                    .isEqualTo("FRESH");
                        });
        // the warning is drawn: a background other than the fresh lines'
        assertThat(contentLine("europe").getCssValue("background-color"))
                .isNotEqualTo(contentLine("apac").getCssValue("background-color"));
        browser.screenshot(SHOTS.resolve("content.png"));

        // synced again: FRESH and HEALTHY everywhere
        ConsoleResource.serve(0, Instant.now(), "release-2");
        ConsoleResource.serve(2, Instant.now(), "release-2");
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (String r : ConsoleResource.REGIONS) {
                                assertThat(contentLine(r).getAttribute("data-content-state"))
                                        .as(r)
                                        .isEqualTo("FRESH");
                                assertThat(regionState(r)).as(r).isEqualTo("HEALTHY");
                            }
                            assertThat(contentLine("europe").getText())
                                    .contains("version " + release2);
                        });
    }

    @Test
    @Order(6)
    void fitsAPhoneInPortrait() {
        browser.size(390, 844);
        try {
            await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> "HEALTHY".equals(regionState("europe")));
            // nothing wider than the screen but the tables, which scroll inside their box
            Number width =
                    (Number)
                            browser.driver()
                                    .executeScript("return document.documentElement.scrollWidth");
            assertThat(width.intValue()).isLessThanOrEqualTo(390);
            browser.screenshot(SHOTS.resolve("phone.png"));
        } finally {
            browser.size(1280, 900);
        }
    }

    @Test
    @Order(7)
    void thePublicViewShowsRegionsAndIncidentsButNoAddressOrReason() {
        String json = given().get("/api/v1/public").then().statusCode(200).extract().asString();
        assertThat(json).contains("\"europe\"").contains("\"status\":\"up\"");
        page().get(root.toString().replaceAll("/$", "") + "/status");
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () ->
                                "up"
                                        .equals(
                                                page().findElement(By.id("region-europe"))
                                                        .getAttribute("data-status")));
        // the incident of test 2 is listed, without its reason
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> page().findElement(By.id("incidents")).getText().contains("europe"));
        String shown = page().getPageSource() + "\n" + json;
        assertThat(shown).doesNotContain("127.").doesNotContain("::1");
        assertThat(shown)
                .doesNotContainIgnoringCase("load balancer")
                .doesNotContain("kernel upgrade")
                .doesNotContain("vp-console")
                .doesNotContain("REFUSED");
        browser.screenshot(SHOTS.resolve("public.png"));
    }

    @Test
    @Order(8)
    void everyPageRunsUnderItsContentSecurityPolicyWithoutAViolation() {
        for (String path : List.of("/", "/console.js", "/console.css", "/status", "/public.js")) {
            given().get(path)
                    .then()
                    .statusCode(200)
                    .header(
                            "Content-Security-Policy",
                            org.hamcrest.Matchers.containsString("script-src 'self'"))
                    .header(
                            "Content-Security-Policy",
                            org.hamcrest.Matchers.containsString("default-src 'none'"))
                    .header(
                            "Content-Security-Policy",
                            org.hamcrest.Matchers.not(
                                    org.hamcrest.Matchers.containsString("unsafe")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer");
        }
        // the API's answers too (a JSON answer is never sniffed as HTML)
        given().get("/api/v1/public")
                .then()
                .statusCode(200)
                .header("X-Content-Type-Options", "nosniff");
        given().get("/api/v1/status")
                .then()
                .statusCode(401)
                .header("X-Content-Type-Options", "nosniff");

        // everything the tests above did on both pages, under the policy: nothing refused
        assertThat(browser.cspViolations()).isEmpty();
        page().get(root.toString());
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () ->
                                "HEALTHY".equals(regionState("europe"))
                                        && page().findElement(By.id("history-europe/lb/ipv4"))
                                                .isDisplayed());
        assertThat(browser.cspViolations()).isEmpty();
        // the policy is in force: an inline script put into the page does not run, and the
        // browser says why
        browser.driver()
                .executeScript(
                        "const s = document.createElement('script');"
                                + " s.textContent = 'window.pharosInline = 1';"
                                + " document.head.append(s);");
        assertThat(browser.driver().executeScript("return window.pharosInline === undefined"))
                .isEqualTo(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.cspViolations().isEmpty());
    }
}
