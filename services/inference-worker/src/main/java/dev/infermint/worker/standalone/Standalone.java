package dev.infermint.worker.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.problem.Problems;
import dev.infermint.worker.client.RegistryModel;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.service.BlobCache;

/**
 * The worker's standalone mode ({@code infermint.worker.standalone.enabled}): on a licence buyer's machine, models
 * come from a folder of licensed downloads instead of the registry, calls need no service token, and everything is
 * served only under a licence that verifies offline ({@link StandaloneLicense}) and entitles the model. Off by
 * default; in the platform nothing of this runs.
 */
@ApplicationScoped
public class Standalone {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,127}$");

  @Inject
  WorkerConfig config;
  @Inject
  ObjectMapper json;

  private StandaloneLicense license;
  private Path modelsDir;
  private final Map<String, Path> blobs = new ConcurrentHashMap<>();
  private ScheduledExecutorService checks;

  @PostConstruct
  void init() {
    WorkerConfig.Standalone s = config.standalone();
    if (!s.enabled()) {
      return;
    }
    modelsDir = Path.of(required(s.modelsDir(), "models-dir"));
    license = new StandaloneLicense(Path.of(required(s.publicKey(), "public-key")),
        Path.of(required(s.licenseFile(), "license-file")), Path.of(required(s.machineFile(), "machine-file")),
        required(s.fingerprint(), "fingerprint"), Clock.systemUTC());
    license.refresh();
    checks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "standalone-licence-check");
      t.setDaemon(true);
      return t;
    });
    long every = s.checkInterval().toMillis();
    checks.scheduleWithFixedDelay(license::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  private static String required(Optional<String> value, String key) {
    return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
        "infermint.worker.standalone." + key + " is required in standalone mode"));
  }

  /** Built at start, so that a missing setting or an invalid licence shows at once in the log. */
  void onStart(@Observes StartupEvent event) {
    // The @PostConstruct above does the work.
  }

  @PreDestroy
  void stop() {
    if (checks != null) {
      checks.shutdownNow();
    }
  }

  /** @return whether the worker runs standalone */
  public boolean enabled() {
    return license != null;
  }

  /**
   * @param remoteAddress the caller's IP address
   * @param authorization its {@code Authorization} header, or null
   * @return whether to serve it: a loopback caller, or one with the configured API key
   */
  public boolean admits(String remoteAddress, String authorization) {
    Optional<String> key = config.standalone().apiKey().filter(k -> !k.isBlank());
    if (key.isPresent() && authorization != null && MessageDigest.isEqual(
        ("Bearer " + key.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        authorization.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      return true;
    }
    return loopback(remoteAddress);
  }

  static boolean loopback(String address) {
    if (address == null) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** @return the licence it serves under; only in standalone mode */
  public StandaloneLicense license() {
    return license;
  }

  /**
   * A model of the folder, as the registry would resolve it; only entitled models.
   *
   * @param model the model name
   * @return its manifest ({@code model.json} of the download)
   * @throws dev.infermint.problem.ProblemException 403 {@code ENTITLEMENTS_MISSING}, 404 when the folder lacks it,
   *     503 while the licence does not verify
   */
  public RegistryModel resolve(String model) {
    license.requireEntitled(model);
    Path dir = modelDir(model);
    Path manifest = dir.resolve("model.json");
    if (!Files.isRegularFile(manifest)) {
      throw Problems.notFound("model", model);
    }
    try {
      RegistryModel m = json.readValue(manifest.toFile(), RegistryModel.class);
      index(dir, "model.onnx", m.digest());
      if (m.tokenizerDigest() != null) {
        index(dir, "tokenizer.json", m.tokenizerDigest());
      }
      return m;
    } catch (IOException e) {
      throw Problems.upstream("the model folder " + dir + " has an unreadable model.json: " + e.getMessage());
    }
  }

  /** @return the entitled models of the folder, by name */
  public List<String> models() {
    List<String> names = new ArrayList<>();
    if (license.serving()) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(modelsDir, Files::isDirectory)) {
        for (Path d : dirs) {
          String name = d.getFileName().toString();
          if (NAME.matcher(name).matches() && Files.isRegularFile(d.resolve("model.json"))
              && license.requireServing().entitles("model:" + name)) {
            names.add(name);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    names.sort(String::compareTo);
    return names;
  }

  /**
   * @param hex a blob's sha256 named by a resolved model's manifest
   * @return the verified file of the folder with that digest
   */
  public Path blob(String hex) {
    Path file = blobs.get(hex);
    if (file == null) {
      throw Problems.upstream("no file of the model folder has sha256:" + hex);
    }
    return file;
  }

  private Path modelDir(String model) {
    if (!NAME.matcher(model).matches()) {
      throw Problems.notFound("model", model);
    }
    return modelsDir.resolve(model);
  }

  private void index(Path dir, String name, String digest) throws IOException {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    if (blobs.containsKey(hex)) {
      return;
    }
    Path file = dir.resolve(name);
    String actual = BlobCache.sha256(file);
    if (!actual.equals(hex)) {
      throw Problems.upstream(dir.getFileName() + "/" + name + " does not match its model.json (sha256:" + actual
          + ", expected " + digest + "): download it again");
    }
    blobs.put(hex, file);
  }
}
