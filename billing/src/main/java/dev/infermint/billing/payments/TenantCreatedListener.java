package dev.infermint.billing.payments;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.billing.config.BillingConfig;

/**
 * Makes a tenant's customer as soon as the tenants service announces the tenant ({@code tenant_created} on the
 * PostgreSQL channel {@code infermint_tenancy}, sent when the creating transaction commits), and backfills every
 * tenant at start, after a lost channel (notifications sent meanwhile are gone) and every
 * {@code infermint.billing.customer-backfill-interval}. Runs only when the provider keeps customers.
 */
@ApplicationScoped
public class TenantCreatedListener {

  /** The channel the tenants service notifies on. */
  public static final String CHANNEL = "infermint_tenancy";

  private static final Logger LOG = Logger.getLogger(TenantCreatedListener.class);

  @Inject
  PaymentCustomers customers;
  @Inject
  ObjectMapper json;
  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;
  @ConfigProperty(name = "quarkus.datasource.username")
  String user;
  @ConfigProperty(name = "quarkus.datasource.password")
  String password;
  @Inject
  BillingConfig config;

  private volatile boolean running;
  private Thread thread;
  private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "payment-customers");
    t.setDaemon(true);
    return t;
  });

  void start(@Observes StartupEvent event) {
    if (!customers.enabled()) {
      return;
    }
    running = true;
    long every = config.customerBackfillInterval().toMillis();
    work.scheduleWithFixedDelay(this::backfill, 0, every, TimeUnit.MILLISECONDS);
    thread = new Thread(this::listen, "tenancy-events");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    work.shutdownNow();
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void backfill() {
    try {
      int made = customers.backfill();
      if (made > 0) {
        LOG.infof("Customer backfill: %d tenants got a customer", made);
      }
    } catch (RuntimeException e) {
      LOG.warnf("Customer backfill failed (%s); next try in %s", e.getMessage(),
          config.customerBackfillInterval());
    }
  }

  private void listen() {
    boolean first = true;
    while (running) {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
        st.execute("LISTEN " + CHANNEL);
        if (!first) {
          work.execute(this::backfill);
        }
        first = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              onNotification(n.getParameter());
            }
          }
        }
      } catch (SQLException e) {
        if (running) {
          LOG.warnf("Tenancy events channel lost (%s); reconnecting", e.getMessage());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private void onNotification(String payload) {
    try {
      JsonNode event = json.readTree(payload);
      if ("tenant_created".equals(event.path("type").asText())) {
        String tenantId = event.path("tenantId").asText();
        work.execute(() -> {
          try {
            customers.ensure(tenantId);
          } catch (RuntimeException e) {
            LOG.warnf("Could not make the customer of new tenant %s (%s); the backfill will", tenantId,
                e.getMessage());
          }
        });
      }
    } catch (java.io.IOException e) {
      LOG.debugf("Unreadable tenancy event %s", payload);
    }
  }
}
