//! A small text builder for generated code: lines at an indent, and comments wrapped to width.

/// Comments are wrapped at this many characters (indent and comment marker included).
const WIDTH: usize = 100;

/// Generated code being written, line by line.
#[derive(Debug)]
pub(super) struct Code {
    text: String,
    comment: &'static str,
    indent: usize,
}

impl Code {
    /// Empty code whose line comments start with `comment` (`//`, `#`).
    pub(super) const fn new(comment: &'static str) -> Self {
        Self { text: String::new(), comment, indent: 0 }
    }

    /// One line at the current indent (an empty `text` gives an empty line).
    pub(super) fn line(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if !text.is_empty() {
            self.text.extend(std::iter::repeat_n("    ", self.indent));
            self.text.push_str(text);
        }
        self.text.push('\n');
    }

    /// An empty line.
    pub(super) fn blank(&mut self) {
        self.text.push('\n');
    }

    /// A comment at the current indent, wrapped at [`WIDTH`]; each `\n` in `text` starts a
    /// new comment line.
    pub(super) fn note(&mut self, text: impl AsRef<str>) {
        let lead = "    ".len() * self.indent + self.comment.len() + 1;
        let width = WIDTH.saturating_sub(lead).max(40);
        for paragraph in text.as_ref().split('\n') {
            for line in wrap(paragraph, width) {
                let line = if line.is_empty() { self.comment.to_owned() } else { format!("{} {line}", self.comment) };
                self.line(line);
            }
        }
    }

    /// A comment line written as is (no wrapping, spaces kept): code quoted in a comment.
    pub(super) fn verbatim(&mut self, text: impl AsRef<str>) {
        let line = format!("{} {}", self.comment, text.as_ref());
        self.line(line.trim_end());
    }

    /// Indents the lines that follow by one more level.
    pub(super) fn push(&mut self) {
        self.indent += 1;
    }

    /// Undoes one [`Code::push`].
    pub(super) fn pop(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    /// The code written.
    pub(super) fn finish(self) -> String {
        self.text
    }
}

/// `text` split into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let Some(last) = lines.last_mut() else { break };
        if last.is_empty() {
            last.push_str(word);
        } else if last.chars().count() + 1 + word.chars().count() <= width {
            last.push(' ');
            last.push_str(word);
        } else {
            lines.push(word.to_owned());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_wrap_at_spaces_and_keep_long_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 6), [""]);
        let mut code = Code::new("#");
        code.push();
        code.note("one\ntwo");
        code.pop();
        code.line("x");
        assert_eq!(code.finish(), "    # one\n    # two\nx\n");
    }
}
