// A backend with sample data, for a plain browser (UI development, the headless
// browser tests and the screenshots). It models a data folder the way the core
// sees it, so that every answer is derived from one state and actions change it:
// running recovery in `sealed` turns the values plain; clearing removes settings
// and threads and keeps every secret (a part of a clear — threads or settings
// only, the archived threads, the threads before a date — as the core does it,
// refused while old sealed state is present); a correct key opens the locked
// sources; rebuilding `corrupt-mirrors` makes the database readable again.
//
// URL parameters (see `FakeBackend.fromUrl`):
//   ?scenario=healthy|empty|corrupt|sealed|locked-key-missing|locked-key-mismatch|
//             locked-key-invalid|locked-malformed|keyring-down
//   ?fail=CODE          every call fails with that error code
//   ?failOn=a,b         …only these methods (e.g. failOn=clearExecute)
//   ?locale=zh_CN.UTF-8 the system locale appInfo reports
//   ?delay=MS           artificial delay of every call (default 150)
//   ?backup=cancel, ?export=cancel, ?choose=cancel, ?pick=cancel   dialogs cancelled
//   ?secrets=lost       clearing loses a secret (to show the error)
//   ?threads=N          N sample threads instead of 2 (e.g. 4500, for the long list)

import { type AppInfo, type Backend, BackendError, type KeyTestResult } from './backend';
import type { GenerationId } from './bindings/GenerationId';
import type { ThreadsExport } from './bindings/ThreadsExport';
import type { RestoreItem } from './bindings/RestoreItem';
import type { RestorePlan } from './bindings/RestorePlan';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { SupportReport } from './bindings/SupportReport';
import type { GenerationReport } from './bindings/GenerationReport';
import type { Notice as CoreNotice } from './bindings/Notice';
import type { Backend as SecretBackend } from './bindings/Backend';
import type { ClearConsequences } from './bindings/ClearConsequences';
import type { ClearOutcome } from './bindings/ClearOutcome';
import type { ClearPlan } from './bindings/ClearPlan';
import type { ClearScope } from './bindings/ClearScope';
import type { ProgressReport } from './bindings/ProgressReport';
import type { ThreadRewrite } from './bindings/ThreadRewrite';
import type { DataDirOrigin } from './bindings/DataDirOrigin';
import type { DocKind } from './bindings/DocKind';
import type { DocumentOutcome } from './bindings/DocumentOutcome';
import type { Form } from './bindings/Form';
import type { Inspection } from './bindings/Inspection';
import type { Integrity } from './bindings/Integrity';
import type { Kept } from './bindings/Kept';
import type { KeyOrigin } from './bindings/KeyOrigin';
import type { KeyReport } from './bindings/KeyReport';
import type { KeyringHealth } from './bindings/KeyringHealth';
import type { KeyState } from './bindings/KeyState';
import type { KeyStatus } from './bindings/KeyStatus';
import type { KeyTest } from './bindings/KeyTest';
import type { LastRecovery } from './bindings/LastRecovery';
import type { LockReason } from './bindings/LockReason';
import type { LockedRecoveryReport } from './bindings/LockedRecoveryReport';
import type { NamedFile } from './bindings/NamedFile';
import type { Relation } from './bindings/Relation';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { RecoveryStatus } from './bindings/RecoveryStatus';
import type { Removal } from './bindings/Removal';
import type { SecretEntry } from './bindings/SecretEntry';
import type { SecretsMode } from './bindings/SecretsMode';
import type { SettingsSummary } from './bindings/SettingsSummary';
import type { SourceReport } from './bindings/SourceReport';
import type { ThreadSummary } from './bindings/ThreadSummary';
import type { ValueReport } from './bindings/ValueReport';
import type { RunningApp } from './bindings/RunningApp';
import type { RebuildReport } from './bindings/RebuildReport';
import type { RebuiltRow } from './bindings/RebuiltRow';
import type { Lang } from './i18n';
import type { Warning } from './bindings/Warning';


/** What a clear means, before the sample data gives its counts. */
const NO_CONSEQUENCES: ClearConsequences = {
  threads: 0,
  messages: 0,
  threadsKept: 0,
  settingsReset: false,
  account: null,
  gatewayProfiles: 0,
  sealedStateRemoved: false,
};

