//! Services of step 4 recorded for balita (the `LAYANAN` answers of the service day):
//! vitamin A by age band (given in February and August), deworming and PMT.

use super::{Indicator, Section, count, ratio};

const VITAMIN_A: &str = "exchange.md §1 (V, Juknis §02 klaster 2 vitamin A)";
const SERVICES: &str = "exchange.md §1 (V); the service day's step 4";

use Section::Services;

pub const INDICATORS: &[Indicator] = &[
    count(
        "s_6_11",
        Services,
        "Sasaran 6–11 bl",
        "Balita S berumur 6–11 bulan pada hari terakhir bulan.",
        VITAMIN_A,
    ),
    count(
        "vita_6_11",
        Services,
        "Vitamin A 6–11 bl",
        "Balita 6–11 bulan yang mendapat kapsul vitamin A dalam bulan itu.",
        VITAMIN_A,
    ),
    count(
        "s_12_59",
        Services,
        "Sasaran 12–59 bl",
        "Balita S berumur 12–59 bulan pada hari terakhir bulan.",
        VITAMIN_A,
    ),
    count(
        "vita_12_59",
        Services,
        "Vitamin A 12–59 bl",
        "Balita 12–59 bulan yang mendapat kapsul vitamin A dalam bulan itu.",
        VITAMIN_A,
    ),
    ratio(
        "cak_vita_6_11",
        Services,
        "Cakupan vitamin A 6–11 bl",
        "Vitamin A 6–11 bulan dari sasaran 6–11 bulan (bulan Februari dan Agustus).",
        "vita_6_11",
        "s_6_11",
        VITAMIN_A,
    ),
    ratio(
        "cak_vita_12_59",
        Services,
        "Cakupan vitamin A 12–59 bl",
        "Vitamin A 12–59 bulan dari sasaran 12–59 bulan (bulan Februari dan Agustus).",
        "vita_12_59",
        "s_12_59",
        VITAMIN_A,
    ),
    count(
        "obat_cacing",
        Services,
        "Obat cacing",
        "Balita S yang mendapat obat cacing dalam bulan itu.",
        SERVICES,
    ),
    count(
        "pmt",
        Services,
        "PMT",
        "Balita S yang mendapat PMT (makanan tambahan) dalam bulan itu.",
        SERVICES,
    ),
];
