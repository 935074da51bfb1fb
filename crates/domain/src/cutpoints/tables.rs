//! The weight tables per millimetre of length (BB/PB-TB, IMT/U): their specs, the row
//! search, and the weight-for-length rows shared by every child of one case.

use super::*;

/// One weight table: its bands, the z it reads, and how a row's cuts are guessed from the
/// rows before it.
pub(super) struct TableSpec {
    order: &'static [&'static str],
    pick: fn(&Zscores) -> Option<Z>,
    only: fn(Z) -> Zscores,
    guess: Guess,
}

/// The guess for the next row's cuts (the search is exact whatever the guess).
#[derive(Clone, Copy)]
enum Guess {
    /// Weight-for-length moves smoothly with length: the last two rows, extrapolated.
    Linear,
    /// BMI is weight / length²: the last row scaled by the squared ratio of the lengths.
    Square,
}

pub(super) const WFL_SPEC: TableSpec = TableSpec {
    order: &WFL,
    pick: |z| z.zwfl,
    only: |z| Zscores {
        zwfl: Some(z),
        ..Zscores::default()
    },
    guess: Guess::Linear,
};

pub(super) const BMI_SPEC: TableSpec = TableSpec {
    order: &BMI,
    pick: |z| z.zbmi,
    only: |z| Zscores {
        zbmi: Some(z),
        ..Zscores::default()
    },
    guess: Guess::Square,
};

impl Table {
    /// The rows for measured lengths `lo..=hi` only.
    pub(super) fn slice(&self, lo: i64, hi: i64) -> Table {
        let to = self.from_mm + self.rows.len() as i64 - 1;
        let (a, b) = (lo.max(self.from_mm), hi.min(to));
        Table {
            from_mm: if a <= b { a } else { 0 },
            labels: self.labels.clone(),
            rows: if a <= b {
                self.rows[(a - self.from_mm) as usize..=(b - self.from_mm) as usize].to_vec()
            } else {
                vec![]
            },
        }
    }
}

/// The length WHO computes with (after its ±0.7 cm adjustment), as bits, from the engine.
pub(super) fn clenhei_bits(sex: Sex, age: Age, mm: i64, p: Position) -> u64 {
    let m = growth::ChildMeasurements {
        sex: Some(sex.to_growth()),
        age: Some(growth::Age::Days(age.days as f64)),
        lenhei_cm: Some(cm(mm)),
        measure: Some(match p {
            Position::Lying => growth::Measure::Lying,
            Position::Standing => growth::Measure::Standing,
        }),
        ..Default::default()
    };
    growth::who2006(&m).clenhei.unwrap_or(f64::NAN).to_bits()
}

/// The cuts of weight for each measured length in `lo..=hi` (in `p`) where WHO computes the
/// spec's z, found with the engine's own z and categories, and the bits of each row's
/// WHO-adjusted length. A row whose adjusted length is bit for bit a row of `donor` (the
/// same child measured in the other position) is copied from it: WHO's BMI reads the
/// measurements only as weight / adjusted length² (WHO-R §3.4).
#[allow(clippy::too_many_arguments)]
pub(super) fn table(
    sex: Sex,
    age: Age,
    p: Position,
    s: &Settings,
    lo: i64,
    hi: i64,
    spec: &TableSpec,
    donor: Option<(&Table, &[u64])>,
) -> (Table, Vec<u64>) {
    let zs = |mm: i64, g: i64| {
        let m = Measurements {
            weight_kg: Some(kg(g)),
            lenhei_cm: Some(cm(mm)),
            measure: Some(p),
            ..Measurements::default()
        };
        anthro::zscores(Some(sex), age, &m)
    };
    let z_bands = ZBands::new(spec.order, spec.only, age, s);
    let mut from_mm = None;
    let mut rows: Vec<Vec<i64>> = Vec::new();
    let mut basis = Vec::new();
    for mm in lo..=hi {
        let bits = clenhei_bits(sex, age, mm, p);
        let copy = donor.and_then(|(t, b)| {
            let v = f64::from_bits(bits);
            let i = b.partition_point(|x| f64::from_bits(*x) < v);
            (b.get(i) == Some(&bits)).then(|| t.rows[i].clone())
        });
        if copy.is_none() && (spec.pick)(&zs(mm, 10_000)).is_none() {
            if from_mm.is_some() {
                break;
            }
            continue;
        }
        from_mm.get_or_insert(mm);
        basis.push(bits);
        if let Some(row) = copy {
            rows.push(row);
            continue;
        }
        let band = |g: i64| z_bands.band((spec.pick)(&zs(mm, g)));
        let row = match (rows.as_slice(), spec.guess) {
            ([.., q, p], Guess::Linear) => {
                let guesses: Vec<i64> = zip(p, q).map(|(p, q)| 2 * p - q).collect();
                cuts_near(&guesses, 1, WEIGHT_MAX_G, band)
            }
            ([.., last], Guess::Square) => {
                let now = adjusted_mm(mm, age.days, p) as f64;
                let ratio = (now / (now - 1.0)).powi(2);
                let guesses: Vec<i64> = last
                    .iter()
                    .map(|&c| (c as f64 * ratio).round() as i64)
                    .collect();
                cuts_near(&guesses, 1, WEIGHT_MAX_G, band)
            }
            ([last], Guess::Linear) => cuts_near(last, 1, WEIGHT_MAX_G, band),
            ([], _) => cuts(1, WEIGHT_MAX_G, spec.order.len(), band),
        };
        rows.push(row);
    }
    let t = Table {
        from_mm: from_mm.unwrap_or(0),
        labels: labels(spec.order),
        rows,
    };
    (t, basis)
}