export const SCENARIOS = [
  'healthy',
  'empty',
  'corrupt',
  'sealed',
  'locked-key-missing',
  'locked-key-mismatch',
  'locked-key-invalid',
  'locked-malformed',
  'keyring-down',
  'xworkmate-running',
  'upgraded',
  'corrupt-mirrors',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The key that opens the fake's sealed data (bytes 1…32, base64url). */
export const FAKE_KEY = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA';

export const SAMPLE_DATA_DIR = '/home/sample/.local/share/plus.svc.xworkmate/xworkmate';
const OTHER_DATA_DIR = '/media/support/ticket-4711/xworkmate';

/** Sample data shown when the page runs outside the app. */
export const SAMPLE_APP_INFO: AppInfo = {
  version: '0.1.0-preview',
  commit: '0123456789ab',
  dataDir: SAMPLE_DATA_DIR,
  dataDirOrigin: 'default',
  secretsMode: 'auto',
  systemLocale: 'en_US.UTF-8',
};

const DAY = 86_400_000;
/** A fixed "now" so that screenshots do not change from run to run. */
const NOW = Date.UTC(2025, 10, 14, 6, 42, 0);
const SAVED = NOW - 2 * DAY + 3_600_000 * 3.5;
const OLD = NOW - 190 * DAY;

const SIZES = {
  settings: 1818,
  threads: 1445,
  settingsSealed: 2549,
  threadsSealed: 2061,
  backup: 4627,
  auditEntry: 123,
  database: 12288,
};

const SETTINGS_SUMMARY: SettingsSummary = {
  appLanguage: 'zh',
  accountUsername: 'vector-user',
  accountWorkspace: 'QA',
  gatewayProfiles: [
    { mode: 'local', host: '127.0.0.1', port: 18789, tls: false },
    { mode: 'remote', host: 'gateway.example.com', port: 9443, tls: true },
  ],
  aiGatewayBaseUrl: 'https://api.example.com/v1',
  assistantLastSessionKey: 'draft:local-1',
  archivedTaskCount: 1,
  customTaskTitleCount: 1,
  fieldCount: 32,
};

const THREADS: ThreadSummary[] = [
  { sessionKey: 'draft:local-1', title: '本地线程', archived: false, messageCount: 2, updatedAtMs: SAVED },
  { sessionKey: 'main', title: '研发任务', archived: true, messageCount: 3, updatedAtMs: SAVED - DAY },
];

const TOPICS = ['Release notes', '周报', 'Gateway setup', '发布计划', 'Bug triage', '客户反馈', 'Design review', '会议纪要'];

/**
 * `n` sample threads, the newest first: the two usual ones, then numbered ones
 * an hour apart (every seventh archived, one untitled).
 */
export function sampleThreads(n: number): ThreadSummary[] {
  const out = structuredClone(THREADS).slice(0, n);
  for (let k = out.length; k < n; k += 1) {
    out.push({
      sessionKey: `draft:local-${k + 1}`,
      title: k === 10 ? null : `${TOPICS[k % TOPICS.length]} ${k + 1}`,
      archived: k % 7 === 0,
      messageCount: (k % 9) + 1,
      updatedAtMs: SAVED - DAY - (k - 1) * 3_600_000,
    });
  }
  return out;
}

const SECRET_NAMES: ReadonlyArray<[string, string]> = [
  ['gateway_token', 'xworkmate.gateway.token'],
  ['gateway_password', 'xworkmate.gateway.password'],
  ['ai_gateway_api_key', 'xworkmate.ai_gateway.api_key'],
  ['vault_token', 'xworkmate.vault.token'],
  ['ollama_cloud_api_key', 'xworkmate.ollama.cloud.api_key'],
  ['device_id', 'xworkmate.gateway.device.id'],
  ['device_public_key', 'xworkmate.gateway.device.public_key'],
  ['device_private_key', 'xworkmate.gateway.device.private_key'],
  ['local_state_key', 'xworkmate.local_state.key'],
];

const KEYRING_OK: KeyringHealth = {
  service: 'secret-service',
  reachable: true,
  elapsedMs: 4,
  error: null,
  item: { label: 'plus.svc.xworkmate/FlutterSecureStorage', schema: "'", readByXworkmate: true },
  otherItems: [],
};
const KEYRING_DOWN: KeyringHealth = {
  service: 'secret-service',
  reachable: false,
  elapsedMs: 3000,
  error: 'org.freedesktop.secrets did not answer within 3 s',
  item: null,
  otherItems: [],
};

interface StoredDoc {
  /** SQLite value form. */
  sqlite: Form;
  /** Mirror file form. */
  mirror: Form;
  /** A sealed value here has a broken envelope. */
  damaged: boolean;
}

interface SecretSlot {
  backend: SecretBackend;
  masked: string;
  /** The secret is there but cannot be read. */
  problem?: string;
}

/** The modelled data folder. */
interface World {
  dataDir: string;
  origin: DataDirOrigin;
  exists: boolean;
  db: Integrity;
  dbProblem: string | null;
  docs: Record<DocKind, StoredDoc>;
  auditEntries: number;
  /** Legacy backup file (schema 2, sealed), holding both documents. */
  backup: { damaged: boolean } | null;
  keyStorage: KeyState;
  keyStorageRight: boolean;
  keyFile: KeyState;
  keyFileRight: boolean;
  secrets: Map<string, SecretSlot>;
  mode: SecretsMode;
  keyring: KeyringHealth | null;
  legacySecretFiles: string[];
  lastRecovery: LastRecovery | null;
  /** A running XWorkmate on this folder (every write refuses). */
  running: RunningApp | null;
  /** Generations newer than A in the folder (an upgraded install), oldest first. */
  later: GenerationReport[];
  /** Generation A's threads (when its threads document is readable). */
  threadList: ThreadSummary[];
}

function plainDocs(): Record<DocKind, StoredDoc> {
  return {
    settings: { sqlite: 'plain', mirror: 'plain', damaged: false },
    threads: { sqlite: 'plain', mirror: 'plain', damaged: false },
  };
}

function missingDocs(): Record<DocKind, StoredDoc> {
  return {
    settings: { sqlite: 'missing', mirror: 'missing', damaged: false },
    threads: { sqlite: 'missing', mirror: 'missing', damaged: false },
  };
}

function fileSecrets(...pairs: Array<[string, string]>): Map<string, SecretSlot> {
  return new Map(pairs.map(([name, masked]) => [name, { backend: 'file', masked }]));
}

/** The starting state of each scenario (after the shared-fixture stores). */
export function scenarioWorld(scenario: Scenario, dataDir = SAMPLE_DATA_DIR, origin: DataDirOrigin = 'default'): World {
  const base: World = {
    dataDir,
    origin,
    exists: true,
    db: 'ok',
    dbProblem: null,
    docs: plainDocs(),
    auditEntries: 1,
    backup: null,
    keyStorage: 'missing',
    keyStorageRight: false,
    keyFile: 'missing',
    keyFileRight: false,
    secrets: fileSecrets(['gateway_token', 'sam••••001'], ['ai_gateway_api_key', 'sam••••002']),
    mode: 'auto',
    keyring: { ...KEYRING_OK },
    legacySecretFiles: [],
    lastRecovery: null,
    running: null,
    later: [],
    threadList: structuredClone(THREADS),
  };
  const locked = (): World => ({
    ...base,
    db: 'missing',
    docs: {
      settings: { sqlite: 'missing', mirror: 'sealed', damaged: false },
      threads: { sqlite: 'missing', mirror: 'missing', damaged: false },
    },
    auditEntries: 0,
    backup: { damaged: false },
    secrets: fileSecrets(['vault_token', 'sam••••003']),
  });
  switch (scenario) {
    case 'healthy':
      return base;
    case 'empty':
      return {
        ...base,
        exists: false,
        db: 'missing',
        docs: missingDocs(),
        auditEntries: 0,
        secrets: new Map(),
      };
    case 'corrupt':
      return {
        ...base,
        db: 'corrupt',
        dbProblem: 'database disk image is malformed',
        docs: {
          settings: { sqlite: 'missing', mirror: 'plain', damaged: false },
          threads: { sqlite: 'missing', mirror: 'unreadable', damaged: false },
        },
        auditEntries: 0,
        secrets: new Map([
          ['gateway_token', { backend: 'file', masked: 'sam••••001' }],
          ['vault_token', { backend: 'file', masked: 'Not set', problem: 'the file is not valid UTF-8' }],
        ]),
      };
    case 'corrupt-mirrors':
      // A damaged database beside readable mirror files: the data is still there.
      return {
        ...base,
        db: 'corrupt',
        dbProblem: 'database disk image is malformed',
        docs: {
          settings: { sqlite: 'missing', mirror: 'plain', damaged: false },
          threads: { sqlite: 'missing', mirror: 'plain', damaged: false },
        },
        auditEntries: 0,
      };
    case 'sealed':
      return {
        ...base,
        db: 'missing',
        docs: {
          settings: { sqlite: 'missing', mirror: 'sealed', damaged: false },
          threads: { sqlite: 'missing', mirror: 'sealed', damaged: false },
        },
        auditEntries: 0,
        keyFile: 'present',
        keyFileRight: true,
        secrets: fileSecrets(['gateway_token', 'sam••••001']),
      };
    case 'locked-key-missing':
      return locked();
    case 'locked-key-mismatch':
      return { ...locked(), keyFile: 'present', keyFileRight: false };
    case 'locked-key-invalid':
      return { ...locked(), keyFile: 'invalid' };
    case 'locked-malformed':
      return {
        ...locked(),
        docs: {
          settings: { sqlite: 'missing', mirror: 'sealed', damaged: true },
          threads: { sqlite: 'missing', mirror: 'missing', damaged: false },
        },
        backup: { damaged: true },
        keyStorage: 'present',
        keyStorageRight: true,
        secrets: new Map([
          ['vault_token', { backend: 'file', masked: 'sam••••003' }],
          ['local_state_key', { backend: 'keyring', masked: 'AQI••••eyA' }],
        ]),
      };
    case 'xworkmate-running':
      return { ...base, running: { pid: 4242, name: 'xworkmate', holdsDataDir: true } };
    case 'upgraded':
      // An upgraded Linux install: 0.6.1's data left beside 1.1.7's (gen-a-plus-c).
      return { ...base, later: [generationC(dataDir)] };
    case 'keyring-down':
      return {
        ...base,
        keyring: { ...KEYRING_DOWN },
        secrets: fileSecrets(
          ['gateway_token', 'sam••••001'],
          ['ai_gateway_api_key', 'sam••••002'],
          ['vault_token', 'sam••••003'],
        ),
      };
  }
}

function threadCountParam(value: string | null): number | undefined {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= 0 && n <= 100_000 ? n : undefined;
}

function isScenario(value: string | null): value is Scenario {
  return value !== null && (SCENARIOS as readonly string[]).includes(value);
}

/** True for base64url (padding allowed) of exactly 32 bytes. */
export function isValidKey(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) return false;
  const body = trimmed.replace(/=+$/, '');
  return Math.floor((body.length * 6) / 8) === 32 && body.length === 43;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface FakeOptions {
  scenario?: Scenario;
  /** Every call (or those in `failOn`) fails with this code. */
  failWith?: string;
  failOn?: string[];
  delayMs?: number;
  systemLocale?: string;
  cancel?: { backup?: boolean; export?: boolean; choose?: boolean; pick?: boolean; restore?: boolean; open?: boolean };
  loseSecret?: boolean;
  /** Clear stops before its last item (like the core when an item cannot be removed). */
  stopPartWay?: boolean;
  /** How many threads generation A holds (default 2). */
  threadCount?: number;
}

/**
 * A backend with sample data, for a plain browser. `failWith` makes every call
 * fail with that error code (the URL's `?fail=CODE` sets it), so error states can
 * be looked at too.
 */
export class FakeBackend implements Backend {
  readonly isFake = true;
  private world: World;
  private readonly options: FakeOptions;
  private candidate: string | null = null;
  private plan: ClearPlan | null = null;
  private restore: RestorePlan | null = null;
  private lastExport = 0;
  private info: AppInfo;
  /** The languages the UI told the shell, in order (`setLanguage`). */
  readonly languages: Lang[] = [];

  constructor(info: AppInfo = SAMPLE_APP_INFO, failWith?: string, options: FakeOptions = {}) {
    this.options = { delayMs: 0, ...options, failWith: failWith ?? options.failWith };
    this.info = { ...info, systemLocale: options.systemLocale ?? info.systemLocale };
    this.world = scenarioWorld(options.scenario ?? 'healthy', info.dataDir, info.dataDirOrigin);
    if (options.threadCount !== undefined) this.world.threadList = sampleThreads(options.threadCount);
  }

  static fromUrl(url: string): FakeBackend {
    const params = new URL(url).searchParams;
    const scenario = params.get('scenario');
    const delay = Number(params.get('delay') ?? '150');
    const failOn = params.get('failOn');
    return new FakeBackend(SAMPLE_APP_INFO, params.get('fail') ?? undefined, {
      scenario: isScenario(scenario) ? scenario : 'healthy',
      failOn: failOn ? failOn.split(',') : undefined,
      delayMs: Number.isFinite(delay) && delay >= 0 ? delay : 150,
      systemLocale: params.get('locale') ?? SAMPLE_APP_INFO.systemLocale,
      cancel: {
        backup: params.get('backup') === 'cancel',
        export: params.get('export') === 'cancel',
        choose: params.get('choose') === 'cancel',
        pick: params.get('pick') === 'cancel',
      },
      loseSecret: params.get('secrets') === 'lost',
      stopPartWay: params.get('clear') === 'stop',
      threadCount: threadCountParam(params.get('threads')),
    });
  }

  private async step(method: string): Promise<void> {
    if (this.options.delayMs) await wait(this.options.delayMs);
    const code = this.options.failWith;
    if (code && (!this.options.failOn || this.options.failOn.includes(method))) {
      throw new BackendError(code, `sample failure (${code}) in ${method}`);
    }
  }

  /** What the core does before any write while XWorkmate runs on the folder. */
  private refuseIfRunning(): void {
    const running = this.world.running;
    if (running) {
      throw new BackendError(
        'xworkmate_running',
        `XWorkmate is running (process ${running.pid}, ${running.name}) and uses this data folder: quit XWorkmate first, then try again; nothing was changed`,
      );
    }
  }

  /** The sample XWorkmate quits (for tests of "Check again"). */
  quitXWorkmate(): void {
    this.world.running = null;
  }

  async appInfo(): Promise<AppInfo> {
    await this.step('appInfo');
    return { ...this.info };
  }

  async inspect(): Promise<Inspection> {
    await this.step('inspect');
    return inspectWorld(this.world);
  }

  async lockedReport(): Promise<LockedRecoveryReport> {
    await this.step('lockedReport');
    const report = recoveryReport(this.world, null, true, 'assess');
    return {
      lastRecovery: this.world.lastRecovery,
      lastRecoveryError: null,
      generationsPresent: presentIds(this.world),
      ...report,
    };
  }

  /** Every call takes `delayMs` from now on (tests: a long operation). */
  slowDown(delayMs: number): void {
    this.options.delayMs = delayMs;
  }

  /** The recovery now running, as the core counts it (`progress`, `cancel`). */
  private running: ProgressReport | null = null;

  async progress(): Promise<ProgressReport | null> {
    return this.running ? { ...this.running } : null;
  }

  async cancel(): Promise<boolean> {
    if (!this.running || this.running.writing) return false;
    this.running.cancelled = true;
    return true;
  }

  async recover(options: { dryRun: boolean; useCandidateKey: boolean }): Promise<RecoveryReport> {
    // Reading, in four parts: a cancel before the writing begins stops it
    // with nothing changed, as the core does.
    const run = await this.readSlowly();
    try {
      if (!options.dryRun) run.writing = true;
      return await this.recoverNow(options);
    } finally {
      this.running = null;
    }
  }

  /** A long read in four parts (`delayMs` in all), cancellable until it ends. */
  private async readSlowly(): Promise<ProgressReport> {
    const run: ProgressReport = { done: 0, total: 4 * 1024 * 1024, writing: false, cancelled: false };
    this.running = run;
    for (let part = 0; part < 4; part += 1) {
      if (this.options.delayMs) await wait(this.options.delayMs / 4);
      if (run.cancelled) {
        this.running = null;
        throw new BackendError('cancelled', 'cancelled before anything was written');
      }
      run.done += 1024 * 1024;
    }
    return run;
  }

  /** Clear's backup, written as the core writes it: cancellable until the removals begin. */
  private async writeBackupSlowly(): Promise<void> {
    const run = await this.readSlowly();
    run.writing = true;
    this.running = null;
  }

  private async recoverNow(options: { dryRun: boolean; useCandidateKey: boolean }): Promise<RecoveryReport> {
    await this.step('recover');
    if (options.useCandidateKey && this.candidate === null) {
      throw new BackendError('key_invalid', 'no candidate key: test a key first');
    }
    if (!options.dryRun) this.refuseIfRunning();
    const key = options.useCandidateKey ? this.candidate : null;
    const report = recoveryReport(this.world, key, options.dryRun, 'run');
    if (!options.dryRun) {
      applyRecovery(this.world, report, key);
      this.world.lastRecovery = { recordedAtMs: Date.now(), report };
      if (report.status === 'migrated' && key !== null) this.candidate = null;
    }
    return report;
  }

  async testKey(key: string | null): Promise<KeyTestResult | null> {
    await this.step('testKey');
    let text = key;
    let fileName: string | null = null;
    if (text === null) {
      if (this.options.cancel?.pick) return null;
      text = FAKE_KEY;
      fileName = 'local-state-key.txt';
    }
    const test = keyTest(this.world, text);
    this.candidate = test.valid ? text.trim() : null;
    return { source: key === null ? 'file' : 'pasted', fileName, test };
  }

  async forgetCandidateKey(): Promise<void> {
    await this.step('forgetCandidateKey');
    this.candidate = null;
  }

  async clearPlan(generation?: GenerationId, scope?: ClearScope): Promise<ClearPlan> {
    await this.step('clearPlan');
    // Like the app's command: a refused plan leaves the last one remembered.
    this.plan = clearPlan(this.world, generation, scope);
    return structuredClone(this.plan);
  }

  async clearExecute(options: { backup: boolean }): Promise<ClearOutcome | null> {
    await this.step('clearExecute');
    const plan = this.plan;
    if (!plan) throw new BackendError('stale_plan', 'no clear plan was shown');
    this.refuseIfRunning();
    const now = clearPlan(this.world, plan.generation, plan.scope);
    if (JSON.stringify([now.removals, now.rewrite]) !== JSON.stringify([plan.removals, plan.rewrite])) {
      this.plan = null;
      throw new BackendError('stale_plan', 'the data changed since the plan was made');
    }
    if (options.backup && this.options.cancel?.backup) return null;
    if (options.backup) await this.writeBackupSlowly();
    const backup = options.backup ? `/home/sample/Documents/xworkmate-backup-2025-11-14.json` : null;
    const before = [...this.world.secrets.keys()];
    if (plan.generation !== 'A') {
      applyFilesClear(this.world, plan.generation, plan.scope);
      this.plan = null;
      return {
        generation: plan.generation,
        scope: plan.scope,
        rewritten: null,
        removed: plan.removals,
        kept: plan.kept,
        backup,
        secretsVerified: true,
        secretsUnchecked: [],
        secretsMissingAfter: [],
        warnings: [...plan.warnings],
        remaining: [],
        failure: null,
      };
    }
    if (plan.rewrite) return this.clearRewrite(plan, backup, before);
    if (this.options.stopPartWay && plan.removals.length > 1) {
      // Like the core: the files go, the rows (last) stay, the error is kept.
      const removed = plan.removals.filter((r) => r.kind !== 'sqlite_row');
      const remaining = plan.removals.filter((r) => r.kind === 'sqlite_row');
      for (const doc of scopeDocs(plan.scope)) this.world.docs[doc] = { ...this.world.docs[doc], mirror: 'missing' };
      this.plan = null;
      return {
        generation: 'A',
        scope: plan.scope,
        rewritten: null,
        removed,
        remaining,
        failure: { code: 'database_error', message: 'database error in config-store.sqlite3: disk I/O error' },
        kept: keptOf(this.world),
        backup,
        secretsVerified: true,
        secretsUnchecked: [],
        secretsMissingAfter: [],
        warnings: [...plan.warnings],
      };
    }
    applyClear(this.world, plan.scope);
    if (this.options.loseSecret && before.length > 0) this.world.secrets.delete(before[0]!);
    const missing = before.filter((name) => !this.world.secrets.has(name));
    this.plan = null;
    return {
      generation: 'A',
      scope: plan.scope,
      rewritten: null,
      removed: plan.removals,
      kept: keptOf(this.world),
      backup,
      secretsVerified: missing.length === 0,
      secretsUnchecked: [],
      secretsMissingAfter: missing,
      // Like the core: the plan's warnings stay in the outcome.
      warnings: [...plan.warnings],
      remaining: [],
      failure: null,
    };
  }

  /** A part of the threads: the thread list written again without them (core `execute_rewrite`). */
  private clearRewrite(plan: ClearPlan, backup: string | null, before: string[]): ClearOutcome {
    const world = this.world;
    if (world.db === 'corrupt') {
      // The new list's row is written first: a damaged database refuses it, and nothing changes.
      this.plan = null;
      throw new BackendError(
        'database_error',
        `database error in ${join(world.dataDir, 'config-store.sqlite3')}: ${world.dbProblem ?? 'database disk image is malformed'}`,
      );
    }
    refuseIfANotCurrent(world);
    const { kept, rewrite } = rewriteThreads(world.threadList, plan.scope);
    world.threadList = kept;
    world.docs.threads = { sqlite: 'plain', mirror: 'plain', damaged: false };
    world.db = 'ok';
    world.auditEntries += 1;
    const missing = before.filter((name) => !world.secrets.has(name));
    this.plan = null;
    return {
      generation: 'A',
      scope: plan.scope,
      removed: [],
      rewritten: rewrite,
      remaining: [],
      failure: null,
      kept: keptOf(world),
      backup,
      secretsVerified: missing.length === 0,
      secretsUnchecked: [],
      secretsMissingAfter: missing,
      warnings: [...plan.warnings],
    };
  }

  async exportThreads(generation?: GenerationId): Promise<ThreadsExport | null> {
    await this.step('exportThreads');
    const gens = inspectWorld(this.world).generations;
    const g = generation ? gens.find((x) => x.id === generation) : gens.find((x) => x.current);
    if (!g) throw new BackendError('no_such_generation', `there is no generation ${generation ?? ''} here`);
    if (this.options.cancel?.export) return null;
    // Written a part at a time: a cancel leaves no file.
    await this.readSlowly();
    this.running = null;
    return {
      generation: g.id,
      format: 'html',
      threads: g.threads.stored,
      messages: g.threads.stored * 2,
      out: `/home/sample/Documents/xworkmate-threads-${g.id.toLowerCase()}-2025-11-14.html`,
      bytes: 2048 * g.threads.stored,
    };
  }

  async restorePlan(): Promise<RestorePlan | null> {
    await this.step('restorePlan');
    if (this.options.cancel?.restore) return null;
    // Reading the backup: cancellable to its end (it only reads).
    await this.readSlowly();
    this.running = null;
    const dir = this.world.dataDir;
    // The backup of the last clear: both documents, as they were.
    const readable = DOCS.filter((d) => this.world.docs[d].mirror === 'plain' || this.world.docs[d].sqlite === 'plain');
    const items: RestoreItem[] = DOCS.map((doc) => ({
      kind: 'document' as const,
      path: join(dir, MIRROR_FILE[doc]),
      storageKey: STORAGE_KEY[doc],
      bytes: sizeOf(doc, 'plain') ?? 0,
      replaces: readable.includes(doc),
    }));
    this.restore = {
      backup: '/home/sample/Documents/xworkmate-backup-2025-11-14.json',
      createdAtMs: SAVED + 3_600_000,
      madeBy: 'xworkmate-diagnostics 0.1.0',
      fromDataDir: dir,
      dataDir: dir,
      generationDir: dir,
      generation: 'A',
      items,
      threadCount: this.world.threadList.length,
      settingsIncluded: true,
      skipped: [],
    };
    return structuredClone(this.restore);
  }

  async restoreExecute(options: { replace: boolean }): Promise<RestoreOutcome> {
    await this.step('restoreExecute');
    const plan = this.restore;
    if (!plan) throw new BackendError('stale_plan', 'no restore plan was made');
    this.refuseIfRunning();
    const conflicts = plan.items.filter((i) => i.replaces);
    if (conflicts.length > 0 && !options.replace) {
      throw new BackendError('restore_conflict', `restoring would replace data that is readable now`);
    }
    // Its safety backup, cancellable until the first write to the store;
    // then its writes, which are not.
    const run = await this.readSlowly();
    run.writing = true;
    if (this.options.delayMs) await wait(this.options.delayMs / 2);
    this.running = null;
    if (this.world.db === 'missing') this.world.db = 'ok';
    for (const doc of DOCS) this.world.docs[doc] = { sqlite: 'plain', mirror: 'plain', damaged: false };
    this.restore = null;
    return {
      restored: plan.items,
      safetyBackup:
        conflicts.length > 0 ? `${this.world.dataDir}/.xworkmate-diagnostics/restore-backup-1763114400000.json` : null,
    };
  }

  async openReport(): Promise<SupportReport | null> {
    await this.step('openReport');
    if (this.options.cancel?.open) return null;
    // A report a user sent: a locked store on someone else's machine.
    const world = scenarioWorld('locked-key-missing', '/home/alice/.local/share/plus.svc.xworkmate/xworkmate');
    const i = inspectWorld(world);
    return {
      reportVersion: 1,
      generatedAtMs: SAVED + 7_200_000,
      tool: 'xworkmate-diagnostics 0.1.0',
      os: 'linux',
      dataDir: i.dataDir,
      dataDirOrigin: 'default',
      dataDirExists: true,
      databaseIntegrity: i.database.integrity,
      databaseProblem: null,
      storage: i.storage.map((s) => ({
        storageKey: s.storageKey,
        sqlite: s.sqlite.form,
        sqliteBytes: s.sqlite.bytes,
        mirror: s.mirror?.form ?? null,
        mirrorBytes: s.mirror?.bytes ?? null,
        relation: s.relation,
      })),
      settingsPresent: i.settings.present,
      settingsSource: i.settings.source,
      appLanguage: null,
      gatewayProfileCount: 0,
      threadsPresent: i.threads.present,
      threadCount: i.threads.count,
      archivedThreadCount: i.threads.archived,
      messageCount: i.threads.messages,
      secrets: i.secrets.entries.map((e) => ({ name: e.name, present: e.present, backend: e.backend })),
      keyring: null,
      legacySecretFileCount: 0,
      backupSchemaVersion: 2,
      sharedPreferencesKeys: [],
      keyInSecureStorage: false,
      keyFilePresent: false,
      auditEntries: 0,
      recovery: recoveryReport(world, null, true, 'assess'),
      lastRecovery: null,
      warnings: i.warnings,
      generations: [],
      nextSteps: [],
    };
  }

  async exportReport(): Promise<string | null> {
    await this.step('exportReport');
    if (this.options.cancel?.export) return null;
    // Reading the folder, then the file: a cancel leaves no file.
    await this.readSlowly();
    this.running = null;
    this.lastExport += 1;
    return `/home/sample/Desktop/xworkmate-support-report${this.lastExport > 1 ? `-${this.lastExport}` : ''}.json`;
  }

  async copyReport(): Promise<void> {
    await this.step('copyReport');
  }

  async copyDataDir(): Promise<void> {
    await this.step('copyDataDir');
  }

  async openDataDir(): Promise<void> {
    await this.step('openDataDir');
    if (!this.world.exists) throw new BackendError('not_found', `${this.world.dataDir} does not exist`);
  }

  async chooseDataDir(): Promise<AppInfo | null> {
    await this.step('chooseDataDir');
    if (this.options.cancel?.choose) return null;
    // Support staff open a copied folder: here, a copy of a locked store.
    this.world = scenarioWorld('locked-key-missing', OTHER_DATA_DIR, 'explicit');
    this.candidate = null;
    this.plan = null;
    this.info = { ...this.info, dataDir: OTHER_DATA_DIR, dataDirOrigin: 'explicit' };
    return { ...this.info };
  }

  async rebuildDatabase(dryRun: boolean): Promise<RebuildReport> {
    await this.step('rebuildDatabase');
    if (!dryRun) {
      // Like the core: these refusals come before anything is read.
      this.refuseIfRunning();
      refuseIfANotCurrent(this.world);
    }
    // Reading the damaged database (and writing the new one aside):
    // cancellable until the damaged one is moved aside.
    const run = await this.readSlowly();
    if (!dryRun) run.writing = true;
    this.running = null;
    const report = rebuildReport(this.world, !dryRun);
    if (!dryRun) applyRebuild(this.world, report);
    return report;
  }

  /** How many times the UI said its first load is on screen. */
  paintedCalls = 0;

  async painted(): Promise<void> {
    this.paintedCalls += 1;
  }

  async setLanguage(lang: Lang): Promise<void> {
    await this.step('setLanguage');
    this.languages.push(lang);
  }
}

// --- the model -----------------------------------------------------------------

const DOCS: readonly DocKind[] = ['settings', 'threads'];
const STORAGE_KEY: Record<DocKind, string> = {
  settings: 'xworkmate.settings.snapshot',
  threads: 'xworkmate.assistant.threads',
};
const MIRROR_FILE: Record<DocKind, string> = {
  settings: 'settings-snapshot.json',
  threads: 'assistant-threads.json',
};
const AUDIT_KEY = 'xworkmate.secrets.audit';

function join(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

function parent(dir: string): string {
  const trimmed = dir.replace(/\/+$/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('/')) || '/';
}

function sizeOf(doc: DocKind, form: Form): number | null {
  if (form === 'plain') return SIZES[doc];
  if (form === 'sealed') return doc === 'settings' ? SIZES.settingsSealed : SIZES.threadsSealed;
  if (form === 'unreadable') return 311;
  return null;
}

function valueReport(doc: DocKind, form: Form, where: 'sqlite' | 'mirror', damaged: boolean): ValueReport {
  const plainMs = where === 'sqlite' ? SAVED : SAVED + 40;
  return {
    form,
    bytes: sizeOf(doc, form),
    updatedAtMs: form === 'missing' ? null : form === 'plain' ? plainMs : OLD,
    problem:
      form === 'unreadable'
        ? 'not JSON: expected value at line 1 column 1'
        : form === 'sealed' && damaged
          ? 'damaged sealed value: the nonce is not 12 bytes'
          : null,
  };
}

function relationOf(sqlite: Form, mirror: Form): Relation {
  if (sqlite === 'missing' && mirror === 'missing') return 'both_missing';
  if (sqlite === 'sealed' || mirror === 'sealed') return 'sealed_legacy';
  if (sqlite === 'unreadable' || mirror === 'unreadable') return 'unreadable';
  if (sqlite === 'plain' && mirror === 'missing') return 'mirror_missing';
  if (sqlite === 'missing' && mirror === 'plain') return 'database_missing';
  return 'in_sync';
}

function fileMeta(name: string, path: string, exists: boolean, size: number | null, isDir = false, ms = SAVED): NamedFile {
  return {
    name,
    path,
    exists,
    isDir,
    size: exists && !isDir ? size : null,
    modifiedMs: exists ? ms : null,
    mode: exists ? (isDir ? '0700' : '0600') : null,
    error: null,
  };
}

function dbHasRows(world: World): boolean {
  return world.db === 'ok';
}

function secretEntries(world: World, withMask: boolean): SecretEntry[] {
  return SECRET_NAMES.map(([name, storageKey]) => {
    const slot = world.secrets.get(name);
    const entry: SecretEntry = {
      name,
      storageKey,
      present: slot !== undefined && !slot.problem,
      backend: slot?.backend ?? 'none',
      problem: slot?.problem ?? null,
    };
    if (withMask) entry.masked = slot && !slot.problem ? slot.masked : 'Not set';
    return entry;
  });
}

export function inspectWorld(world: World): Inspection {
  const dir = world.dataDir;
  const warnings: Warning[] = [];
  if (!world.exists) warnings.push({ code: 'data_dir_missing', message: `${dir} does not exist` });
  const dbPath = join(dir, 'config-store.sqlite3');
  if (world.db === 'corrupt') {
    warnings.push({ code: 'database_corrupt', message: `${dbPath} is damaged: ${world.dbProblem ?? ''}` });
  }
  const storage: KeyStatus[] = DOCS.map((doc) => {
    const d = world.docs[doc];
    const sqlite = world.db === 'ok' ? d.sqlite : 'missing';
    return {
      storageKey: STORAGE_KEY[doc],
      sqlite: valueReport(doc, sqlite, 'sqlite', false),
      mirror: valueReport(doc, d.mirror, 'mirror', d.damaged),
      relation: relationOf(sqlite, d.mirror),
    };
  });
  const auditPresent = world.db === 'ok' && world.auditEntries > 0;
  storage.push({
    storageKey: AUDIT_KEY,
    sqlite: {
      form: auditPresent ? 'plain' : 'missing',
      bytes: auditPresent ? SIZES.auditEntry * world.auditEntries : null,
      updatedAtMs: auditPresent ? SAVED : null,
      problem: null,
    },
    mirror: null,
    relation: 'no_mirror',
  });
  for (const s of storage) {
    if (s.relation === 'sealed_legacy') {
      warnings.push({ code: 'sealed_legacy', message: `${s.storageKey} holds sealed legacy state; run recovery` });
    } else if (s.relation === 'unreadable') {
      warnings.push({ code: 'unreadable_value', message: `${s.storageKey} has an unreadable value` });
    }
  }
  const readable = (doc: DocKind): 'database' | 'mirror' | 'none' => {
    const d = world.docs[doc];
    if (world.db === 'ok' && d.sqlite === 'plain') return 'database';
    if (d.mirror === 'plain') return 'mirror';
    return 'none';
  };
  const settingsSource = readable('settings');
  const threadsSource = readable('threads');
  const usingFileFallback = world.mode === 'auto' && world.keyring !== null && !world.keyring.reachable;
  if (world.running) {
    warnings.push({
      code: 'xworkmate_running',
      message: `XWorkmate is running (process ${world.running.pid}); nothing can be changed until it is quit`,
    });
  }
  if (world.keyring && !world.keyring.reachable) {
    warnings.push({
      code: 'keyring_unavailable',
      message: `keyring unavailable, using file fallback: ${world.keyring.error ?? ''}`,
    });
  }
  for (const [name, slot] of world.secrets) {
    if (slot.problem) warnings.push({ code: 'secret_unreadable', message: `${name} could not be read: ${slot.problem}` });
  }
  if (world.legacySecretFiles.length > 0) {
    warnings.push({
      code: 'legacy_secret_files',
      message:
        world.legacySecretFiles.length === 1
          ? '1 legacy plain secret file in gateway-auth/'
          : `${world.legacySecretFiles.length} legacy plain secret files in gateway-auth/`,
    });
  }
  const entries = dbHasRows(world)
    ? [
        ...DOCS.filter((doc) => world.docs[doc].sqlite !== 'missing').map((doc) => ({
          storageKey: STORAGE_KEY[doc],
          bytes: sizeOf(doc, world.docs[doc].sqlite) ?? 0,
          updatedAtMs: SAVED,
        })),
        ...(world.auditEntries > 0
          ? [{ storageKey: AUDIT_KEY, bytes: SIZES.auditEntry * world.auditEntries, updatedAtMs: SAVED }]
          : []),
      ].sort((a, b) => a.storageKey.localeCompare(b.storageKey))
    : [];
  const gatewayAuth = world.exists;
  const keyFile = join(dir, 'gateway-auth/local-state-key.txt');
  return {
    dataDir: dir,
    dataDirOrigin: world.origin,
    dataDirExists: world.exists,
    xworkmateRunning: world.running,
    files: [
      fileMeta('config-store.sqlite3', dbPath, world.db !== 'missing', SIZES.database),
      ...DOCS.map((doc) =>
        fileMeta(
          MIRROR_FILE[doc],
          join(dir, MIRROR_FILE[doc]),
          world.docs[doc].mirror !== 'missing',
          sizeOf(doc, world.docs[doc].mirror),
          false,
          world.docs[doc].mirror === 'plain' ? SAVED + 40 : OLD,
        ),
      ),
      fileMeta('assistant-state-backup.json', join(dir, 'assistant-state-backup.json'), world.backup !== null, SIZES.backup, false, OLD),
      fileMeta('gateway-auth', join(dir, 'gateway-auth'), gatewayAuth, null, true, OLD),
      fileMeta('gateway-auth/secure-storage', join(dir, 'gateway-auth/secure-storage'), gatewayAuth, null, true, OLD),
    ],
    database: {
      path: dbPath,
      exists: world.db !== 'missing',
      integrity: world.db,
      problem: world.db === 'corrupt' ? world.dbProblem : null,
      hasTable: world.db === 'ok',
      entries,
    },
    storage,
    settings: {
      present: settingsSource !== 'none',
      source: settingsSource,
      summary: settingsSource === 'none' ? null : structuredClone(SETTINGS_SUMMARY),
    },
    threads:
      threadsSource === 'none'
        ? { present: false, source: 'none', count: 0, archived: 0, messages: 0, threads: [] }
        : {
            present: true,
            source: threadsSource,
            count: world.threadList.length,
            archived: world.threadList.filter((t) => t.archived).length,
            messages: world.threadList.reduce((n, t) => n + t.messageCount, 0),
            threads: structuredClone(world.threadList),
          },
    secrets: {
      mode: world.mode,
      keyring: world.keyring ? { ...world.keyring } : null,
      usingFileFallback,
      entries: secretEntries(world, true),
      legacyFiles: [...world.legacySecretFiles],
    },
    legacy: {
      backup: world.backup
        ? { path: join(dir, 'assistant-state-backup.json'), schemaVersion: 2, sealed: true, problem: null }
        : null,
      sharedPreferences: null,
      keyInSecureStorage: world.keyStorage === 'present',
      keyFile,
      keyFilePresent: world.keyFile !== 'missing',
    },
    audit: {
      entries: auditPresent ? world.auditEntries : 0,
      readable: world.db !== 'corrupt',
      latest: auditPresent
        ? { timeLabel: '10:00', action: 'Updated', provider: 'Vault', target: 'vault_token', module: 'Settings', status: 'Success' }
        : null,
    },
    warnings,
    generations: generationsOf(world, {
      settings: settingsSource !== 'none',
      threads: threadsSource === 'none' ? 0 : world.threadList.length,
      secrets: secretEntries(world, true),
      audit: auditPresent ? world.auditEntries : 0,
      warnings,
    }),
    elapsedMs: 38,
  };
}

/** The keys that recovery would try, in order, and whether each opens the data. */
function keysOf(world: World, supplied: string | null): Array<{ origin: KeyOrigin; valid: boolean; right: boolean }> {
  const keys: Array<{ origin: KeyOrigin; valid: boolean; right: boolean }> = [];
  if (world.keyStorage !== 'missing') {
    keys.push({ origin: 'secure_storage', valid: world.keyStorage === 'present', right: world.keyStorageRight });
  }
  if (world.keyFile !== 'missing') {
    keys.push({ origin: 'key_file', valid: world.keyFile === 'present', right: world.keyFileRight });
  }
  if (supplied !== null) {
    const valid = isValidKey(supplied);
    keys.push({ origin: 'supplied', valid, right: valid && supplied.trim() === FAKE_KEY });
  }
  return keys;
}

interface SealedItem {
  path: string;
  kind: 'mirror' | 'backup';
  document: 'settings' | 'threads' | 'both';
  damaged: boolean;
}

function sealedItems(world: World): SealedItem[] {
  const items: SealedItem[] = [];
  for (const doc of DOCS) {
    const d = world.docs[doc];
    if (d.mirror === 'sealed') {
      items.push({ path: join(world.dataDir, MIRROR_FILE[doc]), kind: 'mirror', document: doc, damaged: d.damaged });
    }
  }
  if (world.backup) {
    items.push({
      path: join(world.dataDir, 'assistant-state-backup.json'),
      kind: 'backup',
      document: 'both',
      damaged: world.backup.damaged,
    });
  }
  return items;
}

function sourceOf(world: World, item: SealedItem, supplied: string | null): SourceReport {
  const base = { path: item.path, kind: item.kind, document: item.document } as const;
  if (item.damaged) {
    return { ...base, state: 'locked', reason: 'malformed', detail: 'the sealed envelope is damaged (nonce is not 12 bytes)' };
  }
  const keys = keysOf(world, supplied);
  const opener = keys.find((k) => k.valid && k.right);
  if (opener) return { ...base, state: 'unsealed', openedWith: opener.origin };
  let reason: LockReason;
  if (keys.length === 0) reason = 'key_missing';
  else if (keys.every((k) => !k.valid)) reason = 'key_invalid';
  else reason = 'key_mismatch';
  return {
    ...base,
    state: 'locked',
    reason,
    detail: item.kind === 'backup' ? 'the sealed backup cannot be opened' : 'the sealed value cannot be opened',
  };
}

function keyReport(world: World, supplied: string | null, moved = false, stored = false): KeyReport {
  const report: KeyReport = {
    secureStorage: world.keyStorage,
    keyFile: join(world.dataDir, 'gateway-auth/local-state-key.txt'),
    keyFileState: world.keyFile,
    keyFileMoved: moved,
    suppliedKeyStored: stored,
  };
  if (supplied !== null) report.supplied = isValidKey(supplied) ? 'present' : 'invalid';
  return report;
}

function candidatesOf(world: World): string[] {
  const dir = world.dataDir;
  const list = [dir, parent(dir), join(dir, 'xworkmate'), join(parent(dir), 'xworkmate')];
  if (world.origin === 'default') list.push('/home/sample/.local/state/plus.svc.xworkmate/xworkmate');
  return list;
}

/** The recovery report: `assess` (read-only, status `recoverable`) or `run` (dry or not). */
export function recoveryReport(world: World, supplied: string | null, dryRun: boolean, mode: 'assess' | 'run'): RecoveryReport {
  const sources: SourceReport[] = [];
  if (world.db === 'ok' && DOCS.some((d) => world.docs[d].sqlite === 'plain')) {
    sources.push({ path: join(world.dataDir, 'config-store.sqlite3'), kind: 'database', document: 'both', state: 'plain' });
  }
  for (const doc of DOCS) {
    const mirror = world.docs[doc].mirror;
    if (mirror === 'plain' || mirror === 'unreadable') {
      sources.push({
        path: join(world.dataDir, MIRROR_FILE[doc]),
        kind: 'mirror',
        document: doc,
        state: mirror === 'plain' ? 'plain' : 'unreadable',
        detail: mirror === 'unreadable' ? 'not JSON' : null,
      });
    }
  }
  const sealed = sealedItems(world).map((item) => sourceOf(world, item, supplied));
  sources.push(...sealed);

  const documents: DocumentOutcome[] = DOCS.map((doc) => {
    const d = world.docs[doc];
    if ((world.db === 'ok' && d.sqlite === 'plain') || d.mirror === 'plain') return { document: doc, action: 'kept' };
    const holds = sealed.filter((s) => s.document === doc || s.document === 'both');
    const opened = holds.find((s) => s.state === 'unsealed');
    if (opened) {
      const outcome: DocumentOutcome = { document: doc, action: 'recovered', from: opened.path, fromKind: opened.kind };
      if (doc === 'threads') outcome.threadCount = world.threadList.length;
      return outcome;
    }
    const locked = holds.find((s) => s.state === 'locked');
    if (locked) return { document: doc, action: 'locked', from: locked.path, fromKind: locked.kind };
    return { document: doc, action: 'not_found' };
  });

  const anyLocked = documents.some((d) => d.action === 'locked');
  const anyRecovered = documents.some((d) => d.action === 'recovered');
  let status: RecoveryStatus;
  if (anyLocked) status = 'locked_legacy_state';
  else if (anyRecovered) status = mode === 'assess' ? 'recoverable' : 'migrated';
  else status = 'none';

  const opener = sealed.find((s) => s.state === 'unsealed');
  const wrote = !dryRun && anyRecovered;
  const moved = wrote && opener?.openedWith === 'key_file' && world.keyStorage !== 'present';
  const stored = wrote && opener?.openedWith === 'supplied' && world.keyStorage !== 'present';
  const names = (action: 'recovered' | 'locked' | 'not_found') =>
    documents.filter((d) => d.action === action).map((d) => d.document).join(' and ');
  let details: string;
  if (status === 'locked_legacy_state') {
    const reasons = new Set(sealed.filter((s) => s.state === 'locked').map((s) => s.reason));
    details = `The ${names('locked')} cannot be recovered: sealed legacy state was found, but ${
      reasons.has('malformed') && reasons.size === 1
        ? 'the sealed data is damaged.'
        : reasons.has('key_missing')
          ? 'no local-state key was found in secure storage or gateway-auth/local-state-key.txt.'
          : reasons.has('key_invalid')
            ? 'the only key found is not a valid key.'
            : 'the key found does not open it.'
    }`;
    if (anyRecovered) details += ` The ${names('recovered')} ${dryRun ? 'would be' : 'were'} recovered.`;
  } else if (status === 'recoverable') {
    details = `The ${names('recovered')} can be recovered from legacy state.`;
  } else if (status === 'migrated') {
    details = dryRun
      ? `The ${names('recovered')} would be recovered and written in plain form to SQLite and the mirror.`
      : `The ${names('recovered')} were recovered and written in plain form to SQLite and the mirror.`;
  } else {
    details = names('not_found')
      ? `Nothing to recover: no legacy source holds the ${names('not_found')}.`
      : 'Every document is readable; nothing needs recovering.';
  }
  return {
    status,
    sourcePath: sealed.length > 0 ? world.dataDir : null,
    details,
    dryRun,
    sources,
    documents,
    keys: keyReport(world, supplied, moved, stored),
    candidates: candidatesOf(world),
    secretFilesMoved: [...world.legacySecretFiles],
    secretFilesKept: [],
    preferencesMigrated: [],
    warnings: [],
  };
}

function applyRecovery(world: World, report: RecoveryReport, supplied: string | null): void {
  let wrote = false;
  for (const outcome of report.documents) {
    if (outcome.action !== 'recovered') continue;
    world.docs[outcome.document] = { sqlite: 'plain', mirror: 'plain', damaged: false };
    wrote = true;
  }
  if (!wrote) return;
  world.exists = true;
  world.db = 'ok';
  world.dbProblem = null;
  world.auditEntries += 1;
  world.backup = report.sources.some((s) => s.kind === 'backup' && s.state === 'unsealed') ? null : world.backup;
  const storeKey = () => {
    world.keyStorage = 'present';
    world.keyStorageRight = true;
    const backend: SecretBackend = world.keyring?.reachable === false ? 'file' : 'keyring';
    world.secrets.set('local_state_key', { backend, masked: 'AQI••••eyA' });
  };
  if (report.keys.keyFileMoved) {
    world.keyFile = 'missing';
    world.keyFileRight = false;
    storeKey();
  }
  if (report.keys.suppliedKeyStored && supplied !== null) storeKey();
}

export function keyTest(world: World, key: string): KeyTest {
  if (!isValidKey(key)) return { valid: false, opens: [], stillLocked: [], wouldRecover: [] };
  const before = recoveryReport(world, null, true, 'assess');
  const after = recoveryReport(world, key, true, 'assess');
  const opens = after.sources.filter((s) => s.openedWith === 'supplied');
  const stillLocked = after.sources.filter(
    (s) => s.state === 'locked' && before.sources.some((b) => b.path === s.path && b.state === 'locked'),
  );
  const wouldRecover = after.documents
    .filter((d) => d.action === 'recovered' && opens.some((o) => o.path === d.from))
    .map((d) => d.document);
  return { valid: true, opens, stillLocked, wouldRecover };
}

function keptOf(world: World): Kept {
  const byBackend = new Map<SecretBackend, string[]>();
  for (const [name] of SECRET_NAMES) {
    const slot = world.secrets.get(name);
    if (!slot || slot.problem) continue;
    byBackend.set(slot.backend, [...(byBackend.get(slot.backend) ?? []), name]);
  }
  return {
    secrets: [...byBackend].map(([backend, names]) => ({ backend, count: names.length, names })),
    secretCount: [...world.secrets.values()].filter((slot) => !slot.problem).length,
    auditTrailEntries: world.db === 'ok' ? world.auditEntries : world.db === 'missing' ? 0 : null,
    otherSqliteKeys: [],
    otherPreferences: 0,
    gatewayAuth: join(world.dataDir, 'gateway-auth'),
    forOtherGenerations: [],
  };
}

/** The generations in the modelled folder, oldest first. */
function presentIds(world: World): GenerationId[] {
  const hasA = world.exists && (world.db !== 'missing' || DOCS.some((d) => world.docs[d].mirror !== 'missing') || world.backup !== null);
  return [...(hasA ? (['A'] as GenerationId[]) : []), ...world.later.map((g) => g.id)];
}

/** Like the core: the current generation unless another is asked for; everything unless a part is. */
export function clearPlan(world: World, generation?: GenerationId, scope: ClearScope = { kind: 'all' }): ClearPlan {
  const present = presentIds(world);
  const id = generation ?? present[present.length - 1] ?? 'A';
  if (generation && !present.includes(generation)) {
    throw new BackendError('no_such_generation', `there is no generation ${generation} in ${world.dataDir}`);
  }
  if ((scope.kind === 'archivedThreads' || scope.kind === 'threadsBefore') && id !== 'A') {
    const versions = world.later.find((g) => g.id === id)?.versions ?? id;
    throw new BackendError(
      'selective_clear_unavailable',
      `archived or older threads are cleared from XWorkmate 0.6.1's thread list (generation A); generation ${id} (XWorkmate ${versions}) clears its threads or its settings as a whole`,
    );
  }
  if (id !== 'A') {
    const g = world.later.find((r) => r.id === id)!;
    const removals: Removal[] = g.files
      .filter((f) => !f.path.startsWith('secrets/') && f.path !== g.audit.path)
      .filter((f) => laterPartTakes(scope, f.path))
      .map((f) => ({ kind: 'file', path: join(world.dataDir, f.path), bytes: f.bytes }));
    const threadsGo = scope.kind !== 'settings';
    const settingsGo = scope.kind !== 'threads';
    const names = g.secrets.filter((x) => x.present).map((x) => x.storageKey);
    return {
      dataDir: world.dataDir,
      generation: id,
      generationsPresent: present,
      generationDir: world.dataDir,
      scope,
      rewrite: null,
      // Like the core: the thread records it removes, and their messages
      // (two per sample thread, as the sample export writes them).
      consequences: {
        ...NO_CONSEQUENCES,
        threads: threadsGo ? g.threads.stored : 0,
        messages: threadsGo ? g.threads.stored * 2 : 0,
        threadsKept: threadsGo ? 0 : g.threads.stored,
        settingsReset: settingsGo && g.settings.present,
      },
      removals,
      totalBytes: removals.reduce((n, r) => n + r.bytes, 0),
      kept: {
        secrets: names.length > 0 ? [{ backend: 'file', count: names.length, names }] : [],
        secretCount: names.length,
        auditTrailEntries: g.audit.entries ?? null,
        otherSqliteKeys: [],
        otherPreferences: 0,
        gatewayAuth: join(world.dataDir, 'gateway-auth'),
        secretsFolder: join(world.dataDir, 'secrets'),
        forOtherGenerations: [],
      },
      leftInPlace: [],
      warnings: [],
    };
  }
  const whole = { ...clearPlanA(world), generationsPresent: present };
  return scope.kind === 'all' ? whole : narrowA(world, whole, scope);
}

/** The documents a part of a clear removes (row and mirror); the rewrites remove none. */
function scopeDocs(scope: ClearScope): DocKind[] {
  switch (scope.kind) {
    case 'all':
      return [...DOCS];
    case 'threads':
      return ['threads'];
    case 'settings':
      return ['settings'];
    default:
      return [];
  }
}

/**
 * Old sealed state in the sample folder: the sealed backup, or a sealed value.
 * (The core refuses a part when the clear would remove the backup file or
 * SharedPreferences; the sample models old sealed values by their mirror files.)
 */
function hasOldSealedState(world: World): boolean {
  return world.backup !== null || DOCS.some((d) => world.docs[d].mirror === 'sealed' || world.docs[d].sqlite === 'sealed');
}

/** Generation A's thread list as XWorkmate reads it (database row, else mirror), when readable. */
function threadsReadable(world: World): boolean {
  const d = world.docs.threads;
  return (world.db === 'ok' && d.sqlite === 'plain') || d.mirror === 'plain';
}

/** The thread list without the threads `scope` takes (a thread with no time is kept). */
export function rewriteThreads(threads: ThreadSummary[], scope: ClearScope): { kept: ThreadSummary[]; rewrite: ThreadRewrite } {
  const goes = (t: ThreadSummary) =>
    scope.kind === 'archivedThreads'
      ? t.archived
      : scope.kind === 'threadsBefore'
        ? t.updatedAtMs !== null && t.updatedAtMs < scope.beforeMs
        : false;
  const kept = threads.filter((t) => !goes(t));
  const removed = threads.filter(goes);
  return {
    kept: structuredClone(kept),
    rewrite: {
      kept: kept.length,
      removed: removed.length,
      messagesRemoved: removed.reduce((n, t) => n + t.messageCount, 0),
    },
  };
}

/** Like the core's `narrow_a`: generation A's whole plan cut down to `scope`. */
function narrowA(world: World, whole: ClearPlan, scope: ClearScope): ClearPlan {
  if (hasOldSealedState(world)) {
    throw new BackendError(
      'selective_clear_unavailable',
      'old sealed state is still here, and XWorkmate would bring back what a part of a clear removes from it at its next start: recover it first, or clear everything',
    );
  }
  const docs = scopeDocs(scope);
  const removals = whole.removals.filter((r) =>
    docs.some((d) => r.storageKey === STORAGE_KEY[d] || r.path === join(world.dataDir, MIRROR_FILE[d])),
  );
  const rewrites = scope.kind === 'archivedThreads' || scope.kind === 'threadsBefore';
  const rewrite = rewrites && threadsReadable(world) ? rewriteThreads(world.threadList, scope).rewrite : null;
  const consequences: ClearConsequences = rewrite
    ? { ...NO_CONSEQUENCES, threads: rewrite.removed, messages: rewrite.messagesRemoved, threadsKept: rewrite.kept }
    : consequencesA(world, removals);
  return {
    ...whole,
    scope,
    removals,
    rewrite,
    consequences,
    totalBytes: removals.reduce((n, r) => n + r.bytes, 0),
  };
}

/** What a B–D clear leaves of that generation: its secrets and audit trail. */
/** Like the core's `narrow_files`: a later generation's threads are its `tasks/` files, its settings `config/settings.yaml`; the window state goes only with everything. */
function laterPartTakes(scope: ClearScope, path: string): boolean {
  if (scope.kind === 'threads') return path.startsWith('tasks/');
  if (scope.kind === 'settings') return path.endsWith('config/settings.yaml');
  return true;
}

function applyFilesClear(world: World, id: GenerationId, scope: ClearScope = { kind: 'all' }): void {
  const g = world.later.find((r) => r.id === id);
  if (!g) return;
  g.files = g.files.filter(
    (f) => f.path.startsWith('secrets/') || f.path === g.audit.path || !laterPartTakes(scope, f.path),
  );
  if (scope.kind !== 'threads') g.settings = { ...g.settings, present: false, readable: false };
  if (scope.kind !== 'settings') g.threads = { count: 0, stored: 0, files: [] };
  if (scope.kind === 'all') g.findings = g.findings.filter((f) => f.code === 'secret_file_mode');
}

/** The XWorkmate 1.1.7 (generation C) files of the `upgraded` scenario. */
function generationC(dataDir: string): GenerationReport {
  const file = (path: string, bytes: number) => ({ path, bytes, modifiedMs: SAVED + 86_400_000 });
  return {
    id: 'C',
    current: false,
    versions: '1.0.0-beta.2 – 1.1.7',
    path: dataDir,
    detectedBy: ['tasks/threads.json', 'config/settings.yaml', 'config/audit.json', 'ui/state.json'],
    files: [
      file('config/settings.yaml', 2210),
      file('config/audit.json', 312),
      file('ui/state.json', 190),
      file('tasks/threads.json', 5120),
      file('secrets/eHdvcmttYXRlLmdhdGV3YXkucHJvZmlsZS4wLnRva2Vu.secret', 23),
    ],
    settings: { present: true, readable: true, path: 'config/settings.yaml', bytes: 2210 },
    threads: { count: 3, stored: 3, files: ['tasks/threads.json'] },
    secrets: [
      {
        storageKey: 'xworkmate.gateway.profile.0.token',
        file: 'secrets/eHdvcmttYXRlLmdhdGV3YXkucHJvZmlsZS4wLnRva2Vu.secret',
        present: true,
        masked: 'fix••••-c1',
      },
    ],
    audit: { entries: 2, path: 'config/audit.json' },
    findings: [],
  };
}

/** What clearing generation A means, from what the sample folder holds. */
function consequencesA(world: World, removals: Removal[]): ClearConsequences {
  const seen = inspectWorld(world);
  const takes = (key: string, file: string) =>
    removals.some((r) => r.storageKey === key || r.path.endsWith(`/${file}`));
  const threads = takes('xworkmate.assistant.threads', 'assistant-threads.json');
  const settings = takes('xworkmate.settings.snapshot', 'settings-snapshot.json');
  const summary = seen.settings.summary;
  return {
    threads: threads ? seen.threads.count : 0,
    messages: threads ? seen.threads.messages : 0,
    threadsKept: threads ? 0 : seen.threads.count,
    settingsReset: settings,
    account: settings ? (summary?.accountUsername ?? null) : null,
    gatewayProfiles: settings ? (summary?.gatewayProfiles.length ?? 0) : 0,
    sealedStateRemoved: removals.some((r) => r.kind === 'preference' || r.path.endsWith('/assistant-state-backup.json')),
  };
}

function clearPlanA(world: World): ClearPlan {
  const removals: Removal[] = [];
  if (world.backup) {
    removals.push({ kind: 'file', path: join(world.dataDir, 'assistant-state-backup.json'), bytes: SIZES.backup });
  }
  for (const doc of DOCS) {
    const form = world.docs[doc].mirror;
    if (form !== 'missing') {
      removals.push({ kind: 'file', path: join(world.dataDir, MIRROR_FILE[doc]), bytes: sizeOf(doc, form) ?? 0 });
    }
  }
  if (world.db === 'ok') {
    for (const doc of DOCS) {
      const form = world.docs[doc].sqlite;
      if (form !== 'missing') {
        removals.push({
          kind: 'sqlite_row',
          path: join(world.dataDir, 'config-store.sqlite3'),
          storageKey: STORAGE_KEY[doc],
          bytes: sizeOf(doc, form) ?? 0,
        });
      }
    }
  }
  // The core's codes and English messages (src/clear.rs).
  const warnings: CoreNotice[] = [];
  if (world.db === 'corrupt') {
    warnings.push({
      code: 'database_rows',
      message: `the database cannot be read, so its rows cannot be removed: ${world.dbProblem ?? 'unknown problem'}`,
    });
  }
  for (const [name] of SECRET_NAMES) {
    const slot = world.secrets.get(name);
    if (slot?.problem) {
      warnings.push({
        code: 'secret_unchecked',
        subject: name,
        message: `the secret ${name} could not be read (${slot.problem}); it is kept, but its presence cannot be checked`,
      });
    }
  }
  return {
    dataDir: world.dataDir,
    generation: 'A',
    generationsPresent: [],
    generationDir: world.dataDir,
    scope: { kind: 'all' },
    rewrite: null,
    consequences: consequencesA(world, removals),
    removals,
    totalBytes: removals.reduce((n, r) => n + r.bytes, 0),
    kept: keptOf(world),
    leftInPlace: [],
    warnings,
  };
}

function applyClear(world: World, scope: ClearScope = { kind: 'all' }): void {
  if (scope.kind === 'all') world.backup = null;
  for (const doc of scopeDocs(scope)) {
    world.docs[doc] = {
      sqlite: world.db === 'ok' ? 'missing' : world.docs[doc].sqlite,
      mirror: 'missing',
      damaged: false,
    };
  }
  if (world.db === 'ok') world.auditEntries += 1;
}

// --- rebuild (core src/generation/a/rebuild.rs) ----------------------------------

/** What writing to generation A's files does while a later XWorkmate is in use (core `refuse_if_a_is_not_current`). */
function refuseIfANotCurrent(world: World): void {
  const current = world.later[world.later.length - 1];
  if (current) {
    throw new BackendError(
      'newer_generation_current',
      `this folder's XWorkmate is ${current.versions} (generation ${current.id}), which does not read generation A's files (XWorkmate 0.6.1): nothing was written; preview, test a key or export the threads instead`,
    );
  }
}

/**
 * What a rebuild does, like the core: refused unless the database is damaged;
 * the rows come from what the damaged database still gives (none in the
 * sample: its rows cannot be read) and each readable mirror file; refused when
 * that is nothing.
 */
export function rebuildReport(world: World, executed: boolean): RebuildReport {
  const database = join(world.dataDir, 'config-store.sqlite3');
  if (world.db !== 'corrupt') {
    const why =
      world.db === 'ok'
        ? 'is not damaged: there is nothing to rebuild'
        : world.db === 'missing'
          ? 'does not exist: XWorkmate creates it at its next start'
          : 'cannot be read now (database is locked), which is not damage: nothing was changed';
    throw new BackendError('invalid_input', `invalid ${database}: ${why}`);
  }
  const rows: RebuiltRow[] = DOCS.filter((doc) => world.docs[doc].mirror === 'plain').map((doc) => ({
    storageKey: STORAGE_KEY[doc],
    from: 'mirror',
    bytes: SIZES[doc],
  }));
  if (rows.length === 0) {
    throw new BackendError(
      'invalid_input',
      `invalid ${database}: is damaged, and neither it nor the mirror files hold readable settings or threads: nothing to rebuild it from (nothing was changed)`,
    );
  }
  const has = (doc: DocKind) => rows.some((r) => r.storageKey === STORAGE_KEY[doc]);
  return {
    database,
    problem: world.dbProblem ?? 'damaged',
    rows,
    threads: has('threads') ? world.threadList.length : 0,
    settings: has('settings'),
    keptAs: join(world.dataDir, `.xworkmate-diagnostics/damaged-${Date.now()}-config-store.sqlite3`),
    executed,
  };
}

/** The new database in place: the rebuilt rows readable from it, the mirror files as they were, one audit entry. */
function applyRebuild(world: World, report: RebuildReport): void {
  world.db = 'ok';
  world.dbProblem = null;
  for (const doc of DOCS) {
    const rebuilt = report.rows.some((r) => r.storageKey === STORAGE_KEY[doc]);
    world.docs[doc] = { ...world.docs[doc], sqlite: rebuilt ? 'plain' : 'missing' };
  }
  // The damaged database's audit trail could not be read: the new one starts with "Rebuilt".
  world.auditEntries = 1;
}

/** Every generation in the modelled folder, the current (newest) first. */
function generationsOf(
  world: World,
  a: { settings: boolean; threads: number; secrets: SecretEntry[]; audit: number; warnings: Warning[] },
): GenerationReport[] {
  const out: GenerationReport[] = [];
  const hasA = world.exists && (world.db !== 'missing' || DOCS.some((d) => world.docs[d].mirror !== 'missing') || world.backup !== null);
  if (hasA) {
    out.push({
      id: 'A',
      current: false,
      versions: '0.5 – 0.6.1',
      path: world.dataDir,
      detectedBy: ['config-store.sqlite3'],
      files: [],
      settings: { present: a.settings, readable: a.settings, path: 'settings-snapshot.json' },
      threads: { count: a.threads, stored: a.threads, files: ['config-store.sqlite3', 'assistant-threads.json'] },
      secrets: a.secrets
        .filter((e) => e.present)
        .map((e) => ({ storageKey: e.storageKey, file: '', present: true, masked: e.masked ?? null })),
      audit: { entries: a.audit, path: 'config-store.sqlite3' },
      findings: a.warnings
        .filter((w) => w.code !== 'xworkmate_running' && w.code !== 'data_dir_missing')
        .map((w) => ({ code: w.code, path: '', message: w.message })),
    });
  }
  out.push(...structuredClone(world.later));
  if (out.length > 0) out[out.length - 1].current = true;
  const current = out[out.length - 1];
  for (const g of out) {
    if (g !== current && g.threads.stored > 0 && !g.findings.some((f) => f.code === 'threads_left_behind')) {
      g.findings.push({
        code: 'threads_left_behind',
        path: g.threads.files[0] ?? '',
        message: `${g.threads.stored} threads of XWorkmate ${g.versions} are here; XWorkmate ${current.versions} does not show them`,
      });
    }
  }
  return out.reverse();
}
