package io.liftoff.notification.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.config.NotificationProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail over SMTP (Boot's {@code spring.mail.*}): a multipart/alternative message with the plain text and the HTML
 * body. A permanent SMTP refusal (5xx) dead-letters; anything else is retried.
 */
@Component
class EmailSender implements ChannelSender {

    private final ObjectProvider<JavaMailSender> mail;
    private final String from;

    EmailSender(ObjectProvider<JavaMailSender> mail, NotificationProperties properties) {
        this.mail = mail;
        this.from = properties.mailFrom();
    }

    @Override
    public DeliveryDoc.ChannelKind kind() {
        return DeliveryDoc.ChannelKind.EMAIL;
    }

    @Override
    public SendResult send(DeliveryDoc delivery, ChannelDoc channel) {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            return SendResult.failed(null, "no SMTP server is configured (spring.mail.host)");
        }
        DeliveryDoc.Message m = delivery.message;
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(from);
            helper.setTo(delivery.recipients.toArray(String[]::new));
            helper.setSubject(m.title());
            helper.setText(m.text(), m.html());
            message.setHeader("X-Liftoff-Delivery-Id", delivery.id);
            message.setHeader("X-Liftoff-Event", delivery.eventType);
            sender.send(message);
            return SendResult.delivered(250);
        }
        catch (MessagingException ex) {
            return SendResult.refused(null, "the message could not be built: " + ex.getMessage());
        }
        catch (MailAuthenticationException ex) {
            return SendResult.failed(535, "SMTP authentication failed");
        }
        catch (MailException ex) {
            Integer code = replyCode(ex);
            String error = "SMTP: " + rootMessage(ex);
            return code != null && code >= 500 && code < 600 ? SendResult.refused(code, error)
                    : SendResult.failed(code, error);
        }
    }

    private static Integer replyCode(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Integer code = smtpReturnCode(t);
            if (code != null) {
                return code;
            }
            if (t instanceof jakarta.mail.SendFailedException sendFailed && sendFailed.getNextException() != null
                    && sendFailed.getNextException() != t) {
                Integer nested = replyCode(sendFailed.getNextException());
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    /** The SMTP reply code of Angus Mail's SMTP exceptions (a runtime-only dependency, hence by name). */
    private static Integer smtpReturnCode(Throwable t) {
        if (!t.getClass().getName().startsWith("org.eclipse.angus.mail.smtp.")) {
            return null;
        }
        try {
            return (Integer) t.getClass().getMethod("getReturnCode").invoke(t);
        }
        catch (ReflectiveOperationException | ClassCastException ex) {
            return null;
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
