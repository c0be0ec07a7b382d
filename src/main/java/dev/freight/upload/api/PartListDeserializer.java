package dev.freight.upload.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;

import dev.freight.upload.model.S3Limits;

/**
 * Reads a body's {@code parts} array keeping at most one element more than S3's 10,000 parts: the elements after it
 * are skipped as tokens, never built, so a 2 MB body of ~690,000 elements costs 10,001 objects, and the size rule
 * then reports the list as too long (its elements are not checked, {@code FieldChecks#list}).
 */
final class PartListDeserializer extends JsonDeserializer<List<Object>> implements ContextualDeserializer {

    private static final int KEPT = S3Limits.MAX_PARTS + 1;

    private final JsonDeserializer<Object> element;

    PartListDeserializer() {
        this(null);
    }

    private PartListDeserializer(JsonDeserializer<Object> element) {
        this.element = element;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        return new PartListDeserializer(context.findContextualValueDeserializer(
                property.getType().getContentType(), property));
    }

    @Override
    public List<Object> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.isExpectedStartArrayToken()) {
            @SuppressWarnings("unchecked")
            List<Object> refused = (List<Object>) context.handleUnexpectedToken(List.class, parser);
            return refused;
        }
        List<Object> parts = new ArrayList<>();
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
            if (index >= KEPT) {
                parser.skipChildren();
                continue;
            }
            try {
                parts.add(token == JsonToken.VALUE_NULL ? null : element.deserialize(parser, context));
            } catch (JsonMappingException wrong) {
                // The element's index in the error's path ("parts[3].part_number"), as Jackson's own lists give it.
                throw JsonMappingException.wrapWithPath(wrong, parts, index);
            }
        }
        return parts;
    }
}
