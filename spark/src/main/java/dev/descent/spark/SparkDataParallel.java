package dev.descent.spark;

import dev.descent.train.GradientReducer;
import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous data-parallel training as one long Spark barrier stage: P tasks start together,
 * publish a listening {@code host:port} through {@code BarrierTaskContext.allGather}, connect a
 * {@link TcpMesh}, and each runs a {@link Replica} with its participant of the reduction (a
 * {@link GradientReducer} over TCP: all-gather of the tree nodes for 2 tasks, reduce-scatter by
 * parameter slices from 3 on; see {@link TcpReducer}). A replica trains its own copy of the model with
 * {@code Trainer.shards(S).reducer(reducer)}: it computes its contiguous range of the S shards,
 * exchanges tree-node roots with the other tasks every step, and applies the same update as they
 * do, so the copies stay identical and equal, bit for bit, the single-process run with the same
 * {@code shards} (the horovod/TorchDistributor pattern, with a fixed reduction tree instead of
 * arrival order).
 *
 * <p>Failure: when a task fails (a lost executor, say), the whole stage fails: Spark does not
 * re-run a failed barrier stage that returns results to the driver ("Could not recover from a
 * failed barrier ResultStage"). So {@link #run} submits it again, as a new job, up to
 * {@code spark.stage.maxConsecutiveAttempts} times (default 4; once in local mode, where a failure
 * does not go away by itself); {@link Replica#run} receives the attempt number so that it can
 * resume from the last checkpoint its rank 0 wrote (see {@link ReplicaCheckpoints}).
 *
 * <p>This is the entry point for anything that needs P cooperating tasks on a Spark cluster (the
 * CLI's {@code --spark}, and tests); it knows nothing of configurations or models.
 */
public final class SparkDataParallel {
    /** How long a task waits for a peer's connection or message before failing the stage (10 minutes). */
    public static final int PEER_TIMEOUT_MILLIS = 600_000;

    private SparkDataParallel() {}

    /**
     * What each task of the barrier stage runs.
     *
     * @param <R> what a task returns to the driver (serializable)
     */
    @FunctionalInterface
    public interface Replica<R extends Serializable> extends Serializable {
        /**
         * @param reducer this task's participant: {@code reducer.rank()} is the task's rank, 0 to P - 1
         * @param attempt 0 the first time; more when the stage is submitted again after a failure
         */
        R run(GradientReducer reducer, int attempt) throws Exception;
    }

    /**
     * Runs {@code tasks} copies of {@code replica} in one barrier stage and returns their results
     * in rank order.
     *
     * @throws IllegalArgumentException when {@code tasks} exceeds the slots Spark reports
     *                                  ({@code defaultParallelism}): a barrier stage needs all its
     *                                  tasks running at once
     */
    public static <R extends Serializable> List<R> run(JavaSparkContext sc, int tasks, Replica<R> replica) {
        return run(sc, tasks, TcpReducer.Exchange.forParties(tasks), replica);
    }

    /** As {@link #run(JavaSparkContext, int, Replica)}, with the tasks finishing the tree by {@code exchange}. */
    static <R extends Serializable> List<R> run(JavaSparkContext sc, int tasks, TcpReducer.Exchange exchange, Replica<R> replica) {
        if (tasks < 1) throw new IllegalArgumentException("tasks must be at least 1, got " + tasks);
        int slots = sc.defaultParallelism();
        if (tasks > slots) {
            throw new IllegalArgumentException(tasks + " tasks, but Spark (" + sc.master() + ") offers " + slots
                    + " task slots: a barrier stage runs all its tasks at once");
        }
        int attempts = sc.master().startsWith("local") ? 1 : sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
        for (int attempt = 0; ; attempt++) {
            try {
                return once(sc, tasks, replica, exchange, attempt);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) { // a SparkException: the stage failed
                if (attempt + 1 >= attempts) throw new IllegalStateException(firstLine(e), e);
            }
        }
    }

    private static <R extends Serializable> List<R> once(JavaSparkContext sc, int tasks, Replica<R> replica, TcpReducer.Exchange exchange,
                                                          int attempt) throws Exception {
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < tasks; r++) ranks.add(r);
        RDD<Integer> rdd = sc.parallelize(ranks, tasks).rdd();
        @SuppressWarnings("unchecked")
        ClassTag<R> tag = (ClassTag<R>) (ClassTag<?>) ClassTag$.MODULE$.apply(Serializable.class);
        RDD<R> results = rdd.barrier().mapPartitions(new Task<>(replica, exchange, attempt), false, tag);
        return new ArrayList<>(results.toJavaRDD().collect());
    }

    /** Spark's job failure message without its stack traces. */
    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + (m.length() > nl + 1 ? " " + m.substring(nl + 1).lines().findFirst().orElse("") : "");
    }

    /**
     * The function Spark ships to the executors (a Scala function: the barrier API has no Java
     * variant; {@code mapPartitionsWithEvaluator} would drop the barrier context).
     */
    private static final class Task<R extends Serializable> extends AbstractFunction1<Iterator<Integer>, Iterator<R>> implements Serializable {
        private final Replica<R> replica;
        private final TcpReducer.Exchange exchange;
        private final int attempt;

        Task(Replica<R> replica, TcpReducer.Exchange exchange, int attempt) {
            this.replica = replica;
            this.exchange = exchange;
            this.attempt = attempt;
        }

        @Override
        public Iterator<R> apply(Iterator<Integer> ranks) {
            return runTask(replica, exchange, attempt);
        }
    }

    private static <R extends Serializable> Iterator<R> runTask(Replica<R> replica, TcpReducer.Exchange exchange, int attempt) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        try {
            String local = System.getenv("SPARK_LOCAL_IP");
            String host = local != null && !local.isBlank() ? local : hostOf(ctx.getTaskInfos()[rank].address());
            ServerSocket server = TcpMesh.listen(local != null && !local.isBlank() ? local : "0.0.0.0");
            String[] addresses = ctx.allGather(host + ":" + server.getLocalPort());
            TcpMesh mesh = TcpMesh.connect(rank, List.of(addresses), server, PEER_TIMEOUT_MILLIS);
            try (TcpReducer reducer = new TcpReducer(mesh, exchange)) {
                R result = replica.run(reducer, attempt);
                return CollectionConverters.asScala(List.of(result).iterator());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("task " + rank + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("task " + rank + ": " + e.getMessage(), e);
        }
    }

    /** The host of an executor address, which Spark gives as {@code host} or {@code host:port}. */
    static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }
}
