/**
 * Federated learning (McMahan et al., "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", AISTATS 2017), independent of the engine that runs the clients: how the
 * training rows are split among clients ({@link dev.descent.fed.ClientPartition}), which clients
 * a round samples ({@link dev.descent.fed.ClientSampler}), one client's local training
 * ({@link dev.descent.fed.LocalTraining}, with FedProx's proximal term), the weighted average in a
 * fixed tree over client id and the server optimizers ({@link dev.descent.fed.FederatedAveraging},
 * {@link dev.descent.fed.ServerOptimizer}). A {@link dev.descent.fed.ClientRunner} runs the clients
 * of a round: in this process, or as Spark tasks (the {@code descent-spark} module); the result
 * does not depend on which.
 */
package dev.descent.fed;
