package dev.infermint.registry.service;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of an ONNX {@code ModelProto} that the registry needs, read with a small protobuf wire-format
 * walker that streams through the (large) graph without loading it. It doubles as a first check before ONNX Runtime
 * sees the file: that it is a protobuf message at all, and that no tensor points at an external data file.
 *
 * <p>It also lists the operators the model's nodes use (those of the main graph, of subgraphs in attributes, and of
 * model-local functions), less the calls to model-local functions ({@code functions}, field 25), which are defined
 * in the file itself; {@link OnnxCompatibility} checks them against what the workers' ONNX Runtime runs. Nodes of
 * {@code training_info} (field 20) are not listed: inference never runs them.
 *
 * @param irVersion {@code ir_version} (field 1), 0 when absent
 * @param opsets {@code opset_import} (field 8): operator-set domain to version; the default domain is {@code ""}
 * @param hasGraph whether the model carries a {@code graph} (field 7)
 * @param operators the operators the nodes use, model-local functions left out; the default domain is
 *     {@code ai.onnx}
 */
public record OnnxModelHeader(long irVersion, Map<String, Long> opsets, boolean hasGraph, Set<Operator> operators) {

  /** The default operator-set domain's name; the file may also spell it {@code ""}. */
  public static final String DEFAULT_DOMAIN = "ai.onnx";

  /**
   * An operator a node uses.
   *
   * @param domain its operator-set domain, {@code ai.onnx} for the default one
   * @param opType its name, e.g. {@code MatMul}
   */
  public record Operator(String domain, String opType) {

    @Override
    public String toString() {
      return domain + ":" + opType;
    }
  }

  private static final int FIELD_IR_VERSION = 1;
  private static final int FIELD_GRAPH = 7;
  private static final int FIELD_OPSET_IMPORT = 8;
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  /** An opset_import entry is a domain name and a number; anything bigger is not one. */
  private static final int MAX_OPSET_ENTRY = 4096;
  /** Longest operator, domain or function name read; ONNX names are identifiers, far shorter. */
  private static final int MAX_NAME = 1024;
  /** Most distinct operators listed; real models use a few dozen. */
  private static final int MAX_OPERATORS = 4096;

  /*
   * Where tensors can hide in an ONNX model, by message kind: field number -> kind of the nested message. Every
   * TensorProto is checked for data_location = EXTERNAL (field 14) or external_data entries (field 13), because
   * ONNX Runtime would read such a tensor from any path the file names, and the registry stores single files.
   */
  private static final int GRAPH = 1;
  private static final int NODE = 2;
  private static final int ATTRIBUTE = 3;
  private static final int TENSOR = 4;
  private static final int SPARSE = 5;
  private static final int FUNCTION = 6;
  private static final int TRAINING = 7;
  private static final int MAX_DEPTH = 64;
  private static final Map<Integer, Integer> MODEL_CHILDREN = Map.of(FIELD_GRAPH, GRAPH, 20, TRAINING, 25, FUNCTION);
  private static final Map<Integer, Map<Integer, Integer>> CHILDREN = Map.of(
      GRAPH, Map.of(1, NODE, 5, TENSOR, 15, SPARSE),
      NODE, Map.of(5, ATTRIBUTE),
      ATTRIBUTE, Map.of(5, TENSOR, 6, GRAPH, 10, TENSOR, 11, GRAPH, 22, SPARSE, 23, SPARSE),
      SPARSE, Map.of(1, TENSOR, 2, TENSOR),
      FUNCTION, Map.of(7, NODE),
      TRAINING, Map.of(1, GRAPH, 2, GRAPH),
      TENSOR, Map.of());
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_DOMAIN = 7;
  private static final int FUNCTION_NAME = 1;
  private static final int FUNCTION_DOMAIN = 10;

  public OnnxModelHeader {
    opsets = Map.copyOf(opsets);
    operators = Collections.unmodifiableSet(new LinkedHashSet<>(operators)); // in the file's order, for messages
  }

