package io.liftoff.notification.template;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A product's own message template of one event type ({@code id = product|eventType}). */
@Document("templates")
public class TemplateDoc {

    @Id
    public String id;
    public String product;
    public String eventType;
    public String title;
    public String text;
    public String html;
    public String updatedBy;
    public Instant updatedAt;
}
