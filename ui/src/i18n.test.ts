import type { FindingCode } from './bindings/FindingCode';
import type { NoticeCode } from './bindings/NoticeCode';

import { describe, expect, it } from 'vitest';

import { formatBytes, formatList, formatTime, baseName, hostPort } from './format';
import { DICTIONARIES, htmlLang, isLang, isTraditionalChinese, languageForLocale, plural, translate, translator } from './i18n';
import {
  KNOWN_NOTICE_CODES,
  errorText,
  gatewayModeName,
  KNOWN_ERROR_CODES,
  KNOWN_WARNING_CODES,
  noteText,
  REASON,
  RELATION,
  statusWord,
  storageKeyName,
  warningText,
} from './words';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have exactly the same keys in en and zh', () => {
    const en = Object.keys(DICTIONARIES.en).sort();
    const zh = Object.keys(DICTIONARIES.zh).sort();
    expect(zh).toEqual(en);
    expect(en.length).toBeGreaterThan(200);
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(DICTIONARIES.en) as Array<keyof typeof DICTIONARIES.en>) {
      expect(placeholders(DICTIONARIES.zh[key]), key).toEqual(placeholders(DICTIONARIES.en[key]));
    }
  });

  it('have no empty texts, and zh is really translated', () => {
    let same = 0;
    for (const [key, text] of Object.entries(DICTIONARIES.zh)) {
      expect(text.trim(), key).not.toBe('');
      expect(DICTIONARIES.en[key as keyof typeof DICTIONARIES.en].trim(), key).not.toBe('');
      if (text === DICTIONARIES.en[key as keyof typeof DICTIONARIES.en]) same += 1;
    }
    // Only language names, dashes and technical words may be equal.
    expect(same).toBeLessThan(8);
  });

  it('keep the heading the e2e tests look for', () => {
    expect(translate('en', 'app.panel')).toBe('Diagnostics');
    expect(translate('zh', 'app.panel')).toBe('诊断');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translate('en', 'app.version', { version: '1.2.3', commit: 'abc' })).toBe('Version 1.2.3 (abc)');
    expect(translate('zh', 'app.version', { version: '1.2.3', commit: 'abc' })).toBe('版本 1.2.3（abc）');
    expect(translate('en', 'app.version')).toBe('Version {version} ({commit})');
  });

  it('has singular forms', () => {
    const t = translator('en');
    expect(plural(t, 'threads.messageCount', 1)).toBe('1 message');
    expect(plural(t, 'threads.messageCount', 3)).toBe('3 messages');
    expect(plural(t, 'cleanup.done', 1, { size: '1 KB' })).toBe('Cleared: 1 item removed (1 KB).');
    expect(plural(translator('zh'), 'threads.messageCount', 1)).toBe('1 条消息');
  });
});

