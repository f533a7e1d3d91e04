/**
 * The escaping of the guards' wire fields (`\` as `\\`, LF as `\n`, US as `\u`), and the variables a guard sends
 * with a line: one `NAME=value` field each. Apart from the checker protocol so that `check` can read the same
 * fields from `AGENTFIREWALL_LINE_ENV` without loading what the server needs.
 */
export const FIELD = '\x1f';

/** Escape one field the way the guards do. */
export function escapeField(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\x1f/g, '\\u');
}

const UNESCAPE: Record<string, string> = { '\\': '\\', n: '\n', u: FIELD };

/** Undo escapeField; undefined for an escape the guards never send (the request is then refused). */
export function unescapeField(text: string): string | undefined {
  let bad = false;
  const out = text.replace(/\\([\s\S]?)/g, (_, c: string) => {
    const plain = UNESCAPE[c];
    if (plain === undefined) bad = true;
    return plain ?? '';
  });
  return bad ? undefined : out;
}

/** Escaped `NAME=value` fields as variables; undefined when one is not a well-formed assignment. */
export function decodeEnvFields(fields: readonly string[]): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const field of fields) {
    const entry = unescapeField(field);
    const m = entry === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(entry);
    if (!m) return undefined;
    env[m[1]] = m[2];
  }
  return env;
}

/** The variables of `AGENTFIREWALL_LINE_ENV` (fields joined by US); empty when it is empty or malformed. */
export function parseLineEnv(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return decodeEnvFields(text.split(FIELD)) ?? {};
}
