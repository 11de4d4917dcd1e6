package dev.infermint.registry.placement;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;
import dev.infermint.registry.repository.PlacementEntity;
import dev.infermint.registry.repository.PlacementRepository;
import dev.infermint.registry.repository.WorkerEntity;
import dev.infermint.registry.repository.WorkerRepository;
import dev.infermint.registry.service.Owners;
import dev.infermint.registry.service.RegistryEvents;

/**
 * Places each deployment on {@code replicas} live workers of its device, as KServe ModelMesh places models on a pool
 * of servers, and rolls a new version out without downtime.
 *
 * <p>One run, in one transaction under an advisory lock (so that registry replicas never place at the same time):
 * <ol>
 *   <li>A worker whose heartbeat is older than {@code worker-ttl} is lost; its placements are removed.</li>
 *   <li>For each deployment, the <em>target</em> is the {@code production} alias's version, else the newest. Missing
 *       replicas of the target go to the live workers of the right device with room for it in their memory budget
 *       (file size times the worker's memory factor, against what is placed there already), fewest placements
 *       first, then least memory placed: load is spread, budgets respected. A model with no room stays
 *       under-placed, and its status says so.</li>
 *   <li>Rollout: while the serving version differs from the target, both keep their placements, and calls keep
 *       running the serving version. Once every replica of the target reports ready, the serving version moves to
 *       it ({@code serving_changed}) and the old version's placements go. A target that fails to load on a worker
 *       never takes over.</li>
 * </ol>
 * Every change is an event ({@link RegistryEvents}): the workers learn their assignments from it (or their next
 * heartbeat) and the gateways their routes. A run follows every committed model change and every heartbeat that
 * changed a placement's state, and runs every {@code placement-interval} besides.
 */
@ApplicationScoped
public class Placer {

  private static final Logger LOG = Logger.getLogger(Placer.class);
  private static final long LOCK = 0x696e666d706c6163L; // "infmplac"

