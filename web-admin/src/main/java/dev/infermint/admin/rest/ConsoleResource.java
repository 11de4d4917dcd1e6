package dev.infermint.admin.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;

import dev.infermint.admin.web.Pages;

/**
 * The console's start page, the tenant switcher and the page after logout. Every path except {@code /signed-out},
 * {@code /css/*}, {@code /js/*}, {@code /webjars/*} and {@code /q/*} needs a login (see
 * {@code quarkus.http.auth.permission.*}); {@code /logout} is handled by quarkus-oidc.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

  private final Pages pages;

  ConsoleResource(Pages pages) {
    this.pages = pages;
  }

  /** @return the start page: who is signed in, with which role, and where to go from here */
  @GET
  public TemplateInstance index() {
    return pages.page("index");
  }

  /**
   * The platform-admin's tenant switcher: opens the chosen tenant's page.
   *
   * @param tenant the tenant id chosen
   * @return 303 to the tenant
   */
  @GET
  @Path("switch")
  public Response switchTenant(@QueryParam("tenant") String tenant) {
    if (tenant == null || !tenant.matches("[A-Za-z0-9-]{1,64}")) {
      return Pages.seeOther("/tenants");
    }
    return Pages.seeOther("/tenants/" + tenant);
  }

  /** @return the page shown after logging out; needs no login */
  @GET
  @Path("signed-out")
  public TemplateInstance signedOut() {
    return pages.page("signed-out");
  }
}
