import { interpret, type Interpretation } from '../shell/interpret.js';
import { LIMITS, unreadableText } from '../shell/limits.js';
import { parse } from '../shell/parse.js';
import { basename, isWithin, joinPath, normalizePath } from '../shell/paths.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { detector, downloadedFiles, factsOf, fileEventChange, globRegExp, type CommandFacts, type Detector } from './detectors.js';
import type { Effect, Target } from './effects.js';
import { FIREWALL_LAYOUT, globIntersection, globWitnesses, protectedWitnesses } from './glob-targets.js';
import { compileCommandPattern, type CommandPattern } from './command-pattern.js';
import { firewallSwitchOff } from './firewall-cli.js';
import { compileHostPattern, normalizeHost, type HostPattern } from './hosts.js';
import { compilePathGlob, isFirewallDir, type GlobMatcherFactory, type PathGlob } from './path-globs.js';
import type { Decision, FileOperation, FirewallEvent, Match, Policy, RuleAction, RuleDefinition } from './types.js';

/** A rule with its matchers, each compiled on first use: a command check never compiles a path glob. */
class CompiledRule {
  private commandPatterns?: CommandPattern[];
  private pathGlobs?: PathGlob[];
  private hostPatterns?: HostPattern[];
  readonly detector: Detector | undefined;
  constructor(readonly def: RuleDefinition, private readonly glob: () => GlobMatcherFactory) {
    this.detector = def.detect ? detector(def.detect) : undefined;
  }
  get commands(): CommandPattern[] {
    return (this.commandPatterns ??= (this.def.command ?? []).map(compileCommandPattern));
  }
  get paths(): PathGlob[] {
    return (this.pathGlobs ??= (this.def.path ?? []).map((g) => compilePathGlob(g, this.glob())));
  }
  get hosts(): HostPattern[] {
    return (this.hostPatterns ??= (this.def.host ?? []).map(compileHostPattern));
  }
}

/** Compile a list on first use. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const DEFAULT_REASON: Record<string, string> = Object.fromEntries(BUILTIN_RULES.map((r) => [r.id, r.description]));

/** What the engine found out about a command line on its way to a decision (for `explain`). */
export interface CommandAnalysis {
  decision: Decision;
  parseError?: string;
  interpretation?: Interpretation;
  /** Each executed command with the effects the engine read from it. */
  facts?: CommandFacts[];
}

/** How an engine is set up besides its policy. */
export interface EngineOptions {
  /** Compiles path globs; needed only for file events (`createEngine` supplies picomatch). */
  glob?: GlobMatcherFactory;
}

/**
 * The pure decision engine: a compiled policy in, a decision per event out.
 * No file system, no process, no clock: everything it needs arrives in the policy and the event.
 */
export class Engine {
  private readonly rules: CompiledRule[];
  /** Rules with a detector (and not switched off), and rules with command patterns. */
  private readonly detecting: CompiledRule[];
  private readonly matching: CompiledRule[];
  private readonly blocklist: () => CommandPattern[];
  private readonly allowlist: () => CommandPattern[];
  private readonly protectedPaths: () => PathGlob[];
  private readonly denyEgress: () => HostPattern[];
  private readonly allowedHosts: () => HostPattern[];
  /** Every glob a file rule protects (`protected_paths` and rules' `path:`), for judging globbed targets. */
  private readonly protectedGlobs: () => string[];

  constructor(readonly policy: Policy, options: EngineOptions = {}) {
    const glob = () => {
      if (!options.glob) throw new TypeError('agentfirewall Engine: path rules need the `glob` option (see createEngine in the config layer)');
      return options.glob;
    };
    this.rules = policy.rules.map((def) => new CompiledRule(def, glob));
    this.detecting = this.rules.filter((r) => r.detector && this.actionOf(r.def.id, r.def.action) !== 'off');
    this.matching = this.rules.filter((r) => r.def.command?.length);
    this.blocklist = lazy(() => policy.commands.blocklist.map(compileCommandPattern));
    this.allowlist = lazy(() => policy.commands.allowlist.map(compileCommandPattern));
    this.protectedPaths = lazy(() => policy.filesystem.protectedPaths.map((g) => compilePathGlob(g, glob())));
    this.denyEgress = lazy(() => policy.network.denyEgressTo.map(compileHostPattern));
    this.allowedHosts = lazy(() => policy.network.allowedHosts.map(compileHostPattern));
    this.protectedGlobs = lazy(() => [...policy.filesystem.protectedPaths, ...policy.rules.flatMap((r) => r.path ?? [])]);
  }

