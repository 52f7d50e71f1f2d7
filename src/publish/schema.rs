//! The PostgreSQL schema's versions. The SQL lives in `migrations/NNNN_name.sql` at the top of
//! the repository, embedded here; [`migrate`] applies the ones a database lacks, in order, in
//! one transaction under an advisory lock (two publishes starting at once do not race), and
//! records each in `schema_migrations` with a blake3 checksum of its text. A database that was
//! migrated by a different text of a known version, or that knows versions this aixin does
//! not, is refused: a migration that has shipped is never edited; a change is a new file.

use postgres::Client;

/// One versioned step of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// 1, 2, 3…: applied in this order, each once.
    pub version: i32,
    /// The file name without `.sql`, e.g. `0001_ledger`.
    pub name: &'static str,
    /// The SQL, run as one batch.
    pub sql: &'static str,
}

/// Every migration, oldest first. A change to the schema is a new file appended here.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_ledger",
        sql: include_str!("../../migrations/0001_ledger.sql"),
    },
    Migration {
        version: 2,
        name: "0002_views",
        sql: include_str!("../../migrations/0002_views.sql"),
    },
    Migration {
        version: 3,
        name: "0003_boundaries",
        sql: include_str!("../../migrations/0003_boundaries.sql"),
    },
];

/// Key of the advisory lock that serialises migrations ("aixin" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x61_69_78_69_6e;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The database records a migration this aixin does not know: it is newer.
    #[error("the database has schema version {version} ({name}); this aixin knows up to {known}")]
    Newer {
        version: i32,
        name: String,
        known: i32,
    },
    /// A recorded migration's text differs from the one embedded here.
    #[error("schema version {version} ({name}) in the database differs from this aixin's")]
    Changed { version: i32, name: String },
    /// PostgreSQL refused a statement.
    #[error("{0}")]
    Database(#[from] postgres::Error),
}

/// The checksum recorded for a migration: blake3 of its text, hex.
pub fn checksum(sql: &str) -> String {
    blake3::hash(sql.as_bytes()).to_hex().to_string()
}

/// Brings the schema up to date; returns the names of the migrations applied now (empty when
/// it already was).
pub fn migrate(client: &mut Client) -> Result<Vec<&'static str>, MigrationError> {
    let mut txn = client.transaction()?;
    txn.execute("select pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY])?;
    txn.batch_execute(
        "create table if not exists schema_migrations (
            version    integer primary key,
            name       text not null,
            checksum   text not null,
            applied_at timestamptz not null default now()
        )",
    )?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    let mut applied = Vec::new();
    for row in txn.query(
        "select version, name, checksum from schema_migrations order by version",
        &[],
    )? {
        let (version, name, sum): (i32, String, String) = (row.get(0), row.get(1), row.get(2));
        match MIGRATIONS.iter().find(|m| m.version == version) {
            None => {
                return Err(MigrationError::Newer {
                    version,
                    name,
                    known,
                })
            }
            Some(m) if checksum(m.sql) != sum => {
                return Err(MigrationError::Changed { version, name })
            }
            Some(_) => applied.push(version),
        }
    }
    let mut now_applied = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        txn.batch_execute(migration.sql)?;
        txn.execute(
            "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
            &[
                &migration.version,
                &migration.name,
                &checksum(migration.sql),
            ],
        )?;
        now_applied.push(migration.name);
    }
    txn.commit()?;
    Ok(now_applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_and_match_their_names() {
        for (index, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                usize::try_from(m.version).ok(),
                Some(index + 1),
                "{}",
                m.name
            );
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{} must start with its version",
                m.name
            );
            assert!(!m.sql.trim().is_empty());
        }
    }

    #[test]
    fn checksums_differ_when_the_text_does() {
        assert_ne!(
            checksum("create table a ();"),
            checksum("create table b ();")
        );
        assert_eq!(checksum("x").len(), 64);
    }
}
