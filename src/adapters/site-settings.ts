/**
 * Site-wide settings that are not part of a project's config: for now how long the violation log
 * keeps its rows. One small KVS value, validated on read and on write; missing means the defaults.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import type { ReportCursor, SiteSettings, SiteSettingsStore } from '../app/ports';
import { formatIssues } from '../core';

export const SITE_SETTINGS_KEY = 'site-settings';
export const DEFAULT_RETENTION_DAYS = 180;
export const MAX_RETENTION_DAYS = 3650;

export const siteSettingsSchema = z.strictObject(
  {
    retentionDays: z
      .number({ error: 'expected a number of days' })
      .int({ error: 'expected a whole number of days' })
      .min(1, { error: 'expected at least 1 day' })
      .max(MAX_RETENTION_DAYS, { error: `expected at most ${MAX_RETENTION_DAYS} days` })
      .default(DEFAULT_RETENTION_DAYS),
  },
  { error: 'expected an object such as { "retentionDays": 180 }' },
) satisfies z.ZodType<SiteSettings>;


export class SiteSettingsError extends Error {
  constructor(what: string, issues: readonly { path: string; message: string }[]) {
    super(`${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'SiteSettingsError';
  }
}

export class KvsSiteSettings implements SiteSettingsStore {
  /** The stored settings, or the defaults when none were saved; stored values that fail validation are reported. */
  async get(): Promise<SiteSettings> {
    const raw = await kvs.get<unknown>(SITE_SETTINGS_KEY);
    const parsed = siteSettingsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new SiteSettingsError('the stored site settings are not valid', formatIssues(parsed.error.issues));
    return parsed.data;
  }

  async save(settings: SiteSettings): Promise<SiteSettings> {
    const parsed = siteSettingsSchema.safeParse(settings);
    if (!parsed.success) throw new SiteSettingsError('site settings', formatIssues(parsed.error.issues));
    await kvs.set(SITE_SETTINGS_KEY, parsed.data);
    return parsed.data;
  }
}

// ---------------------------------------------------------------------------------------------
// Where the personal data job stopped: an account id, so the next run carries on after it.

export const REPORT_CURSOR_KEY = 'personal-data-cursor';
const cursorSchema = z.strictObject({ after: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/).nullable() });

export class KvsReportCursor implements ReportCursor {
  async get(): Promise<string | null> {
    const raw = await kvs.get<unknown>(REPORT_CURSOR_KEY);
    const parsed = cursorSchema.safeParse(raw ?? { after: null });
    // A cursor that is not one costs nothing but starting over: every account is reported again.
    return parsed.success ? parsed.data.after : null;
  }

  async set(after: string | null): Promise<void> {
    const value = cursorSchema.parse({ after });
    await kvs.set(REPORT_CURSOR_KEY, value);
  }
}
