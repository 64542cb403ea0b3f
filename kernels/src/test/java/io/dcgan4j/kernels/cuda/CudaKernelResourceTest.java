package io.dcgan4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed PTX resources (scripts/build-cuda.sh) against the Java kernel registry, without a GPU: every kernel
 * Java launches is an entry of its module, and every entry of a module is launched from Java.
 */
class CudaKernelResourceTest {

    private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE);

    private static String ptx(String module) throws IOException {
        String resource = CudaKernel.resource(module);
        try (InputStream in = CudaKernel.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing resource " + resource + ": run scripts/build-cuda.sh");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static Map<String, Set<String>> entriesByModule() throws IOException {
        Map<String, Set<String>> entries = new LinkedHashMap<>();
        for (CudaKernel k : CudaKernel.values()) {
            if (!entries.containsKey(k.module())) {
                Set<String> names = new TreeSet<>();
                Matcher m = ENTRY.matcher(ptx(k.module()));
                while (m.find()) {
                    names.add(m.group(1));
                }
                entries.put(k.module(), names);
            }
        }
        return entries;
    }

    @Test
    void everyRegisteredKernelIsAnEntryOfItsModule() throws IOException {
        Map<String, Set<String>> entries = entriesByModule();
        Set<CudaKernel> missing = EnumSet.noneOf(CudaKernel.class);
        for (CudaKernel k : CudaKernel.values()) {
            if (!entries.get(k.module()).contains(k.entry())) {
                missing.add(k);
            }
        }
        assertTrue(missing.isEmpty(), "kernels missing from the PTX (rebuild with scripts/build-cuda.sh): " + missing);
    }

    @Test
    void everyEntryOfAModuleIsRegistered() throws IOException {
        Set<String> registered = new TreeSet<>();
        for (CudaKernel k : CudaKernel.values()) {
            registered.add(k.module() + "/" + k.entry());
        }
        Set<String> unregistered = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : entriesByModule().entrySet()) {
            for (String name : e.getValue()) {
                if (!registered.contains(e.getKey() + "/" + name)) {
                    unregistered.add(e.getKey() + "/" + name);
                }
            }
        }
        assertTrue(unregistered.isEmpty(), "PTX entries no Java code launches: " + unregistered);
    }

    @Test
    void modulesArePortablePtxForTuringAndNewer() throws IOException {
        for (String module : entriesByModule().keySet()) {
            String text = ptx(module);
            assertTrue(text.contains("\n.target sm_75\n"), module + ": not PTX for compute_75");
            assertEquals(-1, text.indexOf('\0'), module + ": the NUL terminator is added when loading, not stored");
        }
    }
}
