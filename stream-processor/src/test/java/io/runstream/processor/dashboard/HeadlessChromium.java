package io.runstream.processor.dashboard;

import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.runstream.testing.RequiredTool;

/**
 * Debian's {@code chromium} driven through Debian's {@code chromedriver}, both named explicitly so that Selenium
 * Manager never looks for (or downloads) a browser or driver of its own. Where they are missing the test is
 * skipped with the reason, except on CI (env {@code CI} set), where that is a failure: CI installs them.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of(System.getProperty("runstream.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("runstream.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    /** Skips the calling test (fails it on CI) unless both binaries are installed. */
    static void requireInstalled() {
        RequiredTool.executables("the browser test needs Debian's chromium and chromedriver: apt-get install"
                + " chromium chromium-driver; .ci/run does", CHROMIUM, CHROMEDRIVER);
    }

    static ChromeDriver start(Path logFile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logFile.toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
