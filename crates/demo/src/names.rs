//! Indonesian personal names, written for this project (not copied from any list).
//!
//! Indonesians mostly carry no family name: a Javanese or Madurese person may have one name,
//! younger people usually two or three. Batak families carry the father's marga; some Bugis
//! families of noble descent use the title "Andi". Names also follow the era of birth, so the
//! generator draws older-style names for people born before 1985 and modern ones for children.

use crate::rng::DemoRng;

/// Ethnic/regional origin of a household, which shapes its members' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Javanese,
    Madurese,
    Sundanese,
    Batak,
    Bugis,
    Minang,
    ArabicMuslim,
}

/// Household origins in a kabupaten of the eastern Java "Tapal Kuda" (Javanese and Madurese
/// majority, migrants from elsewhere). Weights are illustrative, not census figures.
pub const ORIGIN_WEIGHTS: [(Origin, f64); 7] = [
    (Origin::Javanese, 0.52),
    (Origin::Madurese, 0.26),
    (Origin::Sundanese, 0.05),
    (Origin::Batak, 0.04),
    (Origin::Bugis, 0.04),
    (Origin::Minang, 0.03),
    (Origin::ArabicMuslim, 0.06),
];

struct Pool {
    older_m: &'static [&'static str],
    older_f: &'static [&'static str],
    young_m: &'static [&'static str],
    young_f: &'static [&'static str],
}

const JAVANESE: Pool = Pool {
    older_m: &[
        "Suparman",
        "Sutrisno",
        "Sugeng",
        "Slamet",
        "Sukardi",
        "Suwarno",
        "Bambang",
        "Joko",
        "Budi",
        "Agus",
        "Heru",
        "Wahyudi",
        "Sugiyono",
        "Purwanto",
        "Haryono",
        "Darmaji",
        "Sumarno",
        "Tukiman",
        "Paimin",
        "Gunawan",
        "Supriyadi",
        "Mulyono",
        "Subandi",
        "Kasiman",
        "Triyono",
        "Edi",
        "Eko",
        "Hadi",
        "Priyo",
        "Warsito",
    ],
    older_f: &[
        "Sumiati",
        "Sri",
        "Suwarni",
        "Sulastri",
        "Sumarni",
        "Painem",
        "Tumini",
        "Sukinah",
        "Wartini",
        "Suprihatin",
        "Endang",
        "Wahyuni",
        "Rukmini",
        "Tri",
        "Lestari",
        "Ningsih",
        "Kasiyem",
        "Sutini",
        "Darmi",
        "Partini",
        "Yuliani",
        "Murtini",
        "Suyati",
        "Rahayu",
    ],
    young_m: &[
        "Dimas", "Bayu", "Aditya", "Fajar", "Galih", "Raka", "Yoga", "Wisnu", "Satria", "Danang",
        "Arya", "Bima", "Gilang", "Rendra", "Tegar", "Dwi", "Anggoro", "Wahyu", "Prasetyo",
        "Nugroho", "Cahyo", "Adi",
    ],
    young_f: &[
        "Ayu",
        "Dewi",
        "Ratna",
        "Putri",
        "Wulan",
        "Sekar",
        "Anjani",
        "Galuh",
        "Larasati",
        "Intan",
        "Ayuningtyas",
        "Kinanti",
        "Laras",
        "Rara",
        "Dyah",
        "Novita",
        "Indah",
        "Puspita",
        "Kartika",
        "Widya",
    ],
};

const JAVANESE_SECOND_M: &[&str] = &[
    "Prasetyo",
    "Nugroho",
    "Santoso",
    "Wibowo",
    "Saputro",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Hidayat",
    "Susilo",
    "Purnomo",
    "Utomo",
    "Wicaksono",
    "Hartono",
    "Sulistyo",
];
const JAVANESE_SECOND_F: &[&str] = &[
    "Lestari",
    "Rahayu",
    "Wulandari",
    "Safitri",
    "Puspitasari",
    "Handayani",
    "Anggraini",
    "Kusumawati",
    "Ningrum",
    "Permatasari",
    "Rahmawati",
    "Setyowati",
    "Maharani",
    "Pertiwi",
];

