package dev.infermint.registry.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionRepository;
import dev.infermint.registry.repository.PlacementEntity;
import dev.infermint.registry.repository.PlacementRepository;
import dev.infermint.registry.repository.WorkerEntity;
import dev.infermint.registry.repository.WorkerRepository;
import dev.infermint.registry.service.ModelLookup;
import dev.infermint.registry.service.Owners;
import dev.infermint.registry.service.RegistryEvents;

/** Reads of placement: the gateways' routes, a deployment's status for its owner, the workers for operators. */
@ApplicationScoped
public class PlacementViews {

  /**
   * One replica of a model version on a worker.
   *
   * @param workerId the worker
   * @param url its base URL (internal views only; null in the management API)
   * @param version the version it holds
   * @param state {@code assigned}, {@code ready} or {@code failed}
   * @param reason why it failed, may be null
   * @param assignedAt when it was assigned
   * @param readyAt when it first reported ready, may be null
   */
  public record Replica(String workerId, String url, int version, String state, String reason, Instant assignedAt,
      Instant readyAt) {
  }

  /**
   * Where a deployed model runs, for the gateways.
   *
   * @param owner the model's owner
   * @param name the model name
   * @param servingVersion what calls without a version run
   * @param replicas its replicas on live workers, every version
   */
  public record Route(String owner, String name, Integer servingVersion, List<Replica> replicas) {
  }

  /**
   * The routing table.
   *
   * @param seq the newest registry event number when it was read
   * @param models every deployed model with a serving version
   */
  public record Routes(long seq, List<Route> models) {
  }

  /**
   * A deployment's live state.
   *
   * @param state {@code undeployed} (replicas 0), {@code pending} (no replica ready), {@code rolling_out} (the
   *     target is loading beside the serving version), {@code degraded} (fewer ready replicas than asked, or a failed
   *     one) or {@code serving}
   * @param servingVersion what calls without a version run, null when not placed
   * @param targetVersion the production alias's version, else the newest
   * @param readyReplicas replicas of the serving version that are ready
   * @param replicas every placement
   */
  public record Status(String state, Integer servingVersion, Integer targetVersion, int readyReplicas,
      List<Replica> replicas) {
  }

  /**
   * A worker as operators see it.
   *
   * @param id its id
   * @param url its base URL
   * @param device its device
   * @param memoryBudgetBytes its budget
   * @param memoryPlacedBytes what its placements weigh
   * @param live whether it heartbeats
   * @param lastHeartbeat when it last did
   * @param placements how many model versions it is assigned
   */
  public record Worker(String id, String url, String device, long memoryBudgetBytes, long memoryPlacedBytes,
      boolean live, Instant lastHeartbeat, int placements) {
  }

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
  ModelLookup lookup;
  @Inject
  RegistryEvents events;

  /** @return every deployed model's serving version and replicas, for the gateways */
  public Routes routes() {
    long seq = events.last();
    return QuarkusTransaction.requiringNew().call(() -> {
      Map<String, WorkerEntity> byId = liveWorkers();
      List<Route> out = new ArrayList<>();
      for (DeploymentEntity d : deployments.list("servingVersion is not null")) {
        ModelEntity m = models.findById(d.modelId);
        out.add(new Route(m.owner, m.name, d.servingVersion, replicas(d.modelId, byId, true)));
      }
      return new Routes(seq, out);
    });
  }

  /**
   * @param owners owners in order of preference (a tenant, then the catalog)
   * @param name the model name
   * @return its deployment's state, null when it has no deployment
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has the model
   */
  public Status status(List<String> owners, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.findAmong(owners, name);
      DeploymentEntity d = deployments.findById(m.id);
      if (d == null) {
        return null;
      }
      List<Replica> replicas = replicas(m.id, liveWorkers(), false);
      Integer target = aliases.findAlias(m.id, Owners.PRODUCTION).map(a -> a.version)
          .or(() -> versions.findNewest(m.id).map(v -> v.version)).orElse(null);
      int ready = (int) replicas.stream().filter(r -> r.version() == (d.servingVersion == null ? -1 : d.servingVersion)
          && PlacementEntity.READY.equals(r.state())).count();
      String state;
      if (d.replicas == 0) {
        state = "undeployed";
      } else if (ready == 0) {
        state = "pending";
      } else if (target != null && !target.equals(d.servingVersion)) {
        state = "rolling_out";
      } else if (ready < d.replicas || replicas.stream().anyMatch(r -> PlacementEntity.FAILED.equals(r.state()))) {
        state = "degraded";
      } else {
        state = "serving";
      }
      return new Status(state, d.servingVersion, target, ready, replicas);
    });
  }

  /** @return every registered worker, live ones first */
  public List<Worker> workers() {
    return QuarkusTransaction.requiringNew().call(() -> {
      Instant cutoff = Instant.now().minus(config.workerTtl());
      Map<String, long[]> placed = new HashMap<>();
      for (PlacementEntity p : placements.listAll()) {
        long[] acc = placed.computeIfAbsent(p.workerId, k -> new long[2]);
        acc[0] += p.weight;
        acc[1]++;
      }
      List<Worker> out = new ArrayList<>();
      for (WorkerEntity w : workers.list("order by id")) {
        long[] acc = placed.getOrDefault(w.id, new long[2]);
        out.add(new Worker(w.id, w.url, w.device, w.memoryBudgetBytes, acc[0],
            w.liveSince(cutoff), w.lastHeartbeat, (int) acc[1]));
      }
      out.sort((a, b) -> Boolean.compare(b.live(), a.live()));
      return out;
    });
  }

  private Map<String, WorkerEntity> liveWorkers() {
    Instant cutoff = Instant.now().minus(config.workerTtl());
    Map<String, WorkerEntity> byId = new HashMap<>();
    for (WorkerEntity w : workers.listAll()) {
      if (w.liveSince(cutoff)) {
        byId.put(w.id, w);
      }
    }
    return byId;
  }

  private List<Replica> replicas(long modelId, Map<String, WorkerEntity> live, boolean withUrl) {
    List<Replica> out = new ArrayList<>();
    for (PlacementEntity p : placements.listByModel(modelId)) {
      WorkerEntity w = live.get(p.workerId);
      if (w != null) {
        out.add(new Replica(p.workerId, withUrl ? w.url : null, p.version, p.state, p.reason, p.assignedAt,
            p.readyAt));
      }
    }
    return out;
  }
}
