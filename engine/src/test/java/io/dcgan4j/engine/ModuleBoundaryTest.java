package io.dcgan4j.engine;

import io.dcgan4j.engine.api.Trainer;
import io.dcgan4j.kernels.cpu.VectorGemm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The module graph: the engine exports its API package alone, the kernels only to the engine. */
class ModuleBoundaryTest {

    private static ModuleDescriptor descriptorOf(Class<?> member) throws IOException, URISyntaxException {
        Path root = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(root)) {
            try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(root.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theEngineExportsOnlyItsApi() throws Exception {
        ModuleDescriptor engine = descriptorOf(Trainer.class);
        assertEquals("io.dcgan4j.engine", engine.name());
        assertEquals(Set.of("io.dcgan4j.engine.api"),
                engine.exports().stream().map(Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of(), engine.exports().iterator().next().targets(), "to everyone");
        assertEquals(Set.of(), engine.opens());
    }

    @Test
    void theKernelsAreExportedToTheEngineAlone() throws Exception {
        ModuleDescriptor kernels = descriptorOf(VectorGemm.class);
        assertEquals("io.dcgan4j.kernels", kernels.name());
        for (Exports e : kernels.exports()) {
            assertEquals(Set.of("io.dcgan4j.engine"), e.targets(), e.source());
        }
    }
}