const MADURESE: Pool = Pool {
    older_m: &[
        "Misnadi", "Marsuki", "Sumo", "Matrawi", "Hosnan", "Mursyid", "Sahlan", "Juhari", "Muhlis",
        "Rasid", "Sukri", "Holil", "Fathor", "Maksum", "Busri", "Samsul", "Mattali", "Dulla",
        "Nasir", "Jumadi",
    ],
    older_f: &[
        "Hosnah", "Jumaati", "Sitti", "Marhama", "Salma", "Mardiyah", "Muhsinah", "Halimah",
        "Romlah", "Suhaimah", "Bu'ati", "Maimunah", "Hotijah", "Zubaidah", "Satimah",
    ],
    young_m: &[
        "Moh.",
        "Fathorrahman",
        "Ainur",
        "Syaiful",
        "Abd.",
        "Hasanuddin",
        "Zainul",
        "Lukman",
        "Imron",
        "Badrus",
        "Ilham",
        "Rofiqi",
    ],
    young_f: &[
        "Nurul", "Siti", "Ainun", "Maslahah", "Faridah", "Lailatul", "Khoirun", "Nisa", "Ummi",
        "Husnul", "Rofiah",
    ],
};

const MADURESE_SECOND: &[&str] = &[
    "Hasan",
    "Rahman",
    "Hamid",
    "Yakin",
    "Anam",
    "Huda",
    "Hidayah",
    "Jannah",
    "Qomariyah",
    "Fadilah",
    "Azizah",
    "Rosyid",
    "Sholeh",
    "Mukhlis",
];

const SUNDANESE: Pool = Pool {
    older_m: &[
        "Asep", "Dadang", "Ujang", "Cecep", "Dede", "Ade", "Engkus", "Jajang", "Yayan", "Endang",
        "Tatang", "Dodi", "Mamat", "Oman",
    ],
    older_f: &[
        "Euis", "Neneng", "Iis", "Imas", "Enok", "Yeti", "Cucu", "Lilis", "Nining", "Enung",
        "Titin", "Elis",
    ],
    young_m: &[
        "Rizky", "Fauzan", "Irfan", "Rangga", "Dikdik", "Gilang", "Haikal", "Raffi", "Ridwan",
    ],
    young_f: &[
        "Neng", "Rini", "Sinta", "Nurlela", "Fitri", "Resti", "Yulia", "Siska", "Tiara",
    ],
};

const SUNDANESE_SECOND: &[&str] = &[
    "Saepudin",
    "Hermawan",
    "Supriatna",
    "Sudrajat",
    "Kurniasih",
    "Rohaeti",
    "Komalasari",
    "Suryana",
    "Nurjanah",
    "Sopiah",
    "Mulyana",
    "Kusnadi",
];

const BATAK: Pool = Pool {
    older_m: &[
        "Hotman", "Tigor", "Binsar", "Parulian", "Maruli", "Sahat", "Togar", "Bonar", "Poltak",
        "Halomoan",
    ],
    older_f: &[
        "Rosmawati",
        "Tiur",
        "Nurmala",
        "Lasma",
        "Rotua",
        "Marlina",
        "Dumaria",
        "Hotnida",
    ],
    young_m: &[
        "Daniel", "Samuel", "Yosua", "Jonathan", "Kevin", "Ricardo", "Andreas", "Immanuel",
    ],
    young_f: &[
        "Grace", "Yohana", "Friska", "Natalia", "Dewi", "Ruth", "Elisabet", "Sarah",
    ],
};

const BATAK_MARGA: &[&str] = &[
    "Simanjuntak",
    "Siregar",
    "Nasution",
    "Harahap",
    "Sitompul",
    "Hutapea",
    "Pardede",
    "Sinaga",
    "Simatupang",
    "Situmorang",
    "Lubis",
    "Panjaitan",
    "Tambunan",
    "Manurung",
];

const BUGIS: Pool = Pool {
    older_m: &[
        "Baso",
        "Arfah",
        "Mappiare",
        "Lallo",
        "Sainuddin",
        "Haruna",
        "Mustari",
        "Basri",
        "Syamsuddin",
        "Lukman",
    ],
    older_f: &[
        "Hasnah",
        "Nurhayati",
        "Hadijah",
        "Marwah",
        "Sitti",
        "Rosdiana",
        "Nursiah",
        "Hamsinah",
    ],
    young_m: &[
        "Fadli", "Akbar", "Ikhsan", "Arham", "Rahmat", "Wahyu", "Agung", "Fikri",
    ],
    young_f: &[
        "Nurul",
        "Ayu",
        "Rezki",
        "Irma",
        "Fitriani",
        "Hasriani",
        "Sriwahyuni",
        "Asmira",
    ],
};

const BUGIS_SECOND: &[&str] = &[
    "Baso",
    "Tenri",
    "Mappanyukki",
    "Rahman",
    "Amir",
    "Yusuf",
    "Nurdin",
    "Salim",
    "Tajuddin",
];

