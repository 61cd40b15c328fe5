/**
 * Evaluation metrics over a whole evaluation set: accuracy, top-k accuracy, precision, recall and
 * F1 (macro, micro, weighted), the confusion matrix, ROC-AUC (binary and one-vs-rest), and MSE,
 * MAE, RMSE and R2 for regression, with scikit-learn's definitions.
 */
package dev.descent.metric;
