package dev.descent.study;

import dev.descent.search.FrozenTrial;
import dev.descent.search.Params;
import dev.descent.search.TrialState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles {@link FrozenTrial}s from the trials, trial_params and trial_intermediate tables with
 * three queries per study (not three per trial), inside the caller's read transaction.
 */
final class TrialReader {
    private TrialReader() {}

    static List<FrozenTrial> readAll(Connection c, long studyId) throws SQLException {
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
        Map<Long, TreeMap<Integer, Double>> intermediates = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT i.trial_id, i.step, i.value FROM trial_intermediate i JOIN trials t ON t.trial_id = i.trial_id WHERE t.study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) intermediates.computeIfAbsent(rs.getLong(1), id -> new TreeMap<>()).put(rs.getInt(2), rs.getDouble(3));
            }
        }
        List<FrozenTrial> trials = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT trial_id, number, state, value, error FROM trials WHERE study_id = ? ORDER BY number")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    TrialState state = TrialState.valueOf(rs.getString(3));
                    double value = rs.getDouble(4);
                    // Only COMPLETE and PRUNED trials have a value; a FAIL trial always has a reason.
                    Double valued = rs.wasNull() || state == TrialState.RUNNING || state == TrialState.FAIL ? null : value;
                    String error = rs.getString(5);
                    if (state == TrialState.FAIL && error == null) error = "failed";
                    trials.add(new FrozenTrial(rs.getInt(2), new Params(params.getOrDefault(id, new TreeMap<>())), state, valued,
                            intermediates.getOrDefault(id, new TreeMap<>()), error));
                }
            }
        }
        return trials;
    }
}
