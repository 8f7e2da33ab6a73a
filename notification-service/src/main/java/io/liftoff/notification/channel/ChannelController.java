package io.liftoff.notification.channel;

import java.time.ZoneOffset;
import java.util.List;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.ChannelsApi;
import io.liftoff.notification.api.model.Channel;
import io.liftoff.notification.api.model.ChannelRequest;
import io.liftoff.notification.api.model.ChannelType;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.delivery.DeliveryDoc.ChannelKind;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ChannelController implements ChannelsApi {

    private final ChannelService channels;

    ChannelController(ChannelService channels) {
        this.channels = channels;
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Channel> createChannel(ChannelRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(toApi(channels.create(ProductAccess.user(), spec(request))));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Void> deleteChannel(String channelId) {
        channels.delete(ProductAccess.user(), channelId);
        return ResponseEntity.noContent().build();
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Channel> getChannel(String channelId) {
        return ResponseEntity.ok(toApi(channels.get(ProductAccess.user(), channelId)));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<List<Channel>> listChannels(String product, String releaseId) {
        return ResponseEntity.ok(channels.list(ProductAccess.user(), product, releaseId).stream()
                .map(ChannelController::toApi).toList());
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Channel> updateChannel(String channelId, ChannelRequest request) {
        return ResponseEntity.ok(toApi(channels.update(ProductAccess.user(), channelId, spec(request))));
    }

    private static ChannelService.ChannelSpec spec(ChannelRequest r) {
        return new ChannelService.ChannelSpec(r.getProduct(), r.getReleaseId(), r.getName(),
                ChannelKind.valueOf(r.getType().name()), r.getUrl(), r.getSecret(), r.getRecipients(),
                r.getEventTypes(), r.getLevels(), r.getEnabled());
    }

    static Channel toApi(ChannelDoc c) {
        Channel channel = new Channel().id(c.id).product(c.product).releaseId(c.releaseId).name(c.name)
                .type(ChannelType.valueOf(c.type.name())).host(ChannelService.hostOf(c.url))
                .hasSecret(c.secret != null).recipients(c.recipients).eventTypes(c.eventTypes).levels(c.levels)
                .enabled(c.enabled).createdBy(c.createdBy)
                .updatedAt(c.updatedAt == null ? null : c.updatedAt.atOffset(ZoneOffset.UTC));
        if (c.type == ChannelKind.WEBHOOK) {
            channel.url(c.url);
        }
        return channel;
    }
}
