//! Generations B1 (XWorkmate 0.7) and B2 (1.1.1): YAML settings, one task
//! file per thread with an index, `config/secret-audit.json`, `secrets/`.
//! They differ in their task files: B2's carry schema version 20260328, and
//! B2 deletes every task file when the index or any file carries another.

use std::path::Path;

use serde_json::Value;

use super::common::{
    self, SettingsForm, TaskFile, TaskIndex, B2_VERSION, SECRET_AUDIT, SETTINGS_YAML, SKILLS_CACHE,
    TASK_INDEX,
};
use super::{
    file_of, present_files, ClearFile, Finding, Generation, GenerationId, GenerationReport,
    GenerationSettings, GenerationThreads, Scan,
};
use crate::codes::FindingCode;
use crate::error::Result;
use crate::paths::DataLocation;

#[derive(Debug, Clone, Copy)]
pub enum GenB {
    B1,
    B2,
}

/// B2's own markers: its index version, a task file of its schema, its cache.
fn b2_markers(dir: &Path) -> Vec<String> {
    let mut by = Vec::new();
    if let TaskIndex::B {
        version: Some(B2_VERSION),
    } = common::task_index(dir)
    {
        by.push(TASK_INDEX.to_string());
    }
    by.extend(
        common::task_files(dir)
            .into_iter()
            .filter(|(_, k)| *k == TaskFile::B2Record)
            .map(|(rel, _)| rel),
    );
    by.extend(present_files(dir, &[SKILLS_CACHE]));
    by
}

/// What shows B (either): a B index, B1 records, YAML settings, the
/// secret-audit file.
fn b_markers(dir: &Path) -> Vec<String> {
    let mut by = Vec::new();
    if let TaskIndex::B { .. } = common::task_index(dir) {
        by.push(TASK_INDEX.to_string());
    }
    by.extend(
        common::task_files(dir)
            .into_iter()
            .filter(|(_, k)| *k == TaskFile::B1Record)
            .map(|(rel, _)| rel),
    );
    if let Some((_, SettingsForm::Yaml)) = common::settings_text(dir) {
        by.push(SETTINGS_YAML.to_string());
    }
    by.extend(present_files(dir, &[SECRET_AUDIT]));
    by
}

impl GenB {
    fn is_b2(self) -> bool {
        matches!(self, GenB::B2)
    }
}

impl Generation for GenB {
    fn id(&self) -> GenerationId {
        match self {
            GenB::B1 => GenerationId::B1,
            GenB::B2 => GenerationId::B2,
        }
    }

    fn detect(&self, dir: &Path) -> Vec<String> {
        let b2 = b2_markers(dir);
        match self {
            // A folder is B2 when its index or any task file carries B2's
            // version; then B's other files are B2's too.
            GenB::B2 if !b2.is_empty() => super::dedup([b2, b_markers(dir)].concat()),
            GenB::B1 if b2.is_empty() => b_markers(dir),
            _ => Vec::new(),
        }
    }

