package io.liftoff.common.problem;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every response a buffer of {@code liftoff.http.response-buffer-size} (default 128 KB) instead of Tomcat's
 * 8 KB, and holds the flushes of a request processed synchronously until it ends, so that an answer that fits leaves
 * in one piece with its {@code Content-Length}, in one write. Spring MVC's converters flush when they have written a
 * body: before this filter held that flush, Tomcat sent such a body as a chunk, and the chunked answer's last chunk in
 * a second write after the request had ended (two writes per answer here, two reads at the client; in
 * notification-service's single-event benchmark the second write alone was 2.7 % of the request threads' CPU,
 * async-profiler; with the flush held, the request threads took 0.27 ms of CPU per event against 0.28-0.29 without,
 * in rounds alternating between the two in one JVM, 2026-12-07). A release with all its items is about 100 KB: with
 * 8 KB it left the service in 13 chunks, each one a write here and, behind the gateway, a read, a trip through the
 * gateway's filters and a write there.
 * <p>
 * A larger answer still streams, one buffer at a time (Tomcat sends a full buffer as a chunk), and a request processed
 * asynchronously (server-sent events, streamed bodies) flushes as it asks. A flush held back changes only when the
 * bytes leave: the request is over a moment later. As nothing is committed early, an error raised after the body was
 * written can still be answered as a problem instead of a truncated body.
 * <p>
 * Tomcat keeps a response's buffer with its request processor for the next request, so the memory this takes is the
 * buffer size times the requests served at the same time (50 in flight: about 6 MB), not a new buffer per request.
 */
public class ResponseBufferFilter extends OncePerRequestFilter {

    private final int bufferSize;

    public ResponseBufferFilter(DataSize bufferSize) {
        this.bufferSize = Math.toIntExact(bufferSize.toBytes());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (response.getBufferSize() < bufferSize && !response.isCommitted()) {
            response.setBufferSize(bufferSize);
        }
        chain.doFilter(request, new HeldFlushes(request, response));
    }

    /** A response whose flushes wait for the end of the request while the request is processed synchronously. */
    static final class HeldFlushes extends HttpServletResponseWrapper {

        private final HttpServletRequest request;
        private ServletOutputStream stream;
        private PrintWriter writer;

        HeldFlushes(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        boolean holding() {
            return !request.isAsyncStarted();
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!holding()) {
                super.flushBuffer();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new HeldStream(super.getOutputStream());
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter target = super.getWriter();
                writer = new PrintWriter(target, false) {
                    @Override
                    public void flush() {
                        if (!holding()) {
                            super.flush();
                        }
                    }
                };
            }
            return writer;
        }

        /** The container's stream, whose {@code flush} waits for the end of a synchronous request. */
        private final class HeldStream extends ServletOutputStream {

            private final ServletOutputStream target;

            HeldStream(ServletOutputStream target) {
                this.target = target;
            }

            @Override
            public void write(int b) throws IOException {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (!holding()) {
                    target.flush();
                }
            }

            @Override
            public void close() throws IOException {
                target.close();
            }

            @Override
            public boolean isReady() {
                return target.isReady();
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                target.setWriteListener(listener);
            }
        }
    }
}
