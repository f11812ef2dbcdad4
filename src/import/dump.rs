//! Reading a MySQL or MariaDB dump (`mysqldump`, `mariadb-dump`) into tables
//! of rows, with sqlparser's MySQL dialect: `CREATE TABLE` gives each table's
//! columns, `INSERT` or `REPLACE` (one row or many, `--replace`) its rows.
//! Everything else a dump holds (`DROP`, `LOCK`, `SET`, comments, conditional
//! `/*!…*/` statements) is passed over, and so are the statements of tables
//! the reader does not want (see [`Dump::parse_tables`]), before they are
//! parsed: their DDL or values (blobs) need not be what sqlparser reads.
//!
//! A dump cut short is refused rather than half read: an unterminated
//! string or statement, or a missing `-- Dump completed` trailer (which both
//! tools write last; phpMyAdmin's exports end with a `COMMIT` instead), is an
//! error.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use sqlparser::ast::{
    CreateTable, Expr, Insert, SetExpr, Statement, TableObject, UnaryOperator, Value,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// What both mysqldump and mariadb-dump write at the very end.
const TRAILER: &str = "-- Dump completed";
/// What phpMyAdmin's exports start with; they end with `COMMIT;` instead.
const PHPMYADMIN_HEADER: &str = "-- phpMyAdmin SQL Dump";

/// One value of a dumped row.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Integer(i64),
    /// A number that is not an integer (kept as written).
    Decimal(String),
    Text(String),
}

/// A table's columns and rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<SqlValue>>,
}

/// Every table of a dump with its rows, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dump {
    pub tables: BTreeMap<String, Table>,
    /// The tables created but not read (not wanted), by name only.
    pub passed_over: BTreeSet<String>,
}

/// Why a dump cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DumpError {
    #[error("the dump is cut short ({0}); take it again and check that it ends with `{TRAILER}`")]
    Truncated(String),
    #[error("the dump cannot be read at line {line}: {reason}")]
    Syntax { line: u64, reason: String },
    #[error("the dump cannot be read: {0}")]
    Read(String),
    #[error("the dump inserts into `{0}` before creating it, so its columns are unknown")]
    UnknownTable(String),
    #[error(
        "the dump inserts into `{table}` a row of {found} values, but the table has {expected} columns"
    )]
    RowWidth {
        table: String,
        expected: usize,
        found: usize,
    },
    #[error("the dump inserts into `{table}` a value that is not a plain literal: {value}")]
    Value { table: String, value: String },
}

/// What becomes of a table's rows as a dump is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Kept in the [`Dump`] with its columns.
    Kept,
    /// Handed to the caller row by row as they are read, and not kept: for
    /// a table too large to hold (a newsroom's article bodies).
    Streamed,
    /// Not even parsed, so what they hold cannot stop the reading; only
    /// the table's name is kept, in `passed_over`.
    PassedOver,
}

impl Dump {
    /// Reads the text of a dump, every table of it.
    pub fn parse(sql: &str) -> Result<Self, DumpError> {
        Self::parse_tables(sql, |_| true)
    }

    /// Reads the text of a dump, the tables `wanted` says yes to; the
    /// statements of the others are passed over unparsed (their names kept
    /// in `passed_over`). A cut-short dump is refused all the same.
    pub fn parse_tables(sql: &str, wanted: impl Fn(&str) -> bool) -> Result<Self, DumpError> {
        let rows_of = |table: &str| {
            if wanted(table) {
                Rows::Kept
            } else {
                Rows::PassedOver
            }
        };
        Self::read(sql.as_bytes(), rows_of, |_, _, _| Ok::<_, DumpError>(()))
    }

