// The payloads' machine words (enums, codes) → dictionary keys. Records over the
// generated union types, so a new value in the Rust types fails the build here.

import type { Notice } from './bindings/Notice';
import type { NoticeCode } from './bindings/NoticeCode';
import type { ErrorCode } from './bindings/ErrorCode';
import type { FindingCode } from './bindings/FindingCode';
import type { SkipReason } from './bindings/SkipReason';
import type { DataDirOrigin } from './backend';
import type { Backend as SecretBackend } from './bindings/Backend';
import type { DocumentAction } from './bindings/DocumentAction';
import type { Form } from './bindings/Form';
import type { Integrity } from './bindings/Integrity';
import type { KeyOrigin } from './bindings/KeyOrigin';
import type { KeyState } from './bindings/KeyState';
import type { LockReason } from './bindings/LockReason';
import type { RecoveryStatus } from './bindings/RecoveryStatus';
import type { Relation } from './bindings/Relation';
import type { RemovalKind } from './bindings/RemovalKind';
import type { SecretsMode } from './bindings/SecretsMode';
import type { Source } from './bindings/Source';
import type { SourceDocument } from './bindings/SourceDocument';
import type { SourceKind } from './bindings/SourceKind';
import type { SourceState } from './bindings/SourceState';
import type { MessageKey, Translate } from './i18n';

/** Colour class of a status pill; the pill always carries its word too. */
export type Tone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

export const RELATION: Record<Relation, { key: MessageKey; tone: Tone }> = {
  in_sync: { key: 'relation.in_sync', tone: 'ok' },
  mirror_older: { key: 'relation.mirror_older', tone: 'warn' },
  mirror_newer: { key: 'relation.mirror_newer', tone: 'warn' },
  mirror_missing: { key: 'relation.mirror_missing', tone: 'warn' },
  database_missing: { key: 'relation.database_missing', tone: 'warn' },
  both_missing: { key: 'relation.both_missing', tone: 'neutral' },
  sealed_legacy: { key: 'relation.sealed_legacy', tone: 'warn' },
  unreadable: { key: 'relation.unreadable', tone: 'danger' },
  no_mirror: { key: 'relation.no_mirror', tone: 'neutral' },
};

export const FORM: Record<Form, MessageKey> = {
  plain: 'form.plain',
  sealed: 'form.sealed',
  unreadable: 'form.unreadable',
  missing: 'form.missing',
};

export const INTEGRITY: Record<Integrity, { key: MessageKey; tone: Tone }> = {
  ok: { key: 'integrity.ok', tone: 'ok' },
  corrupt: { key: 'integrity.corrupt', tone: 'danger' },
  missing: { key: 'integrity.missing', tone: 'neutral' },
  locked: { key: 'integrity.locked', tone: 'warn' },
  unreadable: { key: 'integrity.unreadable', tone: 'warn' },
};

export const STATUS: Record<RecoveryStatus, { key: MessageKey; tone: Tone; explain: MessageKey }> = {
  none: { key: 'status.none', tone: 'ok', explain: 'recovery.explain.none' },
  recoverable: { key: 'status.recoverable', tone: 'info', explain: 'recovery.explain.recoverable' },
  migrated: { key: 'status.migrated', tone: 'ok', explain: 'recovery.explain.migrated' },
  locked_legacy_state: { key: 'status.locked_legacy_state', tone: 'danger', explain: 'recovery.explain.locked_legacy_state' },
  failed: { key: 'status.failed', tone: 'danger', explain: 'recovery.explain.failed' },
};

/** A status word; a dry run's `migrated` reads "would be recovered". */
export function statusWord(t: Translate, status: RecoveryStatus, dryRun = false): string {
  return t(status === 'migrated' && dryRun ? 'status.migratedDry' : STATUS[status].key);
}

export const REASON: Record<LockReason, { key: MessageKey; next: MessageKey }> = {
  key_missing: { key: 'reason.key_missing', next: 'next.key_missing' },
  key_mismatch: { key: 'reason.key_mismatch', next: 'next.key_mismatch' },
  key_invalid: { key: 'reason.key_invalid', next: 'next.key_invalid' },
  malformed: { key: 'reason.malformed', next: 'next.malformed' },
};

export const ACTION: Record<DocumentAction, { key: MessageKey; tone: Tone }> = {
  kept: { key: 'action.kept', tone: 'neutral' },
  recovered: { key: 'action.recovered', tone: 'ok' },
  locked: { key: 'action.locked', tone: 'danger' },
  not_found: { key: 'action.not_found', tone: 'neutral' },
};

export const DOCUMENT: Record<SourceDocument, MessageKey> = {
  settings: 'doc.settings',
  threads: 'doc.threads',
  both: 'doc.both',
};

export const SOURCE_KIND: Record<SourceKind, MessageKey> = {
  database: 'kind.database',
  mirror: 'kind.mirror',
  backup: 'kind.backup',
  shared_preferences: 'kind.shared_preferences',
};

