//! What the tests share: `must`, an `expect` that names what was wanted
//! (the workspace's lints keep `expect` out of the code).

use std::fmt::Debug;

/// Unwraps a `Result` or an `Option`, panicking with `what` otherwise.
pub trait Must<T> {
    /// The value, or a panic naming `what`.
    fn must(self, what: &str) -> T;
}

impl<T, E: Debug> Must<T> for Result<T, E> {
    fn must(self, what: &str) -> T {
        match self {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e:?}"),
        }
    }
}

impl<T> Must<T> for Option<T> {
    fn must(self, what: &str) -> T {
        match self {
            Some(v) => v,
            None => panic!("{what}: nothing there"),
        }
    }
}
