package dev.infermint.worker.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.rest.InferInputTensor;
import dev.infermint.worker.rest.InferOutputTensor;
import dev.infermint.worker.rest.InferRequest;
import dev.infermint.worker.rest.InferRequestedOutput;
import dev.infermint.worker.rest.InferResponse;

/**
 * Triton's binary tensor data extension on REST: a body is a JSON header of {@value #HEADER} bytes followed by the
 * raw data of the inputs that carry {@code parameters.binary_data_size}, in the order the inputs are listed; a
 * response is binary when the request asks ({@code parameters.binary_data_output} for all outputs,
 * {@code parameters.binary_data} per output, which wins), with the same framing and {@code binary_data_size} in each
 * binary output's parameters. Element encoding is {@link TensorCodec}'s.
 *
 * <p>Not supported: Triton's raw binary request ({@value #HEADER} {@code 0}, no JSON header) is a 400 naming the
 * header, as are header lengths past the body and sizes that do not add up to it.
 */
public final class BinaryTensorData {

  /** Request and response header: the length in bytes of the JSON at the start of the body. */
  public static final String HEADER = "Inference-Header-Content-Length";
  /** The content type of a body with binary tensor data. */
  public static final String MEDIA_TYPE = "application/octet-stream";
  /** The extension's name in the server metadata, as Triton reports it. */
  public static final String EXTENSION = "binary_tensor_data";

  private static final String SIZE = "binary_data_size";

  private BinaryTensorData() {
  }

  /**
   * A request read from its body.
   *
   * @param request the JSON request (the header, for a binary body)
   * @param binary each input's binary data (same index as its input; null for inputs in JSON), or null when the
   *     body has no binary part
   */
  public record Framed(InferRequest request, List<ByteBuffer> binary) {
  }

  /**
   * Reads a request body, JSON or framed.
   *
   * @param body the whole body
   * @param headerLength the {@value #HEADER} header, or null for a JSON body
   * @param json reads the JSON
   * @return the request and its inputs' binary data
   * @throws IOException when the JSON is not JSON of the request's shape (answered as {@code malformed_request})
   * @throws ProblemException 400 naming the header or the input when the framing is inconsistent
   */
  public static Framed read(byte[] body, String headerLength, ObjectMapper json) throws IOException {
    if (headerLength == null) {
      InferRequest request = body.length == 0 ? null : json.readValue(body, InferRequest.class);
      if (request != null && request.inputs() != null) {
        for (InferInputTensor in : request.inputs()) {
          if (in != null && in.parameters() != null && in.parameters().containsKey(SIZE)) {
            throw InferenceProblems.invalidTensor(in.name(), "has parameters.binary_data_size, but the request has"
                + " no binary data: send the JSON's length in " + HEADER + " and the bytes after it");
          }
        }
      }
      return new Framed(request, null);
    }
    int length = headerLength(headerLength, body.length);
    InferRequest request = json.readValue(body, 0, length, InferRequest.class);
    if (request == null || request.inputs() == null) {
      throw InferenceProblems.invalidField("inputs", "at least one input tensor is needed");
    }
    List<ByteBuffer> binary = new ArrayList<>(Collections.nCopies(request.inputs().size(), null));
    int at = length;
    List<String> binaryNames = new ArrayList<>();
    for (int i = 0; i < request.inputs().size(); i++) {
      InferInputTensor in = request.inputs().get(i);
      if (in == null || in.parameters() == null || !in.parameters().containsKey(SIZE)) {
        continue;
      }
      String name = String.valueOf(in.name());
      long size = size(name, in.parameters().get(SIZE));
      if (size > body.length - at) {
        throw InferenceProblems.invalidTensor(name, "binary_data_size " + size + " goes past the end of the body:"
            + " " + (body.length - at) + " bytes of binary data remain after the JSON header"
            + (binaryNames.isEmpty() ? "" : " and inputs " + binaryNames));
      }
      binary.set(i, ByteBuffer.wrap(body, at, (int) size).slice());
      at += (int) size;
      binaryNames.add(name);
    }
    if (at != body.length) {
      throw InferenceProblems.invalidHeader(HEADER, "the body has " + (body.length - length) + " bytes after the "
          + length + "-byte JSON header, but the inputs' binary_data_size add up to " + (at - length)
          + (binaryNames.isEmpty() ? " (no input has binary_data_size)" : " (inputs " + binaryNames + ")"));
    }
    return new Framed(request, binary);
  }

