package org.backprop.diff;

/**
 * One way in which two runs were configured differently: the field, each run's value as text, and a note such as
 * where two weight vectors differ most (null when there is nothing to add).
 */
public record ConfigDifference(String field, String a, String b, String note) {
}