  /** Decide one event. */
  decide(event: FirewallEvent): Decision {
    if (event.type === 'command') return this.analyzeCommand(event).decision;
    if (this.policy.mode === 'off') return offDecision();
    const matches = event.type === 'file' ? [...this.fileMatches(event), ...this.pathRuleMatches(event)] : this.networkMatches(event);
    return this.finish(matches);
  }

  /** Decide a command line and return what the engine understood of it. Never throws: a failure is a denial. */
  analyzeCommand(event: Extract<FirewallEvent, { type: 'command' }>): CommandAnalysis {
    try {
      return this.analyzeLine(event);
    } catch (error) {
      const matches: Match[] = [];
      const why = error instanceof RangeError ? 'parse/too-complex' : 'parse/unparseable';
      this.add(matches, why, `the line could not be checked (${(error as Error).message})`, clip(event.command));
      return { decision: this.finish(matches) };
    }
  }

  private analyzeLine(event: Extract<FirewallEvent, { type: 'command' }>): CommandAnalysis {
    if (this.policy.mode === 'off') return { decision: offDecision() };
    let matches: Match[] = [];
    // Text a shell would not read as shown (NUL, undecodable bytes), and lines past the bounds, are refused first.
    if (event.command.length > LIMITS.lineChars) {
      this.add(matches, 'parse/too-complex', `the line is longer than ${LIMITS.lineChars} characters`, clip(event.command));
      return { decision: this.finish(matches) };
    }
    const unreadable = unreadableText(event.command);
    if (unreadable) {
      this.add(matches, 'parse/unparseable', unreadable, clip(event.command));
      return { decision: this.finish(matches) };
    }
    const parsed = parse(event.command);
    if (event.fragment && ((!parsed.ok && parsed.incomplete) || (parsed.ok && parsed.heredocOpen))) {
      return { decision: { verdict: 'allow', rule: 'parse/incomplete', reason: 'the line is incomplete; it is checked again with the lines that complete it', matches: [] } };
    }
    if (!parsed.ok && parsed.tooComplex) {
      this.add(matches, 'parse/too-complex', `the command line is too complex to check: ${parsed.error}`, clip(event.command));
      return { decision: this.finish(matches), parseError: parsed.error };
    }
    if (!parsed.ok) {
      this.add(matches, 'parse/unparseable', `cannot parse the command line: ${parsed.error}`, event.command);
      return { decision: this.finish(matches), parseError: parsed.error };
    }
    const interpretation = interpret(parsed.script, { cwd: event.cwd, home: event.home, env: event.env, projectDir: this.policy.projectDir });
    for (const u of interpretation.unparseable) {
      this.add(matches, 'parse/unparseable', `cannot parse the nested command (${u.error})`, u.source);
    }
    if (interpretation.tooComplex || interpretation.truncated) {
      const why = interpretation.tooComplex ?? 'it runs too many commands or nests too deeply';
      this.add(matches, 'parse/too-complex', `the command line is too complex to check: ${why}`, clip(event.command));
    }
    const facts = factsOf(interpretation.commands);
    markFreshWrites(facts, event.absent);
    const downloads = downloadedFiles(facts);
    // What a guessed inner command line would match is gathered apart and reported as exec/inner-command.
    const guessed: Match[] = [];
    const lineMatches = matches;
    for (const fact of facts) {
      const { command } = fact;
      matches = command.hops?.some((h) => h.guessed) ? guessed : lineMatches;
      this.detect(matches, fact, downloads);
      if (!command.remote) this.fileEffects(matches, fact.effects, event.home, event.interactive === true);
      if (command.argv.length === 0) continue;
      // The firewall's own switch-off commands are a person's to run, from their own terminal.
      const switchOff = event.interactive === true || command.remote ? null : firewallSwitchOff(command);
      if (switchOff) {
        const text = command.argv.map((f) => f.text).join(' ');
        this.add(matches, 'tamper/firewall', `\`agentfirewall ${switchOff.subcommand}\` ${switchOff.why}: a person runs it from their own terminal`, text);
      }
      if (this.matching.length || this.blocklist().length) {
        for (const layer of command.layers) {
          const words = layer.map((f) => f.text);
          const text = words.join(' ');
          for (const p of this.blocklist()) {
            if (p.matches(words, event.home)) this.add(matches, 'commands/blocklist', `matches blocklist pattern '${p.source}'`, text);
          }
          for (const rule of this.matching) {
            for (const p of rule.commands) {
              if (p.matches(words, event.home)) this.addRule(matches, rule.def, `matches '${p.source}'`, text);
            }
          }
        }
      }
      if (this.allowlist().length) {
        const outer = command.layers[0].map((f) => f.text);
        const exempt = outer[0] !== undefined && /(^|\/)agentfirewall$/.test(outer[0]);
        if (!exempt && !this.allowlist().some((p) => p.matches(outer, event.home))) {
          this.add(matches, 'commands/allowlist', 'not in the command allowlist', outer.join(' '));
        }
      }
    }
    matches = lineMatches;
    if (guessed.length) this.innerCommand(matches, guessed);
    // Legacy patterns written as shell syntax compare with the line itself.
    for (const p of this.blocklist()) {
      if (p.matchesLine?.(event.command)) this.add(matches, 'commands/blocklist', `matches blocklist pattern '${p.source}'`, event.command);
    }
    for (const rule of this.matching) {
      for (const p of rule.commands) if (p.matchesLine?.(event.command)) this.addRule(matches, rule.def, `matches '${p.source}'`, event.command);
    }
    return { decision: this.finish(matches), interpretation, facts };
  }

