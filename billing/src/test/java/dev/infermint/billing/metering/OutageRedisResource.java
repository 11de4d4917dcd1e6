package dev.infermint.billing.metering;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Names a second Redis client, {@code outage}, on a local port where {@link CuttableLink} relays to the real Redis
 * only while a test wants Redis to be up. Nothing listens there until then.
 */
public class OutageRedisResource implements QuarkusTestResourceLifecycleManager {

  /** Config key holding the link's port. */
  static final String PORT = "infermint.test.outage-redis-port";

  @Override
  public Map<String, String> start() {
    int port = CuttableLink.freePort();
    return Map.of("quarkus.redis.outage.hosts", "redis://127.0.0.1:" + port, PORT, String.valueOf(port));
  }

  @Override
  public void stop() {
    // The link belongs to the test that opened it.
  }
}
