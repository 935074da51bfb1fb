//! Clinical rules, KMS growth status and the national immunization schedule. Pure: no I/O.