  /** A denied command line found in a string argument of an unknown program: one exec/inner-command match naming it. */
  private innerCommand(matches: Match[], guessed: Match[]): void {
    const rule = this.detecting.find((r) => r.def.detect === 'inner-command');
    if (!rule) return;
    for (const m of guessed) {
      if (m.action === 'deny') this.addRule(matches, rule.def, `${m.rule}: ${m.reason}`, m.subject ?? m.rule);
    }
  }

  /** Rules with a built-in detector (`detect: rm-home` ...). */
  private detect(matches: Match[], fact: CommandFacts, downloads: ReadonlySet<string>): void {
    const ctx = { projectDir: fact.command.remote ? null : this.policy.projectDir, home: fact.command.home, downloads };
    let present = '';
    for (const e of fact.effects) present += `${e.kind} `;
    const program = basename(fact.command.argv[0]?.text ?? '');
    for (const rule of this.detecting) {
      const { kinds, programs } = rule.detector!;
      if (kinds && (present === '' || !kinds.some((k) => present.includes(k)))) continue;
      if (programs && !programs.includes(program)) continue;
      for (const f of rule.detector!.find(fact, ctx)) this.addRule(matches, rule.def, f.reason, f.subject, true, f.unlessAbsent);
    }
  }

  /** The file operations a command performs, judged like `check-file` would judge them. */
  private fileEffects(matches: Match[], effects: Effect[], home: string, interactive: boolean): void {
    for (const e of effects) {
      if (e.kind !== 'delete' && e.kind !== 'move' && e.kind !== 'write' && e.kind !== 'chmod' && e.kind !== 'create') continue;
      const { root, allowEscape } = this.policy.sandbox;
      // A glob is judged by every protected path it can match (see glob-targets.ts), reported under its own text.
      const paths = e.target.glob ? this.globReach(e.target, home) : [e.target.path];
      for (const path of paths) {
        // A write that cannot replace anything (the path did not exist, or `cp -n`) creates, as a file tool's write of a new file does.
        const creates = e.kind === 'write' && (e.fresh === true || e.noClobber === true);
        const operation: FileOperation =
          e.kind === 'move' ? (e.to && !isWithin(e.to.path, root) ? 'move_outside_sandbox' : 'delete') : creates ? 'create' : e.kind;
        // A person at an interactive shell may edit the firewall's own configuration.
        if (interactive && isFirewallDir(path, this.policy.projectDir)) continue;
        const found = this.fileMatches({ type: 'file', operation, path, home });
        // What a write of an existing file matches and creating it would not, is excused when the file turns out to be new.
        const asCreate = operation === 'write' && found.length && !e.target.glob ? this.fileMatches({ type: 'file', operation: 'create', path, home }) : undefined;
        for (const m of found) {
          if (m.rule === 'fs/sandbox-escape' && allowEscape) continue;
          if (e.target.glob) m.subject = e.target.path;
          if (asCreate && !asCreate.some((c) => c.rule === m.rule)) m.unlessAbsent = path;
          if (!matches.some((x) => x.rule === m.rule && x.subject === m.subject)) matches.push(m);
        }
      }
    }
  }

