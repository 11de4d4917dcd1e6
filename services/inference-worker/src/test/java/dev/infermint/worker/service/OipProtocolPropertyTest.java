package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.OipBodies;

/**
 * The protocol layer under 10,000 random bodies ({@link OipBodies}), without a server: reading the body (JSON or
 * binary framing), the outputs' form, and the checks and decoding against the model's signature either succeed with
 * inputs that match their shapes, or fail with a 4xx problem (or a JSON error, which the mapper answers 400). Any
 * other exception would be a 500. {@code OipFuzzTest} sends a sample of the same bodies over HTTP.
 */
class OipProtocolPropertyTest {

  /** Configured as Quarkus configures its ObjectMapper: unknown properties are ignored. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int MAX_ELEMENTS = 16_777_216;

  @Provide
  Arbitrary<OipBodies.Body> bodies() {
    return OipBodies.bodies();
  }

  @Property(tries = 10_000)
  void everyBodyIsAnsweredOrRefusedWithA4xx(@ForAll("bodies") OipBodies.Body body) {
    ResolvedModel model = resolved(OipBodies.model(body.model()));
    String outcome;
    try {
      BinaryTensorData.Framed framed = BinaryTensorData.read(body.bytes(), body.headerLength(), JSON);
      if (framed.request() == null) {
        outcome = "no body";
      } else {
        BinaryTensorData.outputForm(framed.request());
        OipRequests.Inputs inputs = OipRequests.inputs(model, framed.request().inputs(), framed.binary(),
            MAX_ELEMENTS);
        OipRequests.outputs(model, framed.request().outputs());
        for (TensorCodec.Decoded d : inputs.tensors()) {
          long elements = Arrays.stream(d.shape()).reduce(1, (a, b) -> a * b);
          assertEquals(elements, Array.getLength(d.values()), "decoded " + d.name() + " holds its shape");
        }
        outcome = "valid";
      }
    } catch (ProblemException e) {
      int status = e.problem().status();
      assertTrue(status >= 400 && status < 500, status + " " + e.problem().detail() + " for " + body);
      assertTrue(e.problem().detail() != null && !e.problem().detail().isBlank(), "a problem says what is wrong");
      outcome = status + " " + e.problem().code();
    } catch (JsonProcessingException e) {
      outcome = "400 malformed_request";
    } catch (java.io.IOException e) {
      throw new AssertionError("reading a byte array failed: " + e, e);
    }
    Statistics.collect(outcome);
  }

  private static ResolvedModel resolved(OipBodies.Model m) {
    return new ResolvedModel(m.name(), "1", "tenant-a", "generic", "0".repeat(64), null, specs(m.inputs()),
        specs(m.outputs()), Deployment.DEFAULTS);
  }

  private static List<TensorSpec> specs(List<OipBodies.Spec> specs) {
    return specs.stream().map(s -> new TensorSpec(s.name(), s.datatype(), s.shape())).toList();
  }
}
