/**
 * Training reports: {@link dev.descent.cli.report.Report#write(java.nio.file.Path)} turns a run
 * directory's {@code metrics.jsonl} (plus optional {@code confusion_matrix.json} and
 * {@code config.yaml}) into PNG charts under {@code charts/} and one self-contained
 * {@code report.html}. {@link dev.descent.cli.report.Charts} draws line charts for other uses,
 * such as overlaying several runs. {@link dev.descent.cli.report.TuneReport} writes a study's
 * {@code tune.html}: optimization history, parameter importance, parallel coordinates and slice
 * plots. Line charts use XChart; the confusion matrix and the study charts other than the history
 * are drawn with Java2D (XChart has no parallel coordinates, and its one-colour-per-series model
 * does not fit points coloured by trial). Everything renders headless.
 */
package dev.descent.cli.report;
