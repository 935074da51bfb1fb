//! The cases the proof classifies on both sides: the children (WHO's reference cases and a
//! grid of ages, sexes and histories), the values typed around every cut, and the server's
//! answer for each.

use super::*;

/// One child on one visit date, with what the cut-points depend on.
pub(crate) struct Child {
    pub(crate) sex: Sex,
    pub(crate) birth: Date,
    pub(crate) visit: Date,
    pub(crate) history: Option<Vec<Weighing>>,
    pub(crate) prev_length: Option<LengthMeasurement>,
}

/// Measurements as typed. `position` is `"l"`, `"h"` or `""` (not recorded).
#[derive(Clone, Default)]
pub(crate) struct Typed {
    pub(crate) weight: Option<String>,
    pub(crate) lenhei: Option<String>,
    pub(crate) position: &'static str,
    pub(crate) head: Option<String>,
    pub(crate) muac: Option<String>,
    pub(crate) oedema: bool,
}

/// The text's value in 1/10^places of its unit if it is on that grid (independent of the
/// script's conversion, which must agree).
pub(crate) fn on_grid(text: &str, places: usize) -> Option<i64> {
    let t = text.trim().replace(',', ".");
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    if frac.len() > places && frac[places..].bytes().any(|b| b != b'0') {
        return None;
    }
    let mut f: String = frac.chars().take(places).collect();
    while f.len() < places {
        f.push('0');
    }
    let v = int.parse::<i64>().ok()? * 10i64.pow(places as u32) + f.parse::<i64>().unwrap_or(0);
    (v > 0).then_some(v)
}

pub(crate) fn kg_text(g: i64, comma: bool) -> String {
    format!(
        "{}{}{:03}",
        g / 1000,
        if comma { ',' } else { '.' },
        g % 1000
    )
}

pub(crate) fn cm_text(mm: i64, comma: bool) -> String {
    format!("{}{}{}", mm / 10, if comma { ',' } else { '.' }, mm % 10)
}

/// What the server answers, and which grid values it was given (`None` = left out: absent,
/// invalid or finer than the grid).
pub(crate) struct Server {
    pub(crate) grid: [Option<i64>; 4],
    pub(crate) labels: Vec<String>,
    pub(crate) recheck: bool,
    pub(crate) zlen_flagged: bool,
}

pub(crate) fn server(c: &Child, t: &Typed, s: &Settings) -> Server {
    // Valid as the server validates (rules.md §11.3) and on the grid; else left out.
    let field = |text: &Option<String>, places: usize, max: i64| {
        let v = on_grid(text.as_deref()?, places)?;
        (v <= max).then_some(v)
    };
    let g = field(&t.weight, 3, LIMITS.weight_g);
    let len = field(&t.lenhei, 1, LIMITS.lenhei_mm);
    let head = field(&t.head, 1, LIMITS.head_mm);
    let muac = field(&t.muac, 1, LIMITS.muac_mm);
    // The number the server reads from the typed text.
    let number = |text: &Option<String>, v: Option<i64>| {
        v.and(text.as_ref())
            .map(|t| t.trim().replace(',', ".").parse::<f64>().unwrap())
    };
    let measure = match t.position {
        "l" => Some(Position::Lying),
        "h" => Some(Position::Standing),
        _ => None,
    };
    let mut v = Visit::new(Some(c.sex), c.birth, c.visit);
    v.measurements = Measurements {
        weight_kg: number(&t.weight, g),
        lenhei_cm: number(&t.lenhei, len),
        measure,
        head_cm: number(&t.head, head),
        muac_cm: number(&t.muac, muac),
        oedema: t.oedema,
        ..Default::default()
    };
    v.previous_weighings = c.history.clone();
    let sc = screen(&v, s).unwrap();
    let mut recheck = sc
        .zscores
        .named()
        .iter()
        .any(|(_, z, _)| z.is_some_and(|z| z.implausible));
    if let (Some(h), Some(g)) = (&c.history, g)
        && let Some(last) = last_weighing(h, c.visit)
    {
        recheck |= weight_change(last, c.visit, g) != 0;
    }
    if let (Some(prev), Some(mm)) = (c.prev_length, len) {
        let standard = if sc.age.days < 731 {
            Position::Lying
        } else {
            Position::Standing
        };
        recheck |= length_shrank(c.birth, prev, c.visit, mm, measure.unwrap_or(standard));
    }
    Server {
        grid: [g, len, head, muac],
        labels: sc.findings.iter().map(|r| r.code.to_string()).collect(),
        recheck,
        zlen_flagged: sc.zscores.zlen.is_some_and(|z| z.implausible),
    }
}

