package dev.descent.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ObjectNode yaml(String s) throws Exception {
        return (ObjectNode) YAML.readTree(s);
    }

    @Test
    void mappingsMergeDeeplyAndListsAndScalarsAreReplaced() throws Exception {
        ObjectNode base = yaml("{optimizer: {name: sgd, lr: 0.1, betas: [0.9, 0.99]}, model: [linear: 8, relu, linear: 2], train: {epochs: 3}}");
        ObjectNode over = yaml("{optimizer: {lr: 0.5, betas: [0.5]}, model: [linear: 2], train: {batch_size: full}}");
        ObjectNode merged = ConfigMerge.merge(base, over);
        assertEquals(yaml("{optimizer: {name: sgd, lr: 0.5, betas: [0.5]}, model: [linear: 2], train: {epochs: 3, batch_size: full}}"), merged);
        assertEquals(0.1, base.get("optimizer").get("lr").asDouble(), "the base is left alone");
    }

    @Test
    void aMappingReplacesAScalarAndAScalarAMapping() throws Exception {
        assertEquals(yaml("{loss: {name: cross_entropy, label_smoothing: 0.1}}"),
                ConfigMerge.merge(yaml("{loss: cross_entropy}"), yaml("{loss: {name: cross_entropy, label_smoothing: 0.1}}")));
        assertEquals(yaml("{loss: mse}"), ConfigMerge.merge(yaml("{loss: {name: huber, delta: 2}}"), yaml("{loss: mse}")));
    }
}
