//! Tolerance: how far an identity may miss because its terms were entered rounded.
//!
//! Amounts entered in 元 are exact, so identities over them hold to the 分 (a 1-元 gap is a
//! real finding). A figure entered in 万元 to 2 decimals may be off by up to 0.005 万元 (50 元)
//! from the true amount, so an identity over n such terms (both sides counted) may miss by
//! n × 50 元 and no more. Prose figures (编制说明) are rounded to their stated precision, so they
//! may be off by half of it. Not for deciding *which* identities exist (see the rule modules).

use crate::model::MoneyUnit;
use rust_decimal::Decimal;

/// The rounding one term entered in `unit` may carry, in 元 (0 for 元, 50 for 万元).
pub fn per_term(unit: MoneyUnit) -> Decimal {
    unit.rounding_per_term()
}

/// The rounding of a prose figure printed to a step of `precision` 元 (half the step); a zero
/// or negative precision means the usual 1 万元.
pub fn prose(precision: Decimal) -> Decimal {
    let step = if precision > Decimal::ZERO {
        precision
    } else {
        Decimal::from(10_000)
    };
    step / Decimal::TWO
}

/// The gap an identity may show: the sum of its terms' own tolerances.
pub fn allowed(term_tolerances: impl IntoIterator<Item = Decimal>) -> Decimal {
    term_tolerances.into_iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_terms_add_fifty_yuan_each() {
        let four = [MoneyUnit::WanYuan; 4].map(per_term);
        assert_eq!(allowed(four), Decimal::from(200));
        let mixed = [per_term(MoneyUnit::WanYuan), per_term(MoneyUnit::Yuan)];
        assert_eq!(allowed(mixed), Decimal::from(50));
        assert_eq!(prose(Decimal::ZERO), Decimal::from(5_000));
        assert_eq!(prose(Decimal::from(100)), Decimal::from(50));
    }
}
