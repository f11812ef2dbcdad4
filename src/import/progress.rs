//! What a long command (an import, a copy) shows of its progress: a bar on
//! a terminal; in a log, a plain line as each stage starts, at every tenth
//! of it, and as it ends, so a log of a long run stays short.

use std::io::{IsTerminal, Read, Write};
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress of a command with stages (the tables of a copy, the kinds
/// of an import), each counted from 0 to its size.
pub struct Progress {
    shown: Shown,
}

enum Shown {
    Bar(ProgressBar),
    Lines(Mutex<Lines>),
}

/// Where lines go, and what the last one said.
struct Lines {
    out: Box<dyn Write + Send>,
    stage: String,
    tenths: u64,
}

impl Progress {
    /// On standard error: a bar when it is a terminal, lines otherwise.
    pub fn on_stderr() -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} ({eta})")
                .expect("the template is valid")
                .progress_chars("=> ");
            bar.set_style(style);
            Progress {
                shown: Shown::Bar(bar),
            }
        } else {
            Progress::as_lines(Box::new(std::io::stderr()))
        }
    }

    /// Lines into `out`.
    pub fn as_lines(out: Box<dyn Write + Send>) -> Self {
        Progress {
            shown: Shown::Lines(Mutex::new(Lines {
                out,
                stage: String::new(),
                tenths: 0,
            })),
        }
    }

    /// Shows nothing (a library caller, a test).
    pub fn silent() -> Self {
        Progress::as_lines(Box::new(std::io::sink()))
    }

    /// `reader`, of `all` bytes, showing as `stage` how much was read.
    pub fn reading<R: Read>(
        self: &Arc<Self>,
        stage: &'static str,
        reader: R,
        all: u64,
    ) -> Reading<R> {
        Reading {
            reader,
            progress: Arc::clone(self),
            stage,
            done: 0,
            all,
        }
    }

    /// `done` of `all` of `stage` (a table's rows, a kind's rows).
    pub fn update(&self, stage: &str, done: u64, all: u64) {
        match &self.shown {
            Shown::Bar(bar) => {
                if bar.message() != stage {
                    leave_a_line(bar);
                    bar.reset();
                    bar.set_message(stage.to_owned());
                }
                bar.set_length(all);
                bar.set_position(done);
            }
            Shown::Lines(lines) => {
                let Ok(mut lines) = lines.lock() else {
                    return;
                };
                lines.update(stage, done, all);
            }
        }
    }

    /// The last stage is over: its bar gives way to a line.
    pub fn finish(&self) {
        if let Shown::Bar(bar) = &self.shown {
            leave_a_line(bar);
            bar.finish_and_clear();
        }
    }
}

/// Where a bar's stage ended, as a line above the bar.
fn leave_a_line(bar: &ProgressBar) {
    let stage = bar.message();
    if !stage.is_empty() {
        let all = bar.length().unwrap_or(0);
        bar.println(format!("{stage}: {} of {all}", bar.position()));
    }
}

/// A reader that shows how much of it was read.
pub struct Reading<R> {
    reader: R,
    progress: Arc<Progress>,
    stage: &'static str,
    done: u64,
    all: u64,
}

impl<R: Read> Read for Reading<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.reader.read(buffer)?;
        self.done += read as u64;
        self.progress.update(self.stage, self.done, self.all);
        Ok(read)
    }
}

impl Lines {
    fn update(&mut self, stage: &str, done: u64, all: u64) {
        let tenths = (done * 10).checked_div(all).unwrap_or(10);
        let new_stage = self.stage != stage;
        if !new_stage && tenths <= self.tenths {
            return;
        }
        if new_stage {
            stage.clone_into(&mut self.stage);
        }
        self.tenths = tenths;
        // A log that cannot be written to loses a line, not the command.
        let _ = writeln!(self.out, "{stage}: {done} of {all}");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A writer whose bytes a test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_log_gets_a_line_per_stage_start_and_tenth_not_per_row() {
        let out = Shared::default();
        let progress = Progress::as_lines(Box::new(out.clone()));
        for done in 1..=1000 {
            progress.update("articles", done, 1000);
        }
        let mut read = Vec::new();
        Arc::new(progress)
            .reading("the dump", &b"0123456789"[..], 10)
            .read_to_end(&mut read)
            .unwrap();
        assert_eq!(read, b"0123456789");
        let progress = Progress::as_lines(Box::new(out.clone()));
        progress.update("comments", 0, 0);
        progress.update("users", 1, 3);
        progress.update("users", 3, 3);
        progress.finish();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // The start, then each tenth; a stage read at once, one line.
        assert_eq!(lines.len(), 11 + 1 + 1 + 2, "{text}");
        assert_eq!(lines[0], "articles: 1 of 1000");
        assert_eq!(lines[1], "articles: 100 of 1000");
        assert_eq!(lines[10], "articles: 1000 of 1000");
        assert_eq!(lines[11], "the dump: 10 of 10");
        assert_eq!(lines[12], "comments: 0 of 0");
        assert_eq!(&lines[13..], ["users: 1 of 3", "users: 3 of 3"]);
    }
}
