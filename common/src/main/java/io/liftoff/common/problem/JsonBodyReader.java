package io.liftoff.common.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

/**
 * Reads and validates a JSON body that arrived as text, for operations whose contract accepts several media types
 * (the generated interface then hands the body over as a string). Failures are the same problems the MVC layer gives.
 */
public class JsonBodyReader {

    private final JsonMapper jsonMapper;
    private final Validator validator;

    public JsonBodyReader(JsonMapper jsonMapper, Validator validator) {
        this.jsonMapper = jsonMapper;
        this.validator = validator;
    }

    public <T> T read(String body, Class<T> type) {
        T value;
        try {
            value = jsonMapper.readValue(body == null ? "" : body, type);
        }
        catch (JacksonException ex) {
            throw JacksonProblems.malformed(ex);
        }
        if (value == null) {
            throw ProblemException.badRequest(ProblemTypes.MALFORMED_BODY, "Malformed request body",
                    "The request body is empty");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            StringBuilder detail = new StringBuilder();
            for (ConstraintViolation<T> violation : violations) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("field", violation.getPropertyPath().toString());
                error.put("message", violation.getMessage());
                errors.add(error);
                detail.append(detail.isEmpty() ? "" : "; ").append(violation.getPropertyPath()).append(": ")
                        .append(violation.getMessage());
            }
            throw new ProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Validation failed",
                    detail.toString()).with("errors", errors);
        }
        return value;
    }
}
