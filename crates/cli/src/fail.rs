//! Errors of the command line: a store error with the input at fault, or a usage
//! error. Codes come from `StoreError::code()`; the CLI adds only `usage`.

use serde_json::json;
use xworkmate_store::{ErrorCode, StoreError};

#[derive(Debug)]
pub enum Fail {
    /// A store error; `context` names the input at fault when the error itself
    /// does not (e.g. `stdin`, the settings file given).
    Store {
        context: Option<String>,
        error: StoreError,
    },
    /// Wrong arguments (exit 2).
    Usage(String),
}

impl Fail {
    pub fn store(error: StoreError) -> Self {
        Fail::Store {
            context: None,
            error,
        }
    }

    pub fn with_context(context: impl Into<String>, error: StoreError) -> Self {
        Fail::Store {
            context: Some(context.into()),
            error,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Fail::Store { error, .. } => error.code(),
            Fail::Usage(_) => ErrorCode::Usage,
        }
    }

    /// The one-line message (newlines folded).
    pub fn message(&self) -> String {
        let text = match self {
            Fail::Store {
                context: Some(c),
                error,
            } => format!("{c}: {error}"),
            Fail::Store {
                context: None,
                error,
            } => error.to_string(),
            Fail::Usage(m) => m.clone(),
        };
        one_line(&text)
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Fail::Usage(_) => 2,
            Fail::Store { .. } => 1,
        }
    }

    pub fn json(&self) -> serde_json::Value {
        json!({"error": {"code": self.code(), "message": self.message()}})
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::store(e)
    }
}

/// Folds text onto one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
