import { timingSafeEqual } from 'node:crypto';
import { decodeEnvFields, escapeField, FIELD, unescapeField } from './line-env.js';

/**
 * The wire format between the shell guards and the resident checker, kept apart from the server so that the
 * framing can be tested on its own.
 *
 * A request is one line: `<token> US <flags> US <cwd> US <command> [US <NAME=value>]… LF` (US = \x1f), the
 * fields after the command being the shell variables the line names (a variable not sent is empty). Every field is escaped
 * reversibly, so that no byte of a command can end a field or the line: `\` is sent as `\\`, LF as `\n` and
 * US as `\u`. Any other byte goes as it is (the guards do this with three parameter substitutions, which
 * act on single bytes that never occur inside a multi-byte character, so the locale does not matter).
 * The answer is one line, `<proof> <verdict>`; the proof is a second secret from the 0600 run file that only
 * the server holds besides the guards, so a process that took over a dead checker's port and received the
 * token cannot answer in its place.
 */
export { escapeField, FIELD, unescapeField } from './line-env.js';

/** A command (or cwd) longer than this, escaped, is refused: the guards' commands are never near it. */
export const MAX_REQUEST_BYTES = 1_000_000;

/** The parsed request of an authenticated line. */
export interface CheckerRequest {
  flags: string;
  cwd: string;
  command: string;
  /** The shell variables the line names, as the guard's shell holds them now (fields after the command). */
  env?: Record<string, string>;
}

/** One request line as a guard writes it (without the trailing LF). */
export function encodeRequest(token: string, request: CheckerRequest): string {
  const env = Object.entries(request.env ?? {}).map(([k, v]) => `${k}=${v}`);
  return [token, request.flags, request.cwd, request.command, ...env].map(escapeField).join(FIELD);
}

/** The fields after the token; undefined when the line is not four well-escaped fields. */
export function decodeRequest(rest: string): CheckerRequest | undefined {
  const fields = rest.split(FIELD);
  if (fields.length < 3) return undefined;
  const [flags, cwd, command] = fields.slice(0, 3).map(unescapeField);
  if (flags === undefined || cwd === undefined || command === undefined) return undefined;
  const env = decodeEnvFields(fields.slice(3));
  return env ? { flags, cwd, command, env } : undefined;
}

/** Constant-time comparison of a received token with ours (no early exit to time). */
export function sameSecret(given: Buffer, secret: Buffer): boolean {
  return given.length === secret.length && timingSafeEqual(given, secret);
}
