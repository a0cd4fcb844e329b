/// <reference types="node" />
// @vitest-environment node
// One vocabulary per language: the table in GLOSSARY.md (repo root) names, for
// each thing, the word to use and the words to avoid. Both dictionaries are
// checked against it, and Chinese sentences against ASCII punctuation.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DICTIONARIES } from './i18n';

export interface GlossaryRow {
  thing: string;
  en: string;
  zh: string;
  avoidZh: string[];
  avoidEn: string[];
}

/** The rows of the first Markdown table whose header has "avoid (zh)" and "avoid (en)". */
export function parseGlossary(markdown: string): GlossaryRow[] {
  const lines = markdown.split('\n').map((l) => l.trim());
  const cells = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  const start = lines.findIndex((l) => l.startsWith('|') && /avoid \(zh\)/.test(l) && /avoid \(en\)/.test(l));
  if (start < 0) throw new Error('GLOSSARY.md: no table with "avoid (zh)" and "avoid (en)" columns');
  const header = cells(lines[start]!);
  const col = (name: string) => {
    const n = header.indexOf(name);
    if (n < 0) throw new Error(`GLOSSARY.md: no column "${name}"`);
    return n;
  };
  const [thing, en, zh, avoidZh, avoidEn] = ['thing', 'en', 'zh', 'avoid (zh)', 'avoid (en)'].map(col) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const list = (cell: string | undefined) =>
    (cell ?? '')
      .split(/[,，]/)
      .map((w) => w.trim())
      .filter(Boolean);
  const rows: GlossaryRow[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('|')) break;
    const c = cells(line);
    if (c.every((x) => /^:?-+:?$/.test(x))) continue;
    rows.push({ thing: c[thing]!, en: c[en]!, zh: c[zh]!, avoidZh: list(c[avoidZh]), avoidEn: list(c[avoidEn]) });
  }
  return rows;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The dictionary entries where `word` appears: en as a whole word (or its
 * plural), in any case; zh anywhere.
 */
export function occurrences(dict: Record<string, string>, word: string, lang: 'en' | 'zh'): string[] {
  const pattern = lang === 'en' ? new RegExp(`\\b${escape(word)}(?:s|es)?\\b`, 'i') : new RegExp(escape(word));
  return Object.entries(dict)
    .filter(([, text]) => pattern.test(text))
    .map(([key, text]) => `${key}: ${text}`);
}

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** ASCII , : ; ( ) ! ? right after a CJK character, or an ASCII parenthesis right before one. */
const ASCII_AFTER_CJK = new RegExp(`[${CJK}][,:;()!?]|[()][${CJK}]`);

export function asciiPunctuation(dict: Record<string, string>): string[] {
  return Object.entries(dict)
    .filter(([, text]) => ASCII_AFTER_CJK.test(text))
    .map(([key, text]) => `${key}: ${text}`);
}

const glossary = parseGlossary(readFileSync(new URL('../../GLOSSARY.md', import.meta.url), 'utf8'));

describe('GLOSSARY.md', () => {
  it('is read as a table of things with avoid lists', () => {
    expect(glossary.length).toBeGreaterThan(10);
    const thread = glossary.find((r) => r.en === 'thread')!;
    expect(thread.avoidZh).toEqual(['会话', '对话']);
    expect(thread.avoidEn).toEqual(['conversation', 'session']);
    expect(glossary.find((r) => r.en === 'mirror file')!.zh).toBe('副本文件');
  });

  it('parses a table wherever it is, and stops at its end', () => {
    const rows = parseGlossary(
      [
        '# x',
        '| thing | en | zh | avoid (zh) | avoid (en) |',
        '|---|---|---|---|---|',
        '| a | b | 乙 | 丙, 丁 | c |',
        '| e | f | 戊 | | |',
        '',
        '| not | part | of | it | |',
      ].join('\n'),
    );
    expect(rows).toEqual([
      { thing: 'a', en: 'b', zh: '乙', avoidZh: ['丙', '丁'], avoidEn: ['c'] },
      { thing: 'e', en: 'f', zh: '戊', avoidZh: [], avoidEn: [] },
    ]);
  });
});

describe('one word per thing', () => {
  for (const row of glossary) {
    for (const word of row.avoidEn) {
      it(`en avoids "${word}" (${row.thing}: "${row.en}")`, () => {
        expect(occurrences(DICTIONARIES.en, word, 'en')).toEqual([]);
        // The Chinese texts keep English words only for names; not this one either.
        expect(occurrences(DICTIONARIES.zh, word, 'en')).toEqual([]);
      });
    }
    for (const word of row.avoidZh) {
      it(`zh avoids "${word}" (${row.thing}: ${row.zh})`, () => {
        expect(occurrences(DICTIONARIES.zh, word, 'zh')).toEqual([]);
        expect(occurrences(DICTIONARIES.en, word, 'zh')).toEqual([]);
      });
    }
  }

  it('matches en words as whole words (or plurals), in any case', () => {
    const dict = { a: 'A Session ended', b: 'sessions', c: 'obsession', d: 'sessionKey' };
    expect(occurrences(dict, 'session', 'en')).toEqual(['a: A Session ended', 'b: sessions']);
    expect(occurrences({ a: '对话框' }, '对话', 'zh')).toEqual(['a: 对话框']);
  });
});

describe('Chinese punctuation', () => {
  it('no ASCII , : ; ( ) ! ? in a Chinese sentence', () => {
    expect(asciiPunctuation(DICTIONARIES.zh)).toEqual([]);
  });

  it('catches ASCII punctuation after CJK, and leaves names, paths and numbers alone', () => {
    expect(
      asciiPunctuation({
        a: '数据库已损坏,无法读取',
        b: '原因:未知',
        c: '技术细节(英文)',
        d: '真的吗?',
        e: '（见 gateway-auth/local-state-key.txt）',
        f: '版本 1.2.3（abc）',
        g: '32 字节的 base64url 文本（43 个字符）。',
        h: 'XWorkmate 1.0.0-beta.2 – 1.1.7，{n} 个',
      }),
    ).toEqual(['a: 数据库已损坏,无法读取', 'b: 原因:未知', 'c: 技术细节(英文)', 'd: 真的吗?']);
  });
});
