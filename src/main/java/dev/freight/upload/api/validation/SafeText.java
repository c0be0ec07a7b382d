package dev.freight.upload.api.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Text a person typed that Freight stores and shows again: well-formed Unicode, no control characters, no
 * invisible formatting characters that can disguise it (bidirectional overrides such as U+202E, BOM), within a
 * length in characters and in UTF-8 bytes. With {@link #fileName()}, also no path separators and not "." or "..".
 */
@Documented
@Constraint(validatedBy = SafeTextValidator.class)
@Target({ FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
public @interface SafeText {

    String message() default "must be plain text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Most characters (Unicode code points). */
    int maxLength();

    /** Apply the extra rules for file names. */
    boolean fileName() default false;
}
