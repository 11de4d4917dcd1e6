package dev.infermint.tenants.service;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The push channel: a plain JDBC connection {@code LISTEN}s on {@code infermint_tenancy}, as a gateway (or billing,
 * for new tenants) does, while the API creates tenants and changes keys and tenants.
 */
@QuarkusTest
class TenancyEventsTest {

  @Inject
  DataSource dataSource;

  @Test
  void creatingATenantNotifiesItOnce() throws Exception {
    try (Listener listener = new Listener()) {
      String tenant = createTenant("notify-create");
      assertEquals("{\"type\":\"tenant_created\",\"tenantId\":\"" + tenant + "\"}",
          listener.await(p -> p.contains(tenant)));
      assertFalse(listener.untilMarker().stream().anyMatch(p -> p.contains(tenant)));
    }
  }

  @Test
  void aCreationThatRollsBackNotifiesNobody() throws Exception {
    String slug = uniqueSlug("notify-create-rollback");
    // A deferred constraint trigger fails the creating transaction at COMMIT, after pg_notify has run inside it.
    execute("create or replace function tenants.refuse_test_commit() returns trigger language plpgsql as "
        + "$$ begin raise exception 'refused by test at commit'; end $$");
    execute("create constraint trigger refuse_test_create after insert on tenants.tenant deferrable initially "
        + "deferred for each row when (new.slug = '" + slug + "') execute function tenants.refuse_test_commit()");
    try (Listener listener = new Listener()) {
      asService().body(Map.of("name", "Rollback " + slug, "slug", slug)).post("/api/v1/tenants")
          .then().statusCode(500).contentType(PROBLEM_JSON).body("code", equalTo("internal_error"));
      List<String> heard = listener.untilMarker();
      assertFalse(heard.stream().anyMatch(p -> p.contains(TenancyEvents.TENANT_CREATED)), heard.toString());
    } finally {
      execute("drop trigger refuse_test_create on tenants.tenant");
    }
  }

  @Test
  void revokingAKeyNotifiesItsHashOnce() throws Exception {
    String tenant = createTenant("notify-revoke");
    JsonPath key = createKey(tenant);
    String expected = "{\"type\":\"api_key_revoked\",\"keyHash\":\"" + sha256(key.getString("key"))
        + "\",\"tenantId\":\"" + tenant + "\"}";
    try (Listener listener = new Listener()) {
      asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/" + key.getString("id"))
          .then().statusCode(204);
      assertEquals(expected, listener.await(p -> p.contains(tenant)));
      // Revoking again changes nothing, so nothing is announced: all that arrives before the marker is nothing.
      asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/" + key.getString("id"))
          .then().statusCode(204);
      assertFalse(listener.untilMarker().stream().anyMatch(p -> p.contains(tenant)));
    }
  }

  @Test
  void suspendReactivateAndPlanChangeNotifyTheTenant() throws Exception {
    String tenant = createTenant("notify-tenant");
    String expected = "{\"type\":\"tenant_changed\",\"tenantId\":\"" + tenant + "\"}";
    try (Listener listener = new Listener()) {
      asService().post("/api/v1/tenants/" + tenant + "/suspend").then().statusCode(200);
      assertEquals(expected, listener.await(p -> p.contains(tenant)));
      asService().post("/api/v1/tenants/" + tenant + "/reactivate").then().statusCode(200);
      assertEquals(expected, listener.await(p -> p.contains(tenant)));
      asService().body(Map.of("plan", "enterprise")).put("/internal/tenants/" + tenant + "/plan")
          .then().statusCode(200);
      assertEquals(expected, listener.await(p -> p.contains(tenant)));
    }
  }

  @Test
  void deletingATenantNotifiesEveryKeyAndTheTenant() throws Exception {
    String tenant = createTenant("notify-delete");
    String first = sha256(createKey(tenant).getString("key"));
    String second = sha256(createKey(tenant).getString("key"));
    try (Listener listener = new Listener()) {
      asService().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
      List<String> heard = new ArrayList<>();
      heard.add(listener.await(p -> p.contains(tenant)));
      heard.add(listener.await(p -> p.contains(tenant)));
      heard.add(listener.await(p -> p.contains(tenant)));
      assertTrue(heard.contains("{\"type\":\"api_key_revoked\",\"keyHash\":\"" + first + "\",\"tenantId\":\""
          + tenant + "\"}"), heard.toString());
      assertTrue(heard.contains("{\"type\":\"api_key_revoked\",\"keyHash\":\"" + second + "\",\"tenantId\":\""
          + tenant + "\"}"), heard.toString());
      assertTrue(heard.contains("{\"type\":\"tenant_changed\",\"tenantId\":\"" + tenant + "\"}"), heard.toString());
    }
  }

