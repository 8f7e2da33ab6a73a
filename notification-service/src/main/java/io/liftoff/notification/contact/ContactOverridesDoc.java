package io.liftoff.notification.contact;

import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Contacts completed or overridden through the API: for a whole product ({@code id = product}) or for one release
 * ({@code id = product/releaseId}).
 */
@Document("contact_overrides")
public class ContactOverridesDoc {

    @Id
    public String id;
    public String product;
    public String releaseId;
    public List<PersonOverride> people = List.of();
    public List<LevelOverride> levels = List.of();
    public List<ChannelOverride> channels = List.of();
    public String updatedBy;

    public record PersonOverride(String role, String name, String email, String phone) {
    }

    public record LevelOverride(int level, List<String> members) {
    }

    public record ChannelOverride(String channel, String address, Boolean primary, String note) {
    }

    static String idOf(String product, String releaseId) {
        return releaseId == null ? product : product + "/" + releaseId;
    }
}
