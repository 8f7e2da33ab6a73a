package io.liftoff.notification.contact;

import java.util.List;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.ContactsApi;
import io.liftoff.notification.api.model.ChannelAddress;
import io.liftoff.notification.api.model.ContactLevel;
import io.liftoff.notification.api.model.ContactOverrides;
import io.liftoff.notification.api.model.ContactPerson;
import io.liftoff.notification.api.model.LevelOverride;
import io.liftoff.notification.api.model.Person;
import io.liftoff.notification.api.model.ReleaseContacts;
import io.liftoff.notification.config.ProductAccess;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ContactController implements ContactsApi {

    private final ContactDirectory contacts;

    ContactController(ContactDirectory contacts) {
        this.contacts = contacts;
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<ContactOverrides> getProductContacts(String product) {
        return ResponseEntity.ok(toApi(contacts.productOverrides(ProductAccess.user(), product)));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<ContactOverrides> putProductContacts(String product, ContactOverrides body) {
        return ResponseEntity.ok(toApi(contacts.putProductOverrides(ProductAccess.user(), product, toDoc(body))));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<ReleaseContacts> getReleaseContacts(String product, String releaseId) {
        return ResponseEntity.ok(toApi(contacts.contactsOf(ProductAccess.user(), product, releaseId)));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<ReleaseContacts> putReleaseContacts(String product, String releaseId,
            ContactOverrides body) {
        return ResponseEntity
                .ok(toApi(contacts.putReleaseOverrides(ProductAccess.user(), product, releaseId, toDoc(body))));
    }

    private static ContactOverridesDoc toDoc(ContactOverrides body) {
        ContactOverridesDoc doc = new ContactOverridesDoc();
        doc.people = body.getPeople().stream()
                .map(p -> new ContactOverridesDoc.PersonOverride(p.getRole(), p.getName(), p.getEmail(), p.getPhone()))
                .toList();
        doc.levels = body.getLevels().stream()
                .map(l -> new ContactOverridesDoc.LevelOverride(l.getLevel(), List.copyOf(l.getMembers()))).toList();
        doc.channels = body.getChannels().stream()
                .map(c -> new ContactOverridesDoc.ChannelOverride(c.getChannel().getValue(), c.getAddress(),
                        c.getPrimary(), c.getNote()))
                .toList();
        return doc;
    }

    private static ContactOverrides toApi(ContactOverridesDoc doc) {
        return new ContactOverrides()
                .people(doc.people.stream().map(p -> new Person(p.role()).name(p.name()).email(p.email())
                        .phone(p.phone())).toList())
                .levels(doc.levels.stream().map(l -> new LevelOverride(l.level(), l.members())).toList())
                .channels(doc.channels.stream().map(c -> new ChannelAddress(ChannelAddress.ChannelEnum
                        .fromValue(c.channel())).address(c.address()).primary(c.primary()).note(c.note())).toList());
    }

    private static ReleaseContacts toApi(Contacts contacts) {
        return new ReleaseContacts().releaseId(contacts.releaseId()).product(contacts.product())
                .version(contacts.version())
                .source(ReleaseContacts.SourceEnum.fromValue(contacts.source().name()))
                .onCall(contacts.onCall().stream().map(ContactController::person).toList())
                .levels(contacts.levels().stream().map(l -> new ContactLevel().level(l.level())
                        .members(l.members().stream().map(ContactController::person).toList())
                        .source(ContactLevel.SourceEnum.fromValue(l.origin().name()))).toList())
                .channels(contacts.channels().stream().map(c -> new ChannelAddress(channelEnum(c.channel()))
                        .address(c.address()).primary(c.primary()).note(c.note())).toList());
    }

    private static ContactPerson person(Contacts.Person p) {
        return new ContactPerson().role(p.role()).name(p.name()).email(p.email()).phone(p.phone())
                .complete(p.complete()).source(ContactPerson.SourceEnum.fromValue(p.origin().name()));
    }

    private static ChannelAddress.ChannelEnum channelEnum(String channel) {
        try {
            return ChannelAddress.ChannelEnum.fromValue(channel);
        }
        catch (IllegalArgumentException ex) {
            return ChannelAddress.ChannelEnum.OTHER;
        }
    }
}
