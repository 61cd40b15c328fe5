package dev.descent.study;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests: {@code .ci/run} starts a throwaway one and exports its URL
 * as {@code DESCENT_TEST_POSTGRES_URL} (a {@code jdbc:postgresql:} URL with user and password).
 * Without it the PostgreSQL tests fail under {@code CI=true}, so a green CI cannot hide a missing
 * server, and are skipped with this message on a developer's machine. Each test works in a schema
 * of its own, which is left behind: point the variable at a throwaway database.
 */
final class TestPostgres {
    static final String VARIABLE = "DESCENT_TEST_POSTGRES_URL";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestPostgres() {}

    /** The server's URL, or the test fails (CI) or is skipped (elsewhere). */
    static String url() {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            String why = VARIABLE + " is not set: no PostgreSQL server for this test (bash .ci/run starts one)";
            if ("true".equals(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
        return url;
    }

    /**
     * The URL of a new, empty schema of the server, so that each test has a database of its own
     * (tables, schema version) while sharing the server.
     */
    static String freshSchema() throws SQLException {
        String url = url();
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
