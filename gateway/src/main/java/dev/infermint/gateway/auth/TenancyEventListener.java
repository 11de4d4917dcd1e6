package dev.infermint.gateway.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.gateway.routing.ModelPlacements;

/**
 * The push channel: listens on PostgreSQL channel {@value #CHANNEL}, where the tenants service announces, in the
 * transaction that makes the change, revoked keys ({@code api_key_revoked}) and suspended, deleted or re-planned
 * tenants ({@code tenant_changed}). Every gateway replica forgets the affected cache entries at once, so such changes
 * reach all of them well within 5 s; the key cache's TTL stays as the fallback. The same connection listens on the
 * registry's {@value #REGISTRY_CHANNEL}: any event there re-reads the placement table ({@link ModelPlacements}).
 *
 * <p>One daemon thread holds one connection; when it drops, the thread reconnects and forgets the whole cache, since
 * events sent meanwhile are lost.
 */
@ApplicationScoped
public class TenancyEventListener {

  /** The PostgreSQL notification channel. */
  public static final String CHANNEL = "infermint_tenancy";
  /** The model registry's channel: any event there may move a model's placement. */
  public static final String REGISTRY_CHANNEL = "infermint_registry";

  private static final Logger LOG = Logger.getLogger(TenancyEventListener.class);

  @Inject
  GatewayConfig config;
  @Inject
  ApiKeyAuthenticator authenticator;
  @Inject
  ObjectMapper json;
  @Inject
  ModelPlacements placements;

  private volatile boolean running;
  private Thread thread;

  void start(@Observes StartupEvent event) {
    if (config.eventsDbUrl().isEmpty()) {
      LOG.warn("No events database (INFERMINT_DB_URL): revocations reach this gateway through the key cache TTL only");
      return;
    }
    running = true;
    thread = new Thread(this::listen, "tenancy-events");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void listen() {
    boolean firstConnection = true;
    while (running) {
      try (Connection c = DriverManager.getConnection(config.eventsDbUrl().get(), config.eventsDbUser(),
          config.eventsDbPassword()); Statement st = c.createStatement()) {
        st.execute("LISTEN " + CHANNEL);
        st.execute("LISTEN " + REGISTRY_CHANNEL);
        placements.refresh();
        if (!firstConnection) {
          authenticator.invalidateAll();
          LOG.info("Tenancy events channel back; cached keys forgotten");
        }
        firstConnection = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              if (REGISTRY_CHANNEL.equals(n.getName())) {
                placements.refresh();
              } else {
                apply(n.getParameter());
              }
            }
          }
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warnf("Tenancy events channel lost (%s); reconnecting", e.getMessage());
          sleep();
        }
      }
    }
  }

  /**
   * Applies one event.
   *
   * @param payload the notification's JSON payload
   */
  void apply(String payload) {
    try {
      JsonNode event = json.readTree(payload);
      switch (event.path("type").asText()) {
        case "api_key_revoked" -> authenticator.invalidateKey(event.path("keyHash").asText());
        case "tenant_changed" -> authenticator.invalidateTenant(event.path("tenantId").asText());
        case "tenant_created" -> { } // for billing; nothing is cached for a tenant that did not exist
        default -> authenticator.invalidateAll();
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warnf("Unreadable tenancy event %s; forgetting every cached key", payload);
      authenticator.invalidateAll();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
