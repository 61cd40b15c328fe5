package dev.descent.fed;

import java.io.Serializable;

/**
 * What a client returns after its local training in a round.
 *
 * @param client  the client's id
 * @param samples n_k, the client's number of training rows (its weight in the average)
 * @param state   the client's model after local training ({@link ModelVector})
 * @param loss    the mean training loss of its last local epoch
 */
public record ClientUpdate(int client, long samples, float[] state, double loss) implements Serializable {
    public ClientUpdate {
        if (samples < 1) throw new IllegalArgumentException("client " + client + " has no rows");
    }
}
