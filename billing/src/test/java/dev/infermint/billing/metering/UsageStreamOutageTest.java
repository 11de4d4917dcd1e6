package dev.infermint.billing.metering;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.billing.config.MeteringConfig;
import dev.infermint.billing.service.UsageService;
import dev.infermint.metering.UsageStream;

/**
 * A second consumer, on a stream of its own, reaches the real Redis through a link the test cuts: Redis looks down to
 * it while the gateway (writing straight to Redis) goes on appending.
 */
@QuarkusTest
class UsageStreamOutageTest {

  @Inject
  @RedisClientName("outage")
  RedisDataSource throughLink;
  @Inject
  RedisDataSource redis;
  @Inject
  MeteringConfig config;
  @Inject
  UsageService usage;
  @Inject
  GatewayUsageStandIn gateway;
  @ConfigProperty(name = "infermint.test.redis-url")
  String redisUrl;
  @ConfigProperty(name = OutageRedisResource.PORT)
  int linkPort;

  private List<String> append(String stream, String tenant, int n) {
    List<String> eventIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> e = GatewayUsageStandIn.entry(tenant, "m", 1, 1, Instant.now());
      redis.stream(String.class).xadd(stream, e);
      eventIds.add(e.get(UsageStream.ID));
    }
    return eventIds;
  }

  @Test
  void whileRedisIsUnreachableTheConsumerBacksOffAndCatchesUpWhenItIsBack() {
    String stream = "test:billing:outage:" + UUID.randomUUID();
    String tenant = UUID.randomUUID().toString();
    URI upstream = URI.create(redisUrl);
    UsageStreamConsumer consumer = new UsageStreamConsumer(new OwnStream(config, stream), usage, throughLink,
        new SimpleMeterRegistry(), 0);
    // Written before billing ever read this stream: a group created at its start bills them.
    List<String> early = append(stream, tenant, 50);
    try (CuttableLink link = new CuttableLink(linkPort, upstream.getHost(), upstream.getPort())) {
      try {
        consumer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.consecutiveFailures() >= 2);
        int seen = consumer.consecutiveFailures();
        // Backing off 0.5 s, 1 s, 2 s, ... rather than spinning: at most two more attempts in the next two seconds.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
            .until(() -> consumer.consecutiveFailures() <= seen + 2);
        assertEquals(0, gateway.storedEvents(early));

        link.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.storedEvents(early) == early.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.consecutiveFailures() == 0);

        // Cut while it waits on a read: what is appended meanwhile is billed after the link is back, once.
        link.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.consecutiveFailures() >= 1);
        List<String> during = append(stream, tenant, 20);
        link.restore();
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.storedEvents(during) == during.size());
        assertEquals(early.size(), gateway.storedEvents(early));
      } finally {
        consumer.stop();
      }
    } finally {
      redis.key().del(stream);
    }
  }

  /** The module's settings, on another stream and consumer name. */
  private record OwnStream(MeteringConfig base, String stream) implements MeteringConfig {

    @Override
    public boolean enabled() {
      return true;
    }

    @Override
    public Optional<String> consumer() {
      return Optional.of("billing-outage-test");
    }

    @Override
    public int batchSize() {
      return base.batchSize();
    }

    @Override
    public Duration block() {
      return base.block();
    }

    @Override
    public Duration linger() {
      return base.linger();
    }

    @Override
    public Duration claimIdle() {
      return base.claimIdle();
    }

    @Override
    public Duration recoveryInterval() {
      return base.recoveryInterval();
    }

    @Override
    public Duration retention() {
      return base.retention();
    }

    @Override
    public Duration trimInterval() {
      return base.trimInterval();
    }

    @Override
    public Duration maxBackoff() {
      return base.maxBackoff();
    }
  }
}
