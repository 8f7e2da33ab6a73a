package io.liftoff.infra.demo;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The demo receiver's inbox as one HTML page: no scripts, refreshed by the browser every 5 s. */
final class InboxPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private InboxPage() {
    }

    static String render(List<Inbox.Message> messages, int httpPort, int smtpPort) {
        StringBuilder html = new StringBuilder(4096 + messages.size() * 1024);
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>Liftoff demo receiver</title>
                <style>
                body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
                .message { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
                .meta { color: #57606a; font-size: .9rem; }
                .tag { display: inline-block; border-radius: 1rem; padding: 0 .6rem; margin-right: .4rem;
                       background: #ddf4ff; font-size: .85rem; }
                .valid { background: #dafbe1; } .invalid, .stale, .failed { background: #ffebe9; }
                .unsigned { background: #fff8c5; }
                pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; white-space: pre-wrap; }
                code { background: #f6f8fa; padding: 0 .3rem; }
                </style></head><body>
                <h1>Liftoff demo receiver</h1>
                """);
        html.append("<p>Webhook and Slack URLs: <code>http://localhost:").append(httpPort)
                .append("/hooks/&lt;name&gt;</code> (add <code>?status=503</code> or <code>?delay=3000</code> to"
                        + " play a failing or slow receiver). E-mail: SMTP on <code>localhost:").append(smtpPort)
                .append("</code>. Webhook signatures are checked against the demo secret <code>")
                .append(escape(DemoReceiver.DEMO_WEBHOOK_SECRET)).append("</code>. JSON: <a href=\"/messages\">"
                        + "/messages</a>.</p>\n");
        html.append("<p class=\"meta\">").append(messages.size()).append(messages.size() == 1 ? " message" : " messages")
                .append(", newest first; this page refreshes every 5 s.</p>\n");
        for (Inbox.Message m : messages) {
            html.append("<div class=\"message\"><div><span class=\"tag\">#").append(m.id()).append("</span>")
                    .append("<span class=\"tag\">").append(escape(m.channel())).append("</span>");
            if (m.signature() != null) {
                html.append("<span class=\"tag ").append(escape(m.signature())).append("\">signature ")
                        .append(escape(m.signature())).append("</span>");
            }
            if (m.answered() >= 300 && !m.channel().equals("email")) {
                html.append("<span class=\"tag failed\">answered ").append(m.answered()).append("</span>");
            }
            html.append("<strong>").append(escape(m.title())).append("</strong></div>\n");
            html.append("<div class=\"meta\">").append(TIME.format(m.receivedAt())).append(" &middot; ")
                    .append(escape(m.target())).append("</div>\n");
            for (Map.Entry<String, String> header : m.headers().entrySet()) {
                html.append("<div class=\"meta\">").append(escape(header.getKey())).append(": ")
                        .append(escape(header.getValue())).append("</div>\n");
            }
            html.append("<pre>").append(escape(m.body())).append("</pre></div>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
