package dev.descent.cli;

import dev.descent.cli.run.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint best|final|last}, shared by the commands that load a trained run. */
public final class CheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "best|final|last", description = "Which checkpoint (default: best if the run validated, else final).")
    String checkpoint;

    /** The run's model from the chosen checkpoint (an unknown choice is a config error). */
    TrainedModel load(Path runDir) throws IOException {
        TrainedModel.checkChoice(checkpoint);
        return TrainedModel.load(runDir, checkpoint);
    }
}
