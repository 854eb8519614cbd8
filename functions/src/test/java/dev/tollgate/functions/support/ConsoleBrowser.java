package dev.tollgate.functions.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a browser test class: Debian's {@code chromium} driven through its {@code chromedriver}
 * (paths fixed, so Selenium Manager, which would try to download a browser, is never used). Without them the test is
 * skipped, saying so, except under CI ({@code CI=true}), where it fails: a skipped browser test proves nothing.
 *
 * <p>{@link #screenshot} writes {@code target/screenshots/<name>.png}; with {@code -Dtollgate.screenshots=docs/screenshots}
 * (a path relative to the repository root) also there, which is how the README's pictures are made.
 */
public final class ConsoleBrowser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final URI base;

    private ConsoleBrowser(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    public static ConsoleBrowser open(URI base) {
        String chromium = System.getProperty("tollgate.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("tollgate.chromedriver", "/usr/bin/chromedriver");
        List<String> missing = List.of(chromium, chromedriver).stream().filter(p -> !new File(p).canExecute()).toList();
        if (!missing.isEmpty()) {
            String why = "browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
                    + "chromium-driver); missing: " + missing;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: browser tests may not be skipped)");
            }
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT);
        return new ConsoleBrowser(driver, base);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a path of the server, e.g. {@code /console/keys}. */
    public ConsoleBrowser go(String path) {
        driver.get(base.resolve(path).toString());
        return this;
    }

    public WebElement find(String css) {
        return until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    public void click(String css) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    public String text(String css) {
        return find(css).getText();
    }

    public String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Waits (with a deadline, never a sleep) until the condition holds. */
    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }

    public void waitForPath(String path) {
        until(d -> URI.create(d.getCurrentUrl()).getPath().equals(path));
    }

    /** Signs in through the form and waits for the overview. */
    public void signIn(String key) {
        go("/console/sign-in");
        type("#key", key);
        click("#sign-in");
    }

    /** Takes a full-page screenshot of the current page, at a laptop's width. */
    public void screenshot(String name) {
        shoot(name, 1280, false);
    }

    /** The same at a phone's width (390 CSS pixels, as an iPhone 14). */
    public void screenshotPhone(String name) {
        shoot(name, 390, true);
    }

    /** The page laid out at {@code width}, its full height captured (Chromium's device metrics override). */
    private void shoot(String name, int width, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", mobile));
        try {
            long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", (int) Math.min(Math.max(height, 400), 4000), "deviceScaleFactor", 1,
                            "mobile", mobile));
            Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path target = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            String docs = System.getProperty("tollgate.screenshots");
            if (docs != null && !docs.isBlank()) {
                Path dir = Path.of("..").resolve(docs);
                Files.createDirectories(dir);
                Files.copy(file, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
