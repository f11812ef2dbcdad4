//! What an import did: counts per kind, every row left behind with its
//! reason, and what was carried over with a loss worth knowing. Printed for
//! people, and written as JSON for tools (`--report FILE`).

use std::fmt;

use serde::Serialize;

use crate::legacy::LegacyKind;

/// How the rows of one kind fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Rows of this kind in the dump.
    pub found: u64,
    /// Created here by this run.
    pub created: u64,
    /// Already here (same number, slug or name) and linked to, not created again.
    pub matched: u64,
    /// Imported by an earlier run: left as they are.
    pub already_imported: u64,
    /// Left behind; see `skipped`.
    pub skipped: u64,
}

/// One row of the dump, and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowNote {
    pub kind: LegacyKind,
    /// The row's id in the old portal.
    pub legacy_id: i64,
    pub reason: String,
}

/// The counts of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub kind: LegacyKind,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The table prefix and language read (`nv4`, `vi`).
    pub prefix: String,
    pub lang: String,
    /// Nothing was written: what the counts say would have happened.
    pub dry_run: bool,
    /// In the order they are imported: categories, areas, documents, articles, comments.
    pub counts: Vec<KindCounts>,
    /// Rows not imported, each with why.
    pub skipped: Vec<RowNote>,
    /// Rows imported with something of them not carried over, or changed.
    pub warnings: Vec<RowNote>,
}

impl Report {
    pub fn new(prefix: &str, lang: &str, dry_run: bool) -> Self {
        Self {
            prefix: prefix.to_owned(),
            lang: lang.to_owned(),
            dry_run,
            ..Self::default()
        }
    }

    fn counts(&mut self, kind: LegacyKind) -> &mut Counts {
        let at = match self.counts.iter().position(|entry| entry.kind == kind) {
            Some(at) => at,
            None => {
                self.counts.push(KindCounts {
                    kind,
                    counts: Counts::default(),
                });
                self.counts.len() - 1
            }
        };
        &mut self.counts[at].counts
    }

    /// The counts of `kind` (all zero when the dump had none).
    pub fn of(&self, kind: LegacyKind) -> Counts {
        self.counts
            .iter()
            .find(|entry| entry.kind == kind)
            .map_or_else(Counts::default, |entry| entry.counts)
    }

    pub fn found(&mut self, kind: LegacyKind) {
        self.counts(kind).found += 1;
    }

    pub fn created(&mut self, kind: LegacyKind) {
        self.counts(kind).created += 1;
    }

    pub fn already_imported(&mut self, kind: LegacyKind) {
        self.counts(kind).already_imported += 1;
    }

    pub fn matched(&mut self, kind: LegacyKind, legacy_id: i64, how: impl Into<String>) {
        self.counts(kind).matched += 1;
        self.warn(kind, legacy_id, how);
    }

    pub fn skip(&mut self, kind: LegacyKind, legacy_id: i64, reason: impl Into<String>) {
        self.counts(kind).skipped += 1;
        self.skipped.push(RowNote {
            kind,
            legacy_id,
            reason: reason.into(),
        });
    }

    pub fn warn(&mut self, kind: LegacyKind, legacy_id: i64, reason: impl Into<String>) {
        self.warnings.push(RowNote {
            kind,
            legacy_id,
            reason: reason.into(),
        });
    }

    /// Rows created by this run, of every kind.
    pub fn total_created(&self) -> u64 {
        self.counts.iter().map(|entry| entry.counts.created).sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = if self.dry_run {
            "Dry run (nothing written)"
        } else {
            "Imported"
        };
        writeln!(
            f,
            "{title}: NukeViet tables {}_{}_*",
            self.prefix, self.lang
        )?;
        writeln!(
            f,
            "{:<10} {:>6} {:>8} {:>8} {:>9} {:>8}",
            "kind", "found", "created", "matched", "already", "skipped"
        )?;
        for KindCounts { kind, counts: c } in &self.counts {
            writeln!(
                f,
                "{:<10} {:>6} {:>8} {:>8} {:>9} {:>8}",
                kind.as_str(),
                c.found,
                c.created,
                c.matched,
                c.already_imported,
                c.skipped
            )?;
        }
        for (heading, notes) in [
            ("Not imported", &self.skipped),
            ("Warnings", &self.warnings),
        ] {
            if notes.is_empty() {
                continue;
            }
            writeln!(f, "{heading}:")?;
            for note in notes {
                writeln!(f, "  {} {}: {}", note.kind, note.legacy_id, note.reason)?;
            }
        }
        Ok(())
    }
}
