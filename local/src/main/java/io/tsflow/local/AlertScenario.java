package io.tsflow.local;

import java.util.List;

/**
 * The sensor faults the local run plays, and the alerts they must raise with the rules of {@code
 * config/local/alerts.yaml} (staleAfter 10s). Five seconds in, rooms r10 and r20 fall silent and
 * come back at 20 s, r30 falls silent for good, r40 gets stuck and r50 overheats until 20 s. Needs
 * a run of at least 25 s (the default is 30 s).
 */
final class AlertScenario {

    static final long MIN_DURATION_SECONDS = 25;
    private static final long FAULTS_AT = 5;
    private static final long HEALED_AT = 20;

    private boolean faulted;
    private boolean healed;

    /** Applies what is due {@code elapsedSeconds} into the run. */
    void advance(double elapsedSeconds, SensorSimulator simulator) {
        if (!faulted && elapsedSeconds >= FAULTS_AT) {
            faulted = true;
            simulator.fault(10, SensorFault.SILENT);
            simulator.fault(20, SensorFault.SILENT);
            simulator.fault(30, SensorFault.SILENT);
            simulator.fault(40, SensorFault.STUCK);
            simulator.fault(50, SensorFault.OVERHEATING);
        }
        if (faulted && !healed && elapsedSeconds >= HEALED_AT) {
            healed = true;
            for (int sensor : new int[] {10, 20, 40, 50}) {
                simulator.fault(sensor, null);
            }
        }
    }

    /** Every change the run must commit to topic alerts, in no particular order. */
    List<String> expectedChanges() {
        return List.of(
                "FIRING room-sensor-silent r10",
                "FIRING room-sensor-silent r20",
                "FIRING room-sensor-silent r30",
                "RESOLVED room-sensor-silent r10",
                "RESOLVED room-sensor-silent r20",
                "FIRING room-sensor-stuck r40",
                "RESOLVED room-sensor-stuck r40",
                "FIRING room-too-hot r50",
                "RESOLVED room-too-hot r50");
    }
}
