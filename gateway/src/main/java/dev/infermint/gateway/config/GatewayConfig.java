package dev.infermint.gateway.config;

import java.net.URI;
import java.time.Duration;
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

  /** Base URL of the inference worker. */
  @WithDefault("http://localhost:8084")
  URI workerUrl();

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

  /** Timeout of a call to a service behind the gateway, response headers included. */
  @WithDefault("60s")
  Duration upstreamTimeout();

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
}
