//! Referrals to the Puskesmas (step 5 of the posyandu day): the persons referred in the
//! month and how far their referral has come since, and the stunted balita referred.

use super::{Indicator, Section, count, ratio};

const REFERRAL: &str = "exchange.md §1 (V, Juknis ILP: step 5, rujukan ke Puskesmas; the ILP recap forms list referral); the referral's status (dibuat → diterima → ditindaklanjuti → selesai)";
const STUNTING_REFERRED: &str = "exchange.md §4 (S, SIGIZI-KESGA: stunting dirujuk)";

use Section::Referral;

pub const INDICATORS: &[Indicator] = &[
    count(
        "dirujuk",
        Referral,
        "Dirujuk",
        "Orang terdaftar di unit yang dirujuk dalam bulan itu (tanggal rujukan), berapa pun umurnya.",
        REFERRAL,
    ),
    count(
        "rujukan_diterima",
        Referral,
        "Rujukan diterima",
        "Orang yang dirujuk dalam bulan itu dan rujukannya sudah diterima fasilitas (status diterima, ditindaklanjuti atau selesai, saat laporan dibaca).",
        REFERRAL,
    ),
    count(
        "rujukan_ditindaklanjuti",
        Referral,
        "Rujukan ditindaklanjuti",
        "Orang yang dirujuk dalam bulan itu dan rujukannya sudah ditindaklanjuti (status ditindaklanjuti atau selesai, saat laporan dibaca).",
        REFERRAL,
    ),
    ratio(
        "pct_rujukan_ditindaklanjuti",
        Referral,
        "% rujukan ditindaklanjuti",
        "Rujukan ditindaklanjuti dari yang dirujuk dalam bulan itu.",
        "rujukan_ditindaklanjuti",
        "dirujuk",
        REFERRAL,
    ),
    count(
        "stunting_dirujuk",
        Referral,
        "Balita stunting dirujuk",
        "Balita yang terhitung stunting bulan itu dan dirujuk dalam bulan itu.",
        STUNTING_REFERRED,
    ),
];
