package dev.descent.study;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The stored type of a parameter value and the column that holds it (real_value, int_value or
 * text_value of trial_params). Only the three types a search samples are accepted, so what comes
 * back is exactly what went in; an Integer or Float is refused rather than silently widened,
 * because the round trip would then return a different type.
 */
enum ParamKind {
    DOUBLE,
    LONG,
    STRING;

    static ParamKind of(String name, Object value) {
        return switch (value) {
            case Double d when d.isNaN() -> throw new IllegalArgumentException("parameter " + name + " is NaN, which a study does not store (SQLite cannot)");
            case Double d -> DOUBLE;
            case Long l -> LONG;
            case String s -> STRING;
            case null -> throw new IllegalArgumentException("parameter " + name + " is null");
            default -> throw new IllegalArgumentException("parameter " + name + " is a " + value.getClass().getSimpleName()
                    + "; store a Double, Long or String");
        };
    }

    /** Binds value to the three value columns starting at index {@code first}, null in the two unused ones. */
    void bind(PreparedStatement ps, int first, Object value) throws SQLException {
        ps.setNull(first, Types.DOUBLE);
        ps.setNull(first + 1, Types.BIGINT);
        ps.setNull(first + 2, Types.VARCHAR);
        switch (this) {
            case DOUBLE -> ps.setDouble(first, (Double) value);
            case LONG -> ps.setLong(first + 1, (Long) value);
            case STRING -> ps.setString(first + 2, (String) value);
        }
    }

    /** Reads the value back from the three value columns starting at index {@code first}. */
    Object read(ResultSet rs, int first) throws SQLException {
        return switch (this) {
            case DOUBLE -> rs.getDouble(first);
            case LONG -> rs.getLong(first + 1);
            case STRING -> rs.getString(first + 2);
        };
    }
}
