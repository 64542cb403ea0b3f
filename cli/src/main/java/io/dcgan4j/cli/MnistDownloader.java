package io.dcgan4j.cli;

import io.dcgan4j.engine.api.MnistDataset;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches the four MNIST files into a folder from a public mirror, each checked against its published MD5 before it
 * takes its final name, so a folder never holds a partial or corrupt file under a name the reader trusts.
 */
final class MnistDownloader {

    /** The published files and their MD5 sums (as in the original distribution). */
    static final Map<String, String> MNIST_FILES = orderedMap(
            "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");

    /** Mirrors tried in order; both serve the original files. */
    static final List<URI> MIRRORS = List.of(
            URI.create(MnistDataset.MIRROR),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"));

    private final PrintWriter out;
    private final List<URI> mirrors;
    private final Map<String, String> files;
    private final boolean progressBar;
    private final HttpClient http;

    MnistDownloader(PrintWriter out) {
        this(out, MIRRORS, MNIST_FILES, Terminal.isInteractive());
    }

    MnistDownloader(PrintWriter out, List<URI> mirrors, Map<String, String> files, boolean progressBar) {
        this.out = out;
        this.mirrors = List.copyOf(mirrors);
        this.files = files;
        this.progressBar = progressBar;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Downloads whatever files {@code dir} lacks; does nothing when the training images are already there. */
    void ensure(Path dir) throws IOException {
        if (Files.isDirectory(dir) && MnistDataset.findTrainImages(dir).isPresent()) {
            return;
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = dir.resolve(f.getKey());
            if (!Files.exists(target)) {
                download(f.getKey(), f.getValue(), target);
            }
        }
    }

    private void download(String name, String md5, Path target) throws IOException {
        StringBuilder failures = new StringBuilder();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(name);
            out.println("downloading " + uri);
            out.flush();
            try {
                fetch(uri, md5, target);
                return;
            } catch (IOException e) {
                failures.append(failures.isEmpty() ? "" : "; ").append(uri).append(": ").append(Errors.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + uri + " interrupted", e);
            }
        }
        throw new IOException("could not download " + name + " (" + failures + "). If this machine is offline, "
                + "copy the MNIST files " + String.join(", ", files.keySet()) + " from any MNIST mirror (such as "
                + mirrors.getFirst() + ") into " + target.getParent() + ", or pass --data FOLDER");
    }

    private void fetch(URI uri, String md5, Path target) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            MessageDigest digest = md5();
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream in = new DigestInputStream(progress(body, uri, length), digest);
                 OutputStream file = Files.newOutputStream(tmp)) {
                in.transferTo(file);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(md5)) {
                throw new IOException("checksum mismatch: MD5 " + actual + ", expected " + md5);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private InputStream progress(InputStream body, URI uri, long length) {
        if (!progressBar) {
            return body;
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(Path.of(uri.getPath()).getFileName().toString())
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" KiB", 1024)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setInitialMax(length);
        return ProgressBar.wrap(body, builder);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
