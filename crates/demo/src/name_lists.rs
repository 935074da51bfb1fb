//! The name lists behind [`crate::names`], written for this project (not copied from any
//! list): given names by origin and era, second names, Batak marga.

pub(crate) struct Pool {
    pub(crate) older_m: &'static [&'static str],
    pub(crate) older_f: &'static [&'static str],
    pub(crate) young_m: &'static [&'static str],
    pub(crate) young_f: &'static [&'static str],
}

pub(crate) const JAVANESE: Pool = Pool {
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

pub(crate) const JAVANESE_SECOND_M: &[&str] = &[
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
pub(crate) const JAVANESE_SECOND_F: &[&str] = &[
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

pub(crate) const MADURESE: Pool = Pool {
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

pub(crate) const MADURESE_SECOND_M: &[&str] = &[
    "Hasan", "Rahman", "Hamid", "Yakin", "Anam", "Huda", "Rosyid", "Sholeh", "Mukhlis", "Fauzi",
];
pub(crate) const MADURESE_SECOND_F: &[&str] = &[
    "Hidayah",
    "Jannah",
    "Qomariyah",
    "Fadilah",
    "Azizah",
    "Rohmah",
    "Mufidah",
    "Sholihah",
];

pub(crate) const SUNDANESE: Pool = Pool {
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

pub(crate) const SUNDANESE_SECOND_M: &[&str] = &[
    "Saepudin",
    "Hermawan",
    "Supriatna",
    "Sudrajat",
    "Suryana",
    "Mulyana",
    "Kusnadi",
    "Gunawan",
];
pub(crate) const SUNDANESE_SECOND_F: &[&str] = &[
    "Kurniasih",
    "Rohaeti",
    "Komalasari",
    "Nurjanah",
    "Sopiah",
    "Marlina",
    "Sumiati",
    "Rahmawati",
];

pub(crate) const BATAK: Pool = Pool {
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

pub(crate) const BATAK_MARGA: &[&str] = &[
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

pub(crate) const BUGIS: Pool = Pool {
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

/// Bugis second names are often the father's name.
pub(crate) const BUGIS_SECOND: &[&str] = &[
    "Tenri",
    "Mappanyukki",
    "Rahman",
    "Amir",
    "Yusuf",
    "Nurdin",
    "Salim",
    "Tajuddin",
];

pub(crate) const MINANG: Pool = Pool {
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

pub(crate) const MINANG_SECOND_M: &[&str] = &[
    "Putra",
    "Efendi",
    "Syahputra",
    "Chaniago",
    "Koto",
    "Piliang",
    "Tanjung",
    "Sikumbang",
];
pub(crate) const MINANG_SECOND_F: &[&str] = &[
    "Putri", "Yanti", "Wati", "Chaniago", "Koto", "Piliang", "Tanjung", "Jambak",
];

pub(crate) const ARABIC: Pool = Pool {
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

pub(crate) const ARABIC_SECOND_M: &[&str] = &[
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
pub(crate) const ARABIC_SECOND_F: &[&str] = &[
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
pub(crate) const MODERN_M: &[&str] = &[
    "Arkan", "Rafa", "Alvaro", "Kenzie", "Athar", "Gibran", "Arsyad", "Sakha", "Zayn", "Abizar",
    "Raffasya", "Kenzo", "Malik", "Elvano", "Devano", "Shaka",
];
pub(crate) const MODERN_F: &[&str] = &[
    "Keisha", "Nayla", "Aqila", "Kirana", "Alesha", "Shakila", "Arumi", "Zivanna", "Kanaya",
    "Queensha", "Almira", "Adiba", "Shanum", "Nadhira", "Ziva", "Hana",
];
