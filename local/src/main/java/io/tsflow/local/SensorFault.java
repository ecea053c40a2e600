package io.tsflow.local;

/** What the simulator can make a room's temperature sensor do wrong. */
enum SensorFault {
    /** Sends nothing. */
    SILENT,
    /** Sends the same value over and over. */
    STUCK,
    /** Sends 40 °C and more, outside the rooms' range. */
    OVERHEATING
}