  /** The paths a glob target can reach that some file rule may care about: its own witnesses, protected globs' and the firewall's files. */
  private globReach(t: Target, home: string): string[] {
    const re = (t.re ??= globRegExp(t.path, t.dot));
    const { root } = this.policy.sandbox;
    const firewallDir = `${this.policy.projectDir === '/' ? '' : this.policy.projectDir}/.agentfirewall`;
    const where = normalizePath(home);
    const globs = [`${firewallDir}/**`, ...this.protectedGlobs()];
    const candidates = [
      ...globWitnesses(t.path, '/'),
      ...FIREWALL_LAYOUT.map((p) => joinPath(firewallDir, p)),
      ...globs.flatMap((g) => protectedWitnesses(g, root, where)),
    ].filter((p) => re.test(p));
    // Exact where the target has no `**`: a name both globs match (`mv deploy/prod.* …` meets `deploy/*.key`).
    for (const g of globs) {
      const both = globIntersection(t.path, g, root, where);
      if (both !== null) candidates.push(both);
    }
    return [...new Set(candidates)];
  }

  /** Path rules with a detector (secrets, ~/.ssh, startup files) judge a file event as they judge a command's change. */
  private pathRuleMatches(event: Extract<FirewallEvent, { type: 'file' }>): Match[] {
    const matches: Match[] = [];
    const change = fileEventChange(event.operation, normalizePath(event.path), event.copyOf);
    if (!change) return matches;
    const ctx = { projectDir: this.policy.projectDir, home: normalizePath(event.home) };
    for (const rule of this.detecting) {
      const v = rule.detector!.judge?.(change, ctx);
      if (v) this.addRule(matches, rule.def, v.reason, change.target.path, true);
    }
    return matches;
  }

  private fileMatches(event: Extract<FirewallEvent, { type: 'file' }>): Match[] {
    const matches: Match[] = [];
    const path = normalizePath(event.path);
    const { root, allowEscape } = this.policy.sandbox;
    const where = { root, home: normalizePath(event.home) };
    if (isFirewallDir(path, this.policy.projectDir)) {
      this.add(matches, 'fs/self-protect', `.agentfirewall/ is protected: ${event.operation} is not allowed there`, path);
    }
    if (!allowEscape && !isWithin(path, root)) {
      this.add(matches, 'fs/sandbox-escape', `${path} is outside the sandbox root ${root}`, path);
    }
    if (this.policy.filesystem.denyOperations.includes(event.operation)) {
      const glob = this.protectedPaths().find((g) => g.matches(path, where));
      if (glob) this.add(matches, 'fs/protected-path', `${event.operation} of a protected path (matches '${glob.source}')`, path);
    }
    for (const rule of this.rules) {
      if (rule.paths.length === 0) continue;
      if (rule.def.operations && !rule.def.operations.includes(event.operation as FileOperation)) continue;
      const glob = rule.paths.find((g) => g.matches(path, where));
      if (glob) this.addRule(matches, rule.def, `${event.operation} of '${glob.source}'`, path);
    }
    return matches;
  }

