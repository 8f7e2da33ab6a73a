package io.liftoff.checklist.release;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import io.liftoff.common.problem.ProblemTypes;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The release rules' refusals as problems: 404 for an unknown item, 409 with reasons for the others. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReleaseRuleProblems {

    @ExceptionHandler(ReleaseRuleViolation.class)
    ResponseEntity<ProblemDetail> violation(ReleaseRuleViolation ex, HttpServletRequest request) {
        HttpStatus status = ex.kind() == ReleaseRuleViolation.Kind.ITEM_NOT_FOUND ? HttpStatus.NOT_FOUND
                : HttpStatus.CONFLICT;
        URI type = switch (ex.kind()) {
            case ITEM_NOT_FOUND -> ProblemTypes.NOT_FOUND;
            case ITEM_NOT_CHECKABLE -> ReleaseProblems.ITEM_NOT_CHECKABLE;
            case RELEASE_CLOSED -> ReleaseProblems.RELEASE_CLOSED;
            case TRANSITION_REFUSED -> ReleaseProblems.TRANSITION_REFUSED;
        };
        String title = switch (ex.kind()) {
            case ITEM_NOT_FOUND -> "Not found";
            case ITEM_NOT_CHECKABLE -> "Item cannot be changed this way";
            case RELEASE_CLOSED -> "Release closed";
            case TRANSITION_REFUSED -> "Transition refused";
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
        problem.setType(type);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        if (!ex.reasons().isEmpty()) {
            problem.setProperty("reasons", ex.reasons());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