  /**
   * @param domain an operator-set domain as the file spells it
   * @return its name, {@link #DEFAULT_DOMAIN} for {@code ""}
   */
  public static String domainName(String domain) {
    return domain == null || domain.isEmpty() ? DEFAULT_DOMAIN : domain;
  }

  /** @return the version of the default operator set ({@code ""} or {@code ai.onnx}), null when not imported */
  public Integer defaultOpset() {
    Long v = opsets.containsKey("") ? opsets.get("") : opsets.get("ai.onnx");
    return v == null ? null : Math.toIntExact(v);
  }

  /**
   * Reads the header of an ONNX file and scans its tensors for external data.
   *
   * @param file the file
   * @return its header
   * @throws InvalidModelException when the file is not a well-formed protobuf message, has no graph, or keeps a
   *     tensor in an external file
   * @throws IOException when the file cannot be read
   */
  public static OnnxModelHeader read(Path file) throws InvalidModelException, IOException {
    long size = Files.size(file);
    if (size == 0) {
      throw new InvalidModelException("the file is empty");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      Wire wire = new Wire(in, size);
      long irVersion = 0;
      boolean graph = false;
      Map<String, Long> opsets = new LinkedHashMap<>();
      Nodes nodes = new Nodes();
      while (wire.remaining() > 0) {
        long tag = wire.varint();
        int field = (int) (tag >>> 3);
        int type = (int) (tag & 7);
        if (field == 0) {
          throw new InvalidModelException("not an ONNX model (invalid protobuf field number 0)");
        }
        if (field == FIELD_IR_VERSION && type == 0) {
          irVersion = wire.varint();
        } else if (field == FIELD_OPSET_IMPORT && type == 2) {
          long len = wire.length();
          if (len > MAX_OPSET_ENTRY) {
            throw new InvalidModelException("not an ONNX model (opset_import entry of " + len + " bytes)");
          }
          readOpset(new Wire(new java.io.ByteArrayInputStream(wire.bytes((int) len)), len), opsets);
        } else if (type == 2 && MODEL_CHILDREN.containsKey(field)) {
          graph |= field == FIELD_GRAPH;
          int kind = MODEL_CHILDREN.get(field);
          scan(wire.sub(wire.length()), kind, 0, kind == TRAINING ? null : nodes);
        } else {
          wire.skip(type);
        }
      }
      if (!graph) {
        throw new InvalidModelException("not an ONNX model (no graph)");
      }
      return new OnnxModelHeader(irVersion, opsets, true, nodes.operators());
    } catch (EOFException e) {
      throw new InvalidModelException("not an ONNX model (truncated protobuf message)");
    }
  }

