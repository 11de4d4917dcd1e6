package dev.infermint.admin.web;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.infermint.admin.client.GatewayException;

/**
 * Turns what can go wrong behind a page into a readable page: the gateway's refusal with its problem detail (404
 * for another tenant's page, 403 for a role that may not), or a note that the gateway cannot be reached. No page
 * ever shows a stack trace.
 */
public class ErrorPages {

  private static final Logger LOG = Logger.getLogger(ErrorPages.class);

  private final Pages pages;

  ErrorPages(Pages pages) {
    this.pages = pages;
  }

  @ServerExceptionMapper
  Response refused(GatewayException e) {
    if (e instanceof GatewayException.Refused) {
      String title = switch (e.status()) {
        case 404 -> "Not found";
        case 403 -> "Not allowed";
        case 401 -> "Signed out";
        default -> "Refused";
      };
      return Pages.status(e.status(), pages.page("error").data("title", title).data("status", e.status())
          .data("detail", e.detail()));
    }
    LOG.warnf("The gateway failed: %s", e.getMessage());
    return Pages.status(502, pages.page("error").data("title", "The platform failed").data("status", e.status())
        .data("detail", "The gateway answered " + e.status() + ": " + e.detail()));
  }

  @ServerExceptionMapper
  Response notFound(NotFoundException e) {
    return Pages.status(404, pages.page("error").data("title", "Not found").data("status", 404)
        .data("detail", "There is no such page in the console."));
  }

  @ServerExceptionMapper
  Response failed(Exception e) {
    if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      int status = web.getResponse().getStatus();
      return Pages.status(status, pages.page("error").data("title", "Refused").data("status", status)
          .data("detail", "The console could not read this request (HTTP " + status + ")."));
    }
    String id = java.util.UUID.randomUUID().toString();
    LOG.errorf(e, "Page failed (error id %s)", id);
    return Pages.status(500, pages.page("error").data("title", "Something went wrong").data("status", 500)
        .data("detail", "This page failed. It was logged with error id " + id + "; try again in a moment."));
  }

  @ServerExceptionMapper({ ProcessingException.class, TimeoutException.class, CircuitBreakerOpenException.class })
  Response unreachable(RuntimeException e) {
    LOG.warnf("The gateway cannot be reached: %s", e.toString());
    return Pages.status(502, pages.page("error").data("title", "The platform cannot be reached").data("status", 502)
        .data("detail", "The gateway cannot be reached right now; try again in a moment."));
  }
}
