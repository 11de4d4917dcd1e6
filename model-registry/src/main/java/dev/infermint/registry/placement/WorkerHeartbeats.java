package dev.infermint.registry.placement;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.Problems;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.PlacementEntity;
import dev.infermint.registry.repository.PlacementRepository;
import dev.infermint.registry.repository.WorkerEntity;
import dev.infermint.registry.repository.WorkerRepository;
import dev.infermint.registry.service.RegistryEvents;

/**
 * A worker's registration and heartbeat ({@code PUT /internal/workers/{id}}): it says where it is, its device and
 * memory budget, and the state of what it was assigned; it gets back its assignments. The first heartbeat registers
 * it; one after it was lost registers it again.
 */
@ApplicationScoped
public class WorkerHeartbeats {

  private static final Logger LOG = Logger.getLogger(WorkerHeartbeats.class);
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");

  /**
   * A model version's state on the worker.
   *
   * @param owner the model's owner
   * @param name the model name
   * @param version the version
   * @param state {@code READY}, {@code LOADING} or {@code FAILED}
   * @param reason why it failed, may be null
   */
  public record ModelReport(String owner, String name, Integer version, String state, String reason) {
  }

  /**
   * What a worker sends.
   *
   * @param url the base URL gateways call it on
   * @param device {@code cpu} or {@code gpu}
   * @param memoryBudgetBytes bytes of models it may hold
   * @param memoryFactor what a model weighs on it: file size times this
   * @param models the state of its assignments
   */
  public record Heartbeat(String url, String device, Long memoryBudgetBytes, Double memoryFactor,
      List<ModelReport> models) {
  }

  /**
   * One model version the worker should hold.
   *
   * @param owner the model's owner (resolve the name as this tenant, or {@code public})
   * @param name the model name
   * @param version the version
   */
  public record Assignment(String owner, String name, int version) {
  }

  /**
   * What the worker gets back.
   *
   * @param workerId its id
   * @param seq the newest registry event number
   * @param ttlMs how long the registry waits for the next heartbeat before it moves the worker's placements
   * @param assignments what it should hold
   */
  public record Answer(String workerId, long seq, long ttlMs, List<Assignment> assignments) {
  }

  @Inject
  RegistryConfig config;
  @Inject
  WorkerRepository workers;
  @Inject
  PlacementRepository placements;
  @Inject
  ModelRepository models;
  @Inject
  RegistryEvents events;
  @Inject
  Placer placer;

  /**
   * Records a heartbeat.
   *
   * @param id the worker's id
   * @param beat what it sent
   * @return its assignments
   * @throws dev.infermint.problem.ProblemException 422 naming the field that is wrong
   */
  public Answer heartbeat(String id, Heartbeat beat) {
    if (id == null || !ID.matcher(id).matches()) {
      throw Problems.validation("id", "must match " + ID.pattern() + " (got '" + id + "')");
    }
    if (beat == null) {
      throw Problems.validation("url", "is required: send {url, device, memoryBudgetBytes, memoryFactor, models}");
    }
    URI url = url(beat.url());
    String device = beat.device() == null ? "" : beat.device().trim().toLowerCase(Locale.ROOT);
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw Problems.validation("device", "must be cpu or gpu (got '" + beat.device() + "')");
    }
    if (beat.memoryBudgetBytes() == null || beat.memoryBudgetBytes() <= 0) {
      throw Problems.validation("memoryBudgetBytes", "must be a positive number of bytes");
    }
    double factor = beat.memoryFactor() == null ? 1 : beat.memoryFactor();
    if (!(factor > 0 && factor <= 100)) {
      throw Problems.validation("memoryFactor", "must be over 0 and at most 100");
    }
    boolean[] stateChanged = new boolean[1];
    Answer answer = QuarkusTransaction.requiringNew().call(() -> {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      WorkerEntity w = workers.findById(id);
      boolean registered = false;
      if (w == null) {
        w = new WorkerEntity();
        w.id = id;
        w.registeredAt = now;
        registered = true;
      } else if (w.lostAt != null) {
        w.lostAt = null;
        registered = true;
      }
      w.url = url.toString();
      w.device = device;
      w.memoryBudgetBytes = beat.memoryBudgetBytes();
      w.memoryFactor = factor;
      w.lastHeartbeat = now;
      workers.persist(w);
      if (registered) {
        LOG.infof("Worker %s registered at %s (%s, budget %d bytes)", id, w.url, device, w.memoryBudgetBytes);
        events.record(RegistryEvents.WORKER_REGISTERED, null, null, null, id,
            Map.of("url", w.url, "device", device, "memoryBudgetBytes", w.memoryBudgetBytes));
        stateChanged[0] = true;
      }
      Map<String, ModelReport> reported = new HashMap<>();
      if (beat.models() != null) {
        for (ModelReport r : beat.models()) {
          if (r != null && r.owner() != null && r.name() != null && r.version() != null) {
            reported.put(key(r.owner(), r.name(), r.version()), r);
          }
        }
      }
      List<Assignment> assignments = new ArrayList<>();
      Set<Long> changed = new LinkedHashSet<>();
      for (PlacementEntity p : placements.listByWorker(id)) {
        ModelEntity m = models.findById(p.modelId);
        assignments.add(new Assignment(m.owner, m.name, p.version));
        ModelReport r = reported.get(key(m.owner, m.name, p.version));
        String state = r == null ? PlacementEntity.ASSIGNED : switch (String.valueOf(r.state()).toUpperCase(Locale.ROOT)) {
          case "READY" -> PlacementEntity.READY;
          case "FAILED" -> PlacementEntity.FAILED;
          default -> PlacementEntity.ASSIGNED;
        };
        String reason = PlacementEntity.FAILED.equals(state) ? truncate(r.reason()) : null;
        if (!state.equals(p.state) || !Objects.equals(reason, p.reason)) {
          p.state = state;
          p.reason = reason;
          if (PlacementEntity.READY.equals(state) && p.readyAt == null) {
            p.readyAt = now;
          }
          changed.add(p.modelId);
        }
      }
      for (Long modelId : changed) {
        ModelEntity m = models.findById(modelId);
        events.record(RegistryEvents.PLACEMENT_CHANGED, m.owner, m.name, null, id,
            Map.of("placements", Placer.describe(placements.listByModel(modelId))));
        stateChanged[0] = true;
      }
      return new Answer(id, 0, config.workerTtl().toMillis(), assignments);
    });
    if (stateChanged[0]) {
      // A replica became ready (a rollout may finish) or a worker arrived (placements may go to it).
      placer.placeSoon();
    }
    return new Answer(answer.workerId(), events.last(), answer.ttlMs(), answer.assignments());
  }

  private static URI url(String url) {
    try {
      URI u = URI.create(url == null ? "" : url.trim());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw Problems.validation("url", "must be the worker's absolute http(s) base URL (got '" + url + "')");
    }
  }

  private static String key(String owner, String name, int version) {
    return owner + '\n' + name + '\n' + version;
  }

  private static String truncate(String reason) {
    String r = reason == null || reason.isBlank() ? "the worker could not load it" : reason;
    return r.length() <= 1000 ? r : r.substring(0, 1000);
  }
}
