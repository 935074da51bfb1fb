//! A child's papers as PDF (issue 11 item 5), on the person page's fixture.

use super::*;

/// With `PDF_SHOTS=/dir` a PDF is also written there (to look at with pdftoppm).
fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("PDF_SHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// The PDF text with its runs of white space made one space.
fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = pdf_extract::extract_text_from_mem(bytes).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A child's papers (issue 11 item 5): with every basic dose before the first birthday
/// the page links the IDL certificate, and it names the child and each dose's date; a
/// weighed balita's KMS card carries the chart and every weighing. A child whose
/// immunization is not complete (or never weighed) gets 422 saying why, no link; another
/// posyandu's kader gets 404 without the name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_s_idl_certificate_and_kms_card_download_as_pdf() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let sys = Actor::system("test");
    let at = &r.posyandu_a;
    let today = time::OffsetDateTime::now_utc().date();
    let birth = today - time::Duration::days(500);
    let child = fixture::add_person(
        &store,
        &sys,
        &fixture::person(at, "Sari Wulandari", Sex::Female, birth),
    )
    .await;
    let late =
        fixture::add_person(&store, &sys, &fixture::person(at, "Tono", Sex::Male, birth)).await;
    let settings = domain::Settings::default();
    let mut tx = store.begin(&sys).await.unwrap();
    for (k, code) in domain::immunization::idl_set(settings.idl_set)
        .iter()
        .enumerate()
    {
        let (series, number) = domain::immunization::Vaccine::from_code(code)
            .unwrap()
            .series();
        tx.capture(&Capture::Dose(store::NewDose {
            id: store::DoseId::new(),
            person_id: child.id,
            visit_id: None,
            org_unit_id: at.id,
            given_on: birth + time::Duration::days(20 * k as i64),
            vaccine: series.into(),
            dose_number: number,
            batch: None,
            captured_at: time::OffsetDateTime::now_utc(),
        }))
        .await
        .unwrap();
    }
    for (days, kg) in [(300, 8.1), (330, 8.4), (360, 8.6)] {
        tx.capture(&fixture::weight(&child, at, birth + time::Duration::days(days), kg).into())
            .await
            .unwrap();
    }
    tx.capture(&fixture::weight(&late, at, birth + time::Duration::days(360), 9.0).into())
        .await
        .unwrap();
    tx.capture(&Capture::Finding(store::NewFinding {
        id: store::FindingId::new(),
        person_id: child.id,
        visit_id: None,
        org_unit_id: at.id,
        found_on: birth + time::Duration::days(360),
        code: "kms_n".into(),
        detail: None,
        captured_at: time::OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let (s, html) = page(&app, &format!("/orang/{}", child.id), &me).await;
    assert_eq!(s, StatusCode::OK);
    let idl = format!("/orang/{}/sertifikat-idl.pdf", child.id);
    let kms = format!("/orang/{}/kms.pdf", child.id);
    assert!(html.contains(&format!("href=\"{idl}\"")), "the IDL link");
    assert!(html.contains(&format!("href=\"{kms}\"")), "the KMS link");

    let (s, kind, body) = get_as(&app, &idl, &me).await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, "application/pdf"));
    keep("web-sertifikat-idl.pdf", &body);
    let text = pdf_text(&body);
    for want in [
        "SERTIFIKAT",
        "Imunisasi Dasar Lengkap",
        "Sari Wulandari",
        "Posyandu Melati, Desa Tegalrejo, Kecamatan Tempursari, Kabupaten Lumajang",
        "DPT-HB-Hib",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text}");
    }
    let last = birth + time::Duration::days(20 * 16);
    assert!(
        text.contains(&format!(
            "dosis terakhir diberikan {}",
            pdf::long_date(last)
        )),
        "{text}"
    );

    let (s, kind, body) = get_as(&app, &kms, &me).await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, "application/pdf"));
    keep("web-kms.pdf", &body);
    let text = pdf_text(&body);
    assert!(text.contains("Kartu Menuju Sehat") && text.contains("Sari Wulandari"));
    let weighed = birth + time::Duration::days(360);
    let day = format!(
        "{:02}-{:02}-{}",
        weighed.day(),
        u8::from(weighed.month()),
        weighed.year()
    );
    assert!(text.contains(&format!("{day} 11 bl 8,6")), "{text}");
    assert!(text.contains("N: naik"), "the day's KMS mark");
    // The chart's own words (set glyph by glyph).
    assert!(text.replace(' ', "").contains("Beratbadan"), "{text}");
    let kader = store
        .user_by_username("kader.melati")
        .await
        .unwrap()
        .unwrap();
    let log = store
        .audit_by_actor(&sys, &Actor::for_user(&kader).label(), 20)
        .await
        .unwrap();
    for what in ["sertifikat-idl", "kms"] {
        assert!(log.iter().any(|a| a.detail["as"] == what), "{what} audited");
    }

    // Not complete: no link, and 422 saying why; weighed, so the KMS still applies.
    let (_, html) = page(&app, &format!("/orang/{}", late.id), &me).await;
    assert!(!html.contains("sertifikat-idl.pdf") && html.contains("kms.pdf"));
    let (s, html) = page(&app, &format!("/orang/{}/sertifikat-idl.pdf", late.id), &me).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("imunisasi dasar anak ini belum lengkap"),
        "{html}"
    );
    // Another posyandu's kader: 404, nothing of the record.
    for uri in [&idl, &kms] {
        let (s, html) = page(&app, uri, &other).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!html.contains("Sari"));
    }
    // An adult has neither paper.
    let adult = fixture::add_person(
        &store,
        &sys,
        &fixture::person(at, "Pak Darto", Sex::Male, date!(1980 - 01 - 01)),
    )
    .await;
    let (s, html) = page(&app, &format!("/orang/{}/kms.pdf", adult.id), &me).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("KMS dicetak untuk balita"), "{html}");
}
