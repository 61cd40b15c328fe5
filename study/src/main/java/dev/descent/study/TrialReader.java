package dev.descent.study;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Assembles {@link TrialRecord}s from the trials, trial_params and trial_intermediate tables with
 * three queries per study (not three per trial), inside the caller's read transaction.
 */
final class TrialReader {
    private TrialReader() {}

    static List<TrialRecord> readAll(Connection c, long studyId) throws SQLException {
        Map<Long, TreeMap<String, Object>> params = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT p.trial_id, p.name, p.kind, p.real_value, p.int_value, p.text_value "
                        + "FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    params.computeIfAbsent(rs.getLong(1), id -> new TreeMap<>())
                            .put(rs.getString(2), ParamKind.valueOf(rs.getString(3)).read(rs, 4));
                }
            }
        }
        Map<Long, TreeMap<Long, Double>> intermediates = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT i.trial_id, i.step, i.value FROM trial_intermediate i JOIN trials t ON t.trial_id = i.trial_id WHERE t.study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) intermediates.computeIfAbsent(rs.getLong(1), id -> new TreeMap<>()).put(rs.getLong(2), rs.getDouble(3));
            }
        }
        List<TrialRecord> trials = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT trial_id, number, state, value, error, started_at, finished_at FROM trials WHERE study_id = ? ORDER BY number")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    double value = rs.getDouble(4);
                    Double boxed = rs.wasNull() ? null : value;
                    long finished = rs.getLong(7);
                    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
                    SortedMap<Long, Double> steps = Collections.unmodifiableSortedMap(intermediates.getOrDefault(id, new TreeMap<>()));
                    trials.add(new TrialRecord(rs.getInt(2), TrialState.valueOf(rs.getString(3)),
                            Collections.unmodifiableMap(params.getOrDefault(id, new TreeMap<>())), boxed, steps,
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), finishedAt));
                }
            }
        }
        return trials;
    }
}
