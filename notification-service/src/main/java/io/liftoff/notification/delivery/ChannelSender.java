package io.liftoff.notification.delivery;

import io.liftoff.notification.channel.ChannelDoc;

/** Sends one delivery on one kind of channel. */
public interface ChannelSender {

    DeliveryDoc.ChannelKind kind();

    /**
     * @param delivery the stored delivery (its rendered message and event)
     * @param channel  the configured channel it goes to, or null for an e-mail to a person
     */
    SendResult send(DeliveryDoc delivery, ChannelDoc channel);
}
