package dev.descent.fed;

import java.io.Serializable;

/**
 * One client's local training in one round, from the global state: typically
 * {@link LocalTraining#run} on that client's rows. Serializable because an engine may run it
 * elsewhere (a Spark task); it must build what it needs (data, model, optimizer) from its own
 * fields, deterministically.
 */
@FunctionalInterface
public interface ClientTraining extends Serializable {
    ClientUpdate train(int round, int client, float[] global) throws Exception;
}
