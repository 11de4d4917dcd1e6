package dev.infermint.worker.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.rest.InferInputTensor;
import dev.infermint.worker.rest.InferOutputTensor;
import dev.infermint.worker.rest.InferRequest;
import dev.infermint.worker.rest.InferRequestedOutput;
import dev.infermint.worker.rest.InferResponse;
import dev.infermint.worker.rest.ModelMetadataResponse;
import dev.infermint.worker.rest.ModelReadyResponse;
import dev.infermint.worker.rest.TensorMetadata;

/**
 * The Open Inference Protocol (KServe V2) over ONNX Runtime: model metadata, readiness and inference. Every request
 * is checked against the model's signature from the registry before ONNX Runtime sees it, so that a wrong name,
 * datatype, shape or value is a 400 naming the tensor; what ONNX Runtime still refuses is a 422 with its message.
 *
 * <p>Units: a call is billed by its batch size, the dimension 0 that every input with a batch dimension shares. An
 * input has one when the signature's first dimension is dynamic ({@code -1}, a symbolic name), or when the registry
 * knows no shape for it and it is not a scalar; scalars ({@code []}) and fixed first dimensions (set by the model,
 * not by the caller) are not batch dimensions. Inputs that disagree are a 400 naming both; with no batched input a
 * call is 1 unit. Inputs are read in the signature's order, so their order in the request changes nothing.
 */
@ApplicationScoped
public class OipService {

  private static final Logger LOG = Logger.getLogger(OipService.class);

  @Inject
  ModelResolver resolver;

  @Inject
  ModelCache models;

  @Inject
  InferenceAdmission admission;

  @Inject
  WorkerConfig config;

  /** The decoded inputs, in the request's order, and the units they bill. */
  private record Inputs(List<TensorCodec.Decoded> tensors, long units) {
  }

  /**
   * The metadata of a model version.
   *
   * @param tenant the caller's tenant
   * @param model the model name
   * @param version the version, or null for the default one
   * @param requestId the request id
   * @return OIP metadata
   */
  public ModelMetadataResponse metadata(String tenant, String model, String version, String requestId) {
    ResolvedModel m = resolver.resolve(tenant, model, version, requestId);
    return new ModelMetadataResponse(m.name(), List.of(m.version()), ModelMetadataResponse.PLATFORM,
        metadata(m.inputs()), metadata(m.outputs()));
  }

  /**
   * Loads a model version (if needed) and says it is ready.
   *
   * @param tenant the caller's tenant
   * @param model the model name
   * @param version the version, or null for the default one
   * @param requestId the request id
   * @return the readiness
   * @throws ProblemException 404 when unknown, 422 when ONNX Runtime cannot load it, 502/503 when unreachable
   */
  public ModelReadyResponse ready(String tenant, String model, String version, String requestId) {
    ResolvedModel m = resolver.resolve(tenant, model, version, requestId);
    try (ResourcePool.Lease<OrtLoadedModel> ignored = models.acquire(m, Deadline.NONE, requestId)) {
      return new ModelReadyResponse(m.name(), m.version(), true);
    }
  }

  /**
   * Runs one inference request.
   *
   * @param tenant the caller's tenant
   * @param model the model name
   * @param version the version, or null for the default one
   * @param request the OIP request
   * @param deadline when the caller needs the answer; the model does not run once it has passed
   * @param requestId the request id
   * @return the OIP response, metered in its batch size (see the class comment)
   * @throws ProblemException 400 naming the tensor for a bad request, 422 when ONNX Runtime refuses it, 503 when the
   *     worker is overloaded, 504 when the deadline passes before the model runs
   */
  public Metered<InferResponse> infer(String tenant, String model, String version, InferRequest request,
      Deadline deadline, String requestId) {
    deadline.check("on arrival");
    if (request == null) {
      throw Problems.malformed("the request body is missing; send {\"inputs\": [...]}");
    }
    ResolvedModel m = resolver.resolve(tenant, model, version, requestId);
    Inputs inputs = checkInputs(m, request.inputs());
    List<String> wanted = checkOutputs(m, request.outputs());

    try (ResourcePool.Lease<OrtLoadedModel> lease = models.acquire(m, deadline, requestId)) {
      deadline.check("while the model was looked up and loaded");
      try (InferenceAdmission.Turn ignored = admission.admit(deadline)) {
        long start = System.nanoTime();
        List<InferOutputTensor> outputs;
        try {
          outputs = lease.get().run(manager -> {
            NDList list = new NDList(inputs.tensors().size());
            for (TensorCodec.Decoded input : inputs.tensors()) {
              list.add(input.toArray(manager));
            }
            return list;
          }, result -> select(m.name(), result, wanted));
        } catch (TranslateException | RuntimeException e) {
          if (e instanceof ProblemException p) {
            throw p;
          }
          String reason = rootMessage(e);
          LOG.infof("ONNX Runtime refused input for %s:%s: %s", m.name(), m.version(), reason);
          throw InferenceProblems.inferenceFailed(m.name(), reason);
        }
        return Metered.since(new InferResponse(m.name(), m.version(), request.id(), outputs), m, inputs.units(),
            start);
      }
    }
  }

