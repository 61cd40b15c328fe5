package dev.descent.cli.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionTest {
    @TempDir Path dir;

    private ConfigFile load(String yaml, String... overrides) throws IOException {
        Path p = dir.resolve("run.yaml");
        Files.writeString(p, yaml);
        return ConfigFile.load(p, List.of(overrides));
    }

    @Test
    void suggestsTheNearestName() {
        assertEquals("momentum", Suggest.nearest("momentun", List.of("lr", "momentum", "nesterov")));
        assertEquals("weight_decay", Suggest.nearest("weight_dacay", List.of("lr", "weight_decay")));
        assertEquals("betas", Suggest.nearest("betsa", List.of("betas", "eps")));
        assertNull(Suggest.nearest("zzzzzz", List.of("lr", "momentum")));
    }

    @Test
    void readsTypedValuesAndRejectsUnknownKeysWithASuggestion() throws IOException {
        ConfigFile c = load("optimizer: {name: sgd, lr: 1e-1, momentun: 0.9, betas: [0.9, 0.99]}\n");
        Section o = c.top().section("optimizer");
        assertEquals("sgd", o.requiredString("name"));
        assertEquals(0.1, o.number("lr", 0));
        assertEquals(0.0, o.number("momentum", 0));
        assertArrayEquals(new double[] {0.9, 0.99}, o.numbers("betas"));
        var e = assertThrows(ConfigException.class, o::finish);
        assertTrue(e.getMessage().startsWith("optimizer.momentun: unknown key; did you mean 'momentum'?"), e.getMessage());
    }

    @Test
    void choicesAndTypesAreChecked() throws IOException {
        Section s = load("loss: cross_entropie\nepochs: 2.5\nshuffle: maybe\n").top();
        var e = assertThrows(ConfigException.class, () -> s.choice("loss", null, List.of("mse", "cross_entropy")));
        assertTrue(e.getMessage().contains("'cross_entropie'") && e.getMessage().contains("did you mean 'cross_entropy'"), e.getMessage());
        assertThrows(ConfigException.class, () -> s.integer("epochs", 1));
        assertThrows(ConfigException.class, () -> s.bool("shuffle", false));
    }

    @Test
    void overridesApplyOnTopAndRelativePathsFollowTheFile() throws IOException {
        ConfigFile c = load("optimizer: {name: sgd, lr: 0.1}\ndata: {train: d/train.csv}\n", "optimizer.lr=0.5", "train.epochs=3");
        assertEquals(0.5, c.top().section("optimizer").number("lr", 0));
        assertEquals(3, c.top().section("train").integer("epochs", 0));
        assertEquals(dir.resolve("d/train.csv"), c.resolve(c.top().section("data").requiredString("train")));
        var bad = assertThrows(ConfigException.class, () -> load("a: 1\n", "a.b=2"));
        assertTrue(bad.getMessage().contains("'a' is 1, not a mapping"), bad.getMessage());
        var noEq = assertThrows(ConfigException.class, () -> load("a: 1\n", "a"));
        assertTrue(noEq.getMessage().contains("key=value"), noEq.getMessage());
    }

    @Test
    void fileErrorsAreOneLine() throws IOException {
        var missing = assertThrows(ConfigException.class, () -> ConfigFile.load(dir.resolve("none.yaml"), List.of()));
        assertTrue(missing.getMessage().contains("none.yaml: file not found"), missing.getMessage());
        var yaml = assertThrows(ConfigException.class, () -> load("a: [1, 2\nb: 3\n"));
        assertTrue(yaml.getMessage().contains("run.yaml:") && yaml.getMessage().contains("not valid YAML"), yaml.getMessage());
        // The parser's own message spans lines (an excerpt of the file, a caret); the error is one line (ConfigFuzzTest's finding).
        var flow = assertThrows(ConfigException.class, () -> load("seed: 0\nmetrics: [accuracy, ; x\nseed: 1\n"));
        assertTrue(flow.getMessage().matches(".*run\\.yaml:\\d+:\\d+: not valid YAML: while parsing a flow sequence; expected ',' or ']'.*"), flow.getMessage());
        assertFalse(flow.getMessage().contains("\n") || flow.getMessage().contains("^"), flow.getMessage());
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        var latin1 = assertThrows(ConfigException.class, () -> ConfigFile.load(dir.resolve("latin1.yaml"), List.of()));
        assertTrue(latin1.getMessage().endsWith("latin1.yaml: not UTF-8 text"), latin1.getMessage());
    }
}
