// Numbers, sizes and times as people read them.

import { htmlLang, type Lang } from './i18n';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `812 B`, `1.8 KB`, `12 MB` (1024-based; one decimal below 10). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}

/** A date and time in the UI's language, local time zone; `—` when unknown. */
export function formatTime(ms: number | null | undefined, lang: Lang): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Intl.DateTimeFormat(htmlLang(lang), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));
}

/** A time of day (`11:42 PM`, `23:42`). */
export function formatClock(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(htmlLang(lang), { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

/** `path` relative to `dir` when it is inside it (`a/b`), else `path` itself. */
export function relativeTo(path: string, dir: string | null | undefined): string {
  if (!dir) return path;
  const base = dir.replace(/[\\/]+$/, '');
  for (const sep of ['/', '\\']) {
    if (path.startsWith(base + sep) && path.length > base.length + 1) return path.slice(base.length + 1);
  }
  return path;
}

/** A list of names joined the way the language does (`a, b and c` / `a、b 和 c`). */
export function formatList(items: readonly string[], lang: Lang): string {
  if (items.length === 0) return '';
  return new Intl.ListFormat(htmlLang(lang), { style: 'long', type: 'conjunction' }).format(items);
}

/** The last path component (`/a/b/c.json` → `c.json`), for compact tables. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const parts = trimmed.split(/[\\/]/);
  return parts[parts.length - 1] || trimmed;
}

/** `host:port` of a gateway profile, with what is unknown left out. */
export function hostPort(host: string | null, port: number | null): string {
  if (!host) return port === null ? '—' : `:${port}`;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === null ? shown : `${shown}:${port}`;
}

/** A count with the language's digit grouping (`4,500`). */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(htmlLang(lang)).format(n);
}
