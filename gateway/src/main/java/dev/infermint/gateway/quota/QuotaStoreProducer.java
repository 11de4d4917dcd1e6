package dev.infermint.gateway.quota;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import dev.infermint.gateway.client.EventLoopRedis;
import dev.infermint.gateway.config.GatewayConfig;

/** Builds the {@link QuotaStore} that {@code infermint.gateway.quota.store} names; only that one is created. */
@ApplicationScoped
public class QuotaStoreProducer {

  @Produces
  @Singleton
  QuotaStore quotaStore(GatewayConfig config, Instance<EventLoopRedis> redis, Vertx vertx, MeterRegistry metrics) {
    GatewayConfig.Quota quota = config.quota();
    return switch (quota.store()) {
      case "local" -> new LocalQuotaStore();
      case "redis" -> new RedisQuotaStore(redis.get(), vertx, quota.redisTimeout().toMillis(),
          quota.busyTimeout().toMillis(),
          !"closed".equals(quota.onRedisFailure()), metrics);
      default -> throw new IllegalStateException("infermint.gateway.quota.store must be 'redis' or 'local', not '"
          + quota.store() + "'");
    };
  }
}