    /// Reads a dump from `reader` a statement at a time, so a dump larger
    /// than memory can be read: each table's rows are kept, handed to
    /// `streamed` (with the table's name and columns) or passed over, as
    /// `rows_of` says. A streamed table is kept without its rows.
    pub fn read<E: From<DumpError>>(
        reader: impl BufRead,
        rows_of: impl Fn(&str) -> Rows,
        mut streamed: impl FnMut(&str, &[String], Vec<SqlValue>) -> Result<(), E>,
    ) -> Result<Self, E> {
        let dialect = MySqlDialect {};
        let mut statements = Statements::new(reader);
        let mut dump = Dump::default();
        // A `COMMIT` follows the last table or rows: how phpMyAdmin ends an export.
        let mut committed_after_rows = false;
        while let Some(statement) = statements.next_statement()? {
            let Some((kind, table)) = head_of(&statement.text) else {
                committed_after_rows |= statement.text.trim_end().eq_ignore_ascii_case("COMMIT");
                continue;
            };
            committed_after_rows = false;
            let rows = rows_of(&table);
            if rows == Rows::PassedOver {
                if kind == Kind::Create {
                    dump.passed_over.insert(table);
                }
                continue;
            }
            match parse(&dialect, &statement, &dump.tables)? {
                Parsed::Created(table, columns) => {
                    let rows = Vec::new();
                    dump.tables.insert(table, Table { columns, rows });
                }
                Parsed::Inserted(table, rows_read) => {
                    let Some(kept) = dump.tables.get_mut(&table) else {
                        continue;
                    };
                    if rows == Rows::Streamed {
                        for row in rows_read {
                            streamed(&table, &kept.columns, row)?;
                        }
                    } else {
                        kept.rows.extend(rows_read);
                    }
                }
                Parsed::Other => {}
            }
        }
        let ending = statements.finish()?;
        if !(ending.has_trailer || (ending.is_phpmyadmin && committed_after_rows)) {
            return Err(E::from(DumpError::Truncated(format!(
                "it does not end with the `{TRAILER}` line"
            ))));
        }
        Ok(dump)
    }
}

/// What a statement of interest did.
enum Parsed {
    /// A table created, with its columns.
    Created(String, Vec<String>),
    /// Rows inserted into a table, each as wide as the table, in its
    /// columns' order.
    Inserted(String, Vec<Vec<SqlValue>>),
    Other,
}

/// Parses one statement with sqlparser; `tables` gives the columns of
/// those created so far.
fn parse(
    dialect: &MySqlDialect,
    statement: &DumpStatement,
    tables: &BTreeMap<String, Table>,
) -> Result<Parsed, DumpError> {
    let syntax = |line: u64, reason: String| DumpError::Syntax {
        line: statement.line + line.saturating_sub(1),
        reason,
    };
    let tokens = Tokenizer::new(dialect, &statement.text)
        .tokenize_with_location()
        .map_err(|error| syntax(error.location.line, error.message))?;
    let tokens: Vec<TokenWithSpan> = tokens
        .into_iter()
        .filter(|token| !matches!(token.token, Token::Whitespace(_)))
        .collect();
    let parsed = Parser::new(dialect)
        .with_tokens_with_locations(tokens)
        .parse_statement()
        .map_err(|error| syntax(1, error.to_string()))?;
    Ok(match parsed {
        Statement::CreateTable(create) => created(&create),
        Statement::Insert(insert) => inserted(&insert, tables)?,
        _ => Parsed::Other,
    })
}

fn created(create: &CreateTable) -> Parsed {
    let columns = create
        .columns
        .iter()
        .map(|column| column.name.value.clone())
        .collect();
    Parsed::Created(unqualified(&create.name.to_string()), columns)
}

