//! x
use super::{Args, Kubectl};
pub(super) fn run(_k: &mut Kubectl<'_>, _a: &Args) -> Result<(), String> {
    Ok(())
}
