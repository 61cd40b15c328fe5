package dev.descent.cli;

import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code descent info}: version, JDK, threads and which kernels run. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Print the version, JDK, thread count and kernel kind.")
public final class InfoCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "Kernel threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() {
        if (threads != null) Parallel.setThreads(threads);
        System.out.println("Descent " + Version.get());
        System.out.println("JDK      " + System.getProperty("java.vm.vendor") + " " + Runtime.version());
        System.out.println("OS       " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println("threads  " + Parallel.threads());
        System.out.println("kernels  " + KernelMode.describe());
        return 0;
    }
}