  private static int headerLength(String value, int bodyLength) {
    String v = value.strip();
    long n = -1;
    if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      n = Long.parseLong(v);
    }
    if (n < 0) {
      throw InferenceProblems.invalidHeader(HEADER, "must be the length in bytes of the JSON header, not '"
          + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
    }
    if (n == 0) {
      throw InferenceProblems.invalidHeader(HEADER, "0 (a raw binary request without a JSON header) is not"
          + " supported; send the JSON header with each input's name, shape, datatype and binary_data_size");
    }
    if (n > bodyLength) {
      throw InferenceProblems.invalidHeader(HEADER, "says the JSON header is " + n + " bytes, but the body has"
          + " only " + bodyLength);
    }
    return (int) n;
  }

  private static long size(String tensor, Object value) {
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n >= 0) {
        return n;
      }
    }
    throw InferenceProblems.invalidTensor(tensor, "parameters.binary_data_size must be a non-negative integer"
        + " (bytes), not " + value);
  }

  /**
   * Which outputs the request wants as binary, checked before anything runs.
   *
   * @param request the request
   * @return the outputs' form
   * @throws ProblemException 400 naming the parameter when it is not a boolean
   */
  public static OutputForm outputForm(InferRequest request) {
    boolean all = flag(request.parameters(), "binary_data_output", "parameters.binary_data_output");
    Map<String, Boolean> each = new java.util.HashMap<>();
    if (request.outputs() != null) {
      for (InferRequestedOutput o : request.outputs()) {
        if (o != null && o.parameters() != null && o.parameters().containsKey("binary_data")) {
          each.put(o.name(), flag(o.parameters(), "binary_data", "outputs[" + o.name() + "].parameters.binary_data"));
        }
      }
    }
    return new OutputForm(all, each);
  }

  private static boolean flag(Map<String, Object> parameters, String key, String field) {
    if (parameters == null || !parameters.containsKey(key)) {
      return false;
    }
    Object v = parameters.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw InferenceProblems.invalidField(field, "must be true or false, not " + v);
  }

  /**
   * How a response's outputs are written.
   *
   * @param all {@code binary_data_output}: every output binary unless it says otherwise
   * @param each {@code binary_data} of the outputs that set it
   */
  public record OutputForm(boolean all, Map<String, Boolean> each) {

    /** @return whether the output goes as binary */
    public boolean binary(String output) {
      return each.getOrDefault(output, all);
    }

    /** @return whether any output of the response may go as binary */
    public boolean any() {
      return all || each.containsValue(true);
    }
  }

  /**
   * A framed response body.
   *
   * @param body the JSON header and the binary outputs
   * @param headerLength the JSON header's length, for {@value #HEADER}
   */
  public record Encoded(byte[] body, int headerLength) {
  }

  /**
   * Writes a response with its binary outputs after the JSON header.
   *
   * @param response the response with every output's data
   * @param form which outputs go as binary
   * @param json writes the JSON header
   * @return the body, or null when no output goes as binary (a plain JSON response)
   */
  public static Encoded write(InferResponse response, OutputForm form, ObjectMapper json) {
    if (!form.any()) {
      return null;
    }
    List<InferOutputTensor> outputs = new ArrayList<>(response.outputs().size());
    List<byte[]> parts = new ArrayList<>();
    for (InferOutputTensor out : response.outputs()) {
      if (!form.binary(out.name())) {
        outputs.add(out);
        continue;
      }
      Datatype type = Datatype.parse(out.datatype()).orElseThrow();
      byte[] bytes = TensorCodec.toBinary(type, out.data());
      parts.add(bytes);
      outputs.add(new InferOutputTensor(out.name(), out.shape(), out.datatype(), Map.of(SIZE, bytes.length), null));
    }
    if (parts.isEmpty()) {
      return null;
    }
    try {
      byte[] header = json.writeValueAsBytes(new InferResponse(response.modelName(), response.modelVersion(),
          response.id(), outputs));
      ByteArrayOutputStream body = new ByteArrayOutputStream(header.length + parts.stream().mapToInt(p -> p.length)
          .sum());
      body.writeBytes(header);
      parts.forEach(body::writeBytes);
      return new Encoded(body.toByteArray(), header.length);
    } catch (IOException e) {
      throw Problems.internal(null);
    }
  }
}
