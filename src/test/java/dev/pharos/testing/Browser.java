package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless browser: Debian's chromium driven through Debian's chromedriver, both given by
 * path, so Selenium Manager never runs and nothing downloads a browser or a driver. The browser
 * reaches loopback only: no proxy, no background networking, no component updates.
 */
public final class Browser implements AutoCloseable {
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser of this window size (CSS pixels), or the test is skipped (failed in CI). */
    public static Browser start(int width, int height) {
        Path chromium = Tools.require("chromium", "chromium");
        Path chromedriver = Tools.require("chromedriver", "chromium-driver");
        Path profile;
        try {
            profile = Files.createTempDirectory("pharos-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                // inside a network namespace as root chromium's own sandbox cannot start
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-proxy-server",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-sync",
                "--no-first-run",
                "--force-device-scale-factor=1",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        // the page's console messages and the browser's own (a Content-Security-Policy
        // violation among them), for consoleMessages()
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(chromedriver.toFile())
                        .usingAnyFreePort()
                        .withTimeout(Duration.ofSeconds(60))
                        .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * The browser's log since the last call: the page's console messages and what the browser
     * reports itself, such as a resource refused by the Content-Security-Policy.
     */
    public java.util.List<String> consoleMessages() {
        return driver
                .manage()
                .logs()
                .get(org.openqa.selenium.logging.LogType.BROWSER)
                .getAll()
                .stream()
                .map(e -> e.getLevel() + " " + e.getMessage())
                .toList();
    }

    /**
     * The browser's log messages since the last call that report a Content-Security-Policy
     * violation.
     */
    public java.util.List<String> cspViolations() {
        return consoleMessages().stream()
                .filter(
                        m ->
                                m.contains("Content Security Policy")
                                        || m.contains("Content-Security-Policy"))
                .toList();
    }

    public void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Writes a PNG of the whole page (the window grown to the page's height) to {@code file}. */
    public void screenshot(Path file) {
        Dimension before = driver.manage().window().getSize();
        Object h =
                driver.executeScript(
                        "return Math.max(document.body.scrollHeight,"
                                + " document.documentElement.scrollHeight)");
        int height = Math.min(6000, ((Number) h).intValue() + 120);
        driver.manage().window().setSize(new Dimension(before.getWidth(), height));
        try {
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
