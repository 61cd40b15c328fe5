package dev.descent.study;

import static dev.descent.search.Dimension.categorical;
import static dev.descent.search.Dimension.intRange;
import static dev.descent.search.Dimension.logIntRange;
import static dev.descent.search.Dimension.logUniform;
import static dev.descent.search.Dimension.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.search.Condition;
import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import dev.descent.search.TrialState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study is held to the direction and search space it was created with: any change to what a
 * trial may be is refused with one line naming the study, the file and the first difference, and
 * the database is left as it was; a mere reordering is not a change.
 */
class StudyDefinitionTest {
    @TempDir Path dir;

    private static final SearchSpace SPACE = SearchSpace.of(
            Parameter.of("lr", logUniform(1e-4, 1e-1)),
            Parameter.of("opt", categorical("sgd", "adam")),
            Parameter.of("mom", uniform(0, 0.99), Condition.when("opt", "sgd")),
            Parameter.of("bs", intRange(16, 128, 16)));

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("study.db");
    }

    private String location() {
        return dir.resolve("study.db").toString();
    }

    /** Creates the study with SPACE and leaves one trial RUNNING, as a killed process would. */
    private void created() {
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url())) {
            JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE).createTrial();
        }
    }

    /** Opening with {@code other} is refused with this message, and changes nothing: the trial is still RUNNING. */
    private void refused(SearchSpace other, Direction direction, String created, String now) {
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url())) {
            StudyMismatchException e = assertThrows(StudyMismatchException.class, () -> JdbcStudy.open(db, "demo", direction, other));
            assertEquals("study \"demo\" in " + location() + " was created with " + created + "; it is opened now with " + now
                    + "; use another study name or storage", e.getMessage());
            assertEquals("study \"demo\" in " + location() + " was created with " + created + "; this config has " + now
                    + "; use another study name or storage", e.message("this config has"));
            long id = db.createStudy("demo", Direction.MINIMIZE);
            assertEquals(List.of(TrialState.RUNNING), db.trials(id).stream().map(FrozenTrial::state).toList(),
                    "a refused open fails no interrupted trial and adds none");
        }
    }

    private static SearchSpace replaced(int index, Parameter p) {
        var ps = new java.util.ArrayList<>(SPACE.parameters());
        ps.set(index, p);
        return new SearchSpace(ps);
    }

    @Test
    void boundsLogFlagStepChoicesAndConditionsAreEachAChange() {
        created();
        refused(replaced(0, Parameter.of("lr", logUniform(1e-5, 1e-1))), Direction.MINIMIZE,
                "lr: log_uniform [1e-4, 0.1]", "lr: log_uniform [1e-5, 0.1]");
        refused(replaced(0, Parameter.of("lr", uniform(1e-4, 1e-1))), Direction.MINIMIZE,
                "lr: log_uniform [1e-4, 0.1]", "lr: uniform [1e-4, 0.1]");
        refused(replaced(3, Parameter.of("bs", intRange(16, 128, 32))), Direction.MINIMIZE,
                "bs: int [16, 128] step 16", "bs: int [16, 128] step 32");
        refused(replaced(3, Parameter.of("bs", logIntRange(16, 128))), Direction.MINIMIZE,
                "bs: int [16, 128] step 16", "bs: int [16, 128] log");
        refused(new SearchSpace(List.of(SPACE.parameters().get(0), Parameter.of("opt", categorical("sgd", "adam", "rmsprop")),
                        Parameter.of("mom", uniform(0, 0.99), Condition.when("opt", "sgd", "rmsprop")), SPACE.parameters().get(3))),
                Direction.MINIMIZE, "opt: choices [sgd, adam]", "opt: choices [sgd, adam, rmsprop]");
        refused(replaced(2, Parameter.of("mom", uniform(0, 0.99), Condition.when("opt", "adam"))), Direction.MINIMIZE,
                "mom: uniform [0, 0.99] when opt in [sgd]", "mom: uniform [0, 0.99] when opt in [adam]");
        refused(replaced(2, Parameter.of("mom", uniform(0, 0.99))), Direction.MINIMIZE,
                "mom: uniform [0, 0.99] when opt in [sgd]", "mom: uniform [0, 0.99]");
    }

    @Test
    void anAddedOrRemovedParameterIsAChange() {
        created();
        var more = new java.util.ArrayList<>(SPACE.parameters());
        more.add(1, Parameter.of("wd", logUniform(1e-6, 1e-2)));
        refused(new SearchSpace(more), Direction.MINIMIZE, "no parameter wd", "wd: log_uniform [1e-6, 0.01]");
        refused(new SearchSpace(SPACE.parameters().subList(0, 3)), Direction.MINIMIZE, "bs: int [16, 128] step 16", "no parameter bs");
    }

    @Test
    void anotherDirectionIsAChange() {
        created();
        refused(SPACE, Direction.MAXIMIZE, "direction minimize", "direction maximize");
    }

    /** The same domains in another order describe the same trials: the study continues. */
    @Test
    void reorderingIsNotAChange() {
        created();
        SearchSpace reordered = SearchSpace.of(
                Parameter.of("bs", intRange(16, 128, 16)),
                Parameter.of("opt", categorical("adam", "sgd")),
                Parameter.of("lr", logUniform(1e-4, 1e-1)),
                Parameter.of("mom", uniform(0, 0.99), Condition.when("opt", "sgd")));
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url())) {
            JdbcStudy study = JdbcStudy.open(db, "demo", Direction.MINIMIZE, reordered);
            assertEquals(1, study.createTrial());
        }
    }

    @Test
    void anUnreadableStoredSpaceIsReportedNotMisread() throws Exception {
        created();
        try (var c = java.sql.DriverManager.getConnection(url()); var st = c.createStatement()) {
            st.execute("UPDATE studies SET search_space = 'not json'");
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url())) {
            StudyStorageException e = assertThrows(StudyStorageException.class, () -> JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertEquals(true, e.getMessage().contains("unreadable search space") && e.getMessage().contains(location()), e.getMessage());
        }
    }

    /** What is stored reads back as the space written, whatever the value types of its choices. */
    @Test
    void theStoredDefinitionReadsBackAsTheSpace() {
        SearchSpace space = SearchSpace.of(
                Parameter.of("units", categorical(32L, 64L)),
                Parameter.of("ratio", categorical(0.5, 2.0)),
                Parameter.of("name", categorical("a", "b \"quoted\"")),
                Parameter.of("lr", logUniform(1.0e-4 / 3, 0.1)),
                Parameter.of("w", logIntRange(1, 1024), Condition.when("units", 64L)));
        assertEquals(space.parameters(), SearchSpaceJson.read(SearchSpaceJson.write(space)));
        assertEquals(SearchSpaceJson.write(space), SearchSpaceJson.write(new SearchSpace(SearchSpaceJson.read(SearchSpaceJson.write(space)))),
                "canonical: writing what was read gives the same text");
    }
}
