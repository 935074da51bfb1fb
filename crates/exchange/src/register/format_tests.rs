//! Both layouts in both formats: the register layout and e-PPGBM's export, as CSV and as
//! XLSX (written by `report`'s own writer), each with a bad row named by line, column and
//! value.

use report::{Cell, Table};
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 11 - 01);

fn table(headers: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows
            .into_iter()
            .map(|cells| report::table::Row {
                person: None,
                cells,
            })
            .collect(),
    }
}

/// One e-PPGBM export row in `report::eppgbm::COLUMNS` order.
fn eppgbm_row(nik: &str, name: &str, birth: Cell, on: Cell, weight: Cell) -> Vec<Cell> {
    let t = Cell::text;
    let mut cells = vec![
        t(nik),
        t(name),
        t("P"),
        birth,
        Cell::Empty,
        Cell::Empty,
        t("Hosnah"),
        t("Jawa Timur"),
        t("Kabupaten Lumajang"),
        t("Tempursari"),
        t("Puskesmas Tempursari"),
        t("Tegalrejo"),
        t("Posyandu Melati"),
        t("001"),
        t("002"),
        t("Dusun Krajan"),
        t("0 Tahun - 10 Bulan - 0 Hari"),
        on,
        t("01-2025"),
        weight,
        Cell::Num(70.2),
        t("Telentang"),
        Cell::Num(13.9),
        t("Berat Badan Normal"),
        Cell::Num(-0.52),
        t("Normal"),
        Cell::Num(-1.1),
        t("Gizi Baik"),
        Cell::Num(0.2),
        t("N"),
        Cell::Empty,
        Cell::Int(1),
        Cell::Empty,
        Cell::Empty,
    ];
    cells.truncate(report::eppgbm::COLUMNS.len());
    cells
}

fn eppgbm_table() -> Table {
    table(
        &report::eppgbm::COLUMNS,
        vec![
            eppgbm_row(
                "3508014503240001",
                "Siti Aminah",
                Cell::Date(date!(2024 - 03 - 05)),
                Cell::Date(date!(2025 - 01 - 05)),
                Cell::Num(8.1),
            ),
            eppgbm_row(
                "",
                "Nayla Putri",
                Cell::Date(date!(2024 - 02 - 10)),
                Cell::Date(date!(2025 - 01 - 05)),
                Cell::text("delapan"),
            ),
        ],
    )
}

fn check_eppgbm(f: &ParsedFile) {
    assert_eq!(f.layout, Layout::Eppgbm);
    assert_eq!(f.lines_read, 2);
    assert_eq!(f.rows.len(), 1, "{:?}", f.errors);
    let r = &f.rows[0];
    assert_eq!(r.person.name, "Siti Aminah");
    assert_eq!(r.person.birth_date, date!(2024 - 03 - 05));
    assert_eq!(r.person.mother_name.as_deref(), Some("Hosnah"));
    assert_eq!(r.person.rt.as_deref(), Some("001"));
    assert_eq!(r.unit.desa_code, None);
    assert_eq!(r.unit.desa_name.as_deref(), Some("Tegalrejo"));
    assert_eq!(r.unit.posyandu.as_deref(), Some("Posyandu Melati"));
    let w = r.weighing.clone().unwrap_or_else(|| panic!("no weighing"));
    assert_eq!(w.date, date!(2025 - 01 - 05));
    assert_eq!(w.weight_kg.map(|v| v.value), Some(8.1));
    assert_eq!(w.length_cm.map(|v| v.value), Some(70.2));
    assert_eq!(w.method, growth::Measure::Lying);
    assert_eq!(w.arm_circ_cm.map(|v| v.value), Some(13.9));
    // The bad row: line 3 (row 3 in Excel), column "Berat" as the file spells it.
    assert_eq!(f.errors.len(), 1);
    let e = &f.errors[0];
    assert_eq!((e.line, e.field, e.value.as_str()), (3, "berat", "delapan"));
    assert_eq!(e.reason, "bukan angka");
    assert_eq!(f.header_of(e.field), "Berat");
    assert_eq!(f.header_of("tgl_lahir"), "Tgl Lahir");
    assert_eq!(f.name_on(3), Some("Nayla Putri"), "whose row it is");
}

