package io.tsflow.rollup.aggregate;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Bounding box and centroid of a pos2d bucket. The centroid is the arithmetic mean of latitudes and
 * longitudes, right for the small areas sensors move in; it is wrong for tracks that cross the
 * antimeridian.
 */
public final class PositionStats {

    private long count;
    private double minLatitude = Double.POSITIVE_INFINITY;
    private double maxLatitude = Double.NEGATIVE_INFINITY;
    private double minLongitude = Double.POSITIVE_INFINITY;
    private double maxLongitude = Double.NEGATIVE_INFINITY;
    private double latitudeSum;
    private double longitudeSum;

    /** A box and centroid already computed over {@code count} positions. */
    public static PositionStats of(
            long count,
            double minLatitude,
            double minLongitude,
            double maxLatitude,
            double maxLongitude,
            double centroidLatitude,
            double centroidLongitude) {
        PositionStats stats = new PositionStats();
        stats.count = count;
        stats.minLatitude = minLatitude;
        stats.minLongitude = minLongitude;
        stats.maxLatitude = maxLatitude;
        stats.maxLongitude = maxLongitude;
        stats.latitudeSum = centroidLatitude * count;
        stats.longitudeSum = centroidLongitude * count;
        return stats;
    }

    void writeTo(DataOutputView out) throws IOException {
        out.writeLong(count);
        out.writeDouble(minLatitude);
        out.writeDouble(maxLatitude);
        out.writeDouble(minLongitude);
        out.writeDouble(maxLongitude);
        out.writeDouble(latitudeSum);
        out.writeDouble(longitudeSum);
    }

    static PositionStats readFrom(DataInputView in) throws IOException {
        PositionStats stats = new PositionStats();
        stats.count = in.readLong();
        stats.minLatitude = in.readDouble();
        stats.maxLatitude = in.readDouble();
        stats.minLongitude = in.readDouble();
        stats.maxLongitude = in.readDouble();
        stats.latitudeSum = in.readDouble();
        stats.longitudeSum = in.readDouble();
        return stats;
    }

    public void add(double latitude, double longitude) {
        count++;
        minLatitude = Math.min(minLatitude, latitude);
        maxLatitude = Math.max(maxLatitude, latitude);
        minLongitude = Math.min(minLongitude, longitude);
        maxLongitude = Math.max(maxLongitude, longitude);
        latitudeSum += latitude;
        longitudeSum += longitude;
    }

    public void mergeAfter(PositionStats later) {
        count += later.count;
        minLatitude = Math.min(minLatitude, later.minLatitude);
        maxLatitude = Math.max(maxLatitude, later.maxLatitude);
        minLongitude = Math.min(minLongitude, later.minLongitude);
        maxLongitude = Math.max(maxLongitude, later.maxLongitude);
        latitudeSum += later.latitudeSum;
        longitudeSum += later.longitudeSum;
    }

    public double minLatitude() {
        return minLatitude;
    }

    public double maxLatitude() {
        return maxLatitude;
    }

    public double minLongitude() {
        return minLongitude;
    }

    public double maxLongitude() {
        return maxLongitude;
    }

    public double centroidLatitude() {
        return latitudeSum / count;
    }

    public double centroidLongitude() {
        return longitudeSum / count;
    }
}