    fn inspect(&self, scan: &Scan<'_>) -> GenerationReport {
        let dir = scan.dir();
        let id = self.id();
        let mut findings = Vec::new();

        // Settings: YAML of the settings snapshot. B2 on Linux reads its
        // user-settings copy first.
        let user_copy = match self {
            GenB::B2 => scan
                .location
                .b2_user_settings()
                .filter(|p| std::fs::symlink_metadata(p).is_ok()),
            GenB::B1 => None,
        };
        let from_copy = user_copy.as_ref().map(|p| {
            (
                p.to_string_lossy().into_owned(),
                crate::fsutil::read_optional(p).ok().flatten(),
            )
        });
        let settings_text = match &from_copy {
            Some((_, Some(text))) => Some((text.clone(), SettingsForm::Yaml)),
            Some((_, None)) => Some((String::new(), SettingsForm::Yaml)),
            None => common::settings_text(dir),
        };
        let settings_path = from_copy
            .as_ref()
            .map_or_else(|| SETTINGS_YAML.to_string(), |(p, _)| p.clone());
        let settings = match settings_text {
            Some((text, SettingsForm::Yaml)) => {
                let read = common::read_yaml_settings(&text);
                if let Err(why) = &read {
                    findings.push(Finding {
                        code: FindingCode::WillResetToDefaults,
                        path: settings_path.clone(),
                        message: format!(
                            "XWorkmate {} cannot read {settings_path} ({why}): it starts with default settings and overwrites the file on its next save",
                            id.versions()
                        ),
                    });
                }
                GenerationSettings {
                    present: true,
                    readable: read.is_ok(),
                    path: settings_path.clone(),
                    bytes: Some(text.len() as u64),
                }
            }
            // A JSON settings file is a newer version's (C/D): B's settings
            // were overwritten.
            _ => GenerationSettings {
                present: false,
                readable: false,
                path: settings_path.clone(),
                bytes: None,
            },
        };

        // Threads.
        let index = common::task_index(dir);
        let own = |k: &TaskFile| match self {
            GenB::B1 => *k == TaskFile::B1Record,
            GenB::B2 => *k == TaskFile::B2Record,
        };
        let all_files = common::task_files(dir);
        let newer_d = scan.present.contains(&GenerationId::D);
        let mut task_files = Vec::new();
        let mut stored = 0;
        let mut foreign = Vec::new();
        for (rel, kind) in &all_files {
            if own(kind) {
                stored += 1;
                task_files.push(rel.clone());
            } else if !(newer_d && *kind == TaskFile::TaskThread) {
                foreign.push((rel.clone(), kind.clone()));
            }
        }
        let mut count = stored;
        if self.is_b2() {
            // A corrupt index, or any version other than 20260328 in the
            // index or a task file → XWorkmate deletes every task file.
            let bad_index = match &index {
                TaskIndex::B {
                    version: Some(B2_VERSION),
                } => None,
                TaskIndex::Missing => None,
                TaskIndex::B { version } => Some(format!(
                    "the index has version {}",
                    version.map_or("none".to_string(), |v| v.to_string())
                )),
                TaskIndex::D => Some("the index is generation D's".into()),
                TaskIndex::Unreadable(why) => Some(format!("the index cannot be read ({why})")),
            };
            let bad_file = foreign
                .first()
                .map(|(rel, _)| format!("{rel} is not a task file of version {B2_VERSION}"));
            if let Some(why) = bad_index.or(bad_file) {
                count = 0;
                findings.push(Finding {
                    code: FindingCode::WillDeleteTaskFiles,
                    path: TASK_INDEX.into(),
                    message: format!(
                        "{why}: at its next start XWorkmate 1.1.1 deletes every task file ({} here)",
                        all_files.len()
                    ),
                });
            }
        } else {
            // B1 skips a file it cannot parse, then deletes it on its next save
            // (it deletes every *.json in tasks/ it did not write).
            for (rel, kind) in &foreign {
                if let TaskFile::Other(why) = kind {
                    findings.push(Finding {
                        code: FindingCode::WillDeleteUnreadableTaskFiles,
                        path: rel.clone(),
                        message: format!(
                            "XWorkmate 0.7 cannot read {rel} ({why}) and deletes it on its next save"
                        ),
                    });
                }
            }
        }
        // B's index (a D index is D's), then B's task files.
        let mut files_list: Vec<String> = match index {
            TaskIndex::B { .. } => vec![TASK_INDEX.to_string()],
            _ => Vec::new(),
        };
        files_list.extend(task_files.iter().cloned());

        let secrets = common::secrets(dir, &mut findings);
        let audit = common::audit(dir, SECRET_AUDIT, &mut findings);
        let mut files: Vec<String> = vec![SETTINGS_YAML.into(), SECRET_AUDIT.into()];
        if matches!(index, TaskIndex::B { .. }) {
            files.push(TASK_INDEX.into());
        }
        files.extend(task_files.iter().cloned());
        if self.is_b2() {
            files.push(SKILLS_CACHE.into());
        }
        files.extend(secrets.iter().map(|s| s.file.clone()));
        if !settings.present {
            files.retain(|f| f != SETTINGS_YAML);
        }
        GenerationReport {
            id,
            current: false,
            versions: id.versions().into(),
            path: dir.to_path_buf(),
            detected_by: Vec::new(),
            files: files.iter().filter_map(|f| file_of(dir, f)).collect(),
            settings,
            threads: GenerationThreads {
                count,
                stored,
                files: files_list,
            },
            secrets,
            audit,
            findings,
        }
    }

    fn clear_files(
        &self,
        location: &DataLocation,
        dir: &Path,
        present: &[GenerationId],
    ) -> Vec<ClearFile> {
        // B1: every tasks/*.json, the index, the settings. B2: every task
        // file and the index; settings rewritten as defaults, which deleting
        // the file does as well.
        let mut rels: Vec<String> = common::task_files(dir)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        rels.extend(present_files(dir, &[TASK_INDEX, SETTINGS_YAML]));
        if let (GenB::B2, Some(copy)) = (self, location.b2_user_settings()) {
            if std::fs::symlink_metadata(&copy).is_ok() {
                rels.push(copy.to_string_lossy().into_owned());
            }
        }
        super::clear_list(dir, self.id(), present, rels)
    }

    fn thread_records(&self, dir: &Path) -> Result<Vec<Value>> {
        common::task_records(
            dir,
            match self {
                GenB::B1 => &TaskFile::B1Record,
                GenB::B2 => &TaskFile::B2Record,
            },
        )
    }
}