#[test]
fn the_layout_is_told_from_the_header() {
    let eppgbm = report::eppgbm::COLUMNS;
    assert_eq!(Layout::detect(eppgbm), Layout::Eppgbm);
    assert_eq!(
        Layout::detect([
            "NIK",
            "Nama Anak",
            "JK",
            "Tgl Lahir",
            "Kode Desa",
            "Posyandu"
        ]),
        Layout::Register
    );
    // A register that happens to have a desa name is still a register.
    assert_eq!(
        Layout::detect(["nama", "jk", "tgl_lahir", "desa", "posyandu", "tgl_ukur"]),
        Layout::Register
    );
}

#[test]
fn an_eppgbm_export_as_csv_is_read() {
    let bytes = eppgbm_table().csv().unwrap_or_default();
    let f = parse_bytes(&bytes, TODAY, Lang::Id).unwrap_or_default();
    check_eppgbm(&f);
}

#[test]
fn an_eppgbm_export_as_xlsx_is_read_with_its_date_cells() {
    let bytes = eppgbm_table()
        .xlsx(report::eppgbm::SHEET)
        .unwrap_or_default();
    assert_eq!(Format::sniff(&bytes), Format::Xlsx);
    let f = parse_bytes(&bytes, TODAY, Lang::Id).unwrap_or_default();
    check_eppgbm(&f);
}

fn register_table() -> Table {
    let t = Cell::text;
    table(
        &[
            "NIK",
            "Nama Anak",
            "JK",
            "Tgl Lahir",
            "Nama Ibu",
            "Kode Desa",
            "Posyandu",
            "Tgl Ukur",
            "BB",
            "TB",
        ],
        vec![
            vec![
                t("3508014503240001"),
                t("Siti Aminah"),
                t("P"),
                t("05/03/2024"),
                t("Hosnah"),
                t("35.08.01.2001"),
                t("Melati"),
                Cell::Date(date!(2025 - 01 - 05)),
                Cell::Num(8.1),
                Cell::Num(70.2),
            ],
            vec![Cell::Empty; 10],
            vec![
                Cell::Empty,
                t("Bayu"),
                t("X"),
                t("31/02/2024"),
                Cell::Empty,
                t("35.08.01.2001"),
                t("Melati"),
                t("05/01/2025"),
                Cell::Num(9.0),
                Cell::Int(72),
            ],
        ],
    )
}

fn check_register(f: &ParsedFile) {
    assert_eq!(f.layout, Layout::Register);
    assert_eq!(f.lines_read, 2, "the blank row is skipped");
    assert_eq!(f.rows.len(), 1);
    let r = &f.rows[0];
    assert_eq!(r.unit.desa_code.as_deref(), Some("3508012001"));
    assert_eq!(r.unit.posyandu.as_deref(), Some("Melati"));
    assert_eq!(
        r.weighing.as_ref().map(|w| w.date),
        Some(date!(2025 - 01 - 05))
    );
    let named: Vec<(u64, &str, &str)> = f
        .errors
        .iter()
        .map(|e| (e.line, e.field, e.value.as_str()))
        .collect();
    assert_eq!(named, [(4, "jk", "X"), (4, "tgl_lahir", "31/02/2024")]);
    assert_eq!(f.header_of("jk"), "JK");
}

#[test]
fn a_register_as_csv_and_as_xlsx_reads_the_same() {
    let csv = register_table().csv().unwrap_or_default();
    let from_csv = parse_bytes(&csv, TODAY, Lang::Id).unwrap_or_default();
    check_register(&from_csv);
    let xlsx = register_table().xlsx("Register").unwrap_or_default();
    let from_xlsx = parse_bytes(&xlsx, TODAY, Lang::Id).unwrap_or_default();
    check_register(&from_xlsx);
    assert_eq!(from_csv.rows, from_xlsx.rows);
}

#[test]
fn unreadable_files_are_named_in_either_language() {
    assert_eq!(
        parse_bytes(b"nama;jk\xff;tgl_lahir\n", TODAY, Lang::Id),
        Err(FileError::NotUtf8)
    );
    let e = parse_bytes(b"PK\x03\x04not a zip", TODAY, Lang::En).err();
    let shown = e.map(|e| e.message(Lang::En)).unwrap_or_default();
    assert!(
        shown.starts_with("the file cannot be read as XLSX"),
        "{shown}"
    );
    let e = parse_bytes(b"Nama,Berat\nA,1\n", TODAY, Lang::En).err();
    assert_eq!(
        e.map(|e| e.message(Lang::En)).unwrap_or_default(),
        "required columns missing: jk, tgl_lahir"
    );
}
