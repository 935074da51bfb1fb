//! The register upload (`/unggah`, issue 10 item 6) on a real SQLite file: the preview
//! names a bad row by line, column and value and stores nothing; **Simpan** stores the good
//! rows, audited as the officer; the same file again adds nothing; a row for a posyandu
//! outside the user's subtree is a bad row; a file over the limit gets a clear answer.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/admin_app.rs"]
mod admin_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use admin_app::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use store::{Actor, Role};

const BOUNDARY: &str = "----posyandu-uji-7f3a";

/// Posts `file` to `/unggah` as a browser's multipart form does.
async fn upload(app: &App, who: &Login, unit: Option<&str>, name: &str, file: &[u8]) -> Answer {
    let mut body = Vec::new();
    let mut field = |n: &str, v: &str| {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    };
    field("csrf", &who.csrf);
    if let Some(u) = unit {
        field("unit", u);
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post("/unggah")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, format!("sid={}", who.sid))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// The number shown in the preview's or result's counter `id`.
fn count(html: &str, id: &str) -> u64 {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].trim().parse().unwrap()
}

fn token(html: &str) -> String {
    let at = html.find("name=\"token\" value=\"").expect("a Simpan form") + 20;
    html[at..at + 36].to_owned()
}

const REGISTER: &str = "NIK;Nama Anak;JK;Tgl Lahir;Nama Ibu;Kode Desa;Posyandu;Tgl Ukur;BB;TB\n\
    3508014503240001;Siti Aminah;P;05/03/2024;Hosnah;35.08.01.2001;Melati;05/01/2025;8,1;70,2\n\
    ;Rafa Alfarizi;L;01/06/2023;Sri Wahyuni;35.08.01.2002;Mawar;05/01/2025;11,2;82\n\
    ;Bayu Saputra;L;01/04/2024;Ani;35.08.01.2001;Melati;05/01/2025;delapan;72\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_names_the_bad_row_confirm_stores_and_a_second_upload_adds_nothing() {
    let app = app().await;
    let r = &app.region;
    let officer = app
        .login("petugas.tempursari", Role::PuskesmasOfficer, &r.puskesmas)
        .await;
    let form = app.get("/unggah", &officer).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        form.body.contains(&officer.csrf),
        "the form carries the CSRF token"
    );

    let sys = Actor::system("test");
    let before = app.store.persons_under(&sys, r.puskesmas.id).await.unwrap();
    let p = upload(&app, &officer, None, "register.csv", REGISTER.as_bytes()).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(
        (
            count(&p.body, "count-new"),
            count(&p.body, "count-existing"),
            count(&p.body, "count-bad")
        ),
        (2, 0, 1)
    );
    // Line 4, the column as the file spells it, the value and the reason.
    assert!(
        p.body.contains("Baris 4, kolom BB: “delapan”"),
        "{}",
        p.body
    );
    assert!(p.body.contains("bukan angka"));
    assert!(
        p.body.contains("· Bayu Saputra"),
        "the row's name beside the problem"
    );
    assert!(p.body.contains("Simpan 2 baris baru"));
    let after_preview = app.store.persons_under(&sys, r.puskesmas.id).await.unwrap();
    assert_eq!(
        after_preview.len(),
        before.len(),
        "the preview stores nothing"
    );

    // Without the session's token nothing is stored.
    let tok = token(&p.body);
    let forged = app
        .post(
            "/unggah/simpan",
            &officer,
            &[("csrf", "salah"), ("token", &tok)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let done = app
        .post(
            "/unggah/simpan",
            &officer,
            &[("csrf", &officer.csrf), ("token", &tok)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(count(&done.body, "count-new"), 2);
    assert_eq!(count(&done.body, "count-bad"), 1);
    assert!(
        done.body.contains("Orang baru 2, penimbangan baru 2"),
        "{}",
        done.body
    );
    let stored = app.store.persons_under(&sys, r.puskesmas.id).await.unwrap();
    assert_eq!(stored.len(), before.len() + 2);
    let siti = stored.iter().find(|p| p.name == "Siti Aminah").unwrap();
    assert_eq!(siti.org_unit_id, r.posyandu_a.id);
    let rafa = stored.iter().find(|p| p.name == "Rafa Alfarizi").unwrap();
    assert_eq!(rafa.org_unit_id, r.posyandu_b.id);
    // Audited as the officer, not as a system import.
    let audit = app.store.audit_of(&sys, siti.id.0).await.unwrap();
    assert!(!audit.is_empty());
    assert!(
        audit.iter().all(|a| a.actor == officer.user.id.to_string()),
        "{audit:?}"
    );
    // The kept upload is gone once imported.
    let again = app
        .post(
            "/unggah/simpan",
            &officer,
            &[("csrf", &officer.csrf), ("token", &tok)],
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("sudah tidak ada"));

    // The same file again: everything already stored, nothing to save.
    let p2 = upload(&app, &officer, None, "register.csv", REGISTER.as_bytes()).await;
    assert_eq!(p2.status, StatusCode::OK, "{}", p2.body);
    assert_eq!(
        (
            count(&p2.body, "count-new"),
            count(&p2.body, "count-existing")
        ),
        (0, 2)
    );
    assert!(!p2.body.contains("name=\"token\""), "nothing to confirm");
    assert!(
        p2.body
            .contains("Semua baris yang bisa disimpan sudah tersimpan")
    );
    let unchanged = app.store.persons_under(&sys, r.puskesmas.id).await.unwrap();
    assert_eq!(unchanged.len(), stored.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_outside_the_users_subtree_is_a_bad_row() {
    let app = app().await;
    let r = &app.region;
    // The midwife of Tegalrejo: Bulurejo's posyandu is not hers.
    let bidan = app.login("bidan.tegalrejo", Role::Bidan, &r.desa_a).await;
    let p = upload(&app, &bidan, None, "register.csv", REGISTER.as_bytes()).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(
        (count(&p.body, "count-new"), count(&p.body, "count-bad")),
        (1, 2)
    );
    assert!(
        p.body.contains("Baris 3, kolom Kode Desa: “35.08.01.2002”"),
        "{}",
        p.body
    );
    assert!(p.body.contains("tidak ada di bawah Tegalrejo"));
    let done = app
        .post(
            "/unggah/simpan",
            &bidan,
            &[("csrf", &bidan.csrf), ("token", &token(&p.body))],
        )
        .await;
    assert_eq!(count(&done.body, "count-new"), 1, "{}", done.body);
    let sys = Actor::system("test");
    let b = app
        .store
        .persons_under(&sys, r.posyandu_b.id)
        .await
        .unwrap();
    assert!(b.is_empty(), "nothing stored outside her desa");

    // A unit outside her subtree cannot be chosen either.
    let p = upload(
        &app,
        &bidan,
        Some(&r.posyandu_b.id.to_string()),
        "register.csv",
        REGISTER.as_bytes(),
    )
    .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    // A person registered in another area is "outside your area", never described.
    let officer = app
        .login("petugas.tempursari", Role::PuskesmasOfficer, &r.puskesmas)
        .await;
    let dewi = "NIK;Nama;JK;Tgl Lahir;Kode Desa;Posyandu;Tgl Ukur;BB\n\
                3508014503240002;Dewi Lestari;P;05/03/2024;35.08.01.2002;Mawar;05/02/2025;8,4\n";
    let p = upload(&app, &officer, None, "dewi.csv", dewi.as_bytes()).await;
    let done = app
        .post(
            "/unggah/simpan",
            &officer,
            &[("csrf", &officer.csrf), ("token", &token(&p.body))],
        )
        .await;
    assert_eq!(count(&done.body, "count-new"), 1, "{}", done.body);
    let moved = dewi.replace("35.08.01.2002;Mawar", "35.08.01.2001;Melati");
    let p = upload(&app, &bidan, None, "dewi.csv", moved.as_bytes()).await;
    assert_eq!(count(&p.body, "count-bad"), 1, "{}", p.body);
    assert!(
        p.body.contains("NIK …0002 terdaftar di luar wilayah Anda"),
        "{}",
        p.body
    );
    assert!(!p.body.contains("Mawar") && !p.body.contains("Bulurejo"));
    // The officer of the whole Puskesmas is told where.
    let p = upload(&app, &officer, None, "dewi.csv", moved.as_bytes()).await;
    assert!(p.body.contains("terdaftar di Posyandu Mawar"), "{}", p.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_and_other_roles_get_clear_answers() {
    let app = app().await;
    let r = &app.region;
    let officer = app
        .login("petugas.tempursari", Role::PuskesmasOfficer, &r.puskesmas)
        .await;
    let big = vec![b'a'; web::upload::MAX_BYTES + 10];
    let p = upload(&app, &officer, None, "besar.csv", &big).await;
    assert_eq!(p.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        p.body.contains("Berkas terlalu besar: paling besar 5 MB"),
        "{}",
        p.body
    );

    let p = upload(&app, &officer, None, "r.csv", b"nama;berat\nAyu;8\n").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body.contains("kolom wajib tidak ada: jk, tgl_lahir"),
        "{}",
        p.body
    );

    let p = upload(&app, &officer, None, "r.csv", b"").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Pilih dulu berkas"));

    let kader = app.login("kader.melati", Role::Kader, &r.posyandu_a).await;
    assert_eq!(
        app.get("/unggah", &kader).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_eppgbm_export_uploads_back_as_already_stored() {
    let app = app().await;
    let r = &app.region;
    let officer = app
        .login("petugas.tempursari", Role::PuskesmasOfficer, &r.puskesmas)
        .await;
    let p = upload(&app, &officer, None, "register.csv", REGISTER.as_bytes()).await;
    let done = app
        .post(
            "/unggah/simpan",
            &officer,
            &[("csrf", &officer.csrf), ("token", &token(&p.body))],
        )
        .await;
    assert_eq!(count(&done.body, "count-new"), 2, "{}", done.body);
    // The month's e-PPGBM export as the officer downloads it (XLSX), uploaded again.
    let uri = format!("/ekspor/eppgbm?unit={}&month=2025-01", r.puskesmas.id);
    let req = Request::get(uri.as_str())
        .header(header::COOKIE, format!("sid={}", officer.sid))
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let xlsx = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let back = upload(&app, &officer, None, "eppgbm-2025-01.xlsx", &xlsx).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert!(back.body.contains("Ekspor e-PPGBM · XLSX"), "{}", back.body);
    assert_eq!(
        (
            count(&back.body, "count-new"),
            count(&back.body, "count-existing"),
            count(&back.body, "count-bad")
        ),
        (0, 2, 0)
    );
    assert!(!back.body.contains("name=\"token\""));
}
