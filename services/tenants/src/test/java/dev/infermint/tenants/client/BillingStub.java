package dev.infermint.tenants.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;

/**
 * Stands in for billing: a WireMock server on a free loopback port whose {@code GET /api/v1/plans} answers a
 * catalog of {@code free}, {@code pro} and {@code enterprise} in billing's shape, and sets
 * {@code quarkus.rest-client.billing.url} to it. Tests change the answer through {@link #admin()} (WireMock's admin
 * API over HTTP, which does not care which class loader the test runs in) and put the catalog back with
 * {@link #restore()}.
 */
public class BillingStub implements QuarkusTestResourceLifecycleManager {

  /** The path of billing's plan catalog. */
  public static final String PLANS = "/api/v1/plans";

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    restore(new WireMock("127.0.0.1", server.port()));
    return Map.of("quarkus.rest-client.billing.url", "http://127.0.0.1:" + server.port());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** @return a client of the running stub's admin API */
  public static WireMock admin() {
    URI url = URI.create(ConfigProvider.getConfig().getValue("quarkus.rest-client.billing.url", String.class));
    return new WireMock(url.getHost(), url.getPort());
  }

  /** Puts back the catalog of free, pro and enterprise and forgets the requests seen. */
  public static void restore() {
    restore(admin());
  }

  /** @param ids the plan ids billing's catalog lists from now on, cheapest first */
  public static void answerPlans(String... ids) {
    admin().register(get(urlEqualTo(PLANS)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(catalog(ids))));
  }

  /** From now on billing's catalog answers 500, as billing does when it is broken. */
  public static void answerServerError() {
    admin().register(get(urlEqualTo(PLANS)).willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/problem+json")
        .withBody("{\"status\":500,\"code\":\"internal_error\"}")));
  }

  /** From now on the connection is reset before any answer, as when billing is not there. */
  public static void answerConnectionReset() {
    admin().register(get(urlEqualTo(PLANS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
  }

  /** @return how many times the catalog was asked for since the requests were last forgotten */
  public static int catalogRequests() {
    return admin().find(getRequestedFor(urlEqualTo(PLANS))).size();
  }

  /** Forgets the requests seen so far (the answer stays). */
  public static void forgetRequests() {
    admin().resetRequests();
  }

  private static void restore(WireMock admin) {
    admin.resetMappings();
    admin.resetRequests();
    admin.register(get(urlEqualTo(PLANS)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(catalog("free", "pro", "enterprise"))));
  }

  /** @return a catalog in the shape of billing's {@code GET /api/v1/plans}, made-up prices and limits */
  private static String catalog(String... ids) {
    return Stream.of(ids).map(id -> "{\"id\":\"" + id + "\",\"name\":\"" + id.toUpperCase() + "\","
        + "\"priceMonthly\":0,\"currency\":\"usd\","
        + "\"limits\":{\"requestsPerMinute\":60,\"requestsPerMonth\":10000},"
        + "\"overage\":\"block\",\"overagePer1000\":0}")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
