//! Generations C (XWorkmate 1.0.0-beta.2 … 1.1.7) and D (1.1.9 and later):
//! `config/settings.yaml` holding compact JSON, `config/audit.json`,
//! `ui/state.json`, `secrets/`; C keeps every thread in `tasks/threads.json`,
//! D one file per thread (`tasks/<b64(threadId)>.json`) with an order-only
//! index, and never reads C's `threads.json`.

use std::path::Path;

use serde_json::Value;

use super::common::{
    self, SettingsForm, TaskFile, TaskIndex, AUDIT, SETTINGS_YAML, TASK_INDEX, THREADS_JSON,
    UI_STATE,
};
use super::{
    file_of, present_files, read_text, ClearFile, Finding, Generation, GenerationId,
    GenerationReport, GenerationSettings, GenerationThreads, Scan,
};
use crate::codes::FindingCode;
use crate::error::{Result, StoreError};
use crate::paths::DataLocation;

pub struct GenC;
pub struct GenD;

/// D's own markers: its index (`threadIds`), or a `TaskThread` file at the
/// top of `tasks/`.
fn d_markers(dir: &Path) -> Vec<String> {
    let mut by = Vec::new();
    if common::task_index(dir) == TaskIndex::D {
        by.push(TASK_INDEX.to_string());
    }
    by.extend(
        common::task_files(dir)
            .into_iter()
            .filter(|(_, k)| *k == TaskFile::TaskThread)
            .map(|(rel, _)| rel),
    );
    by
}

/// The files C and D share: JSON settings, the audit file, the window state.
fn cd_markers(dir: &Path) -> Vec<String> {
    let mut by = Vec::new();
    if let Some((_, SettingsForm::Json)) = common::settings_text(dir) {
        by.push(SETTINGS_YAML.to_string());
    }
    by.extend(present_files(dir, &[AUDIT, UI_STATE]));
    by
}

/// Settings as C and D read them: JSON with schemaVersion 2, else defaults.
fn settings(id: GenerationId, dir: &Path, findings: &mut Vec<Finding>) -> GenerationSettings {
    let text = read_text(dir, SETTINGS_YAML).ok().flatten();
    let readable = match &text {
        None => false,
        Some(text) => match common::read_json_settings(text) {
            Ok(()) => true,
            Err(why) => {
                findings.push(Finding {
                    code: FindingCode::WillResetToDefaults,
                    path: SETTINGS_YAML.into(),
                    message: format!(
                        "XWorkmate {} cannot read {SETTINGS_YAML} ({why}): it starts with default settings and overwrites the file on its next save",
                        id.versions()
                    ),
                });
                false
            }
        },
    };
    GenerationSettings {
        present: text.is_some(),
        readable,
        path: SETTINGS_YAML.into(),
        bytes: text.map(|t| t.len() as u64),
    }
}