  private Inputs checkInputs(ResolvedModel m, List<InferInputTensor> given) {
    if (given == null || given.isEmpty()) {
      throw InferenceProblems.invalidField("inputs", "at least one input tensor is needed; the model takes "
          + names(m.inputs()));
    }
    Map<String, TensorCodec.Decoded> byName = new HashMap<>();
    List<TensorCodec.Decoded> decoded = new ArrayList<>(given.size());
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
      TensorCodec.Decoded d = checkInput(m, spec, in);
      byName.put(name, d);
      decoded.add(d);
    }
    // In the signature's order, so that neither the units nor the error depend on the request's order.
    String batchedBy = null;
    long batch = 1;
    for (TensorSpec spec : m.inputs()) {
      TensorCodec.Decoded d = byName.get(spec.name());
      if (d == null) {
        throw InferenceProblems.invalidTensor(spec.name(), "is missing; model '" + m.name() + "' needs inputs "
            + names(m.inputs()));
      }
      if (!hasBatchDimension(spec, d)) {
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
    return new Inputs(decoded, batch);
  }

  /**
   * Whether an input's dimension 0 is the call's batch size: the signature leaves it dynamic, or the registry knows
   * no shape and the tensor is not a scalar. (Its rank was checked against the signature already.)
   */
  private static boolean hasBatchDimension(TensorSpec spec, TensorCodec.Decoded input) {
    return input.shape().length > 0 && (spec.shape() == null || spec.shape()[0] < 0);
  }

  private TensorCodec.Decoded checkInput(ResolvedModel m, TensorSpec spec, InferInputTensor in) {
    String name = in.name();
    Datatype type = Datatype.parse(in.datatype()).orElseThrow(() -> InferenceProblems.invalidTensor(name,
        in.datatype() == null ? "datatype is missing" : "datatype '" + in.datatype() + "' is not one of "
            + Arrays.toString(Datatype.values())));
    if (!type.accepted()) {
      throw InferenceProblems.invalidTensor(name, "datatype " + type + " is not supported by the worker");
    }
    Optional<Datatype> expected = spec.type();
    if (expected.isPresent() && expected.get() != type) {
      throw InferenceProblems.invalidTensor(name, "datatype is " + type + ", but model '" + m.name()
          + "' expects " + expected.get());
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
      elements = d == 0 ? 0 : (elements > config.maxTensorElements() / d ? Long.MAX_VALUE : elements * d);
    }
    if (elements == 0) {
      throw InferenceProblems.invalidTensor(name, "shape " + Arrays.toString(shape) + " has no elements");
    }
    if (elements > config.maxTensorElements()) {
      throw InferenceProblems.invalidTensor(name, "shape " + Arrays.toString(shape) + " has more than "
          + config.maxTensorElements() + " elements, the limit of one tensor");
    }
    return TensorCodec.decode(name, type, shape, (int) elements, in.data());
  }

  private List<String> checkOutputs(ResolvedModel m, List<InferRequestedOutput> requested) {
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

  private static List<InferOutputTensor> select(String model, NDList result, List<String> wanted) {
    if (wanted.isEmpty()) {
      List<InferOutputTensor> all = new ArrayList<>(result.size());
      for (NDArray array : result) {
        all.add(TensorCodec.encode(model, array));
      }
      return all;
    }
    List<InferOutputTensor> some = new ArrayList<>(wanted.size());
    for (String name : wanted) {
      NDArray array = result.get(name);
      if (array == null) {
        throw InferenceProblems.inferenceFailed(model, "the model did not produce output '" + name + "'");
      }
      some.add(TensorCodec.encode(model, array));
    }
    return some;
  }

  private static List<TensorMetadata> metadata(List<TensorSpec> specs) {
    return specs.stream().map(s -> new TensorMetadata(s.name(), s.datatype(), s.shape() == null ? new long[0]
        : s.shape())).toList();
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * The most specific message of an ONNX Runtime failure: DJL wraps it in one or two exceptions.
   *
   * @param e the failure
   * @return its innermost message
   */
  static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message.strip();
  }
}
