package io.liftoff.notification.template;

import java.util.List;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.TemplatesApi;
import io.liftoff.notification.api.model.MessageTemplate;
import io.liftoff.notification.api.model.TemplateRequest;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.event.EventType;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TemplateController implements TemplatesApi {

    private final MessageTemplates templates;

    TemplateController(MessageTemplates templates) {
        this.templates = templates;
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<List<MessageTemplate>> listTemplates(String product) {
        return ResponseEntity.ok(templates.list(ProductAccess.user(), product).stream()
                .map(TemplateController::toApi).toList());
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<MessageTemplate> putTemplate(String product, String eventType, TemplateRequest request) {
        return ResponseEntity.ok(toApi(templates.put(ProductAccess.user(), product, eventType, request.getTitle(),
                request.getText(), request.getHtml())));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Void> deleteTemplate(String product, String eventType) {
        templates.reset(ProductAccess.user(), product, eventType);
        return ResponseEntity.noContent().build();
    }

    private static MessageTemplate toApi(MessageTemplates.Template t) {
        return new MessageTemplate().eventType(t.eventType()).title(t.title()).text(t.text()).html(t.html())
                .custom(t.custom())
                .fields(MessageFields.fieldsOf(EventType.fromWire(t.eventType()).orElseThrow()));
    }
}
