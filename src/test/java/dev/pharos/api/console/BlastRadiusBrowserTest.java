package dev.pharos.api.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.api.BlastRadiusResource;
import dev.pharos.testing.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * A removal held back by the blast-radius guard shows its confirm button on the console; confirming
 * it there (with the admin token) releases it. Three one-server regions, one removal allowed.
 */
@QuarkusTest
@QuarkusTestResource(value = BlastRadiusResource.class, restrictToAnnotatedClass = true)
class BlastRadiusBrowserTest {
    @TestHTTPResource("/")
    URL root;

    private static List<String> cdn() {
        return given().get("/api/v1/plan")
                .then()
                .extract()
                .jsonPath()
                .getList("desired.find { it.key.name == 'cdn.example.test' }.values");
    }

    @Test
    void aHeldBackRemovalIsConfirmedFromThePage() {
        try (Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(root.toString());
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    List.of("a", "b", "c").stream()
                                            .allMatch(
                                                    r ->
                                                            "HEALTHY"
                                                                    .equals(
                                                                            page.findElement(
                                                                                            By.id(
                                                                                                    "region-"
                                                                                                            + r))
                                                                                    .getAttribute(
                                                                                            "data-state"))));
            // two of three regions die: with one removal allowed per window, a removal is held
            // back (which one depends on which the pipeline saw first)
            BlastRadiusResource.lbs.get(0).stop();
            BlastRadiusResource.lbs.get(1).stop();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> !page.findElements(By.cssSelector("[id^=confirm-]")).isEmpty());
            String id = page.findElement(By.cssSelector("[id^=confirm-]")).getAttribute("id");
            String held = id.substring("confirm-".length());
            String address = "a".equals(held) ? "127.0.62.1" : "127.0.62.2";
            assertThat(held).isIn("a", "b");
            assertThat(page.findElement(By.id("held-list")).getText())
                    .contains("blast-radius")
                    .contains("blast-radius-window");
            assertThat(cdn()).contains(address);

            page.findElement(By.id("admin-token")).sendKeys(BlastRadiusResource.ADMIN);
            page.findElement(By.cssSelector("#admin-form button[type=submit]")).click();
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                page.findElement(By.id(id)).click();
                                return true;
                            });
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                page.switchTo().alert().accept();
                                return true;
                            });
            // released: the region leaves the record, the button goes, the page says where
            await().atMost(Duration.ofSeconds(20)).until(() -> !cdn().contains(address));
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> page.findElements(By.id(id)).isEmpty());
            assertThat(page.findElement(By.id("result")).getText())
                    .contains("Confirm the removal of " + held + ": done")
                    .contains("held by vp-blast");
            assertThat(
                            page.findElement(By.id("record-cdn.example.test-A"))
                                    .getAttribute("data-desired"))
                    .doesNotContain(address);
        }
    }
}
