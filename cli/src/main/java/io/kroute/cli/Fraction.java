package io.kroute.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A share: a number from 0 to 1. */
final class Fraction implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        double number = Numbers.parse(value);
        if (!(number >= 0 && number <= 1)) {
            throw new TypeConversionException("must be between 0 and 1, got " + value.strip());
        }
        return number;
    }
}
