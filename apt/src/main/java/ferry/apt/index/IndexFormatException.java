package ferry.apt.index;

/** An index entry (a Packages paragraph, a relation) that breaks the repository format; the message names the field. */
public final class IndexFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public IndexFormatException(String message) {
        super(message);
    }
}
