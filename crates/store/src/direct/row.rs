//! How values come out of a direct query: a row read through [`Get`] as the sqlx rows are,
//! decoding the representation sqlx writes.

use rusqlite::types::ValueRef;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::error::{Result, StoreError};
use crate::row::Get;

/// One row of a direct query, read through [`Get`] as the sqlx rows are.
/// The statement's column names, read once: rusqlite's lookup by name asks SQLite for
/// every name on every access, which for `SELECT *` of 25 columns cost more than the query.
pub(super) fn column_names(st: &rusqlite::Statement<'_>) -> Vec<String> {
    st.column_names().into_iter().map(str::to_owned).collect()
}

pub(crate) struct Row<'a, 'stmt>(pub(super) &'a rusqlite::Row<'stmt>, pub(super) &'a [String]);

impl Row<'_, '_> {
    fn value(&self, col: &str) -> Result<ValueRef<'_>> {
        let i = self
            .1
            .iter()
            .position(|n| n == col)
            .or_else(|| self.1.iter().position(|n| n.eq_ignore_ascii_case(col)))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(col.to_owned()))?;
        Ok(self.0.get_ref(i)?)
    }

    fn opt<T>(
        &self,
        col: &str,
        want: &'static str,
        f: impl FnOnce(ValueRef<'_>) -> Option<T>,
    ) -> Result<Option<T>> {
        let v = self.value(col)?;
        if let ValueRef::Null = v {
            return Ok(None);
        }
        f(v).map(Some).ok_or_else(|| mismatch(col, want, show(v)))
    }

    fn req<T>(
        &self,
        col: &str,
        want: &'static str,
        f: impl FnOnce(ValueRef<'_>) -> Option<T>,
    ) -> Result<T> {
        self.opt(col, want, f)?
            .ok_or_else(|| mismatch(col, want, "NULL".to_owned()))
    }
}

fn show(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("<{} byte>", b.len()),
    }
}

/// A column whose value is not of the type the record expects.
fn mismatch(col: &str, want: &'static str, value: String) -> StoreError {
    StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Null,
        format!("kolom {col} = '{value}' bukan {want}").into(),
    ))
}

fn text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn int(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

fn real(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Real(r) => Some(r),
        #[allow(clippy::cast_precision_loss)]
        ValueRef::Integer(i) => Some(i as f64),
        _ => None,
    }
}

fn date(v: ValueRef<'_>) -> Option<Date> {
    Date::parse(text(v)?, format_description!("[year]-[month]-[day]")).ok()
}

/// An instant as sqlx reads it: RFC 3339 (what it writes), else SQLite's own
/// `YYYY-MM-DD HH:MM:SS[.SSS]` in UTC (what `CURRENT_TIMESTAMP` writes), else Unix seconds.
pub(super) fn instant(v: ValueRef<'_>) -> Option<OffsetDateTime> {
    if let ValueRef::Integer(i) = v {
        return OffsetDateTime::from_unix_timestamp(i).ok();
    }
    let t = text(v)?;
    OffsetDateTime::parse(t, &Rfc3339).ok().or_else(|| {
        PrimitiveDateTime::parse(
            t,
            format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]"
            ),
        )
        .ok()
        .map(PrimitiveDateTime::assume_utc)
    })
}

impl Get for Row<'_, '_> {
    fn text(&self, col: &str) -> Result<String> {
        self.req(col, "teks", |v| text(v).map(str::to_owned))
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        self.opt(col, "teks", |v| text(v).map(str::to_owned))
    }
    fn int(&self, col: &str) -> Result<i64> {
        self.req(col, "bilangan bulat", int)
    }
    fn opt_i32(&self, col: &str) -> Result<Option<i32>> {
        self.opt(col, "bilangan bulat", |v| {
            int(v).and_then(|i| i32::try_from(i).ok())
        })
    }
    fn real(&self, col: &str) -> Result<f64> {
        self.req(col, "angka", real)
    }
    fn opt_real(&self, col: &str) -> Result<Option<f64>> {
        self.opt(col, "angka", real)
    }
    fn flag(&self, col: &str) -> Result<bool> {
        self.req(col, "0/1", |v| int(v).map(|i| i != 0))
    }
    fn date(&self, col: &str) -> Result<Date> {
        self.req(col, "tanggal", date)
    }
    fn opt_date(&self, col: &str) -> Result<Option<Date>> {
        self.opt(col, "tanggal", date)
    }
    fn time(&self, col: &str) -> Result<OffsetDateTime> {
        self.req(col, "waktu", instant)
    }
    fn opt_time(&self, col: &str) -> Result<Option<OffsetDateTime>> {
        self.opt(col, "waktu", instant)
    }
}
