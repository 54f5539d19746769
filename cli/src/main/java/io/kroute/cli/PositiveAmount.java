package io.kroute.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An amount, e.g. of dollars: a finite number above 0. */
final class PositiveAmount implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        double number = Numbers.parse(value);
        if (!(number > 0)) {
            throw new TypeConversionException("must be more than 0, got " + value.strip());
        }
        return number;
    }
}