/// `ui/state.json`: invalid JSON stops XWorkmate's start-up with an error.
fn ui_state(dir: &Path, findings: &mut Vec<Finding>) {
    let problem = match read_text(dir, UI_STATE) {
        Ok(None) => None,
        Ok(Some(text)) => serde_json::from_str::<Value>(&text)
            .err()
            .map(|e| format!("not JSON: {e}")),
        Err(why) => Some(why),
    };
    if let Some(why) = problem {
        findings.push(Finding {
            code: FindingCode::WillFailToStart,
            path: UI_STATE.into(),
            message: format!(
                "{UI_STATE} cannot be read ({why}): XWorkmate stops with an error when it starts"
            ),
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    id: GenerationId,
    dir: &Path,
    settings: GenerationSettings,
    threads: GenerationThreads,
    mut findings: Vec<Finding>,
    newest_secrets_owner: bool,
) -> GenerationReport {
    let mut mode_findings = Vec::new();
    let secrets = common::secrets(dir, &mut mode_findings);
    if newest_secrets_owner {
        findings.extend(mode_findings);
    }
    let audit = common::audit(dir, AUDIT, &mut findings);
    let mut files: Vec<String> = vec![SETTINGS_YAML.into(), AUDIT.into(), UI_STATE.into()];
    files.extend(threads.files.iter().cloned());
    files.extend(secrets.iter().map(|s| s.file.clone()));
    GenerationReport {
        id,
        current: false,
        versions: id.versions().into(),
        path: dir.to_path_buf(),
        detected_by: Vec::new(),
        files: files.iter().filter_map(|f| file_of(dir, f)).collect(),
        settings,
        threads,
        secrets,
        audit,
        findings,
    }
}

fn records_of(rel: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| StoreError::invalid(rel.to_string(), e.to_string()))
}

impl Generation for GenC {
    fn id(&self) -> GenerationId {
        GenerationId::C
    }

    fn detect(&self, dir: &Path) -> Vec<String> {
        let mut by = present_files(dir, &[THREADS_JSON]);
        // Without its threads file, C's shared files are C's only when no D
        // is there.
        if d_markers(dir).is_empty() {
            by.extend(cd_markers(dir));
        }
        by
    }

    fn inspect(&self, scan: &Scan<'_>) -> GenerationReport {
        let dir = scan.dir();
        let mut findings = Vec::new();
        let settings = if scan.present.contains(&GenerationId::D) {
            // The settings file is D's now: C's own settings are gone.
            GenerationSettings {
                present: false,
                readable: false,
                path: SETTINGS_YAML.into(),
                bytes: None,
            }
        } else {
            ui_state(dir, &mut findings);
            settings(GenerationId::C, dir, &mut findings)
        };
        // One record it cannot read → no threads at all.
        let (count, stored) = match read_text(dir, THREADS_JSON) {
            Ok(None) => (0, 0),
            Ok(Some(text)) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => {
                    let bad = items.iter().enumerate().find_map(|(i, v)| {
                        common::task_thread_loadable(v).err().map(|why| (i, why))
                    });
                    match bad {
                        None => (items.len(), items.len()),
                        Some((i, why)) => {
                            findings.push(Finding {
                                code: FindingCode::WillDropAllThreads,
                                path: THREADS_JSON.into(),
                                message: format!(
                                    "record {} of {} cannot be read ({why}): XWorkmate {} then shows no threads at all and overwrites the file on its next save",
                                    i + 1,
                                    items.len(),
                                    GenerationId::C.versions()
                                ),
                            });
                            (0, items.len())
                        }
                    }
                }
                Ok(_) | Err(_) => {
                    findings.push(Finding {
                        code: FindingCode::WillDropAllThreads,
                        path: THREADS_JSON.into(),
                        message: format!(
                            "{THREADS_JSON} is not a JSON array: XWorkmate {} shows no threads and overwrites it on its next save",
                            GenerationId::C.versions()
                        ),
                    });
                    (0, 0)
                }
            },
            Err(why) => {
                findings.push(Finding {
                    code: FindingCode::WillDropAllThreads,
                    path: THREADS_JSON.into(),
                    message: format!("{THREADS_JSON} cannot be read: {why}"),
                });
                (0, 0)
            }
        };
        let threads = GenerationThreads {
            count,
            stored,
            files: present_files(dir, &[THREADS_JSON]),
        };
        let owns_secrets = !scan.present.contains(&GenerationId::D);
        report(
            GenerationId::C,
            dir,
            settings,
            threads,
            findings,
            owns_secrets,
        )
    }

    fn clear_files(
        &self,
        _location: &DataLocation,
        dir: &Path,
        present: &[GenerationId],
    ) -> Vec<ClearFile> {
        let rels = present_files(dir, &[THREADS_JSON, SETTINGS_YAML, UI_STATE]);
        super::clear_list(dir, GenerationId::C, present, rels)
    }

    fn thread_records(&self, dir: &Path) -> Result<Vec<Value>> {
        let Some(text) =
            read_text(dir, THREADS_JSON).map_err(|why| StoreError::invalid(THREADS_JSON, why))?
        else {
            return Ok(Vec::new());
        };
        match records_of(THREADS_JSON, &text)? {
            Value::Array(items) => Ok(items),
            _ => Err(StoreError::invalid(THREADS_JSON, "not a JSON array")),
        }
    }
}

impl Generation for GenD {
    fn id(&self) -> GenerationId {
        GenerationId::D
    }

    fn detect(&self, dir: &Path) -> Vec<String> {
        let by = d_markers(dir);
        if by.is_empty() {
            return by;
        }
        super::dedup([by, cd_markers(dir)].concat())
    }

    fn inspect(&self, scan: &Scan<'_>) -> GenerationReport {
        let dir = scan.dir();
        let mut findings = Vec::new();
        ui_state(dir, &mut findings);
        let settings = settings(GenerationId::D, dir, &mut findings);
        let mut files = Vec::new();
        for (rel, kind) in common::task_files(dir) {
            match kind {
                TaskFile::TaskThread => files.push(rel),
                other => {
                    let why = match other {
                        TaskFile::B1Record => "a task file of XWorkmate 0.7".to_string(),
                        TaskFile::B2Record => "a task file of XWorkmate 1.1.1".to_string(),
                        TaskFile::Other(why) => why,
                        TaskFile::TaskThread => unreachable!(),
                    };
                    findings.push(Finding {
                        code: FindingCode::WillDeleteUnreadableTaskFiles,
                        path: rel.clone(),
                        message: format!(
                            "XWorkmate {} cannot read {rel} ({why}): at its next start it copies it to {rel}.invalid-<time>.bak and deletes it",
                            GenerationId::D.versions()
                        ),
                    });
                }
            }
        }
        let threads = GenerationThreads {
            count: files.len(),
            stored: files.len(),
            files: [present_files(dir, &[TASK_INDEX]), files].concat(),
        };
        report(GenerationId::D, dir, settings, threads, findings, true)
    }

    fn clear_files(
        &self,
        _location: &DataLocation,
        dir: &Path,
        present: &[GenerationId],
    ) -> Vec<ClearFile> {
        // Every thread file, the index, the settings, the window state; not
        // C's threads.json, *.bak or *.tmp-* files.
        // An older generation's task file is listed too, as kept for it;
        // a foreign file is not this clear's business.
        let mut rels: Vec<String> = common::task_files(dir)
            .into_iter()
            .filter(|(_, k)| !matches!(k, TaskFile::Other(_)))
            .map(|(rel, _)| rel)
            .collect();
        rels.extend(present_files(dir, &[TASK_INDEX, SETTINGS_YAML, UI_STATE]));
        super::clear_list(dir, GenerationId::D, present, rels)
    }

    fn thread_records(&self, dir: &Path) -> Result<Vec<Value>> {
        common::task_records(dir, &TaskFile::TaskThread)
    }
}
