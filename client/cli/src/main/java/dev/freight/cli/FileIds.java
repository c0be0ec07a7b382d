package dev.freight.cli;

import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A FILE_ID argument: the UUID the service answered at init; anything else is a usage error, before any call. */
final class FileIds implements ITypeConverter<String> {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Override
    public String convert(String value) {
        if (!UUID.matcher(value).matches()) {
            throw new TypeConversionException("'" + value + "' is not a file id (a UUID such as "
                    + "123e4567-e89b-42d3-a456-426614174000, as 'freight ls' shows)");
        }
        return value;
    }
}
