package dev.infermint.registry.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the model registry, under {@code infermint.registry}. */
@ConfigMapping(prefix = "infermint.registry")
public interface RegistryConfig {

  /** Folder of the registry's files: blobs in {@code blobs/sha256/}, files being checked in {@code blobs/tmp/}. */
  @WithDefault("${INFERMINT_DATA_DIR:.infermint/data}/registry")
  Path dataDir();

  /** Largest ONNX file accepted, in bytes (2 GiB, protobuf's limit); a bigger one is answered 413 as it arrives. */
  @WithDefault("2147483648")
  long maxModelBytes();

  /** Largest tokenizer.json accepted, in bytes (32 MiB); a bigger one is answered 413. */
  @WithDefault("33554432")
  long maxTokenizerBytes();

  /** Largest labels text accepted, in bytes (1 MiB). */
  @WithDefault("1048576")
  long maxLabelsBytes();

  /** Whether the public catalog (all-MiniLM-L6-v2) is registered at startup when missing. */
  @WithDefault("true")
  boolean seedCatalog();

  /** Which {@code BlobStore} holds the model files: {@code filesystem} (the only one so far). */
  @WithDefault("filesystem")
  String blobStore();

  /**
   * How often the audit relay sends pending outbox events to the tenants service (read by {@code @Scheduled}, e.g.
   * {@code 2s}).
   */
  @WithDefault("2s")
  String auditRelayInterval();

  /** Most outbox events the relay sends per run. */
  @WithDefault("100")
  int auditRelayBatch();

  /** A worker whose last heartbeat is older than this is lost, and its placements move to other workers. */
  @WithDefault("5s")
  Duration workerTtl();

  /** How often placement runs besides after every change (read by {@code @Scheduled}, e.g. {@code 1s}). */
  @WithDefault("1s")
  String placementInterval();

  /**
   * How many times the tenants service may refuse one outbox event (a 4xx other than 401, 403, 408 and 429, or a
   * failure of that event alone) before the relay sets it aside ({@code failed_at}); outages do not count.
   */
  @WithDefault("8")
  int auditRelayMaxRefusals();

  /** Wait before resending a refused event; it doubles with each refusal. */
  @WithDefault("5s")
  Duration auditRelayBackoff();

  /** Longest wait between two tries of a refused event. */
  @WithDefault("5m")
  Duration auditRelayMaxBackoff();
}
