package dev.infermint.worker.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.arc.Arc;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.client.RegistryClient;
import dev.infermint.worker.client.RegistryDeployment;
import dev.infermint.worker.client.RegistryException;
import dev.infermint.worker.client.RegistryModel;
import dev.infermint.worker.client.RegistryModelEntry;
import dev.infermint.worker.client.RegistryTensor;
import dev.infermint.worker.client.RegistryUnavailableException;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.metrics.InferenceCall;
import dev.infermint.worker.standalone.Standalone;

/**
 * Turns a tenant's model name (and optional version) into a {@link ResolvedModel} through the registry. Answers are
 * reused for {@code infermint.worker.resolve-cache-ttl} (5 s) so that the hot path does not ask the registry on every
 * request; a model deleted or re-aliased in the registry is therefore seen within that time. Unknown names are not
 * cached.
 */
@ApplicationScoped
public class ModelResolver {

  private static final Logger LOG = Logger.getLogger(ModelResolver.class);
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  @Inject
  RegistryClient registry;

  @Inject
  Standalone standalone;

  @Inject
  WorkerConfig config;

  @Inject
  InferenceCall call;

  private Cache<Key, ResolvedModel> cache;

  private record Key(String tenant, String model, String version) {
  }

  @PostConstruct
  void init() {
    cache = Caffeine.newBuilder()
        .expireAfterWrite(config.resolveCacheTtl())
        .maximumSize(10_000)
        .executor(Runnable::run)
        .build();
  }

  /**
   * Resolves a model for a tenant: the tenant's own first, then the public catalog.
   *
   * @param tenant the caller's tenant id
   * @param model the model name
   * @param version the version, or null for the default one ({@code production} alias, else newest)
   * @param requestId the request id to forward to the registry
   * @return the model version
   * @throws ProblemException 404 when neither the tenant nor the catalog has it; 503 when the registry is down
   */
  public ResolvedModel resolve(String tenant, String model, String version, String requestId) {
    Key key = new Key(tenant, model, version);
    if (standalone.enabled()) {
      // Entitlement and expiry are checked on every call, not only when the answer is not cached.
      standalone.license().requireEntitled(model);
    }
    ResolvedModel resolved = cache.getIfPresent(key);
    if (resolved == null) {
      RegistryModel found = standalone.enabled() ? fromFolder(model, version)
          : callRegistry(() -> registry.resolve(tenant, model, version, requestId))
          .orElseThrow(() -> InferenceProblems.modelNotFound(model, version));
      resolved = toResolved(model, found);
      cache.put(key, resolved);
    }
    if (Arc.container().requestContext().isActive()) {
      // The request metrics of the answer are labelled with it.
      call.resolved(resolved);
    }
    return resolved;
  }

  /**
   * Lists the models a tenant may call (its own and the public catalog's); not cached.
   *
   * @param tenant the caller's tenant id
   * @param requestId the request id to forward to the registry
   * @return the registry's entries
   */
  public List<RegistryModelEntry> list(String tenant, String requestId) {
    if (standalone.enabled()) {
      return standalone.models().stream().map(name -> new RegistryModelEntry(name, tenant, null, null)).toList();
    }
    return callRegistry(() -> registry.listModels(tenant, requestId));
  }

  /** Standalone mode: the folder's download of an entitled model; a version, if asked for, must be the one there. */
  private RegistryModel fromFolder(String model, String version) {
    RegistryModel m = standalone.resolve(model);
    if (version != null && (m.version() == null || !version.equals(m.version().asText()))) {
      throw InferenceProblems.modelNotFound(model, version);
    }
    return m;
  }

  /**
   * Normalises a digest as the registry writes it ({@code sha256:<hex>} or bare hex).
   *
   * @param digest the digest
   * @param what what it is the digest of, for the error message
   * @return the lowercase hex
   * @throws ProblemException 502 when it is not a sha256 digest
   */
  static String hex(String digest, String what) {
    String d = digest == null ? "" : digest.trim().toLowerCase(Locale.ROOT);
    if (d.startsWith("sha256:")) {
      d = d.substring(7);
    }
    if (!HEX.matcher(d).matches()) {
      throw Problems.upstream("the model registry gave " + what + " an invalid digest '" + digest + "'");
    }
    return d;
  }

  /**
   * Runs a registry call, turning its failures into problems: unreachable or open breaker → 503, refused → 502.
   *
   * @param call the call
   * @param <T> its result type
   * @return its result
   */
  static <T> T callRegistry(Supplier<T> call) {
    try {
      return call.get();
    } catch (RegistryUnavailableException | FaultToleranceException e) {
      LOG.warnf("Model registry unavailable: %s", e.getMessage());
      throw InferenceProblems.registryUnavailable();
    } catch (RegistryException e) {
      throw Problems.upstream("the model registry refused the worker's request (status " + e.status() + ")");
    }
  }

  private static ResolvedModel toResolved(String requested, RegistryModel m) {
    String name = m.name() == null ? requested : m.name();
    String what = "model '" + name + "'";
    if (m.version() == null || m.version().isNull()) {
      throw Problems.upstream("the model registry resolved " + what + " without a version");
    }
    String tokenizer = m.tokenizerDigest() == null || m.tokenizerDigest().isBlank() ? null
        : hex(m.tokenizerDigest(), "the tokenizer of " + what);
    return new ResolvedModel(name, m.version().asText(), m.owner(), m.task() == null ? "generic" : m.task(),
        hex(m.digest(), what), tokenizer, tensors(m.inputs(), what), tensors(m.outputs(), what),
        deployment(m.deployment()));
  }

  private static Deployment deployment(RegistryDeployment d) {
    if (d == null) {
      return Deployment.DEFAULTS;
    }
    String device = d.device() == null || d.device().isBlank() ? null : d.device().trim().toLowerCase(Locale.ROOT);
    return new Deployment(device, positive(d.maxBatchSize()), d.maxQueueDelayMs() == null || d.maxQueueDelayMs() < 0
        ? null : d.maxQueueDelayMs(), positive(d.instances()));
  }

  private static Integer positive(Integer value) {
    return value == null || value < 1 ? null : value;
  }

  private static List<TensorSpec> tensors(List<RegistryTensor> tensors, String what) {
    if (tensors == null) {
      throw Problems.upstream("the model registry resolved " + what + " without its signature");
    }
    List<TensorSpec> specs = new ArrayList<>(tensors.size());
    for (RegistryTensor t : tensors) {
      String type = Datatype.parse(t.datatype()).map(Enum::name).orElse(String.valueOf(t.datatype()));
      long[] shape = null;
      if (t.shape() != null) {
        shape = new long[t.shape().size()];
        for (int i = 0; i < shape.length; i++) {
          JsonNode d = t.shape().get(i);
          // Symbolic dimensions ("batch", "N") and unknown ones are dynamic, as in OIP metadata.
          shape[i] = d != null && d.canConvertToLong() && d.isIntegralNumber() && d.asLong() >= 0 ? d.asLong() : -1;
        }
      }
      specs.add(new TensorSpec(t.name(), type, shape));
    }
    return specs;
  }
}
