//! Writing the site's files. Assets get a content hash in their names (`style-<16 hex>.css`),
//! the same form Trunk gives the wasm, so the relay (or any CDN) can cache them for a year:
//! a changed file is a new name. Pages keep their names and are revalidated on every visit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use frontend::labs::Bundle;
use md5::{Digest as _, Md5};

use crate::render::BundleFiles;

/// The stylesheet every page carries inline.
pub const STYLE: &str = include_str!("../assets/style.css");
/// The reader script: themes, sidebar, keys, search, copy buttons, quizzes, progress, and
/// loading the labs' wasm when a lab comes near.
pub const READER: &str = include_str!("../assets/reader.js");

#[derive(Debug)]
pub struct Writer {
    dist: PathBuf,
    pub files: usize,
    pub bytes: u64,
}

impl Writer {
    pub fn new(dist: &Path) -> Writer {
        Writer { dist: dist.to_path_buf(), files: 0, bytes: 0 }
    }

    /// Write `bytes` as `<stem>-<hash>.<ext>` and return its path on the site.
    pub fn hashed(&mut self, stem: &str, ext: &str, bytes: &[u8]) -> anyhow::Result<String> {
        // The first 64 bits of MD5: a cache-busting name, not a security property.
        let digest = Md5::digest(bytes);
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("{stem}-{hash}.{ext}");
        self.write(Path::new(&name), bytes)?;
        Ok(format!("/{name}"))
    }

    /// Write a page at `path` (relative to the site's root).
    pub fn page(&mut self, path: &Path, html: &str) -> anyhow::Result<()> {
        self.write(path, html.as_bytes())
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        let full = self.dist.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&full, bytes).with_context(|| format!("writing {}", full.display()))?;
        // Compressed siblings of an earlier build would be served instead of this file: they go
        // (scripts/precompress.mjs writes new ones).
        for sibling in ["br", "gz"] {
            let _ = std::fs::remove_file(full.with_added_extension(sibling));
        }
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// Each lab bundle's JavaScript module and wasm that Trunk wrote into `dist` (as
/// `labs-<bundle>-<hash>.js` and `…_bg.wasm`), as site paths.
pub fn trunk_output(dist: &Path) -> anyhow::Result<BTreeMap<Bundle, BundleFiles>> {
    let entries = std::fs::read_dir(dist).with_context(|| {
        format!(
            "{} is missing: Trunk builds the labs first (scripts/build-site.sh)",
            dist.display()
        )
    })?;
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let find = |bundle: Bundle, suffix: &str| {
        let prefix = format!("labs-{}-", bundle.name());
        let found: Vec<&String> =
            names.iter().filter(|n| n.starts_with(&prefix) && n.ends_with(suffix)).collect();
        match found[..] {
            [one] => Ok(format!("/{one}")),
            [] => bail!(
                "no {prefix}*{suffix} in {}: run Trunk first (scripts/build-site.sh)",
                dist.display()
            ),
            _ => bail!("several {prefix}*{suffix} in {}: {found:?}", dist.display()),
        }
    };
    Bundle::ALL
        .into_iter()
        .map(|bundle| {
            let files = BundleFiles { js: find(bundle, ".js")?, wasm: find(bundle, "_bg.wasm")? };
            Ok((bundle, files))
        })
        .collect()
}
