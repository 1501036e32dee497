package ferry.wsus.catalog;

/**
 * An operator's approval command that cannot be carried out as asked: an unknown update, KB number, group, rule,
 * product or classification, an ambiguous name, a selection that matches nothing, a built-in group to remove. The
 * message is one line naming what is at fault; nothing was changed.
 */
public final class ApprovalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ApprovalException(String message) {
        super(message);
    }
}
