//! A deterministic, seeded demo region: org tree, households, persons and two years of services.
