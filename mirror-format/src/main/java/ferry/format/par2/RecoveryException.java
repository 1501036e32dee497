package ferry.format.par2;

/**
 * Recovery data that cannot do what was asked: none found, unusable (no Main packet, a name that would leave the
 * directory), or too little for the damage ({@link #missingSlices} slices lost, {@link #availableSlices} recovery
 * slices found).
 */
public final class RecoveryException extends Exception {
    private final int missingSlices;
    private final int availableSlices;

    public RecoveryException(String message) {
        this(message, 0, 0);
    }

    public RecoveryException(String message, int missingSlices, int availableSlices) {
        super(message);
        this.missingSlices = missingSlices;
        this.availableSlices = availableSlices;
    }

    /** Input slices damaged or missing (0 when the data was unusable for another reason). */
    public int missingSlices() {
        return missingSlices;
    }

    /** Usable recovery slices found. */
    public int availableSlices() {
        return availableSlices;
    }
}
