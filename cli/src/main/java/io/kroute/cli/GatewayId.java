package io.kroute.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A batch or file id ({@code batch_...}, {@code file-...}). Ids go into URL paths and into the names of the files
 * results are written to, so only letters, digits, {@code _ . -} pass: no {@code /}, no {@code ..}.
 */
final class GatewayId implements ITypeConverter<String> {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");

    static boolean isSafe(String id) {
        return id != null && SAFE.matcher(id).matches();
    }

    @Override
    public String convert(String value) {
        if (!isSafe(value)) {
            throw new TypeConversionException(
                    "'" + OneLine.printable(value, 80) + "' is not a batch id (letters, digits, _ . - only)");
        }
        return value;
    }
}
