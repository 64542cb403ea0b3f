/**
 * dcgan4j: the DCGAN of the TensorFlow 2 tutorial with Keras semantics, trained on the CPU or a CUDA GPU. The API is
 * the one package {@link io.dcgan4j.engine.api}: build a model ({@link io.dcgan4j.engine.api.Gan}), train it
 * ({@link io.dcgan4j.engine.api.Trainer}), sample, save and load checkpoints, and measure samples with an MNIST
 * classifier ({@link io.dcgan4j.engine.api.SampleQuality}). Backends, layers and kernels stay
 * inside the module.
 */
@SuppressWarnings({"module", "requires-automatic"})
module io.dcgan4j.engine {
    requires transitive java.desktop;
    requires jdk.incubator.vector;
    requires io.dcgan4j.kernels;
    requires com.fasterxml.jackson.databind;
    requires ejml.core;
    requires ejml.ddense;

    exports io.dcgan4j.engine.api;
}
