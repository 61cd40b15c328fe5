package dev.descent.study;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between the two databases a study can live in; the schema and every query are
 * otherwise the same text.
 *
 * <ul>
 *   <li>Types: PostgreSQL's {@code real} is a 4-byte float, so doubles are {@code double precision}
 *       there ({@code REAL} is SQLite's 8-byte float); row ids are an identity column there.
 *   <li>Transactions: in SQLite a write is {@code BEGIN IMMEDIATE}, which takes the database's one
 *       write lock up front. In PostgreSQL a write locks the rows it reads for update
 *       ({@link #forUpdate()}): the study's row while a trial number is allocated (max + 1,
 *       insert), the trial's row while it is finished, so concurrent workers queue instead of
 *       colliding on the unique key or overwriting each other's outcome.
 *   <li>Time: every timestamp is the database's clock ({@link #nowMillis()}), so the heartbeats of
 *       workers on machines whose clocks disagree are still compared with one clock.
 * </ul>
 */
enum Dialect {
    SQLITE("org.sqlite.JDBC", "INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "INTEGER", "CAST(unixepoch('subsec') * 1000 AS INTEGER)", ""),
    POSTGRESQL("org.postgresql.Driver", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "DOUBLE PRECISION", "BIGINT",
            "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)", " FOR UPDATE");

    private final String driver, identity, doubleType, longType, now, forUpdate;

    Dialect(String driver, String identity, String doubleType, String longType, String now, String forUpdate) {
        this.driver = driver;
        this.identity = identity;
        this.doubleType = doubleType;
        this.longType = longType;
        this.now = now;
        this.forUpdate = forUpdate;
    }

    /**
     * Loads this database's JDBC driver, which registers it with {@code DriverManager}. Done by
     * name rather than left to the drivers' service files, which a fat jar that bundles both
     * drivers keeps only one of unless it merges them (descent.jar once found only SQLite's).
     */
    void loadDriver() {
        try {
            Class.forName(driver);
        } catch (ClassNotFoundException e) {
            throw new StudyStorageException("the JDBC driver " + driver + " is not on the class path; add the descent-study module's dependencies");
        }
    }

    /** A statement of the schema with {ID}, {DOUBLE} and {LONG} replaced by this database's types. */
    String ddl(String template) {
        return template.replace("{ID}", identity).replace("{DOUBLE}", doubleType).replace("{LONG}", longType);
    }

    /** An SQL expression for the database's current time in epoch milliseconds. */
    String nowMillis() {
        return now;
    }

    /** Appended to a SELECT of rows that the transaction goes on to change ("" in SQLite, whose write lock covers the file). */
    String forUpdate() {
        return forUpdate;
    }

    /** The tables of the database (in PostgreSQL: of the connection's current schema). */
    Set<String> tables(Connection c) throws SQLException {
        String query = this == SQLITE ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
        Set<String> tables = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        return tables;
    }

    /**
     * Makes two workers that create the schema at once take turns: SQLite's {@code BEGIN IMMEDIATE}
     * does already; PostgreSQL takes a transaction-scoped advisory lock (DDL is transactional
     * there, so the second sees the first's tables).
     */
    void lockSchema(Connection c) throws SQLException {
        if (this == POSTGRESQL) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
            }
        }
    }

    /** The advisory lock key of the schema: "DESCENT" in ASCII, so it will not collide with an application's small integers. */
    private static final long SCHEMA_LOCK = 0x44455343454E54L;
}