fn inserted(insert: &Insert, tables: &BTreeMap<String, Table>) -> Result<Parsed, DumpError> {
    let TableObject::TableName(name) = &insert.table else {
        return Ok(Parsed::Other);
    };
    let name = unqualified(&name.to_string());
    let table = tables
        .get(&name)
        .ok_or_else(|| DumpError::UnknownTable(name.clone()))?;
    let Some(SetExpr::Values(values)) = insert.source.as_ref().map(|query| query.body.as_ref())
    else {
        return Ok(Parsed::Other);
    };
    // A column list, when the dump has one (`--complete-insert`), gives
    // the order of the values.
    let order: Option<Vec<usize>> = (!insert.columns.is_empty())
        .then(|| {
            insert
                .columns
                .iter()
                .map(|column| {
                    let column = unqualified(&column.to_string());
                    table.columns.iter().position(|known| *known == column)
                })
                .collect()
        })
        .flatten();
    let mut rows = Vec::with_capacity(values.rows.len());
    for row in &values.rows {
        let exprs = &row.content;
        let expected = order.as_ref().map_or(table.columns.len(), Vec::len);
        if exprs.len() != expected {
            return Err(DumpError::RowWidth {
                table: name,
                expected,
                found: exprs.len(),
            });
        }
        let values = exprs
            .iter()
            .map(|expr| {
                literal(expr).ok_or_else(|| DumpError::Value {
                    table: name.clone(),
                    value: expr.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(match &order {
            Some(order) => {
                let mut full = vec![SqlValue::Null; table.columns.len()];
                for (value, at) in values.into_iter().zip(order) {
                    full[*at] = value;
                }
                full
            }
            None => values,
        });
    }
    Ok(Parsed::Inserted(name, rows))
}

/// One statement of a dump: its text without comments or the closing
/// semicolon, and the line it starts on.
struct DumpStatement {
    text: String,
    line: u64,
}

/// How far a dump's statements have been split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexed {
    Code,
    /// One `-` (maybe a comment's start).
    Dash,
    /// `--`: a comment if white space follows.
    DashDash,
    /// One `/` (maybe a comment's start).
    Slash,
    /// Inside a string or quoted name closed by `quote`; `escaped` after a
    /// backslash (not in names).
    Quoted {
        quote: u8,
        escaped: bool,
    },
    LineComment,
    BlockComment {
        star: bool,
    },
}

/// How a dump ended, for telling a whole one from one cut short.
struct Ending {
    has_trailer: bool,
    is_phpmyadmin: bool,
}

/// Splits a dump into statements at the semicolons outside strings, quoted
/// names and comments (`-- `, `#`, `/* */`: conditional `/*!…*/` ones
/// included), reading no more than a statement ahead.
struct Statements<R> {
    reader: R,
    lexer: Lexer,
    ends: Ends,
}

impl<R: BufRead> Statements<R> {
    fn new(reader: R) -> Self {
        let lexer = Lexer {
            lexed: Lexed::Code,
            current: Vec::new(),
            line: 1,
            start: 1,
        };
        let ends = Ends {
            head: Vec::new(),
            tail: Vec::new(),
        };
        Self {
            reader,
            lexer,
            ends,
        }
    }

    /// The next statement with any text, or `None` at the end.
    fn next_statement(&mut self) -> Result<Option<DumpStatement>, DumpError> {
        loop {
            let buffer = self
                .reader
                .fill_buf()
                .map_err(|error| DumpError::Read(error.to_string()))?;
            if buffer.is_empty() {
                return Ok(None);
            }
            let (read, ended) = self.lexer.split(buffer);
            self.ends.keep(&buffer[..read]);
            self.reader.consume(read);
            if let Some(statement) = ended.then(|| self.lexer.take()).transpose()?.flatten() {
                return Ok(Some(statement));
            }
        }
    }

    /// At the end of the dump: an error if it stops inside a string,
    /// comment or statement; else how it ends.
    fn finish(self) -> Result<Ending, DumpError> {
        let lexer = &self.lexer;
        let cut = |what: &str| DumpError::Truncated(format!("{what} at line {}", lexer.start));
        match lexer.lexed {
            Lexed::Quoted { .. } => return Err(cut("a string has no end")),
            Lexed::BlockComment { .. } => return Err(cut("a comment has no end")),
            _ if !lexer.current.iter().all(u8::is_ascii_whitespace) => {
                return Err(cut("the statement has no end"));
            }
            _ => {}
        }
        Ok(Ending {
            has_trailer: has_trailer(&String::from_utf8_lossy(&self.ends.tail)),
            is_phpmyadmin: is_phpmyadmin(&String::from_utf8_lossy(&self.ends.head)),
        })
    }
}

/// The first and the last bytes of a dump: what its first and last lines
/// need to be seen whole.
struct Ends {
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl Ends {
    const KEPT: usize = 256;

    fn keep(&mut self, read: &[u8]) {
        let room = Self::KEPT.saturating_sub(self.head.len());
        self.head.extend_from_slice(&read[..room.min(read.len())]);
        self.tail.extend_from_slice(read);
        if self.tail.len() > 2 * Self::KEPT {
            self.tail.drain(..self.tail.len() - Self::KEPT);
        }
    }
}

/// Where the splitting is: inside what, the statement so far.
struct Lexer {
    lexed: Lexed,
    /// The statement being read, comments left out.
    current: Vec<u8>,
    /// The line being read, and the one the current statement started on.
    line: u64,
    start: u64,
}

impl Lexer {
    /// Reads `bytes` up to the end of a statement, if one ends in them:
    /// how many bytes were read, and whether a statement ended.
    fn split(&mut self, bytes: &[u8]) -> (usize, bool) {
        for (at, &byte) in bytes.iter().enumerate() {
            if byte == b'\n' {
                self.line += 1;
            }
            if self.step(byte) {
                return (at + 1, true);
            }
        }
        (bytes.len(), false)
    }

    /// The statement just ended, if it holds any text.
    fn take(&mut self) -> Result<Option<DumpStatement>, DumpError> {
        let text = String::from_utf8(std::mem::take(&mut self.current)).map_err(|_| {
            DumpError::Syntax {
                line: self.start,
                reason: "it is not UTF-8: take the dump with --default-character-set=utf8mb4"
                    .into(),
            }
        })?;
        let line = self.start;
        Ok((!text.trim().is_empty()).then_some(DumpStatement { text, line }))
    }

    /// Takes one byte; whether it ends a statement.
    fn step(&mut self, byte: u8) -> bool {
        match self.lexed {
            Lexed::Code => return self.code(byte),
            Lexed::Dash if byte == b'-' => self.lexed = Lexed::DashDash,
            Lexed::DashDash if byte.is_ascii_whitespace() => {
                self.lexed = Lexed::LineComment;
                return self.step(byte);
            }
            Lexed::Slash if byte == b'*' => self.lexed = Lexed::BlockComment { star: false },
            Lexed::Dash | Lexed::DashDash | Lexed::Slash => {
                let held: &[u8] = match self.lexed {
                    Lexed::Dash => b"-",
                    Lexed::DashDash => b"--",
                    _ => b"/",
                };
                self.current.extend_from_slice(held);
                self.lexed = Lexed::Code;
                return self.code(byte);
            }
            Lexed::Quoted { quote, escaped } => {
                self.current.push(byte);
                self.lexed = if escaped {
                    Lexed::Quoted {
                        quote,
                        escaped: false,
                    }
                } else if byte == b'\\' && quote != b'`' {
                    Lexed::Quoted {
                        quote,
                        escaped: true,
                    }
                } else if byte == quote {
                    Lexed::Code
                } else {
                    self.lexed
                };
            }
            Lexed::LineComment if byte == b'\n' => self.end_comment(),
            Lexed::LineComment => {}
            Lexed::BlockComment { star } => {
                if star && byte == b'/' {
                    self.end_comment();
                } else {
                    self.lexed = Lexed::BlockComment { star: byte == b'*' };
                }
            }
        }
        false
    }

    /// A byte of code; whether it ends the statement.
    fn code(&mut self, byte: u8) -> bool {
        match byte {
            b';' => return true,
            b'\'' | b'"' | b'`' => {
                self.lexed = Lexed::Quoted {
                    quote: byte,
                    escaped: false,
                }
            }
            b'-' => {
                self.lexed = Lexed::Dash;
                return false;
            }
            b'/' => {
                self.lexed = Lexed::Slash;
                return false;
            }
            b'#' => {
                self.lexed = Lexed::LineComment;
                return false;
            }
            _ => {}
        }
        if self.current.is_empty() {
            if byte.is_ascii_whitespace() {
                return false;
            }
            self.start = self.line;
        }
        self.current.push(byte);
        false
    }

    /// A comment stands for white space between what is around it.
    fn end_comment(&mut self) {
        self.lexed = Lexed::Code;
        if !self.current.is_empty() {
            self.current.push(b' ');
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Create,
    Insert,
}

/// Whether a statement creates a table or inserts rows (`INSERT` or
/// `REPLACE`), and into which table, read from its first words (the name
/// after `TABLE [IF NOT EXISTS]` or `INTO`, without its database), so the
/// statements of unwanted tables need not be parsed. Views, triggers and
/// routines, which a dump may hold in forms sqlparser does not read, are
/// none of these.
fn head_of(text: &str) -> Option<(Kind, String)> {
    let mut words = HeadWords { rest: text };
    let first = words.next()?;
    let kind = match first.text.to_ascii_uppercase().as_str() {
        "INSERT" | "REPLACE" => Kind::Insert,
        "CREATE" => Kind::Create,
        _ => return None,
    };
    let introducer = match kind {
        Kind::Insert => "INTO",
        Kind::Create => "TABLE",
    };
    let mut word = words.next()?;
    if kind == Kind::Create && !word.text.eq_ignore_ascii_case("TABLE") {
        return None;
    }
    while word.quoted || !word.text.eq_ignore_ascii_case(introducer) {
        word = words.next()?;
    }
    let mut name = words.next()?;
    while !name.quoted
        && ["IF", "NOT", "EXISTS"]
            .iter()
            .any(|w| name.text.eq_ignore_ascii_case(w))
    {
        name = words.next()?;
    }
    // `db`.`table`: the last part is the table's.
    while words.rest.starts_with('.') {
        words.rest = &words.rest[1..];
        name = words.next()?;
    }
    Some((kind, name.text.to_owned()))
}

/// A word at the head of a statement: a keyword or name, unquoted.
struct Word<'a> {
    text: &'a str,
    quoted: bool,
}

/// The words at the head of a statement, up to anything else (`(`, a string).
struct HeadWords<'a> {
    rest: &'a str,
}

impl<'a> Iterator for HeadWords<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        self.rest = self.rest.trim_start();
        if let Some(quoted) = self.rest.strip_prefix('`') {
            let end = quoted.find('`')?;
            self.rest = &quoted[end + 1..];
            return Some(Word {
                text: &quoted[..end],
                quoted: true,
            });
        }
        let end = self
            .rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(self.rest.len());
        if end == 0 {
            return None;
        }
        let text = &self.rest[..end];
        self.rest = &self.rest[end..];
        Some(Word {
            text,
            quoted: false,
        })
    }
}

/// A table's name without quotes or database (`db`.`t` → `t`).
fn unqualified(name: &str) -> String {
    name.rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_matches('`')
        .to_owned()
}

/// phpMyAdmin's exports have no trailer, but end their transaction.
fn is_phpmyadmin(sql: &str) -> bool {
    sql.trim_start().starts_with(PHPMYADMIN_HEADER)
}

fn has_trailer(sql: &str) -> bool {
    sql.lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .is_some_and(|last| last.starts_with(TRAILER))
}

/// The value of a literal; `None` for anything computed.
fn literal(expr: &Expr) -> Option<SqlValue> {
    match expr {
        Expr::Value(value) => match &value.value {
            Value::Null => Some(SqlValue::Null),
            Value::Number(digits, _) => Some(number(digits, false)),
            Value::SingleQuotedString(text) | Value::DoubleQuotedString(text) => {
                Some(SqlValue::Text(text.clone()))
            }
            Value::Boolean(true) => Some(SqlValue::Integer(1)),
            Value::Boolean(false) => Some(SqlValue::Integer(0)),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match expr.as_ref() {
            Expr::Value(value) => match &value.value {
                Value::Number(digits, _) => Some(number(digits, true)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn number(digits: &str, negative: bool) -> SqlValue {
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    signed
        .parse()
        .map_or(SqlValue::Decimal(signed), SqlValue::Integer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE: &str = "DROP TABLE IF EXISTS `t`;\n/*!40101 SET character_set_client = utf8mb4 */;\nCREATE TABLE `t` (\n  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,\n  `name` varchar(250) NOT NULL DEFAULT '',\n  `n` int(11) NOT NULL DEFAULT 0,\n  PRIMARY KEY (`id`),\n  KEY `name` (`name`)\n) ENGINE=MyISAM AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\nLOCK TABLES `t` WRITE;\n";

    fn dump(inserts: &str) -> String {
        format!("{CREATE}{inserts}\nUNLOCK TABLES;\n-- Dump completed on 2026-11-25 10:00:00\n")
    }

    #[test]
    fn one_row_and_extended_inserts_give_the_same_rows() {
        let single = Dump::parse(&dump(
            "INSERT INTO `t` VALUES (1,'Tin; mới \\'a\\'',-1);\nINSERT INTO `t` VALUES (2,NULL,0);",
        ))
        .unwrap();
        let extended = Dump::parse(&dump(
            "INSERT INTO `t` VALUES (1,'Tin; mới \\'a\\'',-1),(2,NULL,0);",
        ))
        .unwrap();
        assert_eq!(single, extended);
        let table = &single.tables["t"];
        assert_eq!(table.columns, ["id", "name", "n"]);
        assert_eq!(
            table.rows[0],
            [
                SqlValue::Integer(1),
                SqlValue::Text("Tin; mới 'a'".into()),
                SqlValue::Integer(-1)
            ]
        );
        assert_eq!(table.rows[1][1], SqlValue::Null);
    }

    #[test]
    fn a_column_list_orders_the_values() {
        let parsed = Dump::parse(&dump("INSERT INTO `t` (`n`, `id`) VALUES (5, 7);")).unwrap();
        assert_eq!(
            parsed.tables["t"].rows[0],
            [SqlValue::Integer(7), SqlValue::Null, SqlValue::Integer(5)]
        );
    }

    #[test]
    fn a_dump_cut_inside_a_string_or_statement_or_missing_its_trailer_is_truncated() {
        let whole = dump("INSERT INTO `t` VALUES (1,'Tin',0),(2,'Bài',1);");
        let inside_string = &whole[..whole.find("Bài").unwrap()];
        let inside_statement = &whole[..whole.find(",(2").unwrap()];
        let no_trailer = whole.replace("-- Dump completed on 2026-11-25 10:00:00\n", "");
        for cut in [inside_string, inside_statement, &no_trailer] {
            assert!(
                matches!(Dump::parse(cut), Err(DumpError::Truncated(_))),
                "{:?}",
                Dump::parse(cut)
            );
        }
    }

    #[test]
    fn a_phpmyadmin_export_is_complete_when_it_commits_after_its_rows() {
        let body = format!(
            "-- phpMyAdmin SQL Dump\nSTART TRANSACTION;\n{CREATE}INSERT INTO `t` VALUES (1,'a',0);\n"
        );
        let committed = format!("{body}COMMIT;\n/*!40101 SET NAMES utf8mb4 */;\n");
        assert_eq!(Dump::parse(&committed).unwrap().tables["t"].rows.len(), 1);
        assert!(matches!(Dump::parse(&body), Err(DumpError::Truncated(_))));
    }

    #[test]
    fn views_and_other_statements_are_passed_over() {
        let parsed = Dump::parse(&dump(
            "INSERT INTO `t` VALUES (1,'a',0);\n/*!50001 CREATE ALGORITHM=UNDEFINED VIEW `v` AS select 1 */;\nSET @x = 1;",
        ))
        .unwrap();
        assert_eq!(parsed.tables.len(), 1);
        assert_eq!(parsed.tables["t"].rows.len(), 1);
    }

    #[test]
    fn replace_statements_are_read_as_inserts() {
        let parsed = Dump::parse(&dump("REPLACE INTO `t` VALUES (1,'a',0),(2,'b',1);")).unwrap();
        assert_eq!(parsed.tables["t"].rows.len(), 2);
        assert_eq!(parsed.tables["t"].rows[1][1], SqlValue::Text("b".into()));
    }

    #[test]
    fn unwanted_tables_are_passed_over_unparsed_blobs_and_odd_ddl_included() {
        let other = "CREATE TABLE `db`.`blobs` (`id` int, `b` blob) ENGINE=InnoDB PAGE_COMPRESSED=1 WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME INTERVAL 1 MONTH;\nINSERT INTO `blobs` VALUES (1,0x89504E47),(2,_binary 'x\\0y');\n";
        let sql = dump(&format!("{other}INSERT INTO `t` VALUES (1,'a',0);"));
        let parsed = Dump::parse_tables(&sql, |name| name == "t").unwrap();
        assert_eq!(parsed.tables.keys().collect::<Vec<_>>(), ["t"]);
        assert_eq!(parsed.passed_over.iter().collect::<Vec<_>>(), ["blobs"]);
        assert!(
            Dump::parse(&sql).is_err(),
            "read whole, the blobs do not parse"
        );
        let cut = &sql[..sql.find("'a'").unwrap()];
        assert!(matches!(
            Dump::parse_tables(cut, |name| name == "t"),
            Err(DumpError::Truncated(_))
        ));
    }

    /// `sql` read through a buffer of `capacity` bytes, every table kept.
    fn read_in_pieces(sql: &str, capacity: usize) -> Result<Dump, DumpError> {
        let reader = std::io::BufReader::with_capacity(capacity, sql.as_bytes());
        Dump::read(reader, |_| Rows::Kept, |_, _, _| Ok::<_, DumpError>(()))
    }

    #[test]
    fn semicolons_quotes_and_dashes_in_strings_names_and_comments_end_no_statement() {
        let sql = dump(concat!(
            "-- a comment; with 'a quote\n",
            "# another; \"one\"\n",
            "/* a block; 'comment' */ /*!40101 SET x = 1 */;\n",
            "INSERT INTO `t` VALUES (1,'a;b -- c /* d */ # e',-1),",
            "(2,'it''s \\\\',0),(3,\"say \\\"hi\\\"; now\",2);"
        ));
        let parsed = Dump::parse(&sql).unwrap();
        let names: Vec<&SqlValue> = parsed.tables["t"].rows.iter().map(|row| &row[1]).collect();
        assert_eq!(
            names,
            [
                &SqlValue::Text("a;b -- c /* d */ # e".into()),
                &SqlValue::Text("it's \\".into()),
                &SqlValue::Text("say \"hi\"; now".into()),
            ]
        );
        assert_eq!(parsed.tables["t"].rows[0][2], SqlValue::Integer(-1));
    }

    #[test]
    fn a_dump_read_a_byte_at_a_time_reads_as_it_does_whole() {
        let sql = dump(
            "INSERT INTO `t` VALUES (1,'Tin; mới \\'a\\'',-1),(2,'--x',0);\n-- done;\nINSERT INTO `t` VALUES (3,'/*',1);",
        );
        let whole = Dump::parse(&sql).unwrap();
        assert_eq!(whole.tables["t"].rows.len(), 3);
        for capacity in [1, 2, 3, 7, 64] {
            assert_eq!(read_in_pieces(&sql, capacity).unwrap(), whole, "{capacity}");
        }
        let cut = &sql[..sql.find("'/*'").unwrap() + 2];
        assert!(matches!(
            read_in_pieces(cut, 1),
            Err(DumpError::Truncated(_))
        ));
    }

    #[test]
    fn streamed_rows_come_one_by_one_with_their_columns_and_are_not_kept() {
        let sql = dump("INSERT INTO `t` VALUES (1,'a',0),(2,'b',1);");
        let mut seen = Vec::new();
        let read = Dump::read(
            sql.as_bytes(),
            |_| Rows::Streamed,
            |table, columns, row| {
                seen.push((table.to_owned(), columns.len(), row));
                Ok::<_, DumpError>(())
            },
        )
        .unwrap();
        assert!(read.tables["t"].rows.is_empty());
        assert_eq!(read.tables["t"].columns, ["id", "name", "n"]);
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].0, "t");
        assert_eq!(seen[1].1, 3);
        assert_eq!(seen[1].2[1], SqlValue::Text("b".into()));
    }

    #[test]
    fn a_syntax_error_names_the_line_of_its_statement_in_the_dump() {
        let sql = dump("\n\nINSERT INTO `t` VALUES (1,'a',0),\n(2,'b',);");
        let line = sql.lines().position(|l| l.starts_with("INSERT")).unwrap() as u64 + 1;
        match Dump::parse(&sql) {
            Err(DumpError::Syntax { line: found, .. }) => assert_eq!(found, line),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_of_the_wrong_width_or_unknown_tables_are_errors() {
        assert!(matches!(
            Dump::parse(&dump("INSERT INTO `t` VALUES (1,'a');")),
            Err(DumpError::RowWidth { .. })
        ));
        assert!(matches!(
            Dump::parse(&dump("INSERT INTO `u` VALUES (1);")),
            Err(DumpError::UnknownTable(_))
        ));
    }
}
