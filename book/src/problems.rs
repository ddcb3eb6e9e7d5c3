//! Problems with the content, collected rather than returned one at a time: a build that fails
//! names every problem at once, each as `file:line: message`, the way a compiler does.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

#[derive(Debug)]
struct Problem {
    file: PathBuf,
    line: Option<usize>,
    message: String,
}

impl Problems {
    pub fn add(&mut self, file: &Path, line: Option<usize>, message: String) {
        self.0.push(Problem { file: file.to_path_buf(), line, message });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.0 {
            write!(f, "{}", problem.file.display())?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            writeln!(f, ": {}", problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}