  @Test
  void aChangeThatRollsBackNotifiesNobody() throws Exception {
    String slug = uniqueSlug("notify-rollback");
    String tenant = asService().body(Map.of("name", "Rollback " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(201).extract().path("id");
    // A deferred constraint trigger fails the transaction at COMMIT, after pg_notify has run inside it.
    execute("create or replace function tenants.refuse_test_commit() returns trigger language plpgsql as "
        + "$$ begin raise exception 'refused by test at commit'; end $$");
    execute("create constraint trigger refuse_test_commit after update on tenants.tenant deferrable initially "
        + "deferred for each row when (new.slug = '" + slug + "') execute function tenants.refuse_test_commit()");
    try (Listener listener = new Listener()) {
      asService().body(Map.of("plan", "pro")).put("/internal/tenants/" + tenant + "/plan")
          .then().statusCode(500).contentType(PROBLEM_JSON).body("code", equalTo("internal_error"));
      asService().post("/api/v1/tenants/" + tenant + "/suspend")
          .then().statusCode(500).contentType(PROBLEM_JSON).body("code", equalTo("internal_error"));
      List<String> heard = listener.untilMarker();
      assertFalse(heard.stream().anyMatch(p -> p.contains(tenant)), heard.toString());
    } finally {
      execute("drop trigger refuse_test_commit on tenants.tenant");
    }
    asService().get("/internal/tenants/" + tenant)
        .then().statusCode(200).body("plan", equalTo("free"), "status", equalTo("active"));
    asService().get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200).body("events.action", not(hasItem("tenant.plan_changed")))
        .body("events.action", not(hasItem("tenant.suspended")));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static JsonPath createKey(String tenant) {
    return asTenant(tenant, "tenant-admin").body(Map.of("name", "k"))
        .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().jsonPath();
  }

  private static String sha256(String key) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** A gateway's view of the channel: its own connection, LISTENing from construction on. */
  static final class Listener implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Connection connection;
    private final PGConnection pg;
    private final List<String> backlog = new ArrayList<>();

    Listener() throws SQLException {
      var config = ConfigProvider.getConfig();
      connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
          config.getValue("quarkus.datasource.username", String.class),
          config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
      pg = connection.unwrap(PGConnection.class);
      try (Statement s = connection.createStatement()) {
        s.execute("LISTEN " + TenancyEvents.CHANNEL);
      }
    }

    /** @return the first payload (not yet returned) that matches, waiting for it up to 20 s */
    String await(Predicate<String> wanted) throws SQLException {
      Instant deadline = Instant.now().plus(PATIENCE);
      while (true) {
        for (int i = 0; i < backlog.size(); i++) {
          if (wanted.test(backlog.get(i))) {
            return backlog.remove(i);
          }
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          throw new AssertionError("no matching notification within " + PATIENCE + "; heard " + backlog);
        }
        receive((int) Math.min(left, 500));
      }
    }

    /**
     * Sends a marker notification in a transaction of its own and returns everything heard before it. PostgreSQL
     * delivers notifications in commit order, so anything committed before the marker is in the answer.
     */
    List<String> untilMarker() throws SQLException {
      String marker = "marker-" + System.nanoTime();
      try (Connection other = DriverManager.getConnection(
          ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class),
          ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class),
          ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
           Statement s = other.createStatement()) {
        s.execute("select pg_notify('" + TenancyEvents.CHANNEL + "', '" + marker + "')");
      }
      await(marker::equals);
      List<String> heard = new ArrayList<>(backlog);
      backlog.clear();
      return heard;
    }

    private void receive(int timeoutMillis) throws SQLException {
      PGNotification[] notifications = pg.getNotifications(timeoutMillis);
      if (notifications != null) {
        for (PGNotification n : notifications) {
          backlog.add(n.getParameter());
        }
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
