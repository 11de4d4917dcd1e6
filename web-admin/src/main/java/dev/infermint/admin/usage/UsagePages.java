package dev.infermint.admin.usage;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.infermint.admin.client.GatewayClient;
import dev.infermint.admin.client.GatewayException;
import dev.infermint.admin.web.Form;
import dev.infermint.admin.web.Pages;

/**
 * A tenant's usage for a chosen period (UTC days): per day and per model (requests, units, compute time) as charts
 * and tables, the live quota (this minute and this month, from the gateway's counters), and a CSV export.
 */
@Path("/tenants/{tenantId}")
public class UsagePages {

  /** The longest period one page shows. */
  static final int MAX_DAYS = 366;

  private final GatewayClient gateway;
  private final Pages pages;

  UsagePages(GatewayClient gateway, Pages pages) {
    this.gateway = gateway;
    this.pages = pages;
  }

  /**
   * @param tenantId the tenant
   * @param from the first day, default 29 days before {@code to}
   * @param to the last day, default today (UTC)
   * @return the usage page
   */
  @GET
  @Path("usage")
  @Produces(MediaType.TEXT_HTML)
  public Response usage(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
      @QueryParam("to") String to) {
    TemplateInstance page = pages.tenantPage("usage/usage", tenantId);
    Form form = Form.empty().with("from", from).with("to", to);
    Period period = Period.of(from, to, form);
    page.data("form", form).data("from", period.from().toString()).data("to", period.to().toString());
    if (form.failed()) {
      return Pages.status(422, page.data("days", List.of()).data("models", List.of()).data("quota", null)
          .data("chart", "{}"));
    }
    JsonNode days = gateway.read((api, auth) -> api.usage(auth, tenantId, period.from().toString(),
        period.to().toString(), "day"));
    JsonNode models = gateway.read((api, auth) -> api.usage(auth, tenantId, period.from().toString(),
        period.to().toString(), "model"));
    Object quota = null;
    try {
      JsonNode q = gateway.read((api, auth) -> api.quota(auth, tenantId));
      quota = Pages.tree(q);
      page.data("minuteUsed", Math.max(0, q.path("minute").path("limit").asLong()
          - q.path("minute").path("remaining").asLong()));
    } catch (GatewayException e) {
      page.data("quotaError", e.detail());
    }
    List<Map<String, Object>> dayRows = rows(days);
    return Response.ok(page.data("days", dayRows).data("models", rows(models)).data("quota", quota)
        .data("chart", chartData(period, days, models)), "text/html;charset=UTF-8").build();
  }

  /**
   * @param tenantId the tenant
   * @param from the first day
   * @param to the last day
   * @param groupBy {@code day} or {@code model}
   * @return the same rows as CSV, one per day or model
   */
  @GET
  @Path("usage.csv")
  @Produces("text/csv")
  public Response csv(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
      @QueryParam("to") String to, @QueryParam("groupBy") String groupBy) {
    Form form = Form.empty().with("from", from).with("to", to);
    Period period = Period.of(from, to, form);
    String by = "model".equals(groupBy) ? "model" : "day";
    if (form.failed()) {
      return Response.status(422).type("text/plain").entity(String.join("\n", form.errors().values())).build();
    }
    JsonNode report = gateway.read((api, auth) -> api.usage(auth, tenantId, period.from().toString(),
        period.to().toString(), by));
    StringBuilder csv = new StringBuilder(by).append(",requests,units,computeMs\r\n");
    for (JsonNode r : report.path("rows")) {
      csv.append(csvField(r.path(by.equals("day") ? "date" : "model").asText())).append(',')
          .append(r.path("requests").asLong()).append(',').append(r.path("units").asLong()).append(',')
          .append(r.path("computeMs").asLong()).append("\r\n");
    }
    String file = "usage-" + period.from() + "-" + period.to() + "-by-" + by + ".csv";
    return Response.ok(csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv;charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
  }

  /** A period of whole UTC days, checked. */
  record Period(LocalDate from, LocalDate to) {

    static Period of(String from, String to, Form form) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      LocalDate end = date(to, today, "to", form);
      LocalDate start = date(from, end.minusDays(29), "from", form);
      if (start.isAfter(end)) {
        form.error("from", "must not be after the last day");
      } else if (start.plusDays(MAX_DAYS).isBefore(end)) {
        form.error("from", "the period can be at most " + MAX_DAYS + " days");
      }
      return new Period(start, end);
    }

    private static LocalDate date(String text, LocalDate fallback, String field, Form form) {
      if (text == null || text.isBlank()) {
        return fallback;
      }
      try {
        return LocalDate.parse(text.trim());
      } catch (DateTimeParseException e) {
        form.error(field, "must be a date, YYYY-MM-DD");
        return fallback;
      }
    }
  }

  private static List<Map<String, Object>> rows(JsonNode report) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode r : report.path("rows")) {
      rows.add(Pages.map(r));
    }
    return rows;
  }

  /**
   * The page's two charts as the JSON its script reads: every day of the period (days without calls as 0) and every
   * model called in it, each with requests, units and compute time. {@code <} is escaped, since the JSON sits in a
   * {@code <script>} element.
   */
  private static String chartData(Period period, JsonNode days, JsonNode models) {
    Map<String, JsonNode> byDay = new java.util.HashMap<>();
    for (JsonNode r : days.path("rows")) {
      byDay.put(r.path("date").asText(), r);
    }
    ObjectNode chart = JsonNodeFactory.instance.objectNode();
    ObjectNode perDay = series(chart.putObject("days"));
    for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) {
      add(perDay, d.toString(), byDay.get(d.toString()));
    }
    ObjectNode perModel = series(chart.putObject("models"));
    for (JsonNode r : models.path("rows")) {
      add(perModel, r.path("model").asText(), r);
    }
    return chart.toString().replace("<", "\\u003c");
  }

  private static ObjectNode series(ObjectNode node) {
    node.putArray("labels");
    node.putArray("requests");
    node.putArray("units");
    node.putArray("computeMs");
    return node;
  }

  private static void add(ObjectNode series, String label, JsonNode row) {
    ((ArrayNode) series.get("labels")).add(label);
    ((ArrayNode) series.get("requests")).add(row == null ? 0 : row.path("requests").asLong());
    ((ArrayNode) series.get("units")).add(row == null ? 0 : row.path("units").asLong());
    ((ArrayNode) series.get("computeMs")).add(row == null ? 0 : row.path("computeMs").asLong());
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
