package dev.infermint.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;

import io.quarkus.oidc.client.OidcClientException;
import io.vertx.core.VertxException;

import dev.infermint.registry.service.AuditRelay.Outcome;

/** Which failures of a delivery are outages of the tenants service and which refuse the event itself. */
class AuditRelayTest {

  @Test
  void aFourHundredOtherThanAuthRefusesTheEventAndEverythingElseIsAnOutage() {
    assertEquals(Outcome.DELIVERED, AuditRelay.outcome(201));
    assertEquals(Outcome.DELIVERED, AuditRelay.outcome(200));
    for (int refused : new int[] {400, 404, 409, 413, 422}) {
      assertEquals(Outcome.REFUSED, AuditRelay.outcome(refused), "HTTP " + refused);
    }
    for (int outage : new int[] {401, 403, 408, 429, 500, 502, 503, 504, 302, 204}) {
      assertEquals(Outcome.OUTAGE, AuditRelay.outcome(outage), "HTTP " + outage);
    }
  }

  @Test
  void failuresToReachTenantsAreOutagesAndOthersRefuseTheEvent() {
    assertEquals(Outcome.OUTAGE, AuditRelay.outcome(new ProcessingException(new ConnectException("refused"))));
    assertEquals(Outcome.OUTAGE, AuditRelay.outcome(new ProcessingException(new SocketTimeoutException("slow"))));
    assertEquals(Outcome.OUTAGE, AuditRelay.outcome(new ProcessingException(new VertxException("timeout", true))));
    assertEquals(Outcome.OUTAGE, AuditRelay.outcome(new OidcClientException("no service token")));
    assertEquals(Outcome.REFUSED, AuditRelay.outcome(new ProcessingException(
        new JsonMappingException(null, "details cannot be written"))));
    assertEquals(Outcome.REFUSED, AuditRelay.outcome(new IllegalStateException("something about this event")));
  }
}
