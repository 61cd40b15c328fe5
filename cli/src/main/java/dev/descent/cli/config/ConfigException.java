package dev.descent.cli.config;

/** A configuration file or override cannot be used; the message is one line naming the key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
