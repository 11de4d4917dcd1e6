package dev.infermint.registry.service;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;

/**
 * Reads a model's signature with ONNX Runtime itself, so that a file the registry accepts is one the inference
 * workers can load. Before ONNX Runtime sees the file, its header is walked ({@link OnnxModelHeader}) and checked
 * against what the workers run ({@link OnnxCompatibility}). The session is created without graph optimisations and
 * on one thread, only to be asked for its inputs and outputs, then closed.
 */
@ApplicationScoped
public class OrtSignatureReader {

  private static final Logger LOG = Logger.getLogger(OrtSignatureReader.class);

  @Inject
  OnnxCompatibility compatibility;

  /**
   * Loads the file in ONNX Runtime and reads what it takes and gives.
   *
   * @param file an ONNX file, at most 2 GiB (the protobuf limit)
   * @return the signature, with the default-domain opset from the file's header
   * @throws InvalidModelException when the file is not an ONNX model ONNX Runtime can load
   * @throws dev.infermint.problem.ProblemException 422 {@code unsupported_opset} or {@code unsupported_operator}
   *     when it needs more than the workers' ONNX Runtime runs
   * @throws IOException when the file cannot be read
   */
  public ModelSignature read(Path file) throws InvalidModelException, IOException {
    OnnxModelHeader header = OnnxModelHeader.read(file);
    compatibility.check(header);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        throw new InvalidModelException("ONNX files are limited to 2 GiB; models with external data are not supported");
      }
      // Mapped, not read into the heap: ONNX Runtime parses it natively. OnnxModelHeader has already refused tensors
      // in external data files, which ONNX Runtime would otherwise read from whatever path the model names.
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (OrtSession session = env.createSession(bytes, options)) {
          return new ModelSignature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()),
              header.defaultOpset());
        }
      } catch (OrtException e) {
        LOG.debugf("ONNX Runtime refused an upload: %s", e.getMessage());
        throw new InvalidModelException("ONNX Runtime cannot load it: " + ortMessage(e), e);
      }
    }
  }

  private static List<TensorSignature> tensors(Map<String, NodeInfo> nodes) {
    List<TensorSignature> out = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes.values()) {
      out.add(tensor(node.getName(), node.getInfo()));
    }
    return out;
  }

  private static TensorSignature tensor(String name, ValueInfo info) {
    if (info instanceof TensorInfo t) {
      List<Long> shape = new ArrayList<>();
      for (long d : t.getShape()) {
        shape.add(d < 0 ? -1L : d);
      }
      return new TensorSignature(name, datatype(t.onnxType), shape);
    }
    if (info instanceof SequenceInfo) {
      return new TensorSignature(name, "SEQUENCE", List.of(-1L));
    }
    if (info instanceof MapInfo) {
      return new TensorSignature(name, "MAP", List.of());
    }
    return new TensorSignature(name, "UNKNOWN", List.of());
  }

  /**
   * Maps an ONNX element type to the Open Inference Protocol's name for it.
   *
   * @param type the ONNX Runtime element type
   * @return the OIP datatype; strings are {@code BYTES}
   */
  static String datatype(TensorInfo.OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "FP32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "FP64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> "BF16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "INT64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> "INT32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> "UINT64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> "UINT32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> "UINT16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "BOOL";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
      default -> type.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
    };
  }

  /** ONNX Runtime's messages start with an error-code preamble; keep the human part, bounded. */
  private static String ortMessage(OrtException e) {
    String msg = e.getMessage() == null ? "unknown error" : e.getMessage();
    int at = msg.indexOf("message: ");
    if (at >= 0) {
      msg = msg.substring(at + "message: ".length());
    }
    return msg.length() > 300 ? msg.substring(0, 300) + "…" : msg;
  }
}
