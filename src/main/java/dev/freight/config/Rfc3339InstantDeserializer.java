package dev.freight.config;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

/**
 * Reads a time only from an RFC 3339 string such as {@code 2026-11-24T10:00:00Z}: an epoch number is more likely a
 * unit mix-up than intended, so it is refused.
 */
public class Rfc3339InstantDeserializer extends StdDeserializer<Instant> {

    public Rfc3339InstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
        try {
            return Instant.parse(parser.getText());
        } catch (DateTimeParseException invalid) {
            throw InvalidFormatException.from(parser, "not an RFC 3339 time", parser.getText(), Instant.class);
        }
    }
}
