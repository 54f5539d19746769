package io.kroute.cli;

import java.math.BigDecimal;
import picocli.CommandLine.TypeConversionException;

/** Decimal numbers as options take them and as batch metadata (strings) carries them. */
final class Numbers {

    private Numbers() {}

    /** A finite decimal number; NaN and infinities are refused, as no option means them. */
    static double parse(String value) {
        double number;
        try {
            number = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + OneLine.printable(value, 40) + "' is not a number");
        }
        if (!Double.isFinite(number)) {
            throw new TypeConversionException("'" + OneLine.printable(value, 40) + "' is not a finite number");
        }
        return number;
    }

    /** The shortest plain form: {@code 0.3}, {@code 1}, never {@code 1.0E-4}. */
    static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
}