const MINANG: Pool = Pool {
    older_m: &[
        "Syafrizal",
        "Afrizal",
        "Yulnasri",
        "Zulkifli",
        "Masrul",
        "Jasril",
        "Nofrizal",
        "Erman",
        "Asril",
        "Darwis",
    ],
    older_f: &[
        "Rahmi",
        "Yelfi",
        "Nurhasni",
        "Erlinda",
        "Yusnimar",
        "Desmawati",
        "Syafni",
        "Zuraida",
    ],
    young_m: &[
        "Rizal", "Fadhil", "Hafiz", "Rafif", "Ilham", "Aulia", "Randi", "Farhan",
    ],
    young_f: &[
        "Rahma",
        "Annisa",
        "Mutia",
        "Zahra",
        "Nadia",
        "Salsabila",
        "Silvi",
        "Yolanda",
    ],
};

const MINANG_SECOND: &[&str] = &[
    "Putra",
    "Putri",
    "Efendi",
    "Syahputra",
    "Chaniago",
    "Koto",
    "Piliang",
    "Tanjung",
    "Sikumbang",
    "Jambak",
];

const ARABIC: Pool = Pool {
    older_m: &[
        "Ahmad", "Abdul", "Muhammad", "Hasan", "Husein", "Umar", "Ali", "Ismail", "Yusuf",
        "Zainal", "Ridwan", "Syamsul", "Anwar", "Hamzah",
    ],
    older_f: &[
        "Fatimah", "Khadijah", "Aminah", "Aisyah", "Maryam", "Zainab", "Halimah", "Rukayah",
        "Salamah", "Mariam",
    ],
    young_m: &[
        "Muhammad", "Ahmad", "Rafa", "Alif", "Arkan", "Zidan", "Faiz", "Hafidz", "Azzam", "Rayyan",
        "Fatih", "Haidar", "Ibrahim", "Yusuf",
    ],
    young_f: &[
        "Aisyah", "Nayla", "Zahra", "Azzahra", "Khansa", "Naura", "Hanifa", "Syifa", "Alya",
        "Humaira", "Kayla", "Safa", "Najwa", "Qonita",
    ],
};

const ARABIC_SECOND_M: &[&str] = &[
    "Fauzi",
    "Rahman",
    "Basri",
    "Hakim",
    "Aziz",
    "Maulana",
    "Alfarizi",
    "Ramadhan",
    "Firdaus",
    "Hidayatullah",
    "Al Fatih",
    "Nur Hakim",
];
const ARABIC_SECOND_F: &[&str] = &[
    "Azzahra",
    "Aulia",
    "Nurjanah",
    "Khairunnisa",
    "Ramadhani",
    "Salsabila",
    "Humaira",
    "Zulfa",
    "Putri",
    "Rahmawati",
    "Az Zahra",
    "Fitriani",
];

/// Modern pan-Indonesian given names for children born from about 2015.
const MODERN_M: &[&str] = &[
    "Arkan", "Rafa", "Alvaro", "Kenzie", "Athar", "Gibran", "Arsyad", "Sakha", "Zayn", "Abizar",
    "Raffasya", "Kenzo", "Malik", "Elvano", "Devano", "Shaka",
];
const MODERN_F: &[&str] = &[
    "Keisha", "Nayla", "Aqila", "Kirana", "Alesha", "Shakila", "Arumi", "Zivanna", "Kanaya",
    "Queensha", "Almira", "Adiba", "Shanum", "Nadhira", "Ziva", "Hana",
];

/// Household-level name information shared by its members.
#[derive(Clone, Debug)]
pub struct FamilyName {
    pub origin: Origin,
    /// Marga passed from the father (Batak) or the "Andi" title line (some Bugis families).
    pub marga: Option<&'static str>,
    pub andi: bool,
}

impl FamilyName {
    pub fn draw(rng: &mut DemoRng) -> Self {
        let weights: Vec<f64> = ORIGIN_WEIGHTS.iter().map(|(_, w)| *w).collect();
        let origin = ORIGIN_WEIGHTS[rng.weighted(&weights)].0;
        let marga = (origin == Origin::Batak).then(|| *rng.pick(BATAK_MARGA));
        let andi = origin == Origin::Bugis && rng.chance(0.25);
        Self {
            origin,
            marga,
            andi,
        }
    }
}

fn pool(origin: Origin) -> &'static Pool {
    match origin {
        Origin::Javanese => &JAVANESE,
        Origin::Madurese => &MADURESE,
        Origin::Sundanese => &SUNDANESE,
        Origin::Batak => &BATAK,
        Origin::Bugis => &BUGIS,
        Origin::Minang => &MINANG,
        Origin::ArabicMuslim => &ARABIC,
    }
}

