import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

const MAX_RECENT = 12;

/** The app-level list of recently opened projects (not project data: losing it loses nothing). */
export class RecentProjects {
  private readonly file: string;
  constructor(userDataDir: string) {
    this.file = join(userDataDir, 'recent-projects.json');
  }

  list(): RecentProject[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed) ? (parsed as RecentProject[]).filter((r) => typeof r?.dir === 'string') : [];
    } catch {
      return [];
    }
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
