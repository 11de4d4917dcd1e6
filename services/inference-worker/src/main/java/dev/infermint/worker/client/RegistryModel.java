package dev.infermint.worker.client;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model version as the registry resolves it ({@code GET /internal/models/resolve}).
 *
 * @param name the model name
 * @param version the version (a number or a string)
 * @param owner the owning tenant id, or {@code public} for the public catalog
 * @param task {@code embedding}, {@code classification} or {@code generic}
 * @param digest the ONNX file's digest, {@code sha256:<hex>} or bare hex
 * @param tokenizerDigest the tokenizer.json's digest, when one was uploaded
 * @param inputs the graph inputs
 * @param outputs the graph outputs
 * @param opset the default-domain opset
 * @param deployment how the model is to be served, null when it has no deployment
 */
public record RegistryModel(String name, JsonNode version, String owner, String task, String digest,
    String tokenizerDigest, List<RegistryTensor> inputs, List<RegistryTensor> outputs, Integer opset,
    RegistryDeployment deployment) {
}
