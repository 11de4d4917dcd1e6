package dev.infermint.worker.service;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.rest.InferInputTensor;
import dev.infermint.worker.rest.InferRequestedOutput;

/**
 * Checks an OIP request against a model's signature and decodes its inputs, before anything is loaded or run. It
 * holds no state and needs no container, so the protocol's property tests drive it directly.
 *
 * <p>Order of the checks, per input in the request's order: its name (known to the model, not given twice), its
 * datatype (an OIP datatype, the one the model's input takes, one ONNX Runtime's Java API can create), its shape
 * (non-negative integers, the model's rank and fixed dimensions, at least one and at most
 * {@code max-tensor-elements} elements), then its data (JSON or binary). Then, in the signature's order: every input
 * present, and the batch size that every input with a batch dimension shares.
 */
final class OipRequests {

  private OipRequests() {
  }

  /**
   * The decoded inputs, in the signature's order, the units they bill, and whether every input is batched (dimension
   * 0 is the batch).
   */
  record Inputs(List<TensorCodec.Decoded> tensors, long units, boolean batchable) {
  }

  /**
   * Checks and decodes the inputs.
   *
   * @param m the model
   * @param given the request's inputs
   * @param binary each input's binary data (same index), null for those in JSON; null when none is binary
   * @param maxElements the most elements one tensor may have
   * @return the decoded inputs
   * @throws ProblemException 400 naming the input for any mismatch, 422 for a model input the worker cannot feed
   */
  static Inputs inputs(ResolvedModel m, List<InferInputTensor> given, List<ByteBuffer> binary, int maxElements) {
    if (given == null || given.isEmpty()) {
      throw InferenceProblems.invalidField("inputs", "at least one input tensor is needed; the model takes "
          + names(m.inputs()));
    }
    Map<String, TensorCodec.Decoded> byName = new HashMap<>();
    for (int i = 0; i < given.size(); i++) {
      InferInputTensor in = given.get(i);
      if (in == null || in.name() == null || in.name().isBlank()) {
        throw InferenceProblems.invalidField("inputs[" + i + "].name", "every input tensor needs a name");
      }
      String name = in.name();
      if (byName.containsKey(name)) {
        throw InferenceProblems.invalidTensor(name, "is given twice");
      }
      TensorSpec spec = m.input(name).orElseThrow(() -> InferenceProblems.invalidTensor(name,
          "model '" + m.name() + "' has no input of that name; its inputs are " + names(m.inputs())));
      ByteBuffer bytes = binary == null ? null : binary.get(i);
      byName.put(name, input(m, spec, in, bytes, maxElements));
    }
    // In the signature's order, so that neither the units nor the error depend on the request's order.
    String batchedBy = null;
    long batch = 1;
    boolean allBatched = true;
    List<TensorCodec.Decoded> ordered = new ArrayList<>(given.size());
    for (TensorSpec spec : m.inputs()) {
      TensorCodec.Decoded d = byName.get(spec.name());
      if (d == null) {
        throw InferenceProblems.invalidTensor(spec.name(), "is missing; model '" + m.name() + "' needs inputs "
            + names(m.inputs()));
      }
      ordered.add(d);
      if (!hasBatchDimension(spec, d)) {
        allBatched = false;
        continue;
      }
      long rows = d.shape()[0];
      if (batchedBy == null) {
        batchedBy = spec.name();
        batch = rows;
      } else if (rows != batch) {
        throw InferenceProblems.batchMismatch(batchedBy, batch, spec.name(), rows);
      }
    }
    return new Inputs(ordered, batch, allBatched && batchedBy != null);
  }

  /**
   * Whether an input's dimension 0 is the call's batch size: the signature leaves it dynamic, or the registry knows
   * no shape and the tensor is not a scalar. (Its rank was checked against the signature already.)
   */
  private static boolean hasBatchDimension(TensorSpec spec, TensorCodec.Decoded input) {
    return input.shape().length > 0 && (spec.shape() == null || spec.shape()[0] < 0);
  }

  private static TensorCodec.Decoded input(ResolvedModel m, TensorSpec spec, InferInputTensor in, ByteBuffer bytes,
      int maxElements) {
    String name = in.name();
    Datatype type = Datatype.parse(in.datatype()).orElseThrow(() -> InferenceProblems.invalidTensor(name,
        in.datatype() == null ? "datatype is missing; model '" + m.name() + "' expects "
            + spec.type().map(Enum::name).orElse("one of " + Arrays.toString(Datatype.values()))
            : "datatype '" + in.datatype() + "' is not one of " + Arrays.toString(Datatype.values())));
    Optional<Datatype> expected = spec.type();
    if (expected.isPresent() && expected.get() != type) {
      throw InferenceProblems.invalidTensor(name, "datatype is " + type + ", but model '" + m.name()
          + "' expects " + expected.get());
    }
    if (!type.feedable()) {
      throw InferenceProblems.unfeedable(m.name(), name, type);
    }
    long[] shape = TensorCodec.shape(name, in.shape());
    if (spec.shape() != null) {
      long[] want = spec.shape();
      if (want.length != shape.length) {
        throw InferenceProblems.invalidTensor(name, "shape " + Arrays.toString(shape) + " has rank " + shape.length
            + ", but model '" + m.name() + "' expects rank " + want.length + " " + Arrays.toString(want));
      }
      for (int i = 0; i < want.length; i++) {
        if (want[i] >= 0 && want[i] != shape[i]) {
          throw InferenceProblems.invalidTensor(name, "dimension " + i + " of shape " + Arrays.toString(shape)
              + " is " + shape[i] + ", but model '" + m.name() + "' expects " + Arrays.toString(want)
              + " (-1 = any)");
        }
      }
    }
    long elements = 1;
    for (long d : shape) {
      elements = d == 0 ? 0 : (elements > maxElements / d ? Long.MAX_VALUE : elements * d);
    }
    if (elements == 0) {
      throw InferenceProblems.invalidTensor(name, "shape " + Arrays.toString(shape) + " has no elements");
    }
    if (elements > maxElements) {
      throw InferenceProblems.invalidTensor(name, "shape " + Arrays.toString(shape) + " has more than "
          + maxElements + " elements, the limit of one tensor");
    }
    if (bytes != null) {
      if (in.data() != null && !in.data().isNull()) {
        throw InferenceProblems.invalidTensor(name, "has both data and parameters.binary_data_size; give one");
      }
      return TensorCodec.decodeBinary(name, type, shape, (int) elements, bytes);
    }
    return TensorCodec.decode(name, type, shape, (int) elements, in.data());
  }

  /**
   * Checks the outputs asked for.
   *
   * @param m the model
   * @param requested the request's {@code outputs}, or null for all
   * @return the names, in the request's order without repeats; empty for all
   * @throws ProblemException 400 naming an output the model does not have
   */
  static List<String> outputs(ResolvedModel m, List<InferRequestedOutput> requested) {
    if (requested == null || requested.isEmpty()) {
      return List.of();
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      InferRequestedOutput o = requested.get(i);
      if (o == null || o.name() == null || o.name().isBlank()) {
        throw InferenceProblems.invalidField("outputs[" + i + "].name", "every requested output needs a name");
      }
      if (m.output(o.name()).isEmpty()) {
        throw InferenceProblems.invalidTensor(o.name(), "model '" + m.name()
            + "' has no output of that name; its outputs are " + names(m.outputs()));
      }
      wanted.add(o.name());
    }
    return List.copyOf(wanted);
  }

  static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", ", "[", "]"));
  }
}
