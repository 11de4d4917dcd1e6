package dev.infermint.billing.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tenant's usage over a date range ({@code GET /api/v1/tenants/{tenantId}/usage}).
 *
 * @param rows one row with the totals, or one per UTC day or per model
 */
public record UsageReport(List<Row> rows) {

  /**
   * Usage of one group.
   *
   * @param date the UTC day ({@code YYYY-MM-DD}), only with {@code groupBy=day}
   * @param model the model, only with {@code groupBy=model}
   * @param requests number of calls
   * @param units units consumed
   * @param computeMs compute milliseconds
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(String date, String model, long requests, long units, long computeMs) {
  }
}
