package dev.infermint.admin.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.qute.TemplateData;

import dev.infermint.admin.client.GatewayException;

/**
 * What a form sent and what was wrong with it, so a page can show the values again and each problem's
 * {@code detail} next to the field it names ({@code errors.<field>}); a problem naming no field of the form goes
 * to {@code errors.general}, shown at the top of the form.
 */
@TemplateData
public final class Form {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> errors = new LinkedHashMap<>();

  /** @return an empty form */
  public static Form empty() {
    return new Form();
  }

  /**
   * @param name a field
   * @param value what was sent
   * @return this
   */
  public Form with(String name, String value) {
    values.put(name, value == null ? "" : value);
    return this;
  }

  /**
   * @param field the field, or null for the form as a whole
   * @param detail what is wrong
   * @return this
   */
  public Form error(String field, String detail) {
    errors.put(field == null || (!values.containsKey(field)) ? "general" : field, detail);
    return this;
  }

  /**
   * @param refusal the gateway's refusal
   * @return this, with the refusal's detail next to the field it names
   */
  public Form error(GatewayException refusal) {
    return error(refusal.field(), refusal.detail());
  }

  /** @return the values sent, by field */
  public Map<String, String> values() {
    return values;
  }

  /** @return the problems, by field ({@code general} for the whole form) */
  public Map<String, String> errors() {
    return errors;
  }

  /** @return whether anything was wrong */
  public boolean failed() {
    return !errors.isEmpty();
  }
}
