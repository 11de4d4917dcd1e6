package dev.infermint.gateway.routing;

import java.util.Map;

import dev.infermint.testsupport.EmbeddedPostgresResource;

/** A real PostgreSQL for the gateway's push channel: the shared test resource, seen as the events database. */
public class EventsDatabase extends EmbeddedPostgresResource {

  @Override
  public Map<String, String> start() {
    Map<String, String> db = super.start();
    return Map.of("infermint.gateway.events-db-url", db.get("quarkus.datasource.jdbc.url"),
        "infermint.gateway.events-db-user", db.get("quarkus.datasource.username"),
        "infermint.gateway.events-db-password", db.get("quarkus.datasource.password"));
  }
}