describe('languageForLocale', () => {
  it.each([
    ['zh_CN.UTF-8', 'zh'],
    ['zh-TW', 'zh'],
    ['en_US.UTF-8', 'en'],
    ['en', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
    ['POSIX', 'en'],
    ['zh_TW.UTF-8', 'zh'],
    ['zh_HK', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['de_DE.UTF-8', 'en'],
    ['ja_JP.UTF-8', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ])('%s → %s', (locale, lang) => {
    expect(languageForLocale(locale)).toBe(lang);
  });

  it.each([
    ['zh_TW.UTF-8', true],
    ['zh_HK', true],
    ['zh_MO.UTF-8', true],
    ['zh-Hant', true],
    ['zh-Hant-TW', true],
    ['zh_CN.UTF-8', false],
    ['zh-Hans-HK', false],
    ['zh_SG', false],
    ['zh', false],
    ['en_TW', false],
    ['', false],
    [null, false],
  ])('Traditional Chinese: %s → %s', (locale, hant) => {
    expect(isTraditionalChinese(locale)).toBe(hant);
  });

  it('knows its languages', () => {
    expect(isLang('en')).toBe(true);
    expect(isLang('zh')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(htmlLang('zh')).toBe('zh-CN');
    expect(htmlLang('en')).toBe('en');
  });
});

describe('words', () => {
  const en = translator('en');
  const zh = translator('zh');

  it('words every relation as the issue asks', () => {
    expect(en(RELATION.in_sync.key)).toBe('in sync');
    expect(en(RELATION.mirror_older.key)).toBe('mirror older');
    expect(en(RELATION.mirror_newer.key)).toBe('mirror newer');
    expect(en(RELATION.mirror_missing.key)).toBe('mirror missing');
    expect(en(RELATION.database_missing.key)).toBe('database missing');
    expect(en(RELATION.sealed_legacy.key)).toBe('sealed (legacy)');
    expect(en(RELATION.unreadable.key)).toBe('unreadable');
    expect(zh(RELATION.in_sync.key)).toBe('已同步');
  });

  it('words every lock reason', () => {
    expect(en(REASON.key_missing.key)).toBe('key missing');
    expect(en(REASON.key_mismatch.key)).toBe('key doesn’t match');
    expect(en(REASON.key_invalid.key)).toBe('key is not valid');
    expect(en(REASON.malformed.key)).toBe('damaged data');
    for (const reason of Object.values(REASON)) {
      expect(zh(reason.key)).not.toBe(en(reason.key));
      expect(zh(reason.next).length).toBeGreaterThan(10);
    }
  });

  it('words every known error code, and unknown codes with the code', () => {
    for (const code of KNOWN_ERROR_CODES) {
      expect(errorText(en, code)).not.toContain(code);
      expect(errorText(zh, code)).not.toBe(errorText(en, code));
    }
    expect(KNOWN_ERROR_CODES).toEqual(
      expect.arrayContaining([
        'no_data_dir',
        'database_unavailable',
        'database_error',
        'not_found',
        'permission_denied',
        'io_error',
        'invalid_input',
        'key_invalid',
        'secure_storage_error',
        'stale_plan',
        'cancelled',
        'internal',
      ]),
    );
    expect(errorText(en, 'disk_on_fire')).toBe('An error happened (disk_on_fire).');
    expect(errorText(zh, 'disk_on_fire')).toBe('发生错误（disk_on_fire）。');
  });

  it('words every inspect finding of the core in both languages', () => {
    // The table is a Record over the generated FindingCode union, so the
    // compiler already refuses a missing code; this checks the words exist.
    expect(KNOWN_WARNING_CODES.length).toBeGreaterThanOrEqual(20);
    for (const code of KNOWN_WARNING_CODES) {
      expect(warningText(en, code), code).not.toContain(code);
      expect(warningText(zh, code), code).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(warningText(en, 'keyring_unavailable')).toMatch(/^Keyring unavailable: secrets are read from the file fallback/);
    expect(warningText(en, 'new_thing' as FindingCode)).toBe('Other finding (new_thing).');
  });

  it('reads a dry run’s migrated as "would be recovered"', () => {
    expect(statusWord(en, 'migrated')).toBe('recovered');
    expect(statusWord(en, 'migrated', true)).toBe('would be recovered');
    expect(statusWord(zh, 'locked_legacy_state')).toBe('已锁定');
  });

  it('words every notice code of the core in both languages', () => {
    for (const code of KNOWN_NOTICE_CODES) {
      const note = { code, subject: 'vault_token', message: 'x' };
      expect(noteText(zh, note), code).toMatch(/[\u4e00-\u9fff]/);
      expect(noteText(en, note), code).not.toContain('{');
    }
    expect(noteText(en, { code: 'secret_unchecked', subject: 'vault_token', message: 'x' })).toContain('vault_token');
    // A code from a newer core still reads as a sentence.
    expect(noteText(zh, { code: 'brand_new' as NoticeCode, message: 'x' })).toMatch(/[\u4e00-\u9fff]/);
  });

  it('words gateway modes it knows', () => {
    expect(gatewayModeName(zh, 'local')).toBe('本地');
    expect(gatewayModeName(zh, 'remote')).toBe('远程');
    expect(gatewayModeName(zh, 'relay')).toBe('relay');
  });

  it('names storage keys', () => {
    expect(storageKeyName(en, 'xworkmate.settings.snapshot')).toBe('Settings');
    expect(storageKeyName(zh, 'xworkmate.assistant.threads')).toBe('线程');
    expect(storageKeyName(en, 'xworkmate.future.key')).toBe('xworkmate.future.key');
  });
});

describe('format', () => {
  it('sizes in human units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1818)).toBe('1.8 KB');
    expect(formatBytes(6526)).toBe('6.4 KB');
    expect(formatBytes(12288)).toBe('12 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });

  it('times in the UI language', () => {
    const ms = Date.UTC(2025, 10, 14, 6, 42);
    expect(formatTime(ms, 'en')).toMatch(/2025/);
    expect(formatTime(ms, 'zh')).toMatch(/2025年11月1[34]日/);
    expect(formatTime(null, 'en')).toBe('—');
  });

  it('lists, names and hosts', () => {
    expect(formatList(['a', 'b', 'c'], 'en')).toBe('a, b, and c');
    expect(formatList(['a', 'b'], 'zh')).toBe('a和b');
    expect(formatList([], 'en')).toBe('');
    expect(baseName('/a/b/c.json')).toBe('c.json');
    expect(baseName('C:\\x\\y.txt')).toBe('y.txt');
    expect(baseName('/a/b/')).toBe('b');
    expect(hostPort('127.0.0.1', 18789)).toBe('127.0.0.1:18789');
    expect(hostPort('::1', 80)).toBe('[::1]:80');
    expect(hostPort(null, null)).toBe('—');
    expect(hostPort('h', null)).toBe('h');
  });
});
