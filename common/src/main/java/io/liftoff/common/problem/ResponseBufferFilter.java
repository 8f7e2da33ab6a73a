package io.liftoff.common.problem;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every response a buffer of {@code liftoff.http.response-buffer-size} (default 128 KB) instead of Tomcat's
 * 8 KB, so that an answer that fits leaves in one piece rather than as a chunk per 8 KB: with a {@code Content-Length}
 * when nothing flushes it before its end (the Markdown export), as one chunk when the writer flushes at its end (the
 * JSON converter does). A release with all its items is about 100 KB: with 8 KB it left the service in 13 chunks, each
 * one a write here and, behind the gateway, a read, a trip through the gateway's filters and a write there. A larger
 * answer still streams, one buffer at a time; an explicit flush still sends at once.
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
        chain.doFilter(request, response);
    }
}
