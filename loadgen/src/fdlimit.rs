//! The open-file limit: ten thousand sessions need more descriptors than a default shell
//! allows. Children inherit the limit, so raising it here before starting the relay raises it
//! for the relay too.

use anyhow::Context as _;
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// The open-file limit before and after [`raise_open_files`].
#[derive(Debug, Clone, Copy)]
pub struct OpenFiles {
    pub was: u64,
    pub now: u64,
}

/// Raise this process's open-file limit to `wanted` if it is lower. Raising the hard limit
/// needs privilege (CAP_SYS_RESOURCE); without it the soft limit goes as high as the hard
/// limit allows, and the caller sizes its work to [`OpenFiles::now`].
pub fn raise_open_files(wanted: u64) -> anyhow::Result<OpenFiles> {
    let limit = getrlimit(Resource::Nofile);
    // `None` means unlimited.
    let soft = limit.current.unwrap_or(u64::MAX);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    if soft >= wanted {
        return Ok(OpenFiles { was: soft, now: soft });
    }
    let to = |now: u64, maximum: u64| Rlimit { current: Some(now), maximum: Some(maximum) };
    if hard >= wanted {
        let raised = Rlimit { current: Some(wanted), maximum: limit.maximum };
        setrlimit(Resource::Nofile, raised).context("raising the open-file limit")?;
    } else if setrlimit(Resource::Nofile, to(wanted, wanted)).is_err() {
        // Not privileged: go as far as the hard limit allows.
        setrlimit(Resource::Nofile, to(hard, hard)).context("raising the open-file limit")?;
        return Ok(OpenFiles { was: soft, now: hard });
    }
    Ok(OpenFiles { was: soft, now: wanted })
}
