import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const RECENT_FILE = 'recent-projects.json';

const recentSchema = z.object({
  dir: z.string().min(1),
  name: z.string(),
  openedAt: z.string(),
});

export type RecentProject = z.output<typeof recentSchema>;

export interface LoadedRecent {
  projects: RecentProject[];
  /** What was wrong with the file (naming it), when something was left out; null when read fine or absent. */
  warning: string | null;
}

const MAX_RECENT = 12;

/**
 * The app-level list of recently opened projects (not project data: losing it loses nothing).
 * Read like settings.json: a hand-edited or damaged file never keeps the app from starting; its
 * unusable entries are left out and a warning says so.
 */
export class RecentProjects {
  private readonly file: string;
  constructor(userDataDir: string) {
    this.file = join(userDataDir, RECENT_FILE);
  }

  load(): LoadedRecent {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { projects: [], warning: null };
      return { projects: [], warning: `${this.file} could not be read (${(e as Error).message}); recent projects are not listed` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return { projects: [], warning: `${this.file} is not valid JSON (${(e as Error).message}); recent projects are not listed` };
    }
    if (!Array.isArray(json)) return { projects: [], warning: `${this.file} is not a list of projects; recent projects are not listed` };
    const projects: RecentProject[] = [];
    const problems: string[] = [];
    json.forEach((entry, i) => {
      const parsed = recentSchema.safeParse(entry);
      if (parsed.success) projects.push(parsed.data);
      else problems.push(`entry ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(entry)'}: ${x.message}`).join(', ')}`);
    });
    const warning = problems.length
      ? `${this.file} has ${problems.length} unusable entr${problems.length === 1 ? 'y' : 'ies'}, left out (${problems.join('; ')})`
      : null;
    return { projects, warning };
  }

  list(): RecentProject[] {
    return this.load().projects;
  }

  touch(dir: string, name: string): void {
    const next = [{ dir, name, openedAt: new Date().toISOString() }, ...this.list().filter((r) => r.dir !== dir)].slice(
      0,
      MAX_RECENT,
    );
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2));
      renameSync(tmp, this.file);
    } catch {
      // A read-only profile folder must not stop a project from opening.
    }
  }
}
