-- A small SQLite session for memkit record: a table, an index, inserts through a
-- recursive CTE, an update, a join and an aggregate.
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER);
CREATE TABLE sale(item_id INTEGER REFERENCES item(id), day INTEGER, n INTEGER);
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300)
INSERT INTO item SELECT i, 'item-' || i, (i * 37 % 100) / 4.0, i % 13 FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1500)
INSERT INTO sale SELECT i % 300 + 1, i % 30, i % 5 + 1 FROM k;
CREATE INDEX sale_day ON sale(day);
UPDATE item SET price = price * 1.1 WHERE qty > 6;
SELECT day, count(*), round(sum(n * price), 2) FROM sale JOIN item ON item.id = sale.item_id
 GROUP BY day ORDER BY day LIMIT 5;
SELECT name, qty FROM item WHERE name LIKE 'item-1_' ORDER BY qty DESC, name LIMIT 3;
DROP INDEX sale_day;
