package dev.descent.study;

/**
 * Names one trial: its study and its number in that study. Numbers start at 0 and are
 * consecutive within a study, in creation order, and are never reused (an interrupted trial's
 * re-run gets a new number), so logs and checkpoints keyed by number never collide.
 */
public record TrialId(long studyId, int number) {
    @Override
    public String toString() {
        return "trial " + number + " of study " + studyId;
    }
}
