package dev.infermint.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium, driven by Playwright for Java, for the console's browser tests. It never downloads a browser
 * ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}, the executable is {@code /usr/bin/chromium} or
 * {@code INFERMINT_CHROMIUM}), runs headless with Chromium's background networking off, and records every request a
 * page makes so a test can check that nothing leaves the machine.
 */
final class ConsoleBrowser implements AutoCloseable {

  private final Playwright playwright;
  private final Browser browser;
  private final List<String> requested = new CopyOnWriteArrayList<>();

  ConsoleBrowser() {
    Path chromium = Path.of(System.getenv().getOrDefault("INFERMINT_CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new IllegalStateException("No Chromium at " + chromium + ": install Debian's package chromium "
          + "(.ci/run does), or point INFERMINT_CHROMIUM at one");
    }
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
        .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
  }

  /**
   * @return a new browser profile (its own cookies), whose requests are recorded
   */
  BrowserContext context() {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
        .setViewportSize(1280, 900));
    context.onRequest(request -> requested.add(request.url()));
    return context;
  }

  /** @return the URL of every request made so far, in every profile */
  List<String> requested() {
    return List.copyOf(requested);
  }

  /**
   * @param url a URL a page requested
   * @return whether it stays on this machine
   */
  static boolean loopback(String url) {
    if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) {
      return true;
    }
    String host = URI.create(url).getHost();
    return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
  }

  /**
   * Signs in through Keycloak's login form (the username and the password on one page, or, once the realm has
   * organizations, on two).
   *
   * @param page a page of a fresh profile
   * @param consoleUrl where the console is
   * @param username the user
   * @param password their password
   */
  static void login(Page page, String consoleUrl, String username, String password) {
    page.navigate(consoleUrl + "/");
    page.fill("#username", username);
    if (page.locator("#password").count() == 0) {
      page.click("#kc-login");
    }
    page.fill("#password", password);
    page.click("#kc-login");
    page.waitForURL(consoleUrl + "/**");
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
