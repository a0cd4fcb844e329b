//! XWorkmate local persistence.
