import { describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';

// `explain` names the runner model that unwrapped each command and where it runs it.
describe('explain: programs that run programs', () => {
  it('a container run shows its mounts, how they map to the host, and the delete landing on the host path', () => {
    const { project, home } = tempProject();
    const r = cli(['explain', 'docker run --rm -v "$PWD":/app -v cache:/c -w /app node:20 rm -rf .'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/run by docker run \(container: image node:20; mounts \/app = host .*\/project, \/c = not a host path; workdir \/app\)/);
    expect(r.stdout).toMatch(/effect: delete .*\/project \(recursive\)/);
    expect(r.stdout).toMatch(/^decision\s+DENY fs\/rm-project/m);
  });

  it("a path in no mount is the container's own: nothing on the host is deleted", () => {
    const { project, home } = tempProject();
    const r = cli(['explain', 'docker run --rm alpine rm -rf /'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/run by docker run \(container: image alpine; no host path mounted; workdir unknown\)/);
    expect(r.stdout).not.toMatch(/effect: delete/);
  });

  it('remote exec names the host and the user', () => {
    const { project, home } = tempProject();
    const r = cli(['explain', '--json', 'kubectl exec -it web-0 -c app -- rm -rf /'], { cwd: project, home });
    expect(r.status).toBe(1);
    const data = JSON.parse(r.stdout);
    const inner = data.commands.find((c: { argv: string[] }) => c.argv[0] === 'rm');
    expect(inner.remote).toBe('pod web-0');
    expect(inner.runners).toEqual([expect.objectContaining({ runner: 'kubectl exec', where: 'remote', host: 'pod web-0', user: 'root' })]);
  });

  it('a runner here, and the generic fallback with the inner rule in its reason', () => {
    const { project, home } = tempProject();
    const here = cli(['explain', 'uv run --with rich pytest'], { cwd: project, home });
    expect(here.status).toBe(0);
    expect(here.stdout).toMatch(/2\. pytest\n.*\n\s+run by uv run \(here\)/);
    const guessed = cli(['explain', "mytool --exec 'rm -rf ~'"], { cwd: project, home });
    expect(guessed.status).toBe(1);
    expect(guessed.stdout).toMatch(/run by mytool --exec \(guessed: /);
    expect(guessed.stdout).toMatch(/^decision\s+DENY exec\/inner-command: .*\(fs\/rm-home: recursive delete of the home directory/m);
  });
});
