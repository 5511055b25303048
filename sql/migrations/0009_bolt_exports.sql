-- Bolt has two exports: the weekly earnings (one row per driver, into
-- earnings), now the type bolt_csv, and the orders (one row per order,
-- into trips), which bolt_csv read until now and which is the type
-- bolt_orders_csv from here on.  Sources made before read orders: they
-- keep doing so under the new name (their rows keep their key space).
UPDATE sources SET type = 'bolt_orders_csv' WHERE type = 'bolt_csv';