/// Weight-for-length/height rows depend on the age only through the table (length under
/// 731 days, height from 731) and WHO's ±0.7 cm adjustment of the measured length, and
/// their categories need no setting, so they are computed once per sex and case, over
/// every length WHO tabulates, and shared by every child (the tests compare them with
/// `screen` at many ages). Cases: 0 length as measured, 1 standing + 0.7 cm (copied from
/// case 0 where the adjusted length is the same number), 2 height as measured, 3 lying
/// − 0.7 cm (from case 2). Each holds the table and the adjusted lengths' bits.
pub(super) type Rows = (Table, Vec<u64>);
static WFL_ROWS: [[OnceLock<Rows>; 4]; 2] = [const { [const { OnceLock::new() }; 4] }; 2];

/// Builds the weight-for-length/height tables of every child now rather than on the
/// first page that needs them (about 25 ms in a release build, once per process).
pub fn prepare() {
    for sex in [Sex::Male, Sex::Female] {
        for case in 0..4 {
            wfl_case(sex, case);
        }
    }
}

pub(super) fn wfl_table(sex: Sex, age: Age, p: Position) -> &'static Table {
    &wfl_case(sex, wfl_case_of(age.days, p)).0
}

/// The case (see [`WFL_ROWS`]) of a child `age_days` old measured in `p`.
pub(super) fn wfl_case_of(age_days: i64, p: Position) -> usize {
    let adjusted = adjusted_mm(0, age_days, p) != 0;
    match (age_days < 731, adjusted) {
        (true, false) => 0,
        (true, true) => 1,
        (false, false) => 2,
        (false, true) => 3,
    }
}

/// The name of each shared weight-for-length/height table in the prepared day, by sex
/// (`L`, `P` as in the person's record) and case.
pub(super) const WFL_KEYS: [[&str; 4]; 2] = [
    [
        "wfl_L_length",
        "wfl_L_length_standing",
        "wfl_L_height",
        "wfl_L_height_lying",
    ],
    [
        "wfl_P_length",
        "wfl_P_length_standing",
        "wfl_P_height",
        "wfl_P_height_lying",
    ],
];

pub(super) fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Male => 0,
        Sex::Female => 1,
    }
}

pub(super) fn wfl_case(sex: Sex, case: usize) -> &'static Rows {
    WFL_ROWS[sex_index(sex)][case].get_or_init(|| {
        // A representative age (days, completed months) and position for the case.
        let (days, months, rep) = [
            (0, 0, Position::Lying),
            (300, 9, Position::Standing),
            (731, 24, Position::Standing),
            (731, 24, Position::Lying),
        ][case];
        let rep_age = Age {
            days,
            months,
            years: (days / 366) as i32,
        };
        let donor = (case % 2 == 1).then(|| wfl_case(sex, case - 1));
        let donor = donor.map(|(t, b)| (t, b.as_slice()));
        let s = Settings::default();
        table(sex, rep_age, rep, &s, 1, LENHEI_MAX_MM, &WFL_SPEC, donor)
    })
}
