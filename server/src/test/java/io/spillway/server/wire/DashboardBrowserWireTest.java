package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.HttpConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium (Debian packages chromium and chromium-driver; {@code ./spillway test}
 * installs them): the page loads without console errors, its charts move while a publisher runs, a stalled subscriber
 * shows in the slow-client table with its queued bytes and leaves it when killed from the page or cut by the policy,
 * and with http-tokens the page asks for the token. Writes a screenshot to target/dashboard.png.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardBrowserWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(20);

  private TestServer server;
  private ChromeDriver driver;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicBoolean publishing = new AtomicBoolean();

  @AfterEach
  void stop() throws Exception {
    publishing.set(false);
    if (driver != null) {
      driver.quit();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String onPath(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(name
        + " is not installed (not found on PATH); the dashboard test needs it: install the Debian"
        + " package " + debianPackage + " (or run ./spillway test, which installs it)");
  }

  private ChromeDriver browser() throws IOException {
    String chromium = onPath("chromium", "chromium");
    String chromedriver = onPath("chromedriver", "chromium-driver");
    Path profile = Files.createTempDirectory("spillway-chromium-");
    closeables.add(() -> deleteTree(profile));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1400, 1500));
    return driver;
  }

  private String base() {
    return "http://127.0.0.1:" + server.server().http().port();
  }

  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"
  }) // the script's result, typed by the caller
  private <T> T js(String script) {
    return (T) ((JavascriptExecutor) driver).executeScript(script);
  }

  @Test
  void dashboardShowsLiveLoadAndNamesTheStalledSubscriberUntilItIsCut() throws Exception {
    server = TestServer.start();
    RawRespClient admin = RawRespClient.connect(server.port());
    closeables.add(admin);
    // Long enough that the first stalled subscriber is only cut by the kill button.
    assertThat(admin.call("CONFIG", "SET", "subscriber-write-timeout", "60s")).isEqualTo("+OK\r\n");
    browser().get(base() + "/");
    await()
        .atMost(AWAIT)
        .until(() -> this.<Long>js("return window.spillwayDashboard.snapshots") >= 1);
    assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("live");

    // A bench-like load: a publisher at a steady rate to a subscriber that keeps up.
    RawSubscriber fast = RawSubscriber.subscribe(server.port(), "load");
    closeables.add(fast);
    Thread publisher = publisher("load", 2_000);
    await()
        .atMost(AWAIT)
        .until(() -> this.<Long>js(
                "return window.spillwayDashboard.series['c-messages'][1].filter(function (v) { return v > 0; }).length")
            >= 2);
    assertThat(driver.findElements(By.cssSelector("#c-messages canvas"))).isNotEmpty();

    // A subscriber that stops reading shows with its queued bytes; the kill button cuts it.
    StalledSubscriber stalled = stall("slow-a", admin);
    WebElement row = await().atMost(AWAIT).until(() -> rowOf(stalled.id), r -> r != null);
    long shown = Long.parseLong(row.findElement(By.className("queued")).getText());
    assertThat(shown).isGreaterThan(0);
    Path shot = Path.of("target", "dashboard.png");
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    rowOf(stalled.id).findElement(By.className("kill")).click();
    await().atMost(AWAIT).until(() -> rowOf(stalled.id) == null);
    await().atMost(AWAIT).until(stalled::closedByServer);

    // Another one, cut by the policy this time (write timeout).
    StalledSubscriber second = stall("slow-b", admin);
    await().atMost(AWAIT).until(() -> rowOf(second.id) != null);
    assertThat(admin.call("CONFIG", "SET", "subscriber-write-timeout", "1s")).isEqualTo("+OK\r\n");
    await().atMost(AWAIT).until(() -> rowOf(second.id) == null);
    assertThat(admin.call("INFO", "stats")).contains("client_cuts_write_timeout:1");

    publishing.set(false);
    publisher.join(5_000);
    assertThat(fast.received()).isPositive();
    assertThat(severe()).as("console errors").isEmpty();
  }

  @Test
  void withHttpTokensThePageAsksForTheTokenThenStreams() throws Exception {
    server = TestServer.start(
        b -> b.http(HttpConfig.builder().port(0).tokens("s3cret").build()));
    browser().get(base() + "/dashboard");
    await().atMost(AWAIT).until(() -> driver.findElement(By.id("login")).isDisplayed());
    driver.findElement(By.id("token")).sendKeys("s3cret");
    driver.findElement(By.id("login-button")).click();
    await()
        .atMost(AWAIT)
        .until(() -> this.<Long>js("return window.spillwayDashboard.snapshots") >= 1);
    assertThat(driver.findElement(By.id("login")).isDisplayed()).isFalse();
    // The only console errors allowed are the refused event stream's, before the token was given.
    assertThat(severe()).allMatch(e -> e.contains("/v1/dashboard/events") && e.contains("401"));
  }

  private List<String> severe() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  private WebElement rowOf(long id) {
    List<WebElement> rows =
        driver.findElements(By.cssSelector("#slow tbody tr[data-id='" + id + "']"));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private Thread publisher(String channel, int perSecond) {
    publishing.set(true);
    Thread t = new Thread(
        () -> {
          try (RawRespClient p = RawRespClient.connect(server.port())) {
            long next = System.nanoTime();
            long period = 1_000_000_000L / perSecond;
            while (publishing.get()) {
              p.call("PUBLISH", channel, "x".repeat(100));
              next += period;
              long wait = next - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
          } catch (IOException | InterruptedException e) {
            publishing.set(false);
          }
        },
        "dashboard-test-publisher");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A subscriber that never reads after its confirmation; filled until the server holds some of its output. */
  private StalledSubscriber stall(String channel, RawRespClient admin) throws IOException {
    StalledSubscriber s = new StalledSubscriber(server.port(), channel);
    closeables.add(s);
    Pattern queued = Pattern.compile(" queued=(\\d+)");
    String payload = "y".repeat(1000);
    for (int i = 0; i < 2_000; i++) {
      admin.call("PUBLISH", channel, payload);
      Matcher m = queued.matcher(admin.call("CLIENT", "LIST", "ID", Long.toString(s.id)));
      if (m.find() && Long.parseLong(m.group(1)) >= 4_096) {
        return s;
      }
    }
    return fail("the stalled subscriber never had output queued");
  }

  private static final class StalledSubscriber implements AutoCloseable {
    final Socket socket = new Socket();
    final long id;

    StalledSubscriber(int port, String channel) throws IOException {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(RawRespClient.multibulk("CLIENT", "ID").getBytes(StandardCharsets.ISO_8859_1));
      out.write(
          RawRespClient.multibulk("SUBSCRIBE", channel).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) != '\n'; ) {
        line.append((char) b);
      }
      id = Long.parseLong(line.toString().trim().substring(1));
      // The SUBSCRIBE confirmation and everything after it stay unread.
    }

    /** Whether the server has closed the connection (reads what is buffered to find out). */
    boolean closedByServer() {
      try {
        socket.setSoTimeout(200);
        byte[] drain = new byte[65536];
        while (true) {
          if (socket.getInputStream().read(drain) < 0) {
            return true;
          }
        }
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