pub(crate) fn median(indicator: growth::Indicator, c: &Child, scale: f64) -> Option<i64> {
    let days = (c.visit - c.birth).whole_days() as f64;
    growth::value_at_z(indicator, c.sex.to_growth(), days, 0.0).map(|v| (v * scale).round() as i64)
}

pub(crate) fn around(cuts: &[i64], max: i64) -> Vec<i64> {
    let mut v: Vec<i64> = cuts
        .iter()
        .flat_map(|&c| [c - 1, c, c + 1])
        .filter(|v| (1..=max).contains(v))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Values just below, at and above every cut of every table of `cp`, each with the other
/// measurements near the median (or absent, to vary the combinations).
pub(crate) fn grid_cases(c: &Child, cp: &CutPoints) -> Vec<Typed> {
    use growth::Indicator as I;
    let std_pos = cp.standard_position;
    let w0 = median(I::WeightForAge, c, 1000.0);
    let l0 = median(I::LengthHeightForAge, c, 10.0);
    let h0 = median(I::HeadCircumferenceForAge, c, 10.0);
    let m0 = median(I::ArmCircumferenceForAge, c, 10.0).or(Some(110));
    let mut out = Vec::new();
    let mut n = 0usize;
    let mut comma = || {
        n += 1;
        n.is_multiple_of(2)
    };
    let weight_bands = [
        Some(&cp.wfa),
        Some(&cp.bgm),
        cp.faltering.as_ref(),
        cp.kms.as_ref(),
        cp.weight_change.as_ref(),
    ];
    for b in weight_bands.into_iter().flatten() {
        for g in around(&b.cuts, LIMITS.weight_g) {
            for oedema in [false, true] {
                out.push(Typed {
                    weight: Some(kg_text(g, comma())),
                    lenhei: l0.map(|mm| cm_text(mm, comma())),
                    position: std_pos,
                    head: h0.map(|mm| cm_text(mm, comma())),
                    muac: m0.map(|mm| cm_text(mm, comma())),
                    oedema,
                });
            }
        }
    }
    for l in &cp.lenhei {
        let mut cuts = l.lfa.cuts.clone();
        cuts.extend(l.shrink.iter().flat_map(|b| b.cuts.clone()));
        for mm in around(&cuts, LIMITS.lenhei_mm) {
            out.push(Typed {
                weight: w0.map(|g| kg_text(g, comma())),
                lenhei: Some(cm_text(mm, comma())),
                position: l.position,
                ..Default::default()
            });
        }
        for t in [&l.wfl, &l.bmi] {
            // Tables do not depend on the history: sample them densely once per age.
            let n = t.rows.len();
            let step = if c.history.is_none() { 7 } else { 61 };
            let mut rows: Vec<usize> = (0..n).step_by(step).collect();
            rows.extend(n.checked_sub(1));
            for i in rows {
                let mm = t.from_mm + i as i64;
                for g in around(&t.rows[i], LIMITS.weight_g) {
                    out.push(Typed {
                        weight: Some(kg_text(g, comma())),
                        lenhei: Some(cm_text(mm, comma())),
                        position: l.position,
                        ..Default::default()
                    });
                }
            }
            // Just outside the table: lengths flagged for age or without WHO's z.
            if n > 0 {
                for mm in [t.from_mm - 1, t.from_mm + n as i64] {
                    for g in [w0.unwrap_or(3000), 2_000, 30_000] {
                        out.push(Typed {
                            weight: Some(kg_text(g, comma())),
                            lenhei: Some(cm_text(mm, comma())),
                            position: l.position,
                            ..Default::default()
                        });
                    }
                }
            }
        }
    }
    for mm in around(&cp.head.cuts, LIMITS.head_mm) {
        out.push(Typed {
            head: Some(cm_text(mm, comma())),
            ..Default::default()
        });
    }
    let mut muac_cuts = vec![];
    muac_cuts.extend(cp.muac_sam.iter().flat_map(|b| b.cuts.clone()));
    muac_cuts.extend(cp.zac.iter().flat_map(|b| b.cuts.clone()));
    for mm in around(&muac_cuts, LIMITS.muac_mm) {
        out.push(Typed {
            muac: Some(cm_text(mm, comma())),
            ..Default::default()
        });
    }
    out
}

/// Children at a spread of ages, both sexes, with and without histories.
pub(crate) fn grid_children() -> Vec<Child> {
    let birth = date!(2022 - 01 - 31);
    let mut out = vec![];
    for sex in [Sex::Male, Sex::Female] {
        for days in [
            0i64, 35, 100, 183, 250, 400, 700, 730, 731, 1000, 1500, 1826,
        ] {
            let visit = birth + Duration::days(days);
            let c = Child {
                sex,
                birth,
                visit,
                history: None,
                prev_length: None,
            };
            let w = |d: i64, scale: f64| {
                let date = visit - Duration::days(d);
                let days = (date - birth).whole_days() as f64;
                let m =
                    growth::value_at_z(growth::Indicator::WeightForAge, sex.to_growth(), days, 0.0);
                m.map(|m| Weighing {
                    date,
                    weight_kg: (m * scale * 1000.0).round() / 1000.0,
                })
            };
            let prev_length = (days >= 40).then(|| LengthMeasurement {
                date: visit - Duration::days(30),
                mm: median(growth::Indicator::LengthHeightForAge, &c, 10.0).unwrap(),
                position: Position::Lying,
            });
            let histories: Vec<Option<Vec<Weighing>>> = vec![
                None,
                Some(vec![]),
                w(30, 1.0).map(|a| vec![a]),
                w(30, 1.0).zip(w(61, 1.05)).map(|(a, b)| vec![a, b]),
            ];
            for (i, history) in histories.into_iter().enumerate() {
                if history
                    .as_ref()
                    .is_some_and(|h| h.iter().any(|w| w.date < birth))
                {
                    continue;
                }
                out.push(Child {
                    sex,
                    birth,
                    visit,
                    history,
                    prev_length: prev_length.filter(|_| i >= 2),
                });
            }
        }
    }
    out
}

/// WHO's public cases under 5 years with a sex and a whole-day age, as typed measurements.
pub(crate) fn reference_children(path: &Path) -> Vec<(Child, Typed)> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (standard, sex, age, weight, lenhei, measure, head, muac, oedema) = (
        col("standard"),
        col("sex"),
        col("age_days"),
        col("weight_kg"),
        col("lenhei_cm"),
        col("measure"),
        col("headc_cm"),
        col("armc_cm"),
        col("oedema"),
    );
    let birth = date!(2020 - 01 - 01);
    let mut out = vec![];
    for r in rdr.records() {
        let r = r.unwrap();
        let sex = match &r[sex] {
            "1" => Sex::Male,
            "2" => Sex::Female,
            _ => continue,
        };
        let Ok(days) = r[age].parse::<i64>() else {
            continue; // no age, or a fractional day: no visit date gives it
        };
        if &r[standard] != "who2006" || !(0..=1826).contains(&days) {
            continue;
        }
        let text = |i: usize| (!r[i].is_empty()).then(|| r[i].to_string());
        let typed = Typed {
            weight: text(weight),
            lenhei: text(lenhei),
            position: match &r[measure] {
                "l" | "L" => "l",
                "h" | "H" => "h",
                _ => "",
            },
            head: text(head),
            muac: text(muac),
            oedema: &r[oedema] == "y",
        };
        let child = Child {
            sex,
            birth,
            visit: birth + Duration::days(days),
            history: None,
            prev_length: None,
        };
        out.push((child, typed));
    }
    out
}
