package dev.infermint.tenants.rest;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.infermint.auth.Caller;
import dev.infermint.tenants.service.MemberService;

/**
 * The management API for a tenant's members (Keycloak users in its organization): tenant admins add, re-role and
 * remove them, every member lists them. Changes reach a member's tokens from the next one Keycloak issues.
 */
@Path("/api/v1/tenants/{tenantId}/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

  @Inject
  Caller caller;

  @Inject
  CurrentActor actor;

  @Inject
  MemberService members;

  /**
   * Adds a user by e-mail, inviting it (a Keycloak user that must choose a password) when Keycloak has none.
   *
   * @param tenantId the tenant
   * @param request {@code {email, role}}
   * @return 201 with {@code {id, email, role, status}}
   */
  @POST
  public Response add(@PathParam("tenantId") String tenantId, AddMemberRequest request) {
    caller.requireTenantAdmin(tenantId);
    MemberResponse member = members.add(tenantId, request, actor.get());
    return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/members/" + member.id())).entity(member)
        .build();
  }

  /**
   * @param tenantId the tenant
   * @return its members with their roles
   */
  @GET
  public List<MemberResponse> list(@PathParam("tenantId") String tenantId) {
    caller.requireTenantRead(tenantId);
    return members.list(tenantId, actor.get());
  }

  /**
   * @param tenantId the tenant
   * @param userId the member's user id
   * @param request {@code {role}}
   * @return the member with its new role
   */
  @PUT
  @Path("/{userId}")
  public MemberResponse changeRole(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
      ChangeRoleRequest request) {
    caller.requireTenantAdmin(tenantId);
    return members.changeRole(tenantId, userId, request, actor.get());
  }

  /**
   * Removes a member from the tenant; the Keycloak user stays.
   *
   * @param tenantId the tenant
   * @param userId the member's user id
   */
  @DELETE
  @Path("/{userId}")
  public void remove(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId) {
    caller.requireTenantAdmin(tenantId);
    members.remove(tenantId, userId, actor.get());
  }
}
