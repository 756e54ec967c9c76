import { copyFile } from 'node:fs/promises';
import type { SeedPlan } from './bench-target.js';
import { createTempDatabaseFile, type TempDatabaseFile } from './temp-database.js';

/**
 * For file databases: seeds each distinct plan once into a template file and copies it for every
 * run. Every run still gets its own fresh file, and a 200,000-event preload costs a file copy
 * instead of two seconds of inserts per run.
 */
export class SeedTemplateCache {
  private readonly templates = new Map<string, Promise<TempDatabaseFile>>();

  constructor(
    private readonly prefix: string,
    private readonly fileName: string,
    /** Creates the schema in an empty file at `path` and seeds `plan` into it. */
    private readonly build: (path: string, plan: SeedPlan) => Promise<void>,
  ) {}

  async copyTo(path: string, plan: SeedPlan): Promise<void> {
    const key = JSON.stringify(plan);
    let template = this.templates.get(key);
    if (template === undefined) {
      template = this.create(plan);
      this.templates.set(key, template);
    }
    await copyFile((await template).path, path);
  }

  async clear(): Promise<void> {
    const templates = [...this.templates.values()];
    this.templates.clear();
    await Promise.all(templates.map(async (template) => (await template).remove()));
  }

  private async create(plan: SeedPlan): Promise<TempDatabaseFile> {
    const file = await createTempDatabaseFile(`${this.prefix}-template`, this.fileName);
    await this.build(file.path, plan);
    return file;
  }
}
