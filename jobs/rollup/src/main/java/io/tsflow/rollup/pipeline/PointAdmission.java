package io.tsflow.rollup.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.rollup.aggregate.NumericStats;
import io.tsflow.runtime.ObservationCheck;

/**
 * What a sound observation must still satisfy to enter a series' rollup. A series has one type
 * family while it has open buckets (tdouble and tlong are one family, numeric: their points
 * aggregate together); a numeric value must fit the quantile sketch.
 */
final class PointAdmission {

    private PointAdmission() {}

    static boolean sameFamily(String type, String other) {
        return type.equals(other) || isNumeric(type) && isNumeric(other);
    }

    static boolean isNumeric(String type) {
        return type.equals("tdouble") || type.equals("tlong");
    }

    /** Null when the point's value can be aggregated, else why not. */
    static ObservationCheck.Problem valueProblem(String type, Object value) {
        if (isNumeric(type)
                && value instanceof Number number
                && Math.abs(number.doubleValue()) > NumericStats.MAX_MAGNITUDE) {
            return new ObservationCheck.Problem(
                    RejectReason.VALUE_OUT_OF_RANGE,
                    "value "
                            + number
                            + " is beyond ±"
                            + NumericStats.MAX_MAGNITUDE
                            + ", the largest magnitude the rollup's quantile sketch holds");
        }
        return null;
    }

    static String typeChangeMessage(String seriesType, String pointType) {
        return "the series is of type "
                + seriesType
                + " while it has open buckets; this "
                + pointType
                + " point is not aggregated (the new type takes over once the series' open"
                + " buckets have all closed)";
    }
}
