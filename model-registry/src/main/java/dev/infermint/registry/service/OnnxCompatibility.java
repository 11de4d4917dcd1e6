package dev.infermint.registry.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.onnxruntime.OrtEnvironment;

import dev.infermint.registry.config.OnnxRuntimeConfig;

/**
 * Checks an ONNX file's header against what the inference workers' ONNX Runtime loads ({@link OnnxRuntimeConfig}):
 * its IR version, the version of every operator set it imports, and the domain of every operator its nodes use. It
 * runs before ONNX Runtime sees the file, so that a model built for a newer runtime, or needing custom operators, is
 * refused with a message naming what is missing rather than with the loader's.
 */
@ApplicationScoped
public class OnnxCompatibility {

  private static final Logger LOG = Logger.getLogger(OnnxCompatibility.class);
  /** Operators named in one message at most. */
  private static final int NAMED = 5;

  @Inject
  OnnxRuntimeConfig config;

  private Map<String, Long> maxOpsets;

  @PostConstruct
  void init() {
    maxOpsets = parse(config.opsets());
    String own = OrtEnvironment.getEnvironment().getVersion();
    if (!own.equals(config.workersVersion())) {
      LOG.warnf("The registry loads uploads with ONNX Runtime %s but infermint.registry.onnx.workers-version says the"
          + " workers run %s; keep both, and the limits, in step", own, config.workersVersion());
    }
  }

  /**
   * Parses {@code domain:version} entries.
   *
   * @param entries the configured entries
   * @return domain to highest version, in the given order
   * @throws IllegalArgumentException naming {@code infermint.registry.onnx.opsets} when an entry is malformed
   */
  static Map<String, Long> parse(List<String> entries) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String entry : entries) {
      String e = entry.strip();
      int colon = e.lastIndexOf(':');
      long version = -1;
      if (colon > 0) {
        try {
          version = Long.parseLong(e.substring(colon + 1).strip());
        } catch (NumberFormatException ignored) {
          version = -1;
        }
      }
      if (version < 1) {
        throw new IllegalArgumentException("infermint.registry.onnx.opsets: '" + entry
            + "' is not domain:version (e.g. ai.onnx:22)");
      }
      out.put(OnnxModelHeader.domainName(e.substring(0, colon).strip()), version);
    }
    return Collections.unmodifiableMap(out);
  }

  /** @return the operator-set domains the workers run, each with its highest version */
  public Map<String, Long> supportedOpsets() {
    return maxOpsets;
  }

  /**
   * @param header the file's header
   * @throws dev.infermint.problem.ProblemException 422 {@code unsupported_opset} naming the IR version or the
   *     operator set that is too new; 422 {@code unsupported_operator} naming operators of domains the workers lack
   */
  public void check(OnnxModelHeader header) {
    String runtime = "the workers' ONNX Runtime " + config.workersVersion();
    if (header.irVersion() > config.maxIrVersion()) {
      throw RegistryProblems.unsupportedOpset("IR version " + header.irVersion() + " is newer than " + runtime
          + " supports (up to " + config.maxIrVersion() + ")", "ir_version", header.irVersion(),
          config.maxIrVersion());
    }
    for (Map.Entry<String, Long> opset : header.opsets().entrySet()) {
      String domain = OnnxModelHeader.domainName(opset.getKey());
      Long max = maxOpsets.get(domain);
      if (max != null && opset.getValue() > max) {
        throw RegistryProblems.unsupportedOpset("opset " + domain + " " + opset.getValue() + " is newer than "
            + runtime + " supports (up to " + max + ")", domain, opset.getValue(), max);
      }
    }
    List<OnnxModelHeader.Operator> missing = header.operators().stream()
        .filter(op -> !maxOpsets.containsKey(op.domain())).toList();
    if (!missing.isEmpty()) {
      OnnxModelHeader.Operator first = missing.get(0);
      String named = missing.size() == 1
          ? "operator " + first.opType() + " of domain " + first.domain() + " is"
          : "operators " + String.join(", ", missing.stream().limit(NAMED).map(Object::toString).toList())
              + (missing.size() > NAMED ? " and " + (missing.size() - NAMED) + " more" : "") + " are";
      throw RegistryProblems.unsupportedOperator(named + " not available in " + runtime + ", which runs the domains "
          + String.join(", ", maxOpsets.keySet()), first.domain(), first.opType());
    }
  }
}
