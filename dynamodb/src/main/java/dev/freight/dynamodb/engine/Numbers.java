package dev.freight.dynamodb.engine;

import java.math.BigDecimal;

/**
 * DynamoDB's number rules: up to 38 significant digits, magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125,
 * answered without trailing zeros (AWS docs, "Supported data types": "Numbers can have up to 38 digits of
 * precision ... Positive range: 1E-130 to 9.9999999999999999999999999999999999999E+125").
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
public final class Numbers {

    private static final BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Numbers() {
    }

    public static BigDecimal parse(String text) {
        BigDecimal number;
        try {
            number = new BigDecimal(text.trim());
        } catch (NumberFormatException | NullPointerException invalid) {
            // Quoted from DynamoDB: "A value provided cannot be converted into a number" (getmoto/moto#1874).
            throw DynamoException.validation("A value provided cannot be converted into a number");
        }
        return check(number);
    }

    /** Checks a stored or computed number against DynamoDB's precision and range. */
    public static BigDecimal check(BigDecimal number) {
        BigDecimal stripped = number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
        if (stripped.precision() > 38) {
            // Quoted from DynamoDB in aws/aws-sdk-java#1254 and getmoto/moto#4047.
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = stripped.abs();
        if (magnitude.signum() != 0 && magnitude.compareTo(MAX) > 0) {
            throw DynamoException.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.signum() != 0 && magnitude.compareTo(MIN) < 0) {
            throw DynamoException.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return stripped;
    }

    /** The text DynamoDB answers: plain digits, no exponent, no trailing zeros. */
    public static String format(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    /**
     * Bytes a number occupies: "approximately (length of attribute name) + (1 byte per two significant digits) +
     * (1 byte)", leading and trailing zeros trimmed (AWS docs, "Item sizes and formats").
     */
    static long size(BigDecimal number) {
        if (number.signum() == 0) {
            return 1;
        }
        int digits = number.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1 + (number.signum() < 0 ? 1 : 0);
    }
}
