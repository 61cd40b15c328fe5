package dev.descent.study;

/**
 * A study was opened with another definition than the one it was created with: the other
 * direction, or another search space. Continuing it would mix two searches in one history (its
 * trials ranked backwards, or sampled from a space the history does not describe), so opening is
 * refused and nothing in the database is changed.
 */
public final class StudyMismatchException extends StudyStorageException {
    private final String study;
    private final String location;
    private final String created;
    private final String requested;

    /**
     * @param created   what the study was created with, e.g. {@code lr: log_uniform [1e-4, 0.1]}
     * @param requested what it is opened with now, in the same form
     */
    public StudyMismatchException(String study, String location, String created, String requested) {
        super(line(study, location, created, "it is opened now with " + requested));
        this.study = study;
        this.location = location;
        this.created = created;
        this.requested = requested;
    }

    /**
     * The one-line message with the opening side named as the caller knows it, e.g.
     * {@code message("this config has")}.
     */
    public String message(String openedWith) {
        return line(study, location, created, openedWith + " " + requested);
    }

    private static String line(String study, String location, String created, String now) {
        return "study \"" + study + "\" in " + location + " was created with " + created + "; " + now
                + "; use another study name or storage";
    }
}
