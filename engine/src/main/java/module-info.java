/**
 * dcgan4j: the DCGAN of the TensorFlow 2 tutorial with Keras semantics, trained on the CPU or a CUDA GPU. The API is
 * the one package {@link io.dcgan4j.engine.api}: build a model ({@link io.dcgan4j.engine.api.Gan}), train it
 * ({@link io.dcgan4j.engine.api.Trainer}), sample, and save and load checkpoints. Backends, layers and kernels stay
 * inside the module.
 */
module io.dcgan4j.engine {
    requires transitive java.desktop;
    requires jdk.incubator.vector;
    requires io.dcgan4j.kernels;
    requires com.fasterxml.jackson.databind;

    exports io.dcgan4j.engine.api;
}
