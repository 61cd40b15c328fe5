package dev.descent.registry;

/**
 * A value that the factory of a row refuses, naming the option: a reader reports it against the
 * option's key ({@code schedule.<option>: why}) rather than against the
 * whole mapping.
 */
public final class OptionException extends IllegalArgumentException {
    private final String option;

    public OptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The option's name. */
    public String option() {
        return option;
    }
}
