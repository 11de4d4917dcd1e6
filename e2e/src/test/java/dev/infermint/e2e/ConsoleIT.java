package dev.infermint.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * The admin console in a real Chromium against the real stack, signed in through Keycloak's own login form as each
 * role: a platform-admin creates a tenant, invites its admin and a member, creates and revokes keys, changes the
 * plan and issues a licence; the tenant-admin uploads a model (the progress bar reaches 100 %), tries it and sees
 * the usage chart move; the member gets read-only pages; nobody reaches another tenant's pages. Every main page is
 * saved as a screenshot (to {@code docs/screenshots/} with {@code -Dinfermint.screenshots=docs/screenshots}) and
 * checked for its weight and for requests leaving the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  /** No page may weigh more than this on the wire (issue #12). */
  private static final long PAGE_LIMIT_BYTES = 300 * 1024;

  private Stack stack;
  private String console;
  private Path shots;
  private ConsoleBrowser chromium;
  private BrowserContext adminProfile;
  private Page admin;
  private Page tenantAdmin;
  private String tenantId;
  private String otherTenantId;
  private String apiKey;
  /** Keycloak outlives a run when tests are rerun against the shared one: names are unique per run. */
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private final String tenantName = "Console Co " + run;
  private final String tenantSlug = "console-" + run;
  private final String otherName = "Console Other " + run;
  private final String adminEmail = "console-admin-" + run + "@example.com";
  private final String memberEmail = "console-member-" + run + "@example.com";
  /** Main pages, by screenshot name, for the weight check. */
  private final Map<String, String> mainPages = new LinkedHashMap<>();

  /** On a failure, what each open page showed: its URL and text in the log, a screenshot beside the others. */
  @RegisterExtension
  final TestWatcher showPagesOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      Map<String, Page> open = new LinkedHashMap<>();
      open.put("admin", admin);
      open.put("tenant-admin", tenantAdmin);
      open.forEach((who, page) -> {
        if (page == null || page.isClosed()) {
          return;
        }
        try {
          System.out.printf("%s failed; the %s's page %s shows:%n%s%n", context.getDisplayName(), who, page.url(),
              page.innerText("body"));
          page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
              .setPath(Path.of("target", "failed-" + context.getRequiredTestMethod().getName() + "-" + who + ".png")));
        } catch (RuntimeException e) {
          System.out.printf("the %s's page could not be read: %s%n", who, e.getMessage());
        }
      });
    }
  };

  @BeforeAll
  void start() throws IOException {
    stack = SharedStack.get();
    console = stack.url("web-admin");
    Keycloak.allowConsoleRedirects(stack, console);
    Path root = Path.of(System.getProperty("infermint.root", "..")).toAbsolutePath().normalize();
    shots = root.resolve(System.getProperty("infermint.screenshots", "e2e/target/screenshots"));
    Files.createDirectories(shots);
    chromium = new ConsoleBrowser();
    adminProfile = chromium.context();
    admin = adminProfile.newPage();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  @Order(1)
  void aPlatformAdminSignsInThroughKeycloakAndSeesTheirRole() {
    ConsoleBrowser.login(admin, console, "admin", "admin");
    assertEquals("admin", admin.textContent("#username").trim());
    assertTrue(admin.textContent("#roles").contains("platform-admin"));
    assertTrue(admin.isVisible("nav[aria-label=Main] >> text=Tenants"), "a platform-admin gets the tenants list");
    shot(admin, "home");
  }

  @Test
  @Order(2)
  void aTenantIsCreatedAndAFormProblemIsShownNextToItsField() {
    admin.navigate(console + "/tenants");
    admin.fill("#name", tenantName);
    admin.fill("#slug", "Not A Slug");
    admin.click("text=Create tenant");
    assertThat(admin.locator("#slug")).hasAttribute("aria-invalid", "true");
    assertTrue(admin.textContent("#slug-error").contains("slug"), admin.textContent("#slug-error"));
    assertEquals(tenantName, admin.inputValue("#name"), "what was typed is kept");

    admin.fill("#slug", tenantSlug);
    admin.click("text=Create tenant");
    admin.waitForURL("**/tenants/*?created=1");
    tenantId = admin.url().replaceAll(".*/tenants/([^/?]+).*", "$1");
    assertEquals(tenantName, admin.textContent("main h1").trim());

    otherTenantId = given().auth().oauth2(TestTokens.password(stack.keycloakUrl(), "admin", "admin"))
        .contentType(ContentType.JSON).body(Map.of("name", otherName, "slug", "console-other-" + run))
        .post(stack.gatewayUrl() + "/api/v1/tenants").then().statusCode(201).extract().path("id");

    admin.navigate(console + "/tenants");
    admin.fill("#q", tenantSlug);
    admin.press("#q", "Enter");
    admin.waitForLoadState(LoadState.NETWORKIDLE);
    assertEquals(1, admin.locator("#tenant-results tbody tr").count(), admin.innerText("#tenant-results"));
    admin.fill("#q", "");
    admin.press("#q", "Enter");
    admin.waitForLoadState(LoadState.NETWORKIDLE);
    shot(admin, "tenants");

    // The switcher in a tenant's header opens another tenant.
    admin.navigate(console + "/tenants/" + tenantId);
    admin.selectOption("#switch-tenant", otherTenantId);
    admin.click("form.switcher button");
    admin.waitForURL("**/tenants/" + otherTenantId);
    assertEquals(otherName, admin.textContent("main h1").trim());
  }

  @Test
  @Order(3)
  void membersAreInvitedWithTheirRole() {
    admin.navigate(console + "/tenants/" + tenantId);
    invite(adminEmail, "tenant-admin");
    invite(memberEmail, "tenant-member");
    String members = admin.innerText("section[aria-labelledby=members-title] table");
    assertTrue(members.contains(adminEmail) && members.contains(memberEmail), members);
    shot(admin, "tenant");
  }

  @Test
  @Order(4)
  void aKeyIsShownOnceWithACopyButtonAndAnotherIsRevoked() {
    adminProfile.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext
        .GrantPermissionsOptions().setOrigin(console));
    admin.navigate(console + "/tenants/" + tenantId + "/keys");
    assertTrue(admin.isVisible("text=No API keys yet"), "the empty state says what to do");
    admin.fill("#name", "console");
    admin.check("input[name=scopes][value=admin]");
    admin.click("text=Create key");
    apiKey = admin.inputValue("#secret");
    assertTrue(apiKey.startsWith("imk_"), apiKey);
    assertTrue(admin.textContent("[role=alert]").contains("shown only this once"));
    admin.click("[data-copy]");
    assertThat(admin.locator(".copied")).hasText("Copied.");

    admin.navigate(console + "/tenants/" + tenantId + "/keys");
    admin.fill("#name", "doomed");
    admin.click("text=Create key");
    admin.waitForSelector("#secret");
    admin.navigate(console + "/tenants/" + tenantId + "/keys");
    admin.click("tr:has-text('doomed') >> text=Revoke…");
    assertThat(admin.locator("main h1")).containsText("Revoke the key “doomed”");
    admin.click("button:has-text('Revoke key')");
    admin.waitForURL("**/tenants/" + tenantId + "/keys");
    assertTrue(admin.innerText("tr:has-text('doomed')").toUpperCase().contains("REVOKED"),
        admin.innerText("tr:has-text('doomed')"));
    assertTrue(admin.innerText("tr:has-text('console')").toUpperCase().contains("ACTIVE"));
    assertFalse(admin.content().contains(apiKey), "the list never shows a secret");
    shot(admin, "keys");
  }

  @Test
  @Order(5)
  void theTenantAdminUploadsAModelAndTheProgressBarReaches100() throws IOException {
    String password = Keycloak.acceptInvitation(stack, Keycloak.userIdByEmail(stack, adminEmail), adminEmail);
    tenantAdmin = chromium.context().newPage();
    // Every change of the progress bar is written to sessionStorage, which outlives the page's redirect.
    tenantAdmin.addInitScript("document.addEventListener('DOMContentLoaded', () => {"
        + " const p = document.querySelector('progress'); if (!p) return;"
        + " new MutationObserver(() => { const seen = JSON.parse(sessionStorage.getItem('progress') || '[]');"
        + " seen.push(Number(p.value)); sessionStorage.setItem('progress', JSON.stringify(seen)); })"
        + ".observe(p, {attributes: true, childList: true, subtree: true, characterData: true}); });");
    ConsoleBrowser.login(tenantAdmin, console, adminEmail, password);
    assertTrue(tenantAdmin.isVisible("nav[aria-label=Main] >> text=My tenant"));
    assertFalse(tenantAdmin.isVisible("nav[aria-label=Main] >> text=Tenants"), "no tenants list for a tenant-admin");

    Path big = Files.createTempFile("console-affine", ".onnx");
    Files.write(big, OnnxModelBuilder.affine(new float[5_000_000], new float[5_000_000])); // 40 MB
    tenantAdmin.navigate(console + "/models");
    tenantAdmin.fill("#upload-name", "console-affine");
    tenantAdmin.setInputFiles("#upload-file", big);
    tenantAdmin.click("form[data-upload] button[type=submit]");
    tenantAdmin.waitForURL("**/models/console-affine?uploaded=1", new Page.WaitForURLOptions().setTimeout(120_000));
    assertTrue(tenantAdmin.textContent("[role=status]").contains("Version 1 uploaded"));
    List<?> seen = JsonPath.from(String.valueOf(tenantAdmin.evaluate("sessionStorage.getItem('progress')")))
        .getList("$");
    assertTrue(seen.contains(100), "the progress bar reached 100 %: " + seen);
    Files.delete(big);

    // The registry's problem shows next to the field it names.
    Path junk = Files.createTempFile("junk", ".onnx");
    Files.writeString(junk, "this is not a model");
    tenantAdmin.setInputFiles("#upload-file", junk);
    tenantAdmin.click("form[data-upload] button[type=submit]");
    tenantAdmin.waitForSelector("[data-error=file]:not([hidden])");
    assertTrue(tenantAdmin.textContent("[data-error=file]").contains("not an ONNX model"),
        tenantAdmin.textContent("[data-error=file]"));
    Files.delete(junk);
    shot(tenantAdmin, "model");
  }

  @Test
  @Order(6)
  void tryItSendsARequestBuiltFromTheSignature() throws IOException {
    Path tiny = Files.createTempFile("console-tiny", ".onnx");
    Files.write(tiny, OnnxModelBuilder.affine(new float[] {2, 2, 2, 2}, new float[] {1, 1, 1, 1}));
    tenantAdmin.navigate(console + "/models");
    tenantAdmin.fill("#upload-name", "console-tiny");
    tenantAdmin.setInputFiles("#upload-file", tiny);
    tenantAdmin.click("form[data-upload] button[type=submit]");
    tenantAdmin.waitForURL("**/models/console-tiny?uploaded=1", new Page.WaitForURLOptions().setTimeout(60_000));
    Files.delete(tiny);
    assertTrue(tenantAdmin.innerText("table.signature").contains("FP32"), tenantAdmin.innerText("table.signature"));

    assertEquals("1,4", tenantAdmin.inputValue("input[name='shape.x']"), "one row of the signature's [N,4]");
    tenantAdmin.fill("#apiKey", apiKey);
    tenantAdmin.fill("textarea[name='data.x']", "[1, 2, 3, 4]");
    tenantAdmin.click("#try-form button[type=submit]");
    String answer = tenantAdmin.textContent("#try-answer");
    assertTrue(answer.contains("\"model_name\" : \"console-tiny\""), answer);
    assertTrue(answer.replaceAll("\\s", "").contains("[3.0,5.0,7.0,9.0]"), answer);

    tenantAdmin.fill("#apiKey", apiKey);
    tenantAdmin.fill("textarea[name='data.x']", "[1, 2,");
    tenantAdmin.click("#try-form button[type=submit]");
    assertTrue(tenantAdmin.textContent("textarea[name='data.x'] + .field-error").contains("JSON array"));
  }

  @Test
  @Order(7)
  void theUsageChartMovesAfterCalls() {
    String usage = console + "/tenants/" + tenantId + "/usage";
    int before = awaitRequestsToday(usage, 1);
    for (int i = 0; i < 3; i++) {
      given().auth().oauth2(apiKey).contentType(ContentType.JSON)
          .body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 4), "datatype", "FP32",
              "data", List.of(1, 2, 3, 4)))))
          .post(stack.gatewayUrl() + "/v2/models/console-tiny/infer").then().statusCode(200);
    }
    int after = awaitRequestsToday(usage, before + 3);
    assertEquals(before + 3, after, "each call counted once");
    tenantAdmin.waitForSelector("#usage-chart[data-rendered=true]");
    tenantAdmin.waitForSelector("#usage-models-chart[data-rendered=true]");
    assertTrue(tenantAdmin.innerText("#usage-models").contains("console-tiny"));
    assertTrue(tenantAdmin.innerText("#quota-month").contains(" of "), tenantAdmin.innerText("#quota-month"));

    Download csv = tenantAdmin.waitForDownload(() -> tenantAdmin.click("text=CSV by day"));
    String text = readDownload(csv);
    assertTrue(text.startsWith("day,requests,units,computeMs"), text);
    assertTrue(text.contains("," + after + ","), text);
    shot(tenantAdmin, "usage");
  }

  @Test
  @Order(8)
  void aTenantAdminCannotReachAnotherTenantsPages() {
    for (String path : List.of("", "/keys", "/usage", "/billing", "/audit")) {
      com.microsoft.playwright.Response r = tenantAdmin.navigate(console + "/tenants/" + otherTenantId + path);
      assertEquals(404, r.status(), path);
      assertEquals("Not found", tenantAdmin.textContent("main h1").trim(), path);
      assertFalse(tenantAdmin.content().contains(otherName), "nothing of the other tenant shows on " + path);
    }
  }

  @Test
  @Order(9)
  void aTenantMemberGetsReadOnlyPages() {
    String password = Keycloak.acceptInvitation(stack, Keycloak.userIdByEmail(stack, memberEmail), memberEmail);
    Page member = chromium.context().newPage();
    ConsoleBrowser.login(member, console, memberEmail, password);
    member.navigate(console + "/tenants/" + tenantId + "/keys");
    assertTrue(member.innerText("main").contains("console"), "the member sees the keys");
    assertEquals(0, member.locator("text=Create a key").count(), "but no form to create one");
    assertEquals(0, member.locator("text=Revoke…").count());
    member.navigate(console + "/tenants/" + tenantId);
    assertEquals(0, member.locator("text=Invite a member").count());
    member.navigate(console + "/models");
    assertEquals(0, member.locator("form[data-upload]").count());
    member.navigate(console + "/tenants/" + tenantId + "/usage");
    assertTrue(member.isVisible("#usage-days"));
    member.context().close();
  }

  @Test
  @Order(10)
  void thePlatformAdminChangesThePlanWithPaymentSyncOff() {
    // A tenant-admin's plan change goes through Stripe Checkout, which is off in this stack: the page says so.
    tenantAdmin.navigate(console + "/tenants/" + tenantId + "/billing");
    tenantAdmin.selectOption("#plan", "pro");
    tenantAdmin.click("button:has-text('Go to checkout')");
    assertThat(tenantAdmin.locator("main p.error")).containsText("Payment sync is off");
    assertTrue(tenantAdmin.innerText("#current-plan").contains("Free"), "the plan did not change");

    admin.navigate(console + "/tenants/" + tenantId + "/billing");
    assertTrue(admin.isVisible("#payment-sync-off"), "a clear banner when payment sync is off");
    assertTrue(admin.innerText("#current-plan").contains("Free"), admin.innerText("#current-plan"));
    admin.selectOption("#plan", "pro");
    admin.click("button:has-text('Change plan')");
    admin.waitForURL("**/billing?changed=pro");
    assertTrue(admin.innerText("#current-plan").contains("Pro"), admin.innerText("#current-plan"));
    assertTrue(admin.isVisible("#upcoming-invoice"));
    shot(admin, "billing");
  }

  @Test
  @Order(11)
  void aLicenceIsIssuedAndItsFileDownloaded() {
    admin.navigate(console + "/licences");
    admin.selectOption("#tenantId", tenantId);
    admin.fill("#product", "minilm-offline");
    admin.fill("#maxMachines", "2");
    admin.fill("#entitlements", "model:all-minilm-l6-v2");
    admin.click("button:has-text('Issue licence')");
    String key = admin.inputValue("#secret");
    assertTrue(key.startsWith("lic_"), key);
    Download file = admin.waitForDownload(() -> admin.click("text=Download the licence file"));
    String jws = readDownload(file).trim();
    String[] parts = jws.split("\\.");
    assertEquals(3, parts.length, "a compact JWS: " + jws);
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertTrue(header.contains("\"EdDSA\""), header);
    assertTrue(claims.contains(tenantId) && claims.contains("model:all-minilm-l6-v2"), claims);

    admin.click("text=Open the licence");
    assertThat(admin.locator("main")).containsText("0 of 2 activated");
    admin.click("button:has-text('Suspend')");
    assertThat(admin.locator("main h1")).containsText("SUSPENDED");
    admin.click("button:has-text('Reinstate')");
    assertThat(admin.locator("main h1")).containsText("ACTIVE");
    shot(admin, "licence");
    admin.navigate(console + "/licences?tenant=" + tenantId);
    assertEquals(1, admin.locator("#licences tbody tr").count());
    shot(admin, "licences");
  }

  @Test
  @Order(12)
  void everyMainPageIsLightLabelledAndServedByTheConsoleAlone() {
    List<String> external = new ArrayList<>();
    for (String url : chromium.requested()) {
      if (!ConsoleBrowser.loopback(url)) {
        external.add(url);
      }
    }
    assertTrue(external.isEmpty(), "requests that left the machine: " + external);

    // Each page in a new tab: the browser's Resource Timing says what the page and everything it loaded took on the
    // wire (encoded, i.e. compressed, body bytes) and once decoded.
    Page fresh = adminProfile.newPage();
    for (Map.Entry<String, String> page : mainPages.entrySet()) {
      fresh.navigate(page.getValue());
      fresh.waitForLoadState(LoadState.NETWORKIDLE);
      List<?> sizes = JsonPath.from(String.valueOf(fresh.evaluate("JSON.stringify([performance.getEntries()"
          + ".filter(e => 'encodedBodySize' in e).reduce((s, e) => s + e.encodedBodySize, 0), performance"
          + ".getEntries().filter(e => 'decodedBodySize' in e).reduce((s, e) => s + e.decodedBodySize, 0)])")))
          .getList("$");
      long wire = ((Number) sizes.get(0)).longValue();
      long decoded = ((Number) sizes.get(1)).longValue();
      assertTrue(wire > 1000 && wire < PAGE_LIMIT_BYTES, page.getKey() + " weighs " + wire + " bytes on the wire");
      System.out.printf("console page %-8s %7d bytes on the wire, %7d decoded (%s)%n", page.getKey(), wire, decoded,
          page.getValue());
      // Every control has a label a screen reader reads, and the first Tab lands on the skip link.
      Object unlabelled = fresh.evaluate("Array.from(document.querySelectorAll('input, select, textarea'))"
          + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))"
          + ".map(e => e.name || e.id)");
      assertEquals(List.of(), unlabelled, page.getKey() + ": controls without a label");
      fresh.keyboard().press("Tab");
      assertEquals("Skip to content", String.valueOf(fresh.evaluate("document.activeElement.textContent")).trim(),
          page.getKey() + ": the first Tab goes to the skip link");
    }
    fresh.close();
  }

  @Test
  @Order(13)
  void logoutEndsTheSession() {
    admin.click("text=Log out");
    admin.waitForURL("**/signed-out**");
    assertTrue(admin.textContent("main h1").contains("You are signed out"));
    admin.navigate(console + "/tenants");
    assertTrue(admin.url().startsWith(stack.keycloakUrl()), "asked to sign in again: " + admin.url());
  }

  private void invite(String email, String role) {
    admin.fill("#email", email);
    admin.selectOption("#role", role);
    admin.click("button:has-text('Invite')");
    admin.waitForURL("**/tenants/" + tenantId + "?invited=*");
    assertTrue(admin.textContent("[role=status]").contains("Invited " + email));
  }

  /** Reloads the usage page until today's requests reach {@code atLeast} (billing reads the stream in batches). */
  private int awaitRequestsToday(String usage, int atLeast) {
    int[] seen = {0};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      tenantAdmin.navigate(usage);
      if (tenantAdmin.locator("#usage-days tbody tr").count() == 0) {
        return false;
      }
      seen[0] = Integer.parseInt(tenantAdmin.textContent("#usage-days tbody tr:last-child td:nth-child(2)").trim());
      return seen[0] >= atLeast;
    });
    return seen[0];
  }

  private static String readDownload(Download download) {
    try {
      return Files.readString(download.path(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void shot(Page page, String name) {
    mainPages.put(name, page.url());
    page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(name + ".png")).setFullPage(true));
  }
}
