/**
 * Compute kernels over float arrays: Vector API kernels for the CPU, each beside its scalar reference. Only the engine
 * may use them; applications go through the engine's API.
 */
@SuppressWarnings("module")
module io.dcgan4j.kernels {
    requires jdk.incubator.vector;

    exports io.dcgan4j.kernels.cpu to io.dcgan4j.engine;
}
