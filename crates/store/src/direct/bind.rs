//! How values go into a direct query: the SQL text, the bound values (encoded exactly as
//! sqlx encodes them for SQLite) and run-time parameter lists for either engine.

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::error::Result;

/// The SQL text of a query, as the macros pass it to sqlx.
pub(crate) trait Sql {
    fn text(&self) -> &str;
}

impl Sql for &str {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for String {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for &String {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for sqlx::AssertSqlSafe<String> {
    fn text(&self) -> &str {
        &self.0
    }
}

/// Binds `binds[i]` to the parameter named `$i+1`, wherever the SQL first names it.
pub(super) fn bind_all(st: &mut rusqlite::Statement<'_>, binds: &[&dyn Bind]) -> Result<()> {
    for (i, b) in binds.iter().enumerate() {
        let name = format!("${}", i + 1);
        let idx = st
            .parameter_index(&name)?
            .ok_or(rusqlite::Error::InvalidParameterName(name))?;
        st.raw_bind_parameter(idx, b.sql_value())?;
    }
    Ok(())
}

/// A value bound to a direct query, encoded as sqlx encodes it for SQLite.
pub(crate) trait Bind {
    fn sql_value(&self) -> ToSqlOutput<'_>;
}

impl Bind for str {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes()))
    }
}

impl Bind for String {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        self.as_str().sql_value()
    }
}

impl Bind for i64 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(*self))
    }
}

impl Bind for i32 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

impl Bind for f64 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Real(*self))
    }
}

impl Bind for bool {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

impl Bind for Date {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        let text = self
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default();
        ToSqlOutput::Owned(Value::Text(text))
    }
}

impl Bind for OffsetDateTime {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Text(self.format(&Rfc3339).unwrap_or_default()))
    }
}

impl<T: Bind + ?Sized> Bind for &T {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        (**self).sql_value()
    }
}

impl<T: Bind> Bind for Option<T> {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        match self {
            Some(v) => v.sql_value(),
            None => ToSqlOutput::Owned(Value::Null),
        }
    }
}

/// A value of a statement built at run time (multi-row inserts, `IN` lists): bound
/// natively on each engine, so PostgreSQL sees the same types as a written bind.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Text(Option<String>),
    Int(Option<i64>),
    Int4(Option<i32>),
    Real(Option<f64>),
    Flag(bool),
    Date(Date),
    Time(OffsetDateTime),
}

impl Bind for Param {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        match self {
            Param::Text(Some(v)) => v.sql_value(),
            Param::Text(None) => ToSqlOutput::Owned(Value::Null),
            Param::Int(v) => v.sql_value(),
            Param::Int4(v) => v.sql_value(),
            Param::Real(v) => v.sql_value(),
            Param::Flag(v) => v.sql_value(),
            Param::Date(v) => v.sql_value(),
            Param::Time(v) => v.sql_value(),
        }
    }
}

/// Binds run-time parameters onto a sqlx query of either engine.
pub(crate) fn bind_params<'q, DB>(
    mut q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i32>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Date: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for p in params {
        q = match p {
            Param::Text(v) => q.bind(v.clone()),
            Param::Int(v) => q.bind(*v),
            Param::Int4(v) => q.bind(*v),
            Param::Real(v) => q.bind(*v),
            Param::Flag(v) => q.bind(*v),
            Param::Date(v) => q.bind(*v),
            Param::Time(v) => q.bind(*v),
        };
    }
    q
}

/// `($a+1, …, $b)`: the placeholders of parameters `a..b` (0-based) of a statement.
pub(crate) fn placeholders(a: usize, b: usize) -> String {
    let list: Vec<String> = (a + 1..=b).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}
