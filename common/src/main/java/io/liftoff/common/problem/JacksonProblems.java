package io.liftoff.common.problem;

import java.util.Arrays;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/** Turns a Jackson read failure into a problem that names the field (or line) at fault and, for enums, the allowed values. */
final class JacksonProblems {

    private JacksonProblems() {
    }

    static ProblemException malformed(JacksonException ex) {
        String field = path(ex);
        Class<?> target = targetType(ex);
        String detail;
        if (target != null && target.isEnum()) {
            Object value = ex instanceof InvalidFormatException invalid ? invalid.getValue() : null;
            detail = (value != null ? "Unknown value '" + value + "'" : "Unknown value") + " for field '" + field
                    + "'; allowed: " + Arrays.toString(target.getEnumConstants());
            if (value == null && ex.getCause() != null && ex.getCause().getMessage() != null) {
                detail = ex.getCause().getMessage() + " for field '" + field + "'; allowed: "
                        + Arrays.toString(target.getEnumConstants());
            }
        }
        else if (ex instanceof UnrecognizedPropertyException unrecognized) {
            detail = "Unknown field '" + unrecognized.getPropertyName() + "'";
        }
        else if (!field.isEmpty()) {
            detail = "Field '" + field + "' has an invalid value";
        }
        else if (ex.getLocation() != null && ex.getLocation().getLineNr() > 0) {
            detail = "The body is not valid JSON (line " + ex.getLocation().getLineNr() + ", column "
                    + ex.getLocation().getColumnNr() + ")";
        }
        else {
            detail = "The body is not valid JSON";
        }
        ProblemException problem = ProblemException.badRequest(ProblemTypes.MALFORMED_BODY, "Malformed request body",
                detail);
        if (!field.isEmpty()) {
            problem.with("field", field);
        }
        if (ex.getLocation() != null && ex.getLocation().getLineNr() > 0) {
            problem.with("line", ex.getLocation().getLineNr());
        }
        return problem;
    }

    private static Class<?> targetType(JacksonException ex) {
        if (ex instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return mismatched.getTargetType();
        }
        if (ex instanceof ValueInstantiationException instantiation && instantiation.getType() != null) {
            return instantiation.getType().getRawClass();
        }
        return null;
    }

    static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
