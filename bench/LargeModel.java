import dev.infermint.testsupport.OnnxModelBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an ONNX model of about the given size for the upload benchmark: y = x * w + b with two initializers that
 * share the size. Usage: java -cp CLASSES bench/LargeModel.java OUT MEGABYTES
 */
public class LargeModel {

  public static void main(String[] args) throws Exception {
    long bytes = Long.parseLong(args[1]) * 1_000_000L;
    int floats = Math.toIntExact(bytes / 8);
    Files.write(Path.of(args[0]), OnnxModelBuilder.affine(new float[floats], new float[floats]));
  }
}
