package dev.infermint.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.stack.EmbeddedDatabase;
import dev.infermint.stack.KeycloakServer;
import dev.infermint.stack.Ports;

/**
 * Gives tests a real Keycloak with realm {@code infermint}. When {@code INFERMINT_TEST_KEYCLOAK_URL} is set (the
 * README's test command starts one Keycloak for the whole run and sets it, together with
 * {@code INFERMINT_SERVICES_CLIENT_SECRET}) it uses that one; otherwise it starts its own on a free port, with its
 * own embedded PostgreSQL, and stops both at the end.
 *
 * <p>Sets {@code infermint.keycloak.url} (services derive {@code quarkus.oidc.auth-server-url} from it) and
 * {@code infermint.keycloak.services-client-secret} and {@code infermint.keycloak.web-admin-client-secret} (the
 * secrets of clients {@code infermint-services} and {@code infermint-web-admin}).
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedDatabase db;
  private KeycloakServer keycloak;

  /** @return the URL and service secret of the Keycloak the run shares, starting one if none is shared */
  @Override
  public Map<String, String> start() {
    String url = System.getenv("INFERMINT_TEST_KEYCLOAK_URL");
    String secret = System.getenv("INFERMINT_SERVICES_CLIENT_SECRET");
    String webSecret = System.getenv("INFERMINT_WEB_ADMIN_CLIENT_SECRET");
    if (url == null || url.isBlank()) {
      secret = UUID.randomUUID().toString();
      webSecret = UUID.randomUUID().toString();
      try {
        Path dir = Files.createTempDirectory("infermint-test-kc");
        db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
        keycloak = new KeycloakServer(KeycloakServer.install(), Ports.free(),
            db.jdbcUrl(EmbeddedDatabase.KEYCLOAK_DB),
            Map.of("INFERMINT_SERVICES_CLIENT_SECRET", secret,
                "INFERMINT_WEB_ADMIN_CLIENT_SECRET", webSecret),
            dir.resolve("keycloak.log"));
        keycloak.start();
        url = keycloak.url();
      } catch (IOException e) {
        stop();
        throw new UncheckedIOException("Keycloak did not start", e);
      }
    }
    Map<String, String> config = new HashMap<>();
    config.put("infermint.keycloak.url", url);
    config.put("infermint.keycloak.services-client-secret", secret);
    if (webSecret != null) {
      config.put("infermint.keycloak.web-admin-client-secret", webSecret);
    }
    TestTokens.keycloakUrl = url;
    TestTokens.servicesSecret = secret;
    return config;
  }

  @Override
  public void stop() {
    if (keycloak != null) {
      keycloak.close();
    }
    if (db != null) {
      try {
        db.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
