package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PyTorch fixtures in {@code src/test/resources/reference} (copied from ../shared/reference)
 * and the translation of their PyTorch options into Descent specs.
 *
 * <p>Tolerance: {@code |actual - expected| <= 1e-5 * max(1, |expected|)}, relative for values of
 * magnitude 1 and more and absolute (1e-5) below. Relative alone would demand impossible agreement
 * for values that pass near zero (a parameter at 1e-7 after subtracting two O(1) numbers carries
 * the absolute rounding error of those O(1) numbers, not of itself); 1e-5 is about 80 float32 ulps
 * at 1, room for PyTorch's fused multiply-adds and a dozen steps of compounding, and far below the
 * size of any real mistake (a wrong bias correction or operation order shows at 1e-3 and above).
 */
final class Reference {
    static final double TOLERANCE = 1e-5;

    private Reference() {}

    static JsonNode load(String file) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + file)) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + file);
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= TOLERANCE * Math.max(1.0, Math.abs(expected));
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    /** A readable label such as {@code "Adam {lr=0.01, amsgrad=true}"}. */
    static String label(JsonNode c) {
        return c.get("optimizer").asText() + " " + c.get("options");
    }

    /** Fresh parameters at the case's init values, named as in the fixture ("weight", "bias"). */
    static Map<String, Tensor> params(JsonNode c) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (JsonNode p : c.get("params")) {
            int[] shape = new int[p.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = p.get("shape").get(i).asInt();
            m.put(p.get("name").asText(), Tensor.of(floats(p.get("init")), shape).requireGrad());
        }
        return m;
    }

    /** Sets the gradients of step t. */
    static void setGrads(JsonNode c, int t, Map<String, Tensor> params) {
        JsonNode row = c.get("grads").get(t);
        int k = 0;
        for (Tensor p : params.values()) p.setGrad(Tensor.of(floats(row.get(k++)), p.shape()));
    }

    /** The spec for a case, from PyTorch's class name and options; fails on an option it does not know. */
    static OptimizerSpec spec(JsonNode c) {
        String name = c.get("optimizer").asText();
        Options o = new Options(c.get("options"));
        OptimizerSpec spec = switch (name) {
            case "SGD" -> Optimizers.sgd(o.d("lr", Double.NaN), o.d("momentum", 0), o.d("dampening", 0), o.b("nesterov"), o.d("weight_decay", 0));
            case "Adagrad" -> Optimizers.adagrad(o.d("lr", 1e-2), o.d("lr_decay", 0), o.d("initial_accumulator_value", 0), o.d("eps", 1e-10), o.d("weight_decay", 0));
            case "Adadelta" -> Optimizers.adadelta(o.d("lr", 1.0), o.d("rho", 0.9), o.d("eps", 1e-6), o.d("weight_decay", 0));
            case "RMSprop" -> Optimizers.rmsprop(o.d("lr", 1e-2), o.d("alpha", 0.99), o.d("eps", 1e-8), o.d("momentum", 0), o.b("centered"), o.d("weight_decay", 0));
            case "Adam" -> Optimizers.adam(o.d("lr", 1e-3), o.beta(0, 0.9), o.beta(1, 0.999), o.d("eps", 1e-8), o.d("weight_decay", 0), o.b("amsgrad"));
            case "AdamW" -> Optimizers.adamW(o.d("lr", 1e-3), o.beta(0, 0.9), o.beta(1, 0.999), o.d("eps", 1e-8), o.d("weight_decay", 1e-2), o.b("amsgrad"));
            case "Adamax" -> Optimizers.adamax(o.d("lr", 2e-3), o.beta(0, 0.9), o.beta(1, 0.999), o.d("eps", 1e-8), o.d("weight_decay", 0));
            case "NAdam" -> Optimizers.nadam(o.d("lr", 2e-3), o.beta(0, 0.9), o.beta(1, 0.999), o.d("eps", 1e-8), o.d("weight_decay", 0), o.d("momentum_decay", 4e-3));
            case "RAdam" -> Optimizers.radam(o.d("lr", 1e-3), o.beta(0, 0.9), o.beta(1, 0.999), o.d("eps", 1e-8), o.d("weight_decay", 0));
            case "Lion" -> Optimizers.lion(o.d("lr", 1e-4), o.beta(0, 0.9), o.beta(1, 0.99), o.d("weight_decay", 0));
            default -> throw new IllegalArgumentException("fixture optimizer " + name + " has no Descent counterpart");
        };
        if (o.b("maximize")) spec = spec.maximizing();
        o.checkAllUsed(name);
        return spec;
    }

    /** Every fixture case. */
    static List<JsonNode> optimizerCases() {
        List<JsonNode> out = new ArrayList<>();
        load("optimizers.json").get("cases").forEach(out::add);
        return out;
    }

    private static final class Options {
        final JsonNode node;
        final Set<String> used = new HashSet<>();

        Options(JsonNode node) {
            this.node = node;
        }

        double d(String key, double dflt) {
            used.add(key);
            return node.has(key) ? node.get(key).asDouble() : dflt;
        }

        boolean b(String key) {
            used.add(key);
            return node.has(key) && node.get(key).asBoolean();
        }

        double beta(int i, double dflt) {
            used.add("betas");
            return node.has("betas") ? node.get("betas").get(i).asDouble() : dflt;
        }

        void checkAllUsed(String name) {
            node.fieldNames().forEachRemaining(k -> {
                if (!used.contains(k)) throw new IllegalArgumentException(name + ": fixture option '" + k + "' is not mapped");
            });
        }
    }
}
