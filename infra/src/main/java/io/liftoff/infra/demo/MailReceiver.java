package io.liftoff.infra.demo;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The demo receiver's SMTP side: accepts every message for any recipient on loopback, as notification-service's
 * e-mail channel sends it (EHLO, MAIL, RCPT, DATA; no TLS, no authentication), and puts it in the inbox with its
 * subject and plain-text part. Enough SMTP (RFC 5321) for a mail client; not a relay, nothing is forwarded.
 */
final class MailReceiver implements AutoCloseable {

    /** Larger messages are refused with 552 after their data is read. */
    static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    private static final String NAME = "liftoff-demo-receiver";

    private final Inbox inbox;
    private final Clock clock;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smtp-connection");
        thread.setDaemon(true);
        return thread;
    });

    MailReceiver(Inbox inbox, Clock clock, InetAddress address, int port) throws IOException {
        this.inbox = inbox;
        this.clock = clock;
        this.server = new ServerSocket(port, 50, address);
        Thread acceptor = new Thread(this::accept, "smtp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            }
            catch (IOException ex) {
                if (!server.isClosed()) {
                    System.err.println("demo-receiver: SMTP accept failed: " + ex.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 " + NAME + " ESMTP ready");
            String from = null;
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-" + NAME + "\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE "
                            + MAX_MESSAGE_BYTES);
                    case "HELO" -> reply(out, "250 " + NAME);
                    case "MAIL" -> {
                        from = address(line);
                        recipients.clear();
                        reply(out, from == null ? "501 syntax: MAIL FROM:<address>" : "250 OK");
                    }
                    case "RCPT" -> {
                        String to = address(line);
                        if (from == null) {
                            reply(out, "503 MAIL first");
                        }
                        else if (to == null || to.isEmpty()) {
                            reply(out, "501 syntax: RCPT TO:<address>");
                        }
                        else {
                            recipients.add(to);
                            reply(out, "250 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipients.isEmpty()) {
                            reply(out, "503 RCPT first");
                            continue;
                        }
                        reply(out, "354 end data with <CR><LF>.<CR><LF>");
                        byte[] data = readData(in);
                        if (data == null) {
                            reply(out, "552 message larger than " + MAX_MESSAGE_BYTES + " bytes");
                        }
                        else {
                            Inbox.Message message = store(recipients, data);
                            reply(out, "250 OK: queued as " + message.id());
                        }
                        from = null;
                        recipients = new ArrayList<>();
                    }
                    case "RSET" -> {
                        from = null;
                        recipients.clear();
                        reply(out, "250 OK");
                    }
                    case "NOOP" -> reply(out, "250 OK");
                    // RFC 5321 4.5.1's minimum set is complete with VRFY; 252: the address is not checked, mail to
                    // it is taken all the same.
                    case "VRFY" -> reply(out, "252 not verified, but mail to it is accepted");
                    // Commands of SMTP's extensions this receiver does not offer (its EHLO does not announce them).
                    case "EXPN", "HELP", "TURN", "ETRN", "AUTH", "STAR", "BDAT" -> reply(out,
                            "502 not offered here (offered: EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT)");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "500 unrecognized command");
                }
            }
        }
        catch (SocketException ex) {
            // The client went away; nothing was half-stored (a message is stored only once its data is complete).
        }
        catch (IOException | UncheckedIOException ex) {
            System.err.println("demo-receiver: SMTP connection failed: " + ex.getMessage());
        }
    }

    /** The address inside {@code <...>} of a MAIL FROM or RCPT TO line; null when there is none. */
    static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open < 0 || close < 0 ? null : line.substring(open + 1, close);
    }

    /** The message's lines up to the lone dot, dots unstuffed (RFC 5321 4.5.2); null when it is too large. */
    private static byte[] readData(BufferedReader in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean tooLarge = false;
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            if (line.startsWith(".")) {
                line = line.substring(1);
            }
            if (!tooLarge) {
                data.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                tooLarge = data.size() > MAX_MESSAGE_BYTES;
            }
        }
        if (line == null) {
            throw new SocketException("connection closed in the middle of DATA");
        }
        return tooLarge ? null : data.toByteArray();
    }

    private Inbox.Message store(List<String> recipients, byte[] data) {
        String subject = "";
        String text;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
            subject = mime.getSubject() == null ? "" : mime.getSubject();
            headers.put("From", String.join(", ", header(mime, "From")));
            headers.put("To", String.join(", ", recipients));
            headers.put("Subject", subject);
            List<String> types = new ArrayList<>();
            String plain = plainText(mime, types);
            headers.put("Parts", String.join(", ", types));
            text = plain != null ? plain : "(no text/plain part; the message has " + String.join(", ", types) + ")";
        }
        catch (MessagingException | IOException ex) {
            text = new String(data, StandardCharsets.UTF_8);
            headers.put("Parts", "unreadable MIME (" + ex.getMessage() + "): the raw message");
        }
        Inbox.Message message = inbox.add(clock.instant(), "email", String.join(", ", recipients), subject, null,
                250, headers, text);
        System.out.println("demo-receiver: #" + message.id() + " e-mail to " + message.target() + ": " + subject);
        return message;
    }

    private static List<String> header(MimeMessage mime, String name) throws MessagingException {
        String[] values = mime.getHeader(name);
        return values == null ? List.of() : List.of(values);
    }

    /** The first text/plain part (the content types of all parts are listed in {@code types}). */
    private static String plainText(Part part, List<String> types) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            String found = null;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String text = plainText(child, types);
                if (found == null && text != null) {
                    found = text;
                }
            }
            return found;
        }
        types.add(part.getContentType().split(";")[0].strip().toLowerCase(Locale.ROOT));
        return part.isMimeType("text/plain") ? String.valueOf(part.getContent()).replace("\r\n", "\n") : null;
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
