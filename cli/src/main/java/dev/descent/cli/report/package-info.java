/**
 * Training reports: {@link dev.descent.cli.report.Report#write(java.nio.file.Path)} turns a run
 * directory's {@code metrics.jsonl} (plus optional {@code confusion_matrix.json} and
 * {@code config.yaml}) into PNG charts under {@code charts/} and one self-contained
 * {@code report.html}. {@link dev.descent.cli.report.Charts} draws line charts for other uses,
 * such as overlaying several runs. Line charts use XChart; the confusion matrix is drawn with
 * Java2D (see {@code ConfusionChart} for why). Everything renders headless.
 */
package dev.descent.cli.report;
