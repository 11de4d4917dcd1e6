package dev.infermint.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway finds the services behind it, and how long it trusts what it learnt from them. */
@ConfigMapping(prefix = "infermint.gateway")
public interface GatewayConfig {

  /** Base URL of the tenants service (API keys, tenants). */
  @WithDefault("http://localhost:8082")
  URI tenantsUrl();

  /** Base URL of the model registry. */
  @WithDefault("http://localhost:8083")
  URI registryUrl();

  /**
   * Base URLs of the inference workers ({@code INFERMINT_WORKER_URLS}, comma-separated); calls for a model without a
   * ready placement are balanced over them by least outstanding requests. A deployed model's calls go to the workers
   * the registry placed it on ({@code ModelPlacements}), listed here or not.
   */
  @WithDefault("http://localhost:8084")
  List<URI> workerUrls();

  /** How often the registry's placement table is read besides on its notifications. */
  @WithDefault("5s")
  Duration placementRefresh();

  /** Base URL of the billing service (plans, usage). */
  @WithDefault("http://localhost:8085")
  URI billingUrl();

  /** How long an API key lookup is cached; revocation reaches the gateway within this time. */
  @WithDefault("2s")
  Duration keyCacheTtl();

  /** How long the plan catalog (limits per plan) is cached. */
  @WithDefault("30s")
  Duration planCacheTtl();

  /** Largest inference request body accepted; larger ones get 413. */
  @WithDefault("67108864")
  long maxInferenceBodyBytes();

  /**
   * Deadline of an inference call: the worker is told it ({@code X-Infermint-Deadline}) and drops the call once it
   * has passed; the gateway answers 504 {@code upstream_timeout} when no answer has started by then.
   */
  @WithDefault("30s")
  Duration inferenceTimeout();

  /** Timeout of a call to a service behind the gateway, response headers included. */
  @WithDefault("60s")
  Duration upstreamTimeout();

  /** Longest wait for a buffered internal call (key lookup, plans, batches) to be answered. */
  @WithDefault("5s")
  Duration internalCallTimeout();

  /** Connect timeout to services behind the gateway. */
  @WithDefault("2s")
  Duration connectTimeout();

  /**
   * JDBC URL of the PostgreSQL database where the tenants service announces revocations, suspensions and plan
   * changes ({@code NOTIFY infermint_tenancy}); without it the gateway relies on the key cache's TTL alone.
   */
  Optional<String> eventsDbUrl();

  /** User for {@link #eventsDbUrl()}. */
  @WithDefault("postgres")
  String eventsDbUser();

  /** Password for {@link #eventsDbUrl()}. */
  @WithDefault("postgres")
  String eventsDbPassword();

  /** How often the last-used times of API keys are sent to the tenants service, in one batch. */
  @WithDefault("30s")
  Duration lastUsedFlushInterval();

  /** Quotas: where the counters live and what happens when that store fails. */
  Quota quota();

  /** Metering: the durable stream of usage events. */
  Metering metering();

  /** Per-replica circuit breakers of the worker pool. */
  Breaker breaker();

  /** Quota settings, {@code infermint.gateway.quota.*}. */
  interface Quota {

    /** {@code redis}: counters shared by every gateway replica; {@code local}: this process only (one gateway). */
    @WithDefault("redis")
    String store();

    /**
     * How long the health probe ({@code PING} every 250 ms, on a connection of its own) waits before Redis counts
     * as down.
     */
    @WithDefault("200ms")
    Duration redisTimeout();

    /**
     * How long a quota step waits for Redis while Redis counts as up (a burst may queue for a connection); past it
     * the call gets 503 {@code quota_unavailable}, never a local decision.
     */
    @WithDefault("2s")
    Duration busyTimeout();

    /**
     * {@code open}: decide with this gateway's local counters (a log line and metric say so);
     * {@code closed}: refuse with 503 {@code quota_unavailable}.
     */
    @WithDefault("open")
    String onRedisFailure();
  }

  /** Metering settings, {@code infermint.gateway.metering.*}. */
  interface Metering {

    /** Redis stream the usage events are appended to; billing reads the same one. */
    @WithDefault("infermint:usage")
    String stream();

    /**
     * How long the end of a response waits for its usage event to be appended; past it the event is kept in
     * memory and retried, and the response completes.
     */
    @WithDefault("2s")
    Duration appendTimeout();

    /** Usage events held in memory while Redis cannot take them; beyond this the oldest are logged and dropped. */
    @WithDefault("100000")
    int retryBufferSize();
  }

  /** Circuit breaker settings, {@code infermint.gateway.breaker.*}. */
  interface Breaker {

    /** Consecutive failures (connection refused or reset, timeout) that open a replica's breaker. */
    @WithDefault("5")
    int maxFailures();

    /** How long an open breaker keeps a replica out before one trial call is let through. */
    @WithDefault("5s")
    Duration resetTimeout();
  }
}
