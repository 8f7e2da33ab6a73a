package io.liftoff.signoff.signoff;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import io.liftoff.common.problem.ProblemTypes;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9470: 401 with {@code error="insufficient_user_authentication"}, {@code acr_values} and {@code max_age}. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class StepUpAdvice {

    static final URI TYPE = ProblemTypes.of("insufficient-user-authentication");

    @ExceptionHandler(StepUpRequired.class)
    ResponseEntity<ProblemDetail> stepUp(StepUpRequired ex, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage());
        problem.setType(TYPE);
        problem.setTitle("Fresh second factor required");
        problem.setInstance(URI.create(request.getRequestURI()));
        String challenge = "Bearer error=\"insufficient_user_authentication\", error_description=\""
                + ex.getMessage().replace("\"", "'") + "\", acr_values=\"mfa\", max_age=" + ex.maxAge();
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
