package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium loads `/` from SlimJobs on the embedded demo cluster, shows the
 * jobs its viewer may see, triggers and deletes executions, follows them live, and tells when the API is gone.
 * Uses Debian's chromium and chromedriver; where they are missing the test is skipped, saying so.
 */
class DashboardBrowserTest extends SlimJobsTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One job at a time, so that a second execution waits in the queue; a Private job; a schedule. */
    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "fibonacci": {
                  "Image": "axaguildev/fibonacci-batch:latest",
                  "ImagesWhitelist": ["axaguildev/fibonacci-batch:*"],
                  "Visibility": "Public",
                  "NumberParallelJob": 1
                },
                "secret-job": {
                  "Image": "registry.local/secret:1",
                  "Visibility": "Private"
                }
              },
              "Schedules": {
                "fibonacci": [ { "Schedule": "30 2 * * *", "Args": ["42"] } ]
              }
            }
            """;

    private WebDriver browser;

    /** In the test itself, rather than before all, so that a skip is counted as one. */
    private static void assumeChromiumInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.out.println("SKIPPED DashboardBrowserTest: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " are needed (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(installed, "the dashboard's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER);
    }

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Test
    void should_show_trigger_follow_and_delete_the_executions_of_the_jobs_its_viewer_may_see() throws IOException {
        assumeChromiumInstalled();
        Path profile = Files.createTempDirectory("slimjobs-chromium-");
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, chromiumOptions(profile));
        try {
            browser.get("http://127.0.0.1:" + port + "/");

            // the browser calls from loopback, which this SlimJobs does not trust: Public jobs only
            element("job-fibonacci");
            await("the first refresh", driver -> !text("last-refresh").equals("never"));
            assertTrue(browser.findElements(testId("job-secret-job")).isEmpty(), "a Private job shown to an outsider");
            assertTrue(text("schedules-fibonacci").contains("30 2 * * *"), text("schedules-fibonacci"));
            assertTrue(element("schedules-fibonacci").findElement(By.cssSelector("td.next time")).isDisplayed());

            // a refused trigger shows the API's 400 and creates nothing
            trigger("{\"Image\": \"evil/miner:1\"}");
            await("the refusal", driver -> outcome().equals("refused"));
            assertTrue(text("trigger-result-fibonacci").contains("Refused: 400 invalid_request"),
                    text("trigger-result-fibonacci"));
            assertTrue(text("trigger-result-fibonacci").contains("evil/miner:1"), text("trigger-result-fibonacci"));
            assertEquals(List.of(), jobs());

            String first = triggerAccepted("{\"Args\": [\"1\"]}");
            String second = triggerAccepted("");
            await("the first running, the second queued behind it", driver ->
                    status(first).equals("Running") && status(second).equals("Queued"));
            assertEquals("1", cell(second, "position"));
            assertEquals("waiting for a free slot", cell(second, "reason"));
            assertCounts(1, 1, 0);

            kubelet().succeed(jobOf(first).getMetadata().getName());
            await("the first succeeded, the second running", driver ->
                    status(first).equals("Succeeded") && status(second).equals("Running"));
            await("the first's duration", driver -> cell(first, "duration").matches("\\d+ s"));
            assertCounts(0, 1, 1);

            // cancelling the confirmation keeps the execution; confirming deletes it
            element("delete-" + second).click();
            element("confirm-delete-cancel").click();
            await("the dialog closed", driver -> !element("confirm-delete").isDisplayed());
            assertEquals("Running", status(second));
            element("delete-" + second).click();
            assertTrue(element("confirm-delete").getText().contains(second), element("confirm-delete").getText());
            element("confirm-delete-ok").click();
            await("the row gone", driver -> browser.findElements(testId("execution-" + second)).isEmpty());
            assertEquals("Execution " + second + " deleted.", text("delete-result-fibonacci"));
            awaitUntil("its Job deleted", () -> kube().batch().v1().jobs().inNamespace(namespace)
                    .withLabel(Labels.ID, second).list().getItems().isEmpty());
            assertCounts(0, 0, 1);

            // the viewer becomes a pod of the namespace, which the API trusts: the Private job appears
            kube().pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata().withName("dashboard-viewer").endMetadata()
                    .withNewSpec().addNewContainer().withName("viewer").withImage("browser:1").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus()
                    .build()).create();
            element("job-secret-job");

            triggerAccepted("{\"Args\": [\"2\"]}");
            triggerAccepted("{\"Args\": [\"3\"]}");
            await("one running and one queued", driver ->
                    text("count-fibonacci-running").equals("1") && text("count-fibonacci-queued").equals("1"));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                    StandardCopyOption.REPLACE_EXISTING);

            // the API gone: the banner says so, and the last answer stays on the page
            context.stop();
            await("the error banner", driver -> element("error-banner").isDisplayed());
            assertTrue(text("error-banner").contains("unreachable"), text("error-banner"));
            assertTrue(element("job-fibonacci").isDisplayed());
        } finally {
            browser.quit();
            deleteRecursively(profile);
        }
    }

    /** Only the flags that keep Chromium headless, in its own profile, and off the network except to SlimJobs. */
    private static ChromeOptions chromiumOptions(Path profile) {
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        return new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1500", "--user-data-dir=" + profile);
    }

    private String triggerAccepted(String overrides) {
        trigger(overrides);
        await("the trigger accepted", driver -> outcome().equals("accepted"));
        String id = element("trigger-result-fibonacci").getDomAttribute("data-id");
        element("execution-" + id);
        return id;
    }

    private void trigger(String overrides) {
        WebElement textarea = element("overrides-fibonacci");
        textarea.clear();
        textarea.sendKeys(overrides);
        element("trigger-fibonacci").click();
    }

    private String outcome() {
        return String.valueOf(element("trigger-result-fibonacci").getDomAttribute("data-outcome"));
    }

    private String status(String executionId) {
        List<WebElement> rows = browser.findElements(testId("execution-" + executionId));
        return rows.isEmpty() ? "absent" : rows.get(0).getDomAttribute("data-status");
    }

    private String cell(String executionId, String column) {
        return element("execution-" + executionId).findElement(By.cssSelector("td." + column)).getText();
    }

    private void assertCounts(int queued, int running, int succeeded) {
        await("the counts " + queued + " queued, " + running + " running, " + succeeded + " succeeded", driver ->
                text("count-fibonacci-queued").equals(String.valueOf(queued))
                        && text("count-fibonacci-running").equals(String.valueOf(running))
                        && text("count-fibonacci-succeeded").equals(String.valueOf(succeeded)));
        assertEquals("0", text("count-fibonacci-failed"));
    }

    private WebElement element(String testId) {
        return new WebDriverWait(browser, PATIENCE).withMessage(() -> "no element " + testId)
                .until(driver -> driver.findElements(testId(testId)).stream().findFirst().orElse(null));
    }

    private String text(String testId) {
        return element(testId).getText();
    }

    private void await(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PATIENCE).withMessage(() -> "waiting for " + what).until(condition::apply);
    }

    private static By testId(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
