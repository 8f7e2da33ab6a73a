package io.liftoff.common.problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The one place where exceptions become RFC 9457 problem responses: a stable {@code type} per kind of problem, a
 * {@code title}, a {@code detail} fit for a user, {@code instance} = the request path, and the field at fault. Never a
 * stack trace or a library's message about internals.
 */
@RestControllerAdvice
public class ProblemHandlerAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandlerAdvice.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException ex, HttpServletRequest request) {
        return respond(ex.toProblemDetail(), request);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException ex, HttpServletRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(fieldError(error.getField(), error.getDefaultMessage(), error.getRejectedValue()));
        }
        ex.getBindingResult().getGlobalErrors()
                .forEach(error -> errors.add(fieldError(error.getObjectName(), error.getDefaultMessage(), null)));
        return validation(errors, request);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException ex, HttpServletRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (var result : ex.getParameterValidationResults()) {
            if (result instanceof org.springframework.validation.method.ParameterErrors body) {
                // a @Valid body validated with constrained parameters of the same method: its fields, by path
                body.getFieldErrors().forEach(error -> errors
                        .add(fieldError(error.getField(), error.getDefaultMessage(), error.getRejectedValue())));
                body.getGlobalErrors().forEach(error -> errors
                        .add(fieldError(error.getObjectName(), error.getDefaultMessage(), null)));
            }
            else {
                result.getResolvableErrors().forEach(error -> errors.add(fieldError(
                        result.getMethodParameter().getParameterName(), error.getDefaultMessage(),
                        result.getArgument())));
            }
        }
        return validation(errors, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException ex, HttpServletRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        ex.getConstraintViolations().forEach(v -> errors
                .add(fieldError(lastNode(v.getPropertyPath().toString()), v.getMessage(), v.getInvalidValue())));
        return validation(errors, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
        String allowed = ex.getRequiredType() != null && ex.getRequiredType().isEnum()
                ? "; allowed: " + Arrays.toString(ex.getRequiredType().getEnumConstants()) : "";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                "Parameter '" + ex.getName() + "' has an invalid value '" + ex.getValue() + "'" + allowed);
        problem.setProperty("parameter", ex.getName());
        return respond(problem, request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException ex,
            HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Missing parameter",
                "Parameter '" + ex.getParameterName() + "' is required");
        problem.setProperty("parameter", ex.getParameterName());
        return respond(problem, request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException ex, HttpServletRequest request) {
        boolean ifMatch = "If-Match".equalsIgnoreCase(ex.getHeaderName());
        ProblemDetail problem = ifMatch
                ? problem(HttpStatus.PRECONDITION_REQUIRED, ProblemTypes.PRECONDITION_REQUIRED,
                        "Precondition required",
                        "This change needs an If-Match header with the ETag of the version you read")
                : problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Missing header",
                        "Header '" + ex.getHeaderName() + "' is required");
        problem.setProperty("header", ex.getHeaderName());
        return respond(problem, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex, HttpServletRequest request) {
        if (causedBy(ex, RequestBodyLimitFilter.PayloadTooLargeException.class) != null) {
            return respond(problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
                    "Payload too large", causedBy(ex, RequestBodyLimitFilter.PayloadTooLargeException.class)
                            .getMessage()), request);
        }
        JacksonException jackson = causedBy(ex, JacksonException.class);
        ProblemDetail problem = jackson != null ? JacksonProblems.malformed(jackson).toProblemDetail()
                : problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_BODY, "Malformed request body",
                        "The request body is missing or cannot be read");
        return respond(problem, request);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentChange(OptimisticLockingFailureException ex, HttpServletRequest request) {
        return respond(problem(HttpStatus.CONFLICT, ProblemTypes.CONCURRENT_MODIFICATION, "Concurrent modification",
                "Someone else changed this resource at the same time; read it again and retry"), request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(DuplicateKeyException ex, HttpServletRequest request) {
        return respond(problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Already exists",
                "A resource with the same unique key already exists"), request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException ex, HttpServletRequest request) {
        return respond(problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
                "Your roles do not allow this operation"), request);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException ex, HttpServletRequest request) {
        return respond(problem(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                "A valid bearer token is required"), request);
    }

    /** Spring MVC's own errors (405, 406, 415, 404 for unknown paths, ...) keep their status, with our types. */
    private ResponseEntity<ProblemDetail> springError(ErrorResponse error, HttpServletRequest request) {
        HttpStatusCode status = error.getStatusCode();
        ProblemDetail body = error.getBody();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, body.getDetail());
        problem.setTitle(body.getTitle());
        problem.setType(typeFor(status));
        ResponseEntity<ProblemDetail> response = respond(problem, request);
        return ResponseEntity.status(status).headers(error.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
        if (ex instanceof ErrorResponse error) {
            return springError(error, request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), ex);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
                "The request could not be completed; the error has been logged"), request);
    }

    static URI typeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemTypes.MALFORMED_BODY;
            case 401 -> ProblemTypes.UNAUTHORIZED;
            case 403 -> ProblemTypes.FORBIDDEN;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 406 -> ProblemTypes.NOT_ACCEPTABLE;
            case 409 -> ProblemTypes.CONFLICT;
            case 412 -> ProblemTypes.PRECONDITION_FAILED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemTypes.SERVICE_UNAVAILABLE;
            default -> ProblemTypes.of("http-" + status.value());
        };
    }

    private ResponseEntity<ProblemDetail> validation(List<Map<String, Object>> errors, HttpServletRequest request) {
        String detail = errors.isEmpty() ? "The request is invalid"
                : errors.stream().map(e -> e.get("field") + ": " + e.get("message")).reduce((a, b) -> a + "; " + b)
                        .orElseThrow();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Validation failed", detail);
        problem.setProperty("errors", errors);
        return respond(problem, request);
    }

    private static Map<String, Object> fieldError(String field, String message, Object rejected) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        if (rejected != null && (rejected instanceof CharSequence || rejected instanceof Number
                || rejected instanceof Boolean || rejected instanceof Enum<?>)) {
            String value = rejected.toString();
            error.put("rejectedValue", value.length() > 200 ? value.substring(0, 200) + "…" : value);
        }
        return error;
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot >= 0 ? propertyPath.substring(dot + 1) : propertyPath;
    }

    private static <T extends Throwable> T causedBy(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