  private networkMatches(event: Extract<FirewallEvent, { type: 'network' }>): Match[] {
    const matches: Match[] = [];
    const host = normalizeHost(event.host);
    const target = event.port ? `${host}:${event.port}` : host;
    const denied = this.denyEgress().find((p) => p.matches(host));
    if (denied) this.add(matches, 'net/deny-egress', `egress to ${host} is denied (matches '${denied.source}')`, target);
    if (this.allowedHosts().length && !this.allowedHosts().some((p) => p.matches(host))) {
      this.add(matches, 'net/not-allowed', `${host} is not in allowed_hosts`, target);
    }
    for (const rule of this.rules) {
      const p = rule.hosts.find((h) => h.matches(host));
      if (p) this.addRule(matches, rule.def, `host matches '${p.source}'`, target);
    }
    return matches;
  }

  private actionOf(id: string, fallback: RuleAction): RuleAction {
    return this.policy.overrides[id] ?? fallback;
  }

  /** Record a match of a built-in rule, unless the config switched it off. */
  private add(matches: Match[], id: string, reason: string, subject?: string): void {
    const builtin = BUILTIN_RULES.find((r) => r.id === id);
    const action = this.actionOf(id, builtin?.action ?? 'deny');
    if (action === 'off') return;
    if (matches.some((m) => m.rule === id && m.subject === subject)) return;
    matches.push({ rule: id, action, reason: reason || DEFAULT_REASON[id] || id, subject });
  }

  private addRule(matches: Match[], def: RuleDefinition, how: string, subject: string, detected = false, unlessAbsent?: string): void {
    const action = this.actionOf(def.id, def.action);
    if (action === 'off') return;
    const same = matches.find((m) => m.rule === def.id && m.subject === subject);
    if (same) {
      // One command can match a rule twice (`cp .env.example .env && rm .env`): excused only if every match is.
      if (!unlessAbsent) delete same.unlessAbsent;
      return;
    }
    const reason = detected ? def.reason ?? how : def.reason ? `${def.reason} (${how})` : how;
    matches.push(unlessAbsent ? { rule: def.id, action, reason, subject, unlessAbsent } : { rule: def.id, action, reason, subject });
  }

  /** Turn matches into one decision: deny beats warn beats allow; audit mode downgrades deny. */
  private finish(matches: Match[]): Decision {
    const ordered = [...matches.filter((m) => m.action === 'deny'), ...matches.filter((m) => m.action === 'warn')];
    const suffix = this.policy.fallback ? ` [config error: ${this.policy.fallback}]` : '';
    const first = ordered[0];
    if (!first) return { verdict: 'allow', rule: 'default/allow', reason: `no rule matched${suffix}`, matches: [] };
    const denied = first.action === 'deny';
    if (denied && this.policy.mode === 'audit') {
      for (const m of ordered) m.action = 'warn';
      return { verdict: 'warn', rule: first.rule, reason: `[AUDIT] ${first.reason}${suffix}`, matches: ordered };
    }
    const decision: Decision = { verdict: denied ? 'deny' : 'warn', rule: first.rule, reason: `${first.reason}${suffix}`, matches: ordered };
    // Worth a look only when every deny would be lifted by paths that turn out not to exist.
    const denies = ordered.filter((m) => m.action === 'deny');
    if (denied && denies.every((m) => m.unlessAbsent)) decision.ask = [...new Set(denies.map((m) => m.unlessAbsent!))];
    return decision;
  }
}

/** Mark writes of paths the caller found missing, unless something earlier on the line wrote them first. */
function markFreshWrites(facts: CommandFacts[], absent: readonly string[] | undefined): void {
  const missing = new Set(absent ?? []);
  for (const { effects } of facts) {
    for (const e of effects) {
      if (e.kind !== 'write' && e.kind !== 'create' && e.kind !== 'move') continue;
      const path = e.target.path;
      if (e.kind === 'write' && !e.target.glob && missing.has(path)) e.fresh = true;
      missing.delete(path);
      if (e.kind === 'move' && e.to) missing.delete(e.to.path);
    }
  }
}

/** A line as the subject of a match: a huge line is shown by its start. */
function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function offDecision(): Decision {
  return { verdict: 'allow', rule: 'mode/off', reason: 'the firewall is off (mode: off)', matches: [] };
}

/** Decide one event with a policy (compiles the policy each call; keep an `Engine` for repeated use). */
export function decide(policy: Policy, event: FirewallEvent, options?: EngineOptions): Decision {
  return new Engine(policy, options).decide(event);
}
