package dev.infermint.registry.rest;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.infermint.problem.Problems;
import dev.infermint.registry.placement.PlacementViews;
import dev.infermint.registry.placement.WorkerHeartbeats;
import dev.infermint.registry.service.RegistryEvents;

/**
 * Service-to-service endpoints of placement: workers register and heartbeat, gateways read their routes, consumers
 * follow the event log. {@code InternalEndpointFilter} refuses any call without a service token.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalPlacementResource {

  private static final int MAX_EVENTS = 1000;

  @Inject
  WorkerHeartbeats heartbeats;

  @Inject
  PlacementViews views;

  @Inject
  RegistryEvents events;

  /**
   * Registers a worker, or records its heartbeat.
   *
   * @param id the worker's id
   * @param beat where it is, its device and budget, and the state of its assignments
   * @return its assignments
   */
  @PUT
  @Path("/workers/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public WorkerHeartbeats.Answer heartbeat(@RestPath String id, WorkerHeartbeats.Heartbeat beat) {
    return heartbeats.heartbeat(id, beat);
  }

  /** @return every registered worker, live ones first */
  @GET
  @Path("/workers")
  public List<PlacementViews.Worker> workers() {
    return views.workers();
  }

  /** @return every deployed model's serving version and its replicas on live workers */
  @GET
  @Path("/placements")
  public PlacementViews.Routes placements() {
    return views.routes();
  }

  /**
   * The event log.
   *
   * @param after the last sequence number applied (default 0: from the start)
   * @param limit most events (default and maximum 1000)
   * @return {@code {events, last}}: the events after {@code after}, and the newest number there is
   */
  @GET
  @Path("/events")
  public Map<String, Object> events(@RestQuery Long after, @RestQuery Integer limit) {
    long from = after == null ? 0 : after;
    if (from < 0) {
      throw Problems.validation("after", "must be 0 or a sequence number");
    }
    int n = limit == null ? MAX_EVENTS : limit;
    if (n < 1 || n > MAX_EVENTS) {
      throw Problems.validation("limit", "must be between 1 and " + MAX_EVENTS);
    }
    List<RegistryEvents.RegistryEvent> list = events.after(from, n);
    return Map.of("events", list, "last", events.last());
  }
}
