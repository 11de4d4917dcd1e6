package dev.infermint.registry.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The parts of an upload, for the OpenAPI document only: {@link UploadReceiver} reads the body. */
@Schema(name = "ModelUpload", description = "A new model version as multipart/form-data")
public class UploadForm {

  /** The .onnx model. */
  @Schema(type = SchemaType.STRING, format = "binary", required = true,
      description = "The .onnx model (at most infermint.registry.max-model-bytes, 2 GiB by default)")
  public String file;

  /** The task. */
  @Schema(enumeration = {"embedding", "classification", "generic"},
      description = "What the model does; the model's current task (or generic) when absent")
  public String task;

  /** The tokenizer. */
  @Schema(type = SchemaType.STRING, format = "binary",
      description = "A Hugging Face tokenizer.json, as a file or text; required for embedding")
  public String tokenizer;

  /** The labels. */
  @Schema(type = SchemaType.STRING, format = "binary",
      description = "Class labels by index: one per line, or a JSON array of strings")
  public String labels;
}
