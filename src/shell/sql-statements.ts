/** A destructive SQL statement found in text: what it does and how it reads (`DROP TABLE users`). */
export interface SqlFinding {
  kind: 'drop' | 'delete-all';
  statement: string;
}

type Token = { t: 'word' | 'ident' | 'str' | 'num' | 'punct'; v: string };

/** Splits SQL into statements of tokens; comments vanish, string literals become `str` tokens (data, never code). */
export function sqlStatements(sql: string): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') { while (i < n && sql[i] !== '\n') i++; continue; }
    if (c === '#' && cur.length === 0) { while (i < n && sql[i] !== '\n') i++; continue; }
    if (c === '/' && sql[i + 1] === '*') { const e = sql.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === ';') { if (cur.length) out.push(cur); cur = []; i++; continue; }
    const escaped = (c === 'E' || c === 'e') && sql[i + 1] === "'";
    if (c === "'" || escaped) {
      let j = escaped ? i + 2 : i + 1;
      let v = '';
      while (j < n) {
        if (escaped && sql[j] === '\\') { v += sql[j + 1] ?? ''; j += 2; continue; }
        if (sql[j] === "'" && sql[j + 1] === "'") { v += "'"; j += 2; continue; }
        if (sql[j] === "'") break;
        v += sql[j++];
      }
      cur.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const e = sql.indexOf(close, i + 1);
      cur.push({ t: 'ident', v: sql.slice(i + 1, e < 0 ? n : e) });
      i = e < 0 ? n : e + 1;
      continue;
    }
    const dollar = c === '$' ? /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i)) : null;
    if (dollar) {
      const e = sql.indexOf(dollar[0], i + dollar[0].length);
      cur.push({ t: 'str', v: sql.slice(i + dollar[0].length, e < 0 ? n : e) });
      i = e < 0 ? n : e + dollar[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w$.]*/.exec(sql.slice(i, i + 200));
    if (word) { cur.push({ t: 'word', v: word[0] }); i += word[0].length; continue; }
    const num = /^\d+(\.\d+)?/.exec(sql.slice(i, i + 50));
    if (num) { cur.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    cur.push({ t: 'punct', v: c });
    i++;
  }
  if (cur.length) out.push(cur);
  return out;
}

const up = (t: Token | undefined) => (t && t.t === 'word' ? t.v.toUpperCase() : '');
const DROPPABLE = new Set(['DATABASE', 'SCHEMA', 'TABLE', 'KEYSPACE']);

/** The name after position `i` (skipping `IF EXISTS`, `TABLE`, `ONLY`), and its index. */
function nameAt(s: Token[], i: number): string {
  while (['IF', 'EXISTS', 'TABLE', 'ONLY', 'FROM'].includes(up(s[i]))) i++;
  const t = s[i];
  return t && (t.t === 'word' || t.t === 'ident') ? t.v : '';
}

/** Is there a top-level `WHERE` that narrows the rows (not `WHERE 1=1` / `WHERE true`)? */
function narrowedByWhere(s: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const t = s[i];
    if (t.t === 'punct' && t.v === '(') depth++;
    else if (t.t === 'punct' && t.v === ')') depth--;
    else if (depth === 0 && up(t) === 'WHERE') {
      const rest = s.slice(i + 1);
      const text = rest.map((r) => (r.t === 'str' ? `'${r.v}'` : r.v.toUpperCase())).join('');
      // A condition every row meets hits them all.
      const always = /^(TRUE|1|NOT FALSE)$/.test(text) || /^([^=<>]+)=\1$/.test(text);
      return !always;
    }
  }
  return false;
}

/** Classify one statement: drop/truncate of a database, schema or table, or DELETE/UPDATE without WHERE. */
function classify(s: Token[]): SqlFinding | null {
  // Inside a procedural block (`DO $$ BEGIN DROP …; END $$`) the statement follows BEGIN.
  while (up(s[0]) === 'BEGIN' && s.length > 1) s = s.slice(1);
  const first = up(s[0]);
  if (first === 'DO') {
    for (const t of s) if (t.t === 'str') { const f = classifySql(t.v); if (f.length) return f[0]; }
    return null;
  }
  if (first === 'DROP') {
    let i = 1;
    while (['TEMPORARY', 'TEMP'].includes(up(s[i]))) i++;
    const what = up(s[i]);
    if (!DROPPABLE.has(what)) return null;
    const cascade = s.some((t) => up(t) === 'CASCADE') ? ' CASCADE' : '';
    return { kind: 'drop', statement: `DROP ${what} ${nameAt(s, i + 1)}${cascade}`.replace(/\s+$/, '') };
  }
  if (first === 'TRUNCATE') return { kind: 'drop', statement: `TRUNCATE TABLE ${nameAt(s, 1)}`.trim() };
  if (first === 'DELETE' || first === 'UPDATE') {
    if (narrowedByWhere(s)) return null;
    // MySQL `DELETE ... LIMIT n` without WHERE still hits arbitrary rows, but a bounded number: still judged as all.
    return { kind: 'delete-all', statement: first === 'DELETE' ? `DELETE FROM ${nameAt(s, 1)} without WHERE` : `UPDATE ${nameAt(s, 1)} without WHERE` };
  }
  return null;
}

/** Every destructive statement in SQL text (several statements, comments, quoted strings and identifiers understood). */
export function classifySql(sql: string): SqlFinding[] {
  return sqlStatements(sql).flatMap((s) => {
    // `WITH x AS (...) DELETE FROM t`: judge the statement after the common table expressions.
    if (up(s[0]) === 'WITH') {
      let depth = 0;
      const k = s.findIndex((t) => { if (t.v === '(') depth++; else if (t.v === ')') depth--; return depth === 0 && ['DELETE', 'UPDATE'].includes(up(t)); });
      if (k > 0) s = s.slice(k);
    }
    const f = classify(s);
    return f ? [f] : [];
  });
}

/** Mongo shell JavaScript that drops a database or collection or deletes every document. */
export function classifyMongo(js: string): SqlFinding[] {
  // String contents are data: blank them so `print("db.dropDatabase()")` stays harmless.
  const code = js.replace(/\/\/[^\n]*/g, '').replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
  const out: SqlFinding[] = [];
  if (/\.dropDatabase\s*\(/.test(code)) out.push({ kind: 'drop', statement: 'db.dropDatabase()' });
  const drop = /db\.(\w+|getCollection\(""\))\.drop\s*\(/.exec(code);
  if (drop) out.push({ kind: 'drop', statement: `db.${drop[1]}.drop()` });
  const all = /\.(deleteMany|remove|updateMany)\s*\(\s*(\{\s*\})?\s*[,)]/.exec(code);
  if (all && (all[2] || all[1] !== 'updateMany')) out.push({ kind: 'delete-all', statement: `${all[1]}({})` });
  return out;
}

/** Strings passed to SQL-running calls in interpreter code: `execute("…")`, `query('…')`, sql`…`. */
export function sqlInCode(code: string): string[] {
  const out: string[] = [];
  const re = /(?:\b(?:execute|executescript|executemany|exec|query|raw|run|prepare)\s*\(\s*[rbfu]?|\bsql\s*)("""|'''|"|'|`)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const q = m[1];
    const start = m.index + m[0].length;
    const end = code.indexOf(q, start);
    if (end > start) out.push(code.slice(start, end));
  }
  return out;
}
