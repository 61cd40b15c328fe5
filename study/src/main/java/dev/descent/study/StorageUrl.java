package dev.descent.study;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a study database is, as a user writes it, and as JDBC and messages need it:
 * <ul>
 *   <li>{@code jdbc:sqlite:/runs/study.db} (also {@code jdbc:sqlite:file:...?options}): an SQLite file;
 *   <li>{@code jdbc:postgresql://host[:port]/db?user=...&password=...}: PostgreSQL as JDBC spells it;
 *   <li>{@code postgresql://user[:password]@host[:port]/db} (or {@code postgres://}): PostgreSQL as
 *       libpq and Optuna spell it, turned into the JDBC form.
 * </ul>
 * The location shown in messages never contains a password.
 *
 * @param jdbc     the JDBC URL to connect with
 * @param dialect  which database it is
 * @param location the file (SQLite) or the URL without its password (PostgreSQL), for messages
 */
record StorageUrl(String jdbc, Dialect dialect, String location) {
    static final String SQLITE = "jdbc:sqlite:", JDBC_POSTGRESQL = "jdbc:postgresql:";
    private static final Pattern PASSWORD = Pattern.compile("[?&]password=([^&]+)");

    /** @throws IllegalArgumentException for a URL of another kind, or a PostgreSQL URL without a host or database */
    static StorageUrl parse(String url) {
        if (url.startsWith(SQLITE)) {
            String s = url.substring(SQLITE.length());
            if (s.startsWith("file:")) s = s.substring("file:".length());
            int q = s.indexOf('?');
            return new StorageUrl(url, Dialect.SQLITE, q >= 0 ? s.substring(0, q) : s);
        }
        if (url.startsWith(JDBC_POSTGRESQL)) {
            if (!url.startsWith(JDBC_POSTGRESQL + "//")) throw new IllegalArgumentException("expected jdbc:postgresql://host[:port]/database, got " + url);
            return new StorageUrl(url, Dialect.POSTGRESQL, withoutPassword(url));
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return libpq(url);
        throw new IllegalArgumentException("unknown kind of study storage '" + withoutPassword(url)
                + "'; give a file, a jdbc:sqlite: URL, or a jdbc:postgresql:// or postgresql://user@host/database URL");
    }

    /** postgresql://user:password@host:port/db?options as jdbc:postgresql://host:port/db?user=...&password=...&options. */
    private static StorageUrl libpq(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + withoutPassword(url) + " (" + e.getReason() + ")");
        }
        String path = u.getRawPath();
        if (u.getHost() == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("expected postgresql://user@host[:port]/database, got " + withoutPassword(url));
        }
        StringBuilder jdbc = new StringBuilder(JDBC_POSTGRESQL + "//").append(u.getHost().contains(":") ? "[" + u.getHost() + "]" : u.getHost());
        if (u.getPort() >= 0) jdbc.append(':').append(u.getPort());
        jdbc.append(path);
        String sep = "?";
        if (u.getRawUserInfo() != null) {
            String[] userPassword = u.getRawUserInfo().split(":", 2);
            jdbc.append(sep).append("user=").append(userPassword[0]);
            sep = "&";
            if (userPassword.length == 2) jdbc.append("&password=").append(userPassword[1]);
        }
        if (u.getRawQuery() != null) jdbc.append(sep).append(u.getRawQuery());
        return new StorageUrl(jdbc.toString(), Dialect.POSTGRESQL, withoutPassword(url));
    }

    /**
     * {@code text} (a driver's message, which may quote the URL it was given) with the URL's
     * password, if it has one, replaced by ***.
     */
    String scrub(String text) {
        Matcher m = PASSWORD.matcher(jdbc);
        return m.find() ? text.replace(m.group(1), "***") : text;
    }

    /** The URL with any password (user:password@, or a password= option) replaced by ***. */
    static String withoutPassword(String url) {
        String s = url.replaceAll("(?i)([?&]password=)[^&\\s]*", "$1***");
        int scheme = s.indexOf("://"), at = s.indexOf('@'), slash = scheme < 0 ? -1 : s.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            int colon = s.indexOf(':', scheme + 3);
            if (colon >= 0 && colon < at) s = s.substring(0, colon) + ":***" + s.substring(at);
        }
        return s;
    }
}