  /**
   * Walks a message of the given kind, refusing external tensors and, when {@code nodes} is not null, listing the
   * operators of its nodes and the model-local functions it defines.
   */
  private static void scan(Wire wire, int kind, int depth, Nodes nodes) throws InvalidModelException, IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidModelException("not an ONNX model (graphs nested more than " + MAX_DEPTH + " deep)");
    }
    Map<Integer, Integer> children = CHILDREN.get(kind);
    String name = null;
    String domain = "";
    while (wire.remaining() > 0) {
      long tag = wire.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (field == 0) {
        throw new InvalidModelException("not an ONNX model (invalid protobuf field number 0)");
      }
      if (kind == TENSOR && field == TENSOR_EXTERNAL_DATA) {
        throw externalData();
      }
      if (kind == TENSOR && field == TENSOR_DATA_LOCATION && type == 0) {
        if (wire.varint() != 0) {
          throw externalData();
        }
      } else if (nodes != null && type == 2 && (kind == NODE && field == NODE_OP_TYPE
          || kind == FUNCTION && field == FUNCTION_NAME)) {
        name = wire.string(MAX_NAME);
      } else if (nodes != null && type == 2 && (kind == NODE && field == NODE_DOMAIN
          || kind == FUNCTION && field == FUNCTION_DOMAIN)) {
        domain = wire.string(MAX_NAME);
      } else if (type == 2 && children.containsKey(field)) {
        scan(wire.sub(wire.length()), children.get(field), depth + 1, nodes);
      } else {
        wire.skip(type);
      }
    }
    if (nodes != null && name != null) {
      if (kind == NODE) {
        nodes.used(new Operator(domainName(domain), name));
      } else if (kind == FUNCTION) {
        nodes.defined(new Operator(domainName(domain), name));
      }
    }
  }

  private static void readOpset(Wire wire, Map<String, Long> opsets) throws InvalidModelException, IOException {
    String domain = "";
    long version = 0;
    while (wire.remaining() > 0) {
      long tag = wire.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (field == OPSET_DOMAIN && type == 2) {
        domain = new String(wire.bytes((int) wire.length()), StandardCharsets.UTF_8);
      } else if (field == OPSET_VERSION && type == 0) {
        version = wire.varint();
      } else {
        wire.skip(type);
      }
    }
    opsets.put(domain, version);
  }

  private static InvalidModelException externalData() {
    return new InvalidModelException("the model keeps tensors in external data files, which the registry does not "
        + "accept; save it with every tensor inside the .onnx file");
  }

  /** The operators nodes use and the functions the model defines, gathered while walking. */
  private static final class Nodes {
    private final Set<Operator> used = new LinkedHashSet<>();
    private final Set<Operator> defined = new LinkedHashSet<>();

    void used(Operator op) throws InvalidModelException {
      if (used.add(op) && used.size() > MAX_OPERATORS) {
        throw new InvalidModelException("not an ONNX model (more than " + MAX_OPERATORS + " distinct operators)");
      }
    }

    void defined(Operator function) throws InvalidModelException {
      if (defined.add(function) && defined.size() > MAX_OPERATORS) {
        throw new InvalidModelException("not an ONNX model (more than " + MAX_OPERATORS + " functions)");
      }
    }

    /** @return the operators used that no model-local function defines */
    Set<Operator> operators() {
      Set<Operator> out = new LinkedHashSet<>(used);
      out.removeAll(defined);
      return out;
    }
  }

  /** Protobuf wire format over a stream of known length. */
  private static final class Wire {
    private final InputStream in;
    private long remaining;

    Wire(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    long remaining() {
      return remaining;
    }

    /** A reader of the next {@code len} bytes, which must be read to the end before this one goes on. */
    Wire sub(long len) {
      remaining -= len;
      return new Wire(in, len);
    }

    long varint() throws IOException, InvalidModelException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = read();
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new InvalidModelException("not an ONNX model (malformed varint)");
    }

    long length() throws IOException, InvalidModelException {
      long len = varint();
      if (len < 0 || len > remaining) {
        throw new InvalidModelException("not an ONNX model (a field claims " + len + " bytes, " + remaining
            + " remain)");
      }
      return len;
    }

    /** A length-delimited UTF-8 string of at most {@code maxBytes}. */
    String string(int maxBytes) throws IOException, InvalidModelException {
      long len = length();
      if (len > maxBytes) {
        throw new InvalidModelException("not an ONNX model (a name of " + len + " bytes)");
      }
      return new String(bytes((int) len), StandardCharsets.UTF_8);
    }

    byte[] bytes(int len) throws IOException {
      byte[] out = in.readNBytes(len);
      if (out.length < len) {
        throw new EOFException();
      }
      remaining -= len;
      return out;
    }

    void skip(int wireType) throws IOException, InvalidModelException {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> skipBytes(8);
        case 2 -> skipBytes(length());
        case 5 -> skipBytes(4);
        default -> throw new InvalidModelException("not an ONNX model (unexpected protobuf wire type " + wireType
            + ")");
      }
    }

    private void skipBytes(long n) throws IOException {
      if (n > remaining) {
        throw new EOFException();
      }
      in.skipNBytes(n);
      remaining -= n;
    }

    private int read() throws IOException {
      if (remaining <= 0) {
        throw new EOFException();
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      remaining--;
      return b;
    }
  }
}
