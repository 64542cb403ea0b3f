package io.dcgan4j.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The downloader against a local HTTP server: nothing leaves this machine. */
class MnistDownloaderTest {

    private static final byte[] TRAIN = "train images".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LABELS = "train labels".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good/", exchange -> {
            requests.incrementAndGet();
            String name = Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
            byte[] body = name.equals("train-images-idx3-ubyte.gz") ? TRAIN
                    : name.equals("train-labels-idx1-ubyte.gz") ? LABELS : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.createContext("/broken/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI mirror(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static Map<String, String> files(byte[] images, byte[] labels) {
        return Map.of("train-images-idx3-ubyte.gz", md5(images), "train-labels-idx1-ubyte.gz", md5(labels));
    }

    @Test
    void fetchesEveryMissingFileAndChecksIt(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("mnist");
        StringWriter log = new StringWriter();
        new MnistDownloader(new PrintWriter(log), List.of(mirror("/good/")), files(TRAIN, LABELS), false)
                .ensure(target);
        assertArrayEquals(TRAIN, Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz")));
        assertArrayEquals(LABELS, Files.readAllBytes(target.resolve("train-labels-idx1-ubyte.gz")));
        assertTrue(log.toString().contains("downloading http://127.0.0.1"), log.toString());
        try (var entries = Files.list(target)) {
            assertEquals(2, entries.count(), "no partial files left");
        }
    }

    @Test
    void triesTheNextMirrorWhenOneFails(@TempDir Path dir) throws IOException {
        new MnistDownloader(new PrintWriter(new StringWriter()), List.of(mirror("/broken/"), mirror("/good/")),
                files(TRAIN, LABELS), false).ensure(dir);
        assertTrue(Files.exists(dir.resolve("train-images-idx3-ubyte.gz")));
    }

    @Test
    void doesNothingWhenTheImagesAreThere(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), TRAIN);
        new MnistDownloader(new PrintWriter(new StringWriter()), List.of(mirror("/good/")), files(TRAIN, LABELS),
                false).ensure(dir);
        assertEquals(0, requests.get());
    }

    @Test
    void aChecksumMismatchKeepsNoFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new MnistDownloader(
                new PrintWriter(new StringWriter()), List.of(mirror("/good/")),
                files("other bytes".getBytes(StandardCharsets.US_ASCII), LABELS), false).ensure(dir));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("train-images-idx3-ubyte.gz")));
        try (var entries = Files.list(dir)) {
            assertTrue(entries.noneMatch(p -> p.toString().endsWith(".part")), "no partial files left");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
    }

    @Test
    void offlineSaysWhereToPutTheFilesByHand(@TempDir Path dir) throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> new MnistDownloader(
                new PrintWriter(new StringWriter()), List.of(URI.create("http://127.0.0.1:" + closedPort + "/")),
                files(TRAIN, LABELS), false).ensure(dir));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
    }

    @Test
    void theShippedChecksumsAreThoseOfTheSharedFiles() throws IOException {
        Path mnist = CommandLineTest.mnist();
        for (Map.Entry<String, String> f : MnistDownloader.MNIST_FILES.entrySet()) {
            Path file = mnist.resolve(f.getKey());
            if (Files.exists(file)) {
                assertEquals(f.getValue(), md5(Files.readAllBytes(file)), f.getKey());
            }
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
