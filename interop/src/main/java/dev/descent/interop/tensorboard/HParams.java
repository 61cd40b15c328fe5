package dev.descent.interop.tensorboard;

import dev.descent.interop.proto.ProtoWriter;
import java.util.List;
import java.util.Map;

/**
 * Summaries for TensorBoard's HParams plugin, which shows a study as a table, parallel coordinates
 * and a scatter matrix. Its layout: the experiment (which hyperparameters and metrics there are)
 * in the root run under {@value #EXPERIMENT_TAG}; each session (a trial) in its own run, with the
 * session's hyperparameter values under {@value #SESSION_START_TAG} and its status under
 * {@value #SESSION_END_TAG}; a metric's value is the last point of the scalar curve of that tag in
 * the session's run.
 *
 * <p>Each is a value for the "hparams" plugin whose metadata content is a HParamsPluginData
 * (plugin_data.proto: version = 1 (0 today), experiment = 2, session_start_info = 3,
 * session_end_info = 4), with api.proto's Experiment (hparam_infos = 4, metric_infos = 5),
 * HParamInfo (name = 1, type = 4, domain_discrete = 5), MetricInfo (name = 1 as MetricName
 * group = 1, tag = 2), SessionStartInfo (hparams map = 1, start_time_secs = 5) and SessionEndInfo
 * (status = 1, end_time_secs = 2); values are google.protobuf.Value (number_value = 2,
 * string_value = 3, bool_value = 4; ListValue.values = 1).
 */
public final class HParams {
    public static final String EXPERIMENT_TAG = "_hparams_/experiment";
    public static final String SESSION_START_TAG = "_hparams_/session_start_info";
    public static final String SESSION_END_TAG = "_hparams_/session_end_info";
    private static final String PLUGIN = "hparams";
    private static final int VERSION = 0;

    /** api.proto's DataType of a hyperparameter. */
    public enum Type {
        UNSET, STRING, BOOL, FLOAT64
    }

    /** api.proto's Status of a session. */
    public enum Status {
        UNKNOWN, SUCCESS, FAILURE, RUNNING
    }

    /**
     * One hyperparameter of the experiment.
     *
     * @param choices its values when it takes a fixed set (strings, booleans or numbers), else empty
     */
    public record HParam(String name, Type type, List<Object> choices) {
        public HParam {
            choices = List.copyOf(choices);
        }
    }

    private HParams() {}

    /** The experiment: its hyperparameters and the scalar tags that are its metrics. */
    public static ProtoWriter experiment(List<HParam> hparams, List<String> metricTags) {
        ProtoWriter experiment = new ProtoWriter();
        for (HParam h : hparams) {
            ProtoWriter info = new ProtoWriter().string(1, h.name()).varint(4, h.type().ordinal());
            if (!h.choices().isEmpty()) {
                ProtoWriter list = new ProtoWriter();
                for (Object c : h.choices()) list.message(1, value(c));
                info.message(5, list);
            }
            experiment.message(4, info);
        }
        for (String tag : metricTags) experiment.message(5, new ProtoWriter().message(1, new ProtoWriter().string(1, "").string(2, tag)));
        return summary(EXPERIMENT_TAG, 2, experiment);
    }

    /** A session's start: its hyperparameter values (numbers, strings or booleans). */
    public static ProtoWriter sessionStart(Map<String, ?> values, double startSeconds) {
        ProtoWriter start = new ProtoWriter();
        values.forEach((k, v) -> start.message(1, new ProtoWriter().string(1, k).message(2, value(v))));
        start.doubleField(5, startSeconds);
        return summary(SESSION_START_TAG, 3, start);
    }

    public static ProtoWriter sessionEnd(Status status, double endSeconds) {
        return summary(SESSION_END_TAG, 4, new ProtoWriter().varint(1, status.ordinal()).doubleField(2, endSeconds));
    }

    /** The HParams type of a value as Descent's search spaces hold them. */
    public static Type typeOf(Object v) {
        return v instanceof Number ? Type.FLOAT64 : v instanceof Boolean ? Type.BOOL : Type.STRING;
    }

    private static ProtoWriter value(Object v) {
        return switch (v) {
            case Number n -> new ProtoWriter().doubleField(2, n.doubleValue());
            case Boolean b -> new ProtoWriter().bool(4, b);
            default -> new ProtoWriter().string(3, String.valueOf(v));
        };
    }

    private static ProtoWriter summary(String tag, int field, ProtoWriter data) {
        byte[] content = new ProtoWriter().varint(1, VERSION).message(field, data).toByteArray();
        return Summaries.pluginOnly(tag, PLUGIN, content);
    }
}
