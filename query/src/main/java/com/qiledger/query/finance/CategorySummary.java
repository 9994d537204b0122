package com.qiledger.query.finance;

import java.math.BigDecimal;

/**
 * The breaks of one category in a period: how many, and the sums of their expected, actual and
 * difference amounts (absent amounts count as nothing; exact, scale of the widest term). Counts are
 * summed only for categories that compare counts, else null. Every category is listed, with zeros when
 * it has no break, so a reader sees that each rule was checked.
 */
public record CategorySummary(
        int rule,
        String category,
        long breaks,
        BigDecimal expected,
        BigDecimal actual,
        BigDecimal difference,
        Long expectedCount,
        Long actualCount,
        Long differenceCount) {
}