export const SOURCE_STATE: Record<SourceState, { key: MessageKey; tone: Tone }> = {
  plain: { key: 'state.plain', tone: 'ok' },
  unsealed: { key: 'state.unsealed', tone: 'ok' },
  locked: { key: 'state.locked', tone: 'danger' },
  unreadable: { key: 'state.unreadable', tone: 'danger' },
};

export const KEY_ORIGIN: Record<KeyOrigin, MessageKey> = {
  secure_storage: 'opened.secure_storage',
  key_file: 'opened.key_file',
  supplied: 'opened.supplied',
};

export const KEY_STATE: Record<KeyState, { key: MessageKey; tone: Tone }> = {
  present: { key: 'keystate.present', tone: 'ok' },
  missing: { key: 'keystate.missing', tone: 'neutral' },
  invalid: { key: 'keystate.invalid', tone: 'danger' },
  unavailable: { key: 'keystate.unavailable', tone: 'warn' },
};

export const SECRET_BACKEND: Record<SecretBackend, MessageKey> = {
  keyring: 'secrets.keyring',
  file: 'secrets.file',
  memory: 'secrets.memory',
  none: 'secrets.nowhere',
};

export const SECRETS_MODE: Record<SecretsMode, MessageKey> = {
  auto: 'mode.auto',
  keyring: 'mode.keyring',
  file: 'mode.file',
  memory: 'mode.memory',
};

export const ORIGIN: Record<DataDirOrigin, MessageKey> = {
  explicit: 'folder.origin.explicit',
  environment: 'folder.origin.environment',
  default: 'folder.origin.default',
};

export const SOURCE: Record<Source, MessageKey> = {
  database: 'source.database',
  mirror: 'source.mirror',
  none: 'source.none',
};

export const REMOVAL: Record<RemovalKind, MessageKey> = {
  sqlite_row: 'removal.sqlite_row',
  file: 'removal.file',
  preference: 'removal.preference',
};

const STORAGE_KEYS: Record<string, MessageKey> = {
  'xworkmate.settings.snapshot': 'key.settings',
  'xworkmate.assistant.threads': 'key.threads',
  'xworkmate.secrets.audit': 'key.audit',
};

/** A storage key's everyday name, or the key itself for keys this UI does not know. */
export function storageKeyName(t: Translate, storageKey: string): string {
  const key = STORAGE_KEYS[storageKey];
  return key ? t(key) : storageKey;
}

const WARNINGS: Record<FindingCode, MessageKey> = {
  data_dir_missing: 'warning.data_dir_missing',
  database_corrupt: 'warning.database_corrupt',
  sealed_legacy: 'warning.sealed_legacy',
  unreadable_value: 'warning.unreadable_value',
  keyring_unavailable: 'warning.keyring_unavailable',
  legacy_secret_files: 'warning.legacy_secret_files',
  secret_unreadable: 'warning.secret_unreadable',
  keyring_item_invisible: 'warning.keyring_item_invisible',
  xworkmate_running: 'warning.xworkmate_running',
  interrupted_write: 'warning.interrupted_write',
  database_locked: 'warning.database_locked',
  database_unreadable: 'warning.database_unreadable',
  will_reset_to_defaults: 'warning.will_reset_to_defaults',
  will_drop_all_threads: 'warning.will_drop_all_threads',
  will_delete_task_files: 'warning.will_delete_task_files',
  will_delete_unreadable_task_files: 'warning.will_delete_unreadable_task_files',
  stale_temp_file: 'warning.stale_temp_file',
  secret_file_mode: 'warning.secret_file_mode',
  threads_left_behind: 'warning.threads_left_behind',
  unknown_file: 'warning.unknown_file',
  not_a_regular_file: 'warning.not_a_regular_file',
  audit_unreadable: 'warning.audit_unreadable',
  will_fail_to_start: 'warning.will_fail_to_start',
  store_in_subfolder: 'warning.store_in_subfolder',
};

/** An inspect finding in words; a code newer than this UI gets a generic text with the code. */
export function warningText(t: Translate, code: FindingCode): string {
  const key = WARNINGS[code] as MessageKey | undefined;
  return key ? t(key) : t('warning.other', { code });
}

const DANGER_FINDINGS: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'database_corrupt',
  'keyring_unavailable',
  'xworkmate_running',
  'will_drop_all_threads',
  'will_delete_task_files',
  'will_delete_unreadable_task_files',
  'will_fail_to_start',
]);

export function warningTone(code: FindingCode): Tone {
  return DANGER_FINDINGS.has(code) ? 'danger' : 'warn';
}

