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

use sqlparser::ast::{
    CreateTable, Expr, Insert, SetExpr, Statement, TableObject, UnaryOperator, Value,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
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

impl Dump {
    /// Reads the text of a dump, every table of it.
    pub fn parse(sql: &str) -> Result<Self, DumpError> {
        Self::parse_tables(sql, |_| true)
    }

    /// Reads the text of a dump, the tables `wanted` says yes to; the
    /// statements of the others are passed over unparsed (their names kept
    /// in `passed_over`). A cut-short dump is refused all the same.
    pub fn parse_tables(sql: &str, wanted: impl Fn(&str) -> bool) -> Result<Self, DumpError> {
        let dialect = MySqlDialect {};
        let tokens = Tokenizer::new(&dialect, sql)
            .tokenize_with_location()
            .map_err(|error| {
                let line = error.location.line;
                if error.message.contains("Unterminated") || error.message.contains("EOF") {
                    DumpError::Truncated(format!("{} at line {line}", error.message))
                } else {
                    DumpError::Syntax {
                        line,
                        reason: error.message,
                    }
                }
            })?;
        let statements = statements(tokens)?;
        let complete = has_trailer(sql) || (is_phpmyadmin(sql) && statements.committed_after_rows);
        let mut dump = Dump::default();
        for statement in statements.of_interest {
            match table_name(&statement) {
                Some(name) if !wanted(&name) => {
                    if is_create(&statement) {
                        dump.passed_over.insert(name);
                    }
                }
                _ => dump.take(&dialect, statement)?,
            }
        }
        if !complete {
            return Err(DumpError::Truncated(format!(
                "it does not end with the `{TRAILER}` line"
            )));
        }
        Ok(dump)
    }

    /// Adds what one statement says, if it creates a table or inserts rows.
    fn take(
        &mut self,
        dialect: &MySqlDialect,
        statement: Vec<TokenWithSpan>,
    ) -> Result<(), DumpError> {
        let line = statement.first().map_or(0, |t| t.span.start.line);
        let parsed = Parser::new(dialect)
            .with_tokens_with_locations(statement)
            .parse_statement()
            .map_err(|error| DumpError::Syntax {
                line,
                reason: error.to_string(),
            })?;
        match parsed {
            Statement::CreateTable(create) => {
                self.create(&create);
                Ok(())
            }
            Statement::Insert(insert) => self.insert(&insert),
            _ => Ok(()),
        }
    }

    fn create(&mut self, create: &CreateTable) {
        let columns = create
            .columns
            .iter()
            .map(|column| column.name.value.clone())
            .collect();
        self.tables.insert(
            unqualified(&create.name.to_string()),
            Table {
                columns,
                rows: Vec::new(),
            },
        );
    }

    fn insert(&mut self, insert: &Insert) -> Result<(), DumpError> {
        let TableObject::TableName(name) = &insert.table else {
            return Ok(());
        };
        let name = unqualified(&name.to_string());
        let table = self
            .tables
            .get_mut(&name)
            .ok_or_else(|| DumpError::UnknownTable(name.clone()))?;
        let Some(SetExpr::Values(values)) = insert.source.as_ref().map(|query| query.body.as_ref())
        else {
            return Ok(());
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
            table.rows.push(match &order {
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
        Ok(())
    }
}

/// The statements of interest (`CREATE TABLE` and `INSERT`), each
/// as its tokens without whitespace and comments; the last one must be
/// terminated.
fn statements(tokens: Vec<TokenWithSpan>) -> Result<Statements, DumpError> {
    let mut found = Statements::default();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    for token in tokens {
        match token.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => {
                if is_of_interest(&current) {
                    found.committed_after_rows = false;
                    found.of_interest.push(std::mem::take(&mut current));
                } else {
                    found.committed_after_rows |= is_commit(&current);
                    current.clear();
                }
            }
            _ => current.push(token),
        }
    }
    if let Some(first) = current.first() {
        return Err(DumpError::Truncated(format!(
            "the statement at line {} has no end",
            first.span.start.line
        )));
    }
    Ok(found)
}

#[derive(Default)]
struct Statements {
    of_interest: Vec<Vec<TokenWithSpan>>,
    /// A `COMMIT` follows the last table or rows: how phpMyAdmin ends an export.
    committed_after_rows: bool,
}

fn is_commit(statement: &[TokenWithSpan]) -> bool {
    matches!(
        statement,
        [TokenWithSpan { token: Token::Word(word), .. }] if word.keyword == Keyword::COMMIT
    )
}

/// Only tables and rows matter: views, triggers and routines (which a dump
/// may hold in forms sqlparser does not read) are passed over.
fn is_of_interest(statement: &[TokenWithSpan]) -> bool {
    let keyword = |at: usize| match statement.get(at).map(|t| &t.token) {
        Some(Token::Word(word)) => Some(word.keyword),
        _ => None,
    };
    match keyword(0) {
        Some(Keyword::INSERT | Keyword::REPLACE) => true,
        Some(Keyword::CREATE) => keyword(1) == Some(Keyword::TABLE),
        _ => false,
    }
}

fn is_create(statement: &[TokenWithSpan]) -> bool {
    matches!(statement.first().map(|t| &t.token), Some(Token::Word(word)) if word.keyword == Keyword::CREATE)
}

/// The table a `CREATE TABLE`, `INSERT` or `REPLACE` statement is about,
/// read from its tokens (the name after `TABLE [IF NOT EXISTS]` or `INTO`,
/// without its database), so unwanted ones need not be parsed.
fn table_name(statement: &[TokenWithSpan]) -> Option<String> {
    let keyword = |token: &Token| match token {
        Token::Word(word) if word.quote_style.is_none() => Some(word.keyword),
        _ => None,
    };
    let mut tokens = statement
        .iter()
        .map(|t| &t.token)
        .skip_while(|token| !matches!(keyword(token), Some(Keyword::TABLE | Keyword::INTO)))
        .skip(1)
        .skip_while(|token| {
            matches!(
                keyword(token),
                Some(Keyword::IF | Keyword::NOT | Keyword::EXISTS)
            )
        });
    let mut name = None;
    while let Some(Token::Word(word)) = tokens.next() {
        name = Some(word.value.clone());
        if tokens.next() != Some(&Token::Period) {
            break;
        }
    }
    name
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
