package dev.freight.upload.api.validation;

/** A request body that states its own field rules (records in {@code upload.api}); {@link FieldChecks} runs them. */
public interface ValidatedBody {

    /** Records every rule this body breaks in {@code fields}, under the fields' JSON names. */
    void checkFields(FieldChecks fields);
}
