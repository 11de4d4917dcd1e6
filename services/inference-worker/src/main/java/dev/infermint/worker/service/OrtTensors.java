package dev.infermint.worker.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ShortBuffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import dev.infermint.worker.InferenceProblems;

/**
 * Input tensors that ONNX Runtime's Java API creates but DJL 0.38 does not: INT16 ({@code OrtUtils.toTensor} has no
 * case for it) and FP16 (DJL's FLOAT16 path casts the buffer to the wrong type). The tensor is made by ONNX Runtime and handed to DJL's manager through its package-private
 * {@code createInternal}, so that it is freed with the batch's other inputs.
 */
final class OrtTensors {

  /** {@code OrtNDManager.createInternal(OnnxTensor)}, or null when this DJL has no such method. */
  private static final Method WRAP = wrapper();

  private OrtTensors() {
  }

  private static Method wrapper() {
    try {
      Method m = OrtNDManager.class.getDeclaredMethod("createInternal", OnnxTensor.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Creates a 16-bit input.
   *
   * @param manager the batch's ONNX Runtime manager, which frees the tensor
   * @param values the elements (INT16 values, or FP16 bits)
   * @param shape the dimensions
   * @param type {@link OnnxJavaType#INT16} or {@link OnnxJavaType#FLOAT16}
   * @return the array
   */
  static NDArray shorts(NDManager manager, short[] values, long[] shape, OnnxJavaType type) {
    if (WRAP == null || !(manager instanceof OrtNDManager)) {
      throw InferenceProblems.unsupportedModel("this worker's DJL cannot pass " + type + " tensors to ONNX Runtime");
    }
    OnnxTensor tensor;
    try {
      tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), ShortBuffer.wrap(values), shape, type);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not create a " + type + " tensor: " + e.getMessage(), e);
    }
    try {
      return (NDArray) WRAP.invoke(manager, tensor);
    } catch (IllegalAccessException | InvocationTargetException e) {
      tensor.close();
      throw new IllegalStateException("DJL could not take a " + type + " tensor: " + e, e);
    }
  }
}
