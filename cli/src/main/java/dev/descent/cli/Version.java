package dev.descent.cli;

import picocli.CommandLine.IVersionProvider;

/** Descent's version, read from the jar manifest (falls back to "dev" when run from classes). */
public final class Version implements IVersionProvider {
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Descent " + get()};
    }
}
