package io.liftoff.infra.login;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpServer;

/**
 * {@code infra/bin/liftoff-login}: a person's login from a terminal, printing the access token.
 *
 * <pre>
 * liftoff-login --demo riley                       # a demo user, level 2 (password + TOTP), no browser
 * liftoff-login --user me --password-env PW --totp-secret-env SECRET [--acr pwd]
 * liftoff-login --browser [--acr mfa]              # open the printed URL; the code comes back to 127.0.0.1:8765
 * </pre>
 * Options: {@code --issuer URL} (default {@code $LIFTOFF_ISSUER_URI} or http://localhost:8180/realms/liftoff),
 * {@code --json} (the whole token response instead of the access token).
 */
public final class LiftoffLogin {

    private static final String DEFAULT_ISSUER = "http://localhost:8180/realms/liftoff";

    private LiftoffLogin() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out, System.err));
        }
        catch (BrowserLogin.LoginException | IllegalArgumentException ex) {
            System.err.println("liftoff-login: " + ex.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = Options.parse(args);
        if (options.help) {
            err.println("""
                    usage: liftoff-login --demo USER [--acr mfa|pwd] [--issuer URL] [--json]
                           liftoff-login --user USER [--password-env VAR] [--totp-secret-env VAR] [--acr mfa|pwd]
                           liftoff-login --browser [--acr mfa|pwd]
                      Authorization code + PKCE (S256) for the public client liftoff-cli, redirect
                      http://127.0.0.1:8765/callback. Prints the access token (--json: the whole token response).
                      --demo USER         a demo user of the local realm (password and TOTP secret are the documented demo ones)
                      --user USER         another user; password from $LIFTOFF_PASSWORD (or --password-env VAR),
                                          Base32 TOTP secret from $LIFTOFF_TOTP_SECRET (or --totp-secret-env VAR)
                      --browser           log in with a real browser: open the printed URL; the code comes back
                                          to a listener on 127.0.0.1:8765
                      --acr mfa|pwd       level 2 (password + TOTP, the default) or level 1 (password)
                      --issuer URL        default $LIFTOFF_ISSUER_URI or http://localhost:8180/realms/liftoff""");
            return 0;
        }
        BrowserLogin login = new BrowserLogin(options.issuer);
        BrowserLogin.Tokens tokens;
        if (options.browser) {
            tokens = viaBrowser(login, options.acr, err);
        }
        else if (options.user == null) {
            throw new IllegalArgumentException("give --demo USER, --user USER or --browser (--help for more)");
        }
        else {
            tokens = login.login(options.user, options.password, options.totpSecret, options.acr);
        }
        out.println(options.json ? tokens.response().toString() : tokens.accessToken());
        return 0;
    }

    private static BrowserLogin.Tokens viaBrowser(BrowserLogin login, String acr, PrintStream err) {
        BrowserLogin.Pkce pkce = BrowserLogin.Pkce.create();
        String state = UUID.randomUUID().toString();
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8765), 0);
        }
        catch (IOException ex) {
            throw new IllegalArgumentException("cannot listen on 127.0.0.1:8765 for the redirect (" + ex.getMessage()
                    + "); is another login running?");
        }
        server.createContext("/callback", exchange -> {
            Map<String, String> parameters = BrowserLogin.queryParameters(exchange.getRequestURI().getRawQuery());
            byte[] page = "Liftoff: you are logged in; you can close this window.\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
            callback.complete(parameters);
        });
        server.start();
        try {
            err.println("Open this URL in a browser on this machine and log in:");
            err.println("  " + login.authorizationUrl(pkce, state, acr));
            Map<String, String> parameters = callback.get(5, TimeUnit.MINUTES);
            if (parameters.containsKey("error")) {
                throw new BrowserLogin.LoginException(parameters.get("error") + ": "
                        + parameters.getOrDefault("error_description", ""));
            }
            if (!state.equals(parameters.get("state"))) {
                throw new BrowserLogin.LoginException("the redirect carries another state");
            }
            return login.exchange(parameters.get("code"), pkce);
        }
        catch (TimeoutException ex) {
            throw new BrowserLogin.LoginException("no redirect within 5 minutes");
        }
        catch (ExecutionException ex) {
            throw new BrowserLogin.LoginException(ex.getCause().getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BrowserLogin.LoginException("interrupted");
        }
        finally {
            server.stop(0);
        }
    }

    private static final class Options {

        String issuer = env("LIFTOFF_ISSUER_URI", DEFAULT_ISSUER);

        String user;

        String password = System.getenv("LIFTOFF_PASSWORD");

        String totpSecret = System.getenv("LIFTOFF_TOTP_SECRET");

        String acr = "mfa";

        boolean browser;

        boolean json;

        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--demo" -> {
                        options.user = value(args, ++i, arg);
                        if (!DemoUsers.NAMES.contains(options.user)) {
                            throw new IllegalArgumentException("not a demo user: " + options.user + " (one of "
                                    + DemoUsers.NAMES + ")");
                        }
                        options.password = DemoUsers.PASSWORD;
                        options.totpSecret = DemoUsers.totpSecret(options.user);
                    }
                    case "--user" -> options.user = value(args, ++i, arg);
                    case "--password-env" -> options.password = System.getenv(value(args, ++i, arg));
                    case "--totp-secret-env" -> options.totpSecret = System.getenv(value(args, ++i, arg));
                    case "--acr" -> options.acr = value(args, ++i, arg);
                    case "--issuer" -> options.issuer = value(args, ++i, arg);
                    case "--browser" -> options.browser = true;
                    case "--json" -> options.json = true;
                    case "-h", "--help" -> options.help = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (--help for usage)");
                }
            }
            if (options.user != null && !options.browser && (options.password == null || options.password.isEmpty())) {
                throw new IllegalArgumentException("no password: set LIFTOFF_PASSWORD or --password-env VAR");
            }
            return options;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
