//! The record: one Store interface over embedded SQLite and PostgreSQL, with migrations, audit and sync sequence.
