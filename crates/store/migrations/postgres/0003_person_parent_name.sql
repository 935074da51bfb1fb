-- The parent's name as written in a register (`Nama Ibu` / `Nama Ortu`), kept with the
-- person even when that parent is not registered (no mother link can be made).
ALTER TABLE person ADD COLUMN parent_name TEXT;
