package io.kroute.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A count or a duration in seconds: a whole number of at least 1. */
final class PositiveInteger implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (number < 1) {
            throw new TypeConversionException("must be at least 1, got " + number);
        }
        return number;
    }
}
