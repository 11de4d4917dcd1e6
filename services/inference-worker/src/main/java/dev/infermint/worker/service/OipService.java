package dev.infermint.worker.service;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.batching.BatchScheduler;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.rest.InferOutputTensor;
import dev.infermint.worker.rest.InferRequest;
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
 *
 * <p>Batching: requests go to the model's {@link BatchScheduler}. Requests whose every input has a batch dimension
 * merge with others that give the same datatypes and the same dimensions beyond 0 and ask for the same outputs, as
 * Triton's dynamic batcher: their inputs are concatenated along dimension 0, the model runs once, and each request
 * gets its rows of every output back. A request without a batch dimension runs alone; so does every request of a
 * batch whose outputs do not all keep the batch as dimension 0, or that ONNX Runtime refuses.
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


  /** One request for the scheduler: the inputs, the outputs wanted and the session to run (held by its lease). */
  private record Job(ResolvedModel model, OrtLoadedModel session, OipRequests.Inputs inputs, List<String> wanted) {
  }

  /** One request's outputs, and the compute time of the batch it ran in. */
  private record Ran(List<InferOutputTensor> outputs, long computeNanos) {
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
   * Says whether a model version is loaded and servable here; it does not load it.
   *
   * @param tenant the caller's tenant
   * @param model the model name
   * @param version the version, or null for the default one
   * @param requestId the request id
   * @return the readiness, when ready
   * @throws ProblemException 404 when unknown, 400 {@code model_not_ready} when not loaded (with why), 502/503 when
   *     the registry is unreachable
   */
  public ModelReadyResponse ready(String tenant, String model, String version, String requestId) {
    ResolvedModel m = resolver.resolve(tenant, model, version, requestId);
    models.checkReady(m);
    return new ModelReadyResponse(m.name(), m.version(), true);
  }

  /**
   * Runs one inference request.
   *
   * @param tenant the caller's tenant
   * @param model the model name
   * @param version the version, or null for the default one
   * @param request the OIP request
   * @param binary each input's bytes from the binary tensor data extension (same index as the request's inputs,
   *     null for an input given in JSON), or null when the request has none
   * @param deadline when the caller needs the answer; the model does not run once it has passed
   * @param requestId the request id
   * @return the OIP response, metered in its batch size (see the class comment), once the request's batch has run;
   *     it fails with 422 when ONNX Runtime refuses the request, 503 {@code overloaded} or 504 when it waited too
   *     long in the queue. Nothing blocks while it waits
   * @throws ProblemException 400 naming the tensor for a bad request, 503 when the worker is overloaded, 504 when the
   *     deadline passes before the request is queued
   */
  public CompletableFuture<Metered<InferResponse>> infer(String tenant, String model, String version, InferRequest request,
      List<ByteBuffer> binary, Deadline deadline, String requestId) {
    deadline.check("on arrival");
    if (request == null) {
      throw Problems.malformed("the request body is missing; send {\"inputs\": [...]}");
    }
    ResolvedModel m = resolver.resolve(tenant, model, version, requestId);
    OipRequests.Inputs inputs = OipRequests.inputs(m, request.inputs(), binary, config.maxTensorElements());
    List<String> wanted = OipRequests.outputs(m, request.outputs());

    ResourcePool.Lease<OrtLoadedModel> lease = models.acquire(m, deadline, requestId);
    try {
      deadline.check("while the model was looked up and loaded");
      admission.checkReady();
      BatchScheduler<Job, Ran> scheduler = lease.get().scheduler("oip",
          () -> admission.scheduler(m, OipService::runBatch));
      Object key = inputs.batchable() ? batchKey(inputs, wanted) : new Object();
      int rows = (int) Math.min(Integer.MAX_VALUE, inputs.units());
      // The lease holds the session until the request has run (or was dropped): released when it completes.
      return scheduler.submit(tenant, key, rows, deadline, new Job(m, lease.get(), inputs, wanted))
          .completion(deadline, admission.maxWait())
          .whenComplete((ran, failure) -> lease.close())
          .thenApply(ran -> new Metered<>(new InferResponse(m.name(), m.version(), request.id(), ran.outputs()),
              m.name(), m.version(), inputs.units(), (ran.computeNanos() + 999_999) / 1_000_000));
    } catch (RuntimeException | Error e) {
      lease.close();
      throw e;
    }
  }

  /** What must agree for two requests to merge: each input's datatype and dimensions beyond 0, and the outputs. */
  private static String batchKey(OipRequests.Inputs inputs, List<String> wanted) {
    StringBuilder key = new StringBuilder();
    for (TensorCodec.Decoded d : inputs.tensors()) {
      key.append(d.name()).append(':').append(d.type()).append(Arrays.toString(Arrays.copyOfRange(d.shape(), 1,
          d.shape().length))).append(';');
    }
    return key.append("->").append(wanted).toString();
  }

  /** Runs one batch: one request as it is, several concatenated along dimension 0 and split back. */
  private static List<Ran> runBatch(List<Job> jobs) {
    Job first = jobs.get(0);
    long start = System.nanoTime();
    if (jobs.size() == 1) {
      List<InferOutputTensor> outputs = runOnce(first, first.inputs().tensors());
      return List.of(new Ran(outputs, System.nanoTime() - start));
    }
    List<TensorCodec.Decoded> merged = new ArrayList<>(first.inputs().tensors().size());
    long total = 0;
    for (Job j : jobs) {
      total += j.inputs().units();
    }
    for (int t = 0; t < first.inputs().tensors().size(); t++) {
      TensorCodec.Decoded head = first.inputs().tensors().get(t);
      int length = 0;
      for (Job j : jobs) {
        length += Array.getLength(j.inputs().tensors().get(t).values());
      }
      Object values = Array.newInstance(head.values().getClass().getComponentType(), length);
      int at = 0;
      for (Job j : jobs) {
        Object part = j.inputs().tensors().get(t).values();
        int n = Array.getLength(part);
        System.arraycopy(part, 0, values, at, n);
        at += n;
      }
      long[] shape = head.shape().clone();
      shape[0] = total;
      merged.add(new TensorCodec.Decoded(head.name(), head.type(), shape, values));
    }
    List<InferOutputTensor> outputs = runOnce(first, merged);
    long nanos = System.nanoTime() - start;
    List<Ran> split = new ArrayList<>(jobs.size());
    long row = 0;
    for (Job j : jobs) {
      long rows = j.inputs().units();
      List<InferOutputTensor> mine = new ArrayList<>(outputs.size());
      for (InferOutputTensor out : outputs) {
        if (out.shape().length == 0 || out.shape()[0] != total) {
          // Not batched along dimension 0: the scheduler runs every request of this batch alone.
          throw new IllegalStateException("output '" + out.name() + "' of shape " + Arrays.toString(out.shape())
              + " does not keep the batch of " + total + " as dimension 0");
        }
        int perRow = Array.getLength(out.data()) / (int) total;
        Object data = Array.newInstance(out.data().getClass().getComponentType(), (int) (perRow * rows));
        System.arraycopy(out.data(), (int) (perRow * row), data, 0, (int) (perRow * rows));
        long[] shape = out.shape().clone();
        shape[0] = rows;
        mine.add(new InferOutputTensor(out.name(), shape, out.datatype(), null, data));
      }
      split.add(new Ran(mine, nanos));
      row += rows;
    }
    return split;
  }

  private static List<InferOutputTensor> runOnce(Job job, List<TensorCodec.Decoded> tensors) {
    ResolvedModel m = job.model();
    try {
      return job.session().run(manager -> {
        NDList list = new NDList(tensors.size());
        for (TensorCodec.Decoded input : tensors) {
          list.add(input.toArray(manager));
        }
        return list;
      }, result -> select(m.name(), result, job.wanted()));
    } catch (TranslateException | RuntimeException e) {
      if (e instanceof ProblemException p) {
        throw p;
      }
      String reason = rootMessage(e);
      LOG.infof("ONNX Runtime refused input for %s:%s: %s", m.name(), m.version(), reason);
      throw InferenceProblems.inferenceFailed(m.name(), reason);
    }
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
