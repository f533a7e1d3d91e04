/**
 * Just enough TOML editing for the agents' own config files: read, set or remove one `key = value` line in
 * one `[table]`, keeping every other byte of the file as it was. Values are written as TOML basic strings.
 */

/** A TOML basic string (JSON's escaping is valid TOML for these). */
export const tomlString = (text: string): string => JSON.stringify(text);

const HEADER = /^\s*\[([^\[\]]*(?:"[^"]*"[^\[\]]*)*)\]\s*(#.*)?$/;

/** The header text of a table line (`[a."b"]` gives `a."b"`), or null. Array tables (`[[x]]`) are not tables here. */
function headerOf(line: string): string | null {
  if (/^\s*\[\[/.test(line)) return null;
  const m = HEADER.exec(line);
  return m ? m[1].trim() : null;
}

/** The line range [start, end) of a table's body, or null when the table is absent. */
function tableBody(lines: string[], header: string): [number, number] | null {
  const at = lines.findIndex((l) => headerOf(l) === header);
  if (at < 0) return null;
  let end = at + 1;
  while (end < lines.length && headerOf(lines[end]) === null && !/^\s*\[\[/.test(lines[end])) end++;
  return [at + 1, end];
}

function keyLine(line: string, key: string): string | undefined {
  const m = /^\s*([A-Za-z0-9_-]+|"[^"]*")\s*=\s*(.*?)\s*$/.exec(line);
  if (!m) return undefined;
  const name = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
  return name === key ? m[2] : undefined;
}

/** The string value of `key` in `[header]`, or undefined. */
export function readTomlString(text: string, header: string, key: string): string | undefined {
  const lines = text.split('\n');
  const body = tableBody(lines, header);
  if (!body) return undefined;
  for (let i = body[0]; i < body[1]; i++) {
    const value = keyLine(lines[i], key);
    if (value === undefined) continue;
    const m = /^("(?:[^"\\]|\\.)*"|'[^']*')/.exec(value);
    if (!m) return undefined;
    return m[1].startsWith("'") ? m[1].slice(1, -1) : (JSON.parse(m[1]) as string);
  }
  return undefined;
}

/** Set `key = "value"` in `[header]`, adding the table at the end when it is missing. */
export function setTomlString(text: string, header: string, key: string, value: string): string {
  const lines = text.split('\n');
  const body = tableBody(lines, header);
  const line = `${key} = ${tomlString(value)}`;
  if (!body) {
    const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return `${base}${base.trim() ? '\n' : ''}[${header}]\n${line}\n`;
  }
  for (let i = body[0]; i < body[1]; i++) {
    if (keyLine(lines[i], key) !== undefined) {
      lines[i] = line;
      return lines.join('\n');
    }
  }
  lines.splice(body[0], 0, line);
  return lines.join('\n');
}

/** Remove `[header]` and its body (and a blank line before it that only separated it). */
export function removeTomlTable(text: string, header: string): string {
  const lines = text.split('\n');
  const body = tableBody(lines, header);
  if (!body) return text;
  let start = body[0] - 1;
  let end = body[1];
  while (end > start + 1 && lines[end - 1].trim() === '') end--;
  if (start > 0 && lines[start - 1].trim() === '') start--;
  lines.splice(start, end - start);
  return lines.join('\n');
}

/** Every table header of the file. */
export function tomlHeaders(text: string): string[] {
  return text.split('\n').map(headerOf).filter((h): h is string => h !== null);
}
