package io.liftoff.common.problem;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter in a real Tomcat, read off the wire: a synchronous answer that fits the buffer leaves with its length
 * although the handler flushed, a larger one still streams, an asynchronous one flushes as it asks, and an error after
 * the body was written is still answered as an error.
 */
class ResponseBufferFilterTest {

    private static final byte[] JSON = "{\"eventId\":\"e-1\",\"duplicate\":false}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path baseDir;

    private Tomcat tomcat;
    private int port;
    private final CountDownLatch firstPartRead = new CountDownLatch(1);

    @BeforeEach
    void start() throws LifecycleException {
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", null);
        servlet(context, "/flushed", (request, response) -> {
            // what Spring MVC's JSON converter does: write the body, flush the stream, flush the response
            response.setContentType("application/json");
            response.getOutputStream().write(JSON);
            response.getOutputStream().flush();
            response.flushBuffer();
        });
        servlet(context, "/writer", (request, response) -> {
            response.setContentType("text/plain");
            response.getWriter().print("plain text");
            response.getWriter().flush();
        });
        servlet(context, "/large", (request, response) -> {
            byte[] part = new byte[64 * 1024];
            Arrays.fill(part, (byte) 'x');
            for (int i = 0; i < 3; i++) {
                response.getOutputStream().write(part);
            }
        });
        servlet(context, "/failing", (request, response) -> {
            response.getOutputStream().write(JSON);
            response.flushBuffer();
            throw new IllegalStateException("failed after the body was written");
        });
        servlet(context, "/async", (request, response) -> {
            AsyncContext async = request.startAsync();
            async.setTimeout(10_000);
            async.start(() -> {
                try {
                    response.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
                    response.getOutputStream().flush();
                    // the rest only once the client has read the first part: a held flush would never get there
                    if (firstPartRead.await(5, TimeUnit.SECONDS)) {
                        response.getOutputStream().write("second\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                catch (IOException | InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                finally {
                    async.complete();
                }
            });
        });
        FilterDef filter = new FilterDef();
        filter.setFilterName("responseBuffer");
        filter.setFilter(new ResponseBufferFilter(DataSize.ofKilobytes(128)));
        filter.setAsyncSupported("true");
        context.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("responseBuffer");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        tomcat.getConnector();
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterEach
    void stop() throws LifecycleException {
        firstPartRead.countDown();
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void aFlushedAnswerThatFitsLeavesWithItsLength() throws IOException {
        Answer answer = get("/flushed");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("content-length", String.valueOf(JSON.length))
                .doesNotContainKey("transfer-encoding");
        assertThat(answer.chunks()).containsExactly(new String(JSON, StandardCharsets.UTF_8));
    }

    @Test
    void aFlushedWriterLeavesWithItsLengthToo() throws IOException {
        Answer answer = get("/writer");

        assertThat(answer.headers()).containsEntry("content-length", "10").doesNotContainKey("transfer-encoding");
        assertThat(answer.chunks()).containsExactly("plain text");
    }

    @Test
    void anAnswerLargerThanTheBufferStillStreams() throws IOException {
        Answer answer = get("/large");

        assertThat(answer.headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
        assertThat(answer.chunks()).hasSizeGreaterThan(1);
        assertThat(answer.chunks().stream().mapToInt(String::length).sum()).isEqualTo(3 * 64 * 1024);
    }

    @Test
    void anErrorAfterTheBodyWasWrittenIsStillAnsweredAsAnError() throws IOException {
        // before, the converter's flush had committed a 200 with the body, and the error could only cut it short
        assertThat(get("/failing").status()).isEqualTo(500);
    }

    @Test
    void anAsynchronousAnswerFlushesAsItAsks() throws IOException {
        try (Socket socket = request("/async")) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            assertThat(line(in)).startsWith("HTTP/1.1 200");
            Map<String, String> headers = headers(in);
            assertThat(headers).containsEntry("transfer-encoding", "chunked");
            assertThat(chunk(in)).isEqualTo("first\n");
            firstPartRead.countDown();
            assertThat(chunk(in)).isEqualTo("second\n");
            assertThat(chunk(in)).isEmpty();
        }
    }

    private interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    private static void servlet(Context context, String path, Handler handler) {
        String name = path.substring(1);
        Tomcat.addServlet(context, name, new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                handler.handle(request, response);
            }
        }).setAsyncSupported(true);
        context.addServletMappingDecoded(path, name);
    }

    private record Answer(int status, Map<String, String> headers, List<String> chunks) {
    }

    private Answer get(String path) throws IOException {
        try (Socket socket = request(path)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String status = line(in);
            int code = Integer.parseInt(status.substring(9, 12));
            Map<String, String> headers = headers(in);
            List<String> chunks = new ArrayList<>();
            if (headers.containsKey("content-length")) {
                byte[] body = new byte[Integer.parseInt(headers.get("content-length"))];
                in.readFully(body);
                chunks.add(new String(body, StandardCharsets.UTF_8));
            }
            else if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (String chunk = chunk(in); !chunk.isEmpty(); chunk = chunk(in)) {
                    chunks.add(chunk);
                }
            }
            return new Answer(code, headers, chunks);
        }
    }

    private Socket request(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static Map<String, String> headers(DataInputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
        }
        return headers;
    }

    /** One chunk of a chunked answer; empty for the last one. */
    private static String chunk(DataInputStream in) throws IOException {
        int size = Integer.parseInt(line(in).trim(), 16);
        byte[] data = new byte[size];
        in.readFully(data);
        line(in);
        return new String(data, StandardCharsets.UTF_8);
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("The answer ended early: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
