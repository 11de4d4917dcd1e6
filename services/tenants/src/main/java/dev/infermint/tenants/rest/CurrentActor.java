package dev.infermint.tenants.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpServerRequest;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;
import dev.infermint.tenants.service.Actor;

/** The {@link Actor} of the current request: its {@link Caller} and its {@code X-Request-Id}. */
@ApplicationScoped
public class CurrentActor {

  @Inject
  Caller caller;

  @Inject
  HttpServerRequest request;

  /** @return who performs the current request */
  public Actor get() {
    return Actor.of(caller, request.getHeader(RequestIds.HEADER));
  }
}