  @Inject
  RegistryConfig config;
  @Inject
  WorkerRepository workers;
  @Inject
  PlacementRepository placements;
  @Inject
  DeploymentRepository deployments;
  @Inject
  ModelRepository models;
  @Inject
  ModelVersionRepository versions;
  @Inject
  ModelAliasRepository aliases;
  @Inject
  RegistryEvents events;

  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "placement");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean queued = new AtomicBoolean();

  @PreDestroy
  void stop() {
    runner.shutdownNow();
  }

  @Scheduled(every = "${infermint.registry.placement-interval:1s}", delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    placeSoon();
  }

  void onChange(@ObservesAsync RegistryEvents.ModelChanged change) {
    if (!RegistryEvents.PLACEMENT_CHANGED.equals(change.type())
        && !RegistryEvents.SERVING_CHANGED.equals(change.type())) {
      placeSoon();
    }
  }

  /** Asks for a run; runs asked for while one waits are one run. */
  public void placeSoon() {
    if (queued.compareAndSet(false, true)) {
      try {
        runner.execute(() -> {
          queued.set(false);
          try {
            place();
          } catch (RuntimeException e) {
            LOG.warnf(e, "Placement run failed; the next one retries");
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false);
      }
    }
  }

  /**
   * Runs placement now, in the caller's thread.
   *
   * @return whether this run held the lock (false when another registry replica was placing)
   */
  public boolean place() {
    return QuarkusTransaction.requiringNew().call(() -> {
      Object got = workers.getEntityManager().createNativeQuery("select pg_try_advisory_xact_lock(?1)")
          .setParameter(1, LOCK).getSingleResult();
      if (!Boolean.TRUE.equals(got)) {
        return false;
      }
      run(Instant.now().truncatedTo(ChronoUnit.MICROS));
      return true;
    });
  }

  private void run(Instant now) {
    Instant cutoff = now.minus(config.workerTtl());
    Map<String, WorkerEntity> live = new HashMap<>();
    for (WorkerEntity w : workers.listAll()) {
      if (w.lastHeartbeat.isBefore(cutoff)) {
        if (w.lostAt == null) {
          w.lostAt = now;
          LOG.warnf("Worker %s (%s) lost: no heartbeat since %s; its placements move", w.id, w.url, w.lastHeartbeat);
          events.record(RegistryEvents.WORKER_LOST, null, null, null, w.id, Map.of("url", w.url));
        }
      } else if (w.liveSince(cutoff)) {
        live.put(w.id, w);
      }
    }
    List<PlacementEntity> all = placements.listAll();
    Set<Long> changed = new LinkedHashSet<>();
    Map<String, Long> used = new HashMap<>();
    Map<String, Integer> count = new HashMap<>();
    Map<Long, List<PlacementEntity>> byModel = new HashMap<>();
    for (PlacementEntity p : all) {
      if (!live.containsKey(p.workerId)) {
        placements.delete(p);
        changed.add(p.modelId);
        continue;
      }
      used.merge(p.workerId, p.weight, Long::sum);
      count.merge(p.workerId, 1, Integer::sum);
      byModel.computeIfAbsent(p.modelId, k -> new ArrayList<>()).add(p);
    }
    Set<Long> deployed = new LinkedHashSet<>();
    for (DeploymentEntity d : deployments.listAll()) {
      deployed.add(d.modelId);
      ModelEntity m = models.findById(d.modelId);
      List<PlacementEntity> mine = byModel.getOrDefault(d.modelId, new ArrayList<>());
      if (place(now, d, m, mine, live, used, count)) {
        changed.add(d.modelId);
      }
    }
    // Placements of models whose deployment is gone.
    for (Map.Entry<Long, List<PlacementEntity>> e : byModel.entrySet()) {
      if (!deployed.contains(e.getKey())) {
        e.getValue().forEach(placements::delete);
        changed.add(e.getKey());
      }
    }
    for (Long modelId : changed) {
      ModelEntity m = models.findById(modelId);
      if (m != null) {
        events.record(RegistryEvents.PLACEMENT_CHANGED, m.owner, m.name, null, null,
            Map.of("placements", describe(placements.listByModel(modelId))));
      }
    }
  }

  /** Places one deployment; returns whether its placements changed. */
  private boolean place(Instant now, DeploymentEntity d, ModelEntity m, List<PlacementEntity> mine,
      Map<String, WorkerEntity> live, Map<String, Long> used, Map<String, Integer> count) {
    boolean changed = false;
    Optional<ModelVersionEntity> target = d.replicas == 0 ? Optional.empty() : target(m);
    if (target.isEmpty()) {
      for (PlacementEntity p : mine) {
        release(p, used, count);
        changed = true;
      }
      // Undeployed (replicas 0) or no version left: nothing is placed, and calls resolve as for any model.
      d.servingVersion = null;
      return changed;
    }
    ModelVersionEntity t = target.get();
    List<PlacementEntity> ofTarget = new ArrayList<>();
    for (PlacementEntity p : mine) {
      if (p.version == t.version) {
        WorkerEntity w = live.get(p.workerId);
        if (!w.device.equals(d.device) || ofTarget.size() >= d.replicas) {
          release(p, used, count);
          changed = true;
        } else {
          ofTarget.add(p);
        }
      }
    }
    while (ofTarget.size() < d.replicas) {
      Set<String> taken = new LinkedHashSet<>();
      ofTarget.forEach(p -> taken.add(p.workerId));
      Optional<WorkerEntity> pick = live.values().stream()
          .filter(w -> w.device.equals(d.device) && !taken.contains(w.id))
          .filter(w -> used.getOrDefault(w.id, 0L) + w.weightOf(t.sizeBytes) <= w.memoryBudgetBytes)
          .min(Comparator.comparing((WorkerEntity w) -> count.getOrDefault(w.id, 0))
              .thenComparing(w -> used.getOrDefault(w.id, 0L)).thenComparing(w -> w.id));
      if (pick.isEmpty()) {
        break;
      }
      WorkerEntity w = pick.get();
      PlacementEntity p = new PlacementEntity();
      p.modelId = m.id;
      p.version = t.version;
      p.workerId = w.id;
      p.state = PlacementEntity.ASSIGNED;
      p.weight = w.weightOf(t.sizeBytes);
      p.assignedAt = now;
      placements.persist(p);
      used.merge(w.id, p.weight, Long::sum);
      count.merge(w.id, 1, Integer::sum);
      ofTarget.add(p);
      changed = true;
      LOG.infof("Placed %s/%s version %d on worker %s", m.owner, m.name, t.version, w.id);
    }
    Integer serving = d.servingVersion;
    boolean servingExists = serving != null && versions.findVersion(m.id, serving).isPresent();
    boolean targetReady = !ofTarget.isEmpty()
        && ofTarget.stream().allMatch(p -> PlacementEntity.READY.equals(p.state));
    // Nothing to protect when no replica serves the old version (no workers, or none loaded it yet): switch at once.
    boolean servingReady = serving != null && mine.stream()
        .anyMatch(p -> p.version.equals(serving) && PlacementEntity.READY.equals(p.state));
    if (serving == null || !servingExists || serving != t.version && (targetReady || !servingReady)) {
      d.servingVersion = t.version;
      events.record(RegistryEvents.SERVING_CHANGED, m.owner, m.name, t.version, null,
          serving == null ? Map.of("to", t.version) : Map.of("from", serving, "to", t.version));
      LOG.infof("%s/%s now serves version %d%s", m.owner, m.name, t.version,
          serving == null ? "" : " (was " + serving + ")");
    }
    for (PlacementEntity p : mine) {
      if (p.version != t.version && !p.version.equals(d.servingVersion)) {
        release(p, used, count);
        changed = true;
      }
    }
    return changed;
  }

  private void release(PlacementEntity p, Map<String, Long> used, Map<String, Integer> count) {
    placements.delete(p);
    used.merge(p.workerId, -p.weight, Long::sum);
    count.merge(p.workerId, -1, Integer::sum);
  }

  /** The production alias's version, else the newest. */
  private Optional<ModelVersionEntity> target(ModelEntity m) {
    return aliases.findAlias(m.id, Owners.PRODUCTION).flatMap(a -> versions.findVersion(m.id, a.version))
        .or(() -> versions.findNewest(m.id));
  }

  static List<Map<String, Object>> describe(List<PlacementEntity> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PlacementEntity p : list) {
      Map<String, Object> one = new HashMap<>();
      one.put("workerId", p.workerId);
      one.put("version", p.version);
      one.put("state", p.state);
      out.add(one);
    }
    return out;
  }
}
