package io.liftoff.checklist.checklist;

/**
 * A role that must sign: {@code role} is the realm role slug ({@code engineering-manager}, {@code security-lead},
 * {@code qa-lead}, ...), {@code title} the text of the document ("Security Team Lead"), {@code phase} the gate the
 * sign-off belongs to (PRE_RELEASE or POST_RELEASE). The attestations are the item's children.
 */
public record SignoffSpec(String role, String title, Phase phase) {
}
