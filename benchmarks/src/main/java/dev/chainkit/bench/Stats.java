package dev.chainkit.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A sample's median and spread (min..max), and the formatting every figure line shares.
 *
 * <p>Thread safety: immutable.
 *
 * @param median the median
 * @param min the smallest value
 * @param max the largest value
 * @param n the number of values
 */
public record Stats(double median, double min, double max, int n) {

    /** @throws IllegalArgumentException if {@code values} is empty */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarize");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = v.length;
        double median = k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
        return new Stats(median, v[0], v[k - 1], k);
    }

    /** @throws IllegalArgumentException if {@code values} is empty */
    public static Stats of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    /** {@code median [min..max]} with the given printf format for each number. */
    public String format(String numberFormat) {
        return String.format(Locale.ROOT, numberFormat + " [" + numberFormat + ".." + numberFormat + "]", median,
                min, max);
    }

    /** A count per second, in millions: {@code 1.23M [1.10M..1.31M]}. */
    public String millions() {
        return String.format(Locale.ROOT, "%.2fM [%.2fM..%.2fM]", median / 1e6, min / 1e6, max / 1e6);
    }
}
