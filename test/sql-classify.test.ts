import { describe, expect, it } from 'vitest';
import { classifySql } from '../src/shell/sql-statements.js';

const destructive: [string, 'drop' | 'delete-all'][] = [
  ['DROP TABLE users', 'drop'], ['drop table if exists users', 'drop'], ['DROP DATABASE prod;', 'drop'],
  ['DROP SCHEMA public CASCADE', 'drop'], ['TRUNCATE orders', 'drop'], ['truncate table orders', 'drop'],
  ['SELECT 1; DROP TABLE x', 'drop'], ['DROP TABLE "Users"', 'drop'], ['drop table `logs`', 'drop'],
  ['/* c */ DROP TABLE t', 'drop'], ['-- c\nDROP TABLE t', 'drop'], ["SELECT 'a;b'; DROP TABLE t", 'drop'],
  ['DROP TEMPORARY TABLE t', 'drop'], ['DROP KEYSPACE k', 'drop'], ['DO $$ BEGIN DROP TABLE t; END $$', 'drop'],
  ['DELETE FROM t', 'delete-all'], ['DELETE FROM t;', 'delete-all'], ['delete from t where 1=1', 'delete-all'],
  ['DELETE FROM t WHERE true', 'delete-all'], ['UPDATE t SET a=1;', 'delete-all'], ["UPDATE t SET a='WHERE x'", 'delete-all'],
  ['UPDATE t SET a=(SELECT b FROM u WHERE id=1)', 'delete-all'], ['WITH x AS (SELECT 1) DELETE FROM t', 'delete-all'],
  ["SELECT E'it\\'s'; DELETE FROM t", 'delete-all'], ["SELECT 'it''s'; UPDATE t SET a=1", 'delete-all'],
];
const harmless = [
  'SELECT 1', "SELECT 'DROP TABLE x'", 'SELECT 1 -- DROP TABLE x', '/* DROP DATABASE d */ SELECT 1',
  'DELETE FROM t WHERE id = 1', 'UPDATE t SET a=1 WHERE id=2', 'DROP INDEX i', 'DROP VIEW v', 'CREATE TABLE drop_log (id int)',
  "SELECT $$DROP TABLE x$$", "SELECT $tag$DROP TABLE x$tag$", "SELECT E'DROP TABLE x'", 'INSERT INTO t VALUES (1)',
  "SELECT * FROM t WHERE a = 'DELETE FROM t'", '\\dt', 'DELETE FROM t WHERE a IN (SELECT id FROM u)', 'SELECT "DROP TABLE x" FROM t',
  "INSERT INTO log VALUES ('TRUNCATE t')", 'ALTER TABLE t ADD COLUMN c int', 'EXPLAIN SELECT 1',
];

describe('classifySql', () => {
  it.each(destructive)('%s is destructive (%s)', (sql, kind) => expect(classifySql(sql).map((f) => f.kind)).toContain(kind));
  it.each(harmless)('%s is harmless', (sql) => expect(classifySql(sql)).toEqual([]));
  it('names the statement', () => expect(classifySql('drop table if exists users')[0].statement).toBe('DROP TABLE users'));
});
