/**
 * Compute kernels over float arrays: Vector API kernels for the CPU, each beside its scalar reference, and the CUDA
 * kernels with their driver-API launchers. Only the engine may use them; applications go through the engine's API.
 */
@SuppressWarnings({"module", "requires-automatic"})
module io.dcgan4j.kernels {
    requires jdk.incubator.vector;
    requires jcuda;

    exports io.dcgan4j.kernels.cpu to io.dcgan4j.engine;
    exports io.dcgan4j.kernels.cuda to io.dcgan4j.engine;
}