fn second_names(origin: Origin, female: bool) -> &'static [&'static str] {
    match (origin, female) {
        (Origin::Javanese, false) => JAVANESE_SECOND_M,
        (Origin::Javanese, true) => JAVANESE_SECOND_F,
        (Origin::Madurese, _) => MADURESE_SECOND,
        (Origin::Sundanese, _) => SUNDANESE_SECOND,
        (Origin::Batak, _) => BATAK_MARGA,
        (Origin::Bugis, _) => BUGIS_SECOND,
        (Origin::Minang, _) => MINANG_SECOND,
        (Origin::ArabicMuslim, false) => ARABIC_SECOND_M,
        (Origin::ArabicMuslim, true) => ARABIC_SECOND_F,
    }
}

/// A full name for a person of `family` born in `birth_year`. `own_marga` is the person's
/// marga when it differs from the household's (a Batak wife keeps her own).
pub fn full_name(
    rng: &mut DemoRng,
    family: &FamilyName,
    female: bool,
    birth_year: i32,
    own_marga: Option<&'static str>,
) -> String {
    let p = pool(family.origin);
    let modern = birth_year >= 2015 && rng.chance(0.45);
    let older = birth_year < 1985;
    let first = if modern {
        *rng.pick(if female { MODERN_F } else { MODERN_M })
    } else if older {
        *rng.pick(if female { p.older_f } else { p.older_m })
    } else {
        // Born 1985–2014: mostly the younger pool, some older-style names.
        let list = match (female, rng.chance(0.7)) {
            (false, true) => p.young_m,
            (true, true) => p.young_f,
            (false, false) => p.older_m,
            (true, false) => p.older_f,
        };
        *rng.pick(list)
    };
    let mut name = String::new();
    if family.andi && rng.chance(0.8) {
        name.push_str("Andi ");
    }
    if female && !modern && rng.chance(if older { 0.25 } else { 0.1 }) {
        // "Siti"/"Nur" prefixes are common for Muslim women of all origins.
        name.push_str(if rng.chance(0.6) { "Siti " } else { "Nur " });
    }
    name.push_str(first);
    match family.origin {
        Origin::Batak => {
            if let Some(m) = own_marga.or(family.marga) {
                name.push(' ');
                name.push_str(m);
            }
        }
        origin => {
            // One name is common among the older generation; children mostly get two or three.
            let p_second = if older {
                0.35
            } else if birth_year >= 2005 {
                0.9
            } else {
                0.7
            };
            if rng.chance(p_second) || first.ends_with('.') {
                let second = *rng.pick(second_names(origin, female));
                if second != first {
                    name.push(' ');
                    name.push_str(second);
                }
            }
            if birth_year >= 2015 && rng.chance(0.3) {
                let third = *rng.pick(if female {
                    ARABIC_SECOND_F
                } else {
                    ARABIC_SECOND_M
                });
                if !name.ends_with(third) {
                    name.push(' ');
                    name.push_str(third);
                }
            }
        }
    }
    name
}

/// A marga for a woman marrying into a Batak household (never her husband's own).
pub fn other_marga(rng: &mut DemoRng, husbands: Option<&'static str>) -> &'static str {
    loop {
        let m = *rng.pick(BATAK_MARGA);
        if Some(m) != husbands {
            return m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batak_children_carry_the_household_marga() {
        let mut rng = DemoRng::new(1, 1);
        let fam = FamilyName {
            origin: Origin::Batak,
            marga: Some("Siregar"),
            andi: false,
        };
        for year in [1970, 1995, 2020] {
            let n = full_name(&mut rng, &fam, false, year, None);
            assert!(n.ends_with(" Siregar"), "{n}");
        }
        let wife = full_name(&mut rng, &fam, true, 1990, Some("Lubis"));
        assert!(wife.ends_with(" Lubis"), "{wife}");
    }

    #[test]
    fn names_are_non_empty_and_trimmed() {
        let mut rng = DemoRng::new(3, 3);
        for i in 0..500 {
            let fam = FamilyName::draw(&mut rng);
            let n = full_name(&mut rng, &fam, i % 2 == 0, 1950 + (i % 75), None);
            assert!(!n.is_empty());
            assert_eq!(n.trim(), n);
            assert!(!n.contains("  "), "{n}");
        }
    }

    #[test]
    fn other_marga_differs_from_husbands() {
        let mut rng = DemoRng::new(5, 5);
        for _ in 0..200 {
            assert_ne!(other_marga(&mut rng, Some("Sinaga")), "Sinaga");
        }
    }
}