const ERRORS: Record<ErrorCode, MessageKey> = {
  no_data_dir: 'error.no_data_dir',
  database_unavailable: 'error.database_unavailable',
  database_error: 'error.database_error',
  not_found: 'error.not_found',
  permission_denied: 'error.permission_denied',
  io_error: 'error.io_error',
  invalid_input: 'error.invalid_input',
  key_invalid: 'error.key_invalid',
  secure_storage_error: 'error.secure_storage_error',
  stale_plan: 'error.stale_plan',
  xworkmate_running: 'error.xworkmate_running',
  already_exists: 'error.already_exists',
  cancelled: 'error.cancelled',
  internal: 'error.internal',
  clipboard_error: 'error.clipboard_error',
  open_failed: 'error.open_failed',
  no_such_generation: 'error.no_such_generation',
  selective_clear_unavailable: 'error.selective_clear_unavailable',
  newer_generation_current: 'error.newer_generation_current',
  recovery_failed: 'error.recovery_failed',
  secrets_missing: 'error.secrets_missing',
  clear_incomplete: 'error.clear_incomplete',
  not_a_backup: 'error.not_a_backup',
  restore_conflict: 'error.restore_conflict',
  not_a_report: 'error.not_a_report',
  unsupported_report_version: 'error.unsupported_report_version',
  usage: 'error.usage',
};

/** A backend error code in words; unknown codes get a generic text with the code. */
export function errorText(t: Translate, code: string): string {
  const key = (ERRORS as Record<string, MessageKey | undefined>)[code];
  return key ? t(key) : t('error.other', { code });
}

export const KNOWN_ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
export const KNOWN_WARNING_CODES = Object.keys(WARNINGS) as FindingCode[];

/**
 * A core notice (ClearPlan.warnings, ClearOutcome.warnings,
 * RecoveryReport.warnings): worded by its code; the English message is shown
 * as a technical detail. A code this UI does not know yet gets a generic
 * sentence.
 */
const NOTE_KEYS: Record<NoticeCode, MessageKey> = {
  prefs_unreadable: 'note.prefs_unreadable',
  database_rows: 'note.database_rows',
  secret_unchecked: 'note.secret_unchecked',
  audit_not_updated: 'note.audit_not_updated',
  legacy_file_kept: 'note.legacy_file_kept',
  key_not_stored: 'note.key_not_stored',
  legacy_file_conflict: 'note.legacy_file_conflict',
  legacy_files_not_moved: 'note.legacy_files_not_moved',
  report_not_kept: 'note.report_not_kept',
  kept_for_another_generation: 'note.kept_for_another_generation',
};

export const KNOWN_NOTICE_CODES = Object.keys(NOTE_KEYS) as NoticeCode[];

/** A core notice in words of the current language. */
export function noteText(t: Translate, note: Notice): string {
  const key = NOTE_KEYS[note.code] ?? 'note.other';
  return t(key, { name: note.subject ?? '' });
}

const GATEWAY_MODES: Record<string, MessageKey> = {
  local: 'settings.mode.local',
  remote: 'settings.mode.remote',
};

/** A gateway profile's mode in words; modes this UI does not know stay as they are. */
export function gatewayModeName(t: Translate, mode: string): string {
  const key = GATEWAY_MODES[mode];
  return key ? t(key) : mode;
}

/** Each secret's everyday word, by its diagnostics name (spec §5) and by its storage key. */
const SECRET_WORDS: Record<string, MessageKey> = {
  gateway_token: 'secret.gateway_token',
  gateway_password: 'secret.gateway_password',
  ai_gateway_api_key: 'secret.ai_gateway_api_key',
  vault_token: 'secret.vault_token',
  ollama_cloud_api_key: 'secret.ollama_cloud_api_key',
  device_id: 'secret.device_id',
  device_public_key: 'secret.device_public_key',
  device_private_key: 'secret.device_private_key',
  local_state_key: 'secret.local_state_key',
  'xworkmate.gateway.token': 'secret.gateway_token',
  'xworkmate.gateway.password': 'secret.gateway_password',
  'xworkmate.ai_gateway.api_key': 'secret.ai_gateway_api_key',
  'xworkmate.vault.token': 'secret.vault_token',
  'xworkmate.ollama.cloud.api_key': 'secret.ollama_cloud_api_key',
  'xworkmate.gateway.device.id': 'secret.device_id',
  'xworkmate.gateway.device.public_key': 'secret.device_public_key',
  'xworkmate.gateway.device.private_key': 'secret.device_private_key',
  'xworkmate.local_state.key': 'secret.local_state_key',
};

/**
 * A secret in words ("gateway token"), by its diagnostics name or storage key;
 * a gateway profile's token of a later XWorkmate by its profile number; any
 * other name as it is.
 */
export function secretWord(t: Translate, name: string): string {
  const key = SECRET_WORDS[name];
  if (key) return t(key);
  const profile = /^xworkmate\.gateway\.profile\.(\d+)\.token$/.exec(name);
  if (profile) return t('secret.profileToken', { n: Number(profile[1]) + 1 });
  return name;
}

/** Why a restore leaves an item of the backup alone. */
export const SKIP_REASON: Record<SkipReason, MessageKey> = {
  same_as_backup: 'restore.skip.same_as_backup',
  legacy_source: 'restore.skip.legacy_source',
  outside_folder: 'restore.skip.outside_folder',
  not_cleared_file: 'restore.skip.not_cleared_file',
};
