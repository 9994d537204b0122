package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver: both by path
 * ({@code qi.console.chromium} and {@code qi.console.chromedriver}, or the environment's
 * {@code CHROMIUM_BIN} and {@code CHROMEDRIVER}; {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} otherwise), so Selenium Manager never looks for a browser to
 * download. A missing browser fails the tests, saying how to install it ({@code .ci/run} does).
 * The browser's zone is São Paulo's, so the times the tests read are the same on every machine.
 */
final class Browser implements AutoCloseable {

    static final String ZONE = "America/Sao_Paulo";
    static final Dimension LAPTOP = new Dimension(1366, 1000);
    static final Dimension PHONE = new Dimension(390, 844);

    final ChromeDriver driver;
    final Path downloads;
    final Path screenshots;
    private final String base;

    private Browser(ChromeDriver driver, Path downloads, Path screenshots, String base) {
        this.driver = driver;
        this.downloads = downloads;
        this.screenshots = screenshots;
        this.base = base;
    }

    static Browser start(int port) {
        String chromium = setting("qi.console.chromium", "CHROMIUM_BIN", "/usr/bin/chromium");
        String chromedriver = setting("qi.console.chromedriver", "CHROMEDRIVER", "/usr/bin/chromedriver");
        for (String binary : List.of(chromium, chromedriver)) {
            assertThat(new File(binary).canExecute())
                    .as(binary + " is missing: the console's browser tests need Debian's chromium and chromium-driver "
                            + "(apt-get install -y chromium chromium-driver; .ci/run installs them)")
                    .isTrue();
        }
        try {
            Path downloads = Files.createTempDirectory("qi-ledger-console-downloads-");
            Path screenshots = Path.of("target", "console-screenshots");
            Files.createDirectories(screenshots);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=" + LAPTOP.width + "," + LAPTOP.height, "--lang=en-US", "--no-first-run",
                    "--disable-extensions", "--disable-background-networking", "--disable-sync",
                    "--disable-component-update", "--disable-default-apps", "--hide-scrollbars",
                    "--force-device-scale-factor=1");
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
            prefs.put("download.prompt_for_download", false);
            prefs.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", prefs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver))
                    .usingAnyFreePort()
                    .withEnvironment(Map.of("TZ", ZONE))
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ZONE));
            return new Browser(driver, downloads, screenshots, "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void awaitText(By by, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(() -> "waiting for '" + text + "' in " + by + " on " + path())
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    void awaitTrue(String script, Object... arguments) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .withMessage(() -> "waiting for " + script + " on " + path())
                .until(d -> Boolean.TRUE.equals(js(script, arguments)));
    }

    Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The element's text exactly as in the page (textContent, not the rendered text). */
    String textOf(By by) {
        return (String) js("return arguments[0].textContent", await(by));
    }

    void signIn(String token) {
        WebElement field = await(By.id("token"));
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.id("sign-in-button")).click();
    }

    void signOut() {
        js("sessionStorage.clear()");
    }

    /**
     * A PNG of the whole page as it is (beyond the window, up to 2400 pixels tall), under
     * target/console-screenshots/, written on every run.
     */
    Path screenshot(String name) {
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
            double width = ((Number) content.get("width")).doubleValue();
            double height = Math.min(2400, ((Number) content.get("height")).doubleValue());
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Waits for a finished download whose name starts so, and answers its bytes. */
    byte[] downloaded(String prefix) {
        Path[] found = new Path[1];
        new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(() -> "no download " + prefix + " in " + downloads)
                .until(d -> {
                    try (var files = Files.list(downloads)) {
                        found[0] = files.filter(f -> f.getFileName().toString().startsWith(prefix)
                                && !f.getFileName().toString().endsWith(".crdownload")).findFirst().orElse(null);
                        return found[0] != null;
                    } catch (IOException e) {
                        return false;
                    }
                });
        try {
            byte[] bytes = Files.readAllBytes(found[0]);
            Files.delete(found[0]);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
