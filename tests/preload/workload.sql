-- A deterministic SQLite workload: tables, 10,000-row inserts, an index, joins and
-- aggregates. Used by the preload test.
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, amount INTEGER, note TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO customer SELECT i, 'customer-' || i, i % 17 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO orders SELECT i, (i * 7919) % 2000 + 1, (i * 104729) % 1000, printf('%.*c', i % 40, 'x') FROM n;
CREATE INDEX orders_customer ON orders(customer);
SELECT count(*), sum(amount), max(length(note)) FROM orders;
SELECT c.region, count(o.id), sum(o.amount), round(avg(o.amount), 3)
  FROM customer c JOIN orders o ON o.customer = c.id GROUP BY c.region ORDER BY c.region;
SELECT c.name, sum(o.amount) AS total FROM customer c JOIN orders o ON o.customer = c.id
  GROUP BY c.id ORDER BY total DESC, c.id LIMIT 5;
SELECT group_concat(name, ';') FROM (SELECT name FROM customer WHERE region = 3 ORDER BY id LIMIT 20);
UPDATE orders SET note = note || note WHERE amount < 100;
DELETE FROM orders WHERE amount > 900;
SELECT count(*), sum(length(note)) FROM orders;
