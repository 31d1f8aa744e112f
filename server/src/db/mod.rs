//! The database: connecting (SQLite or PostgreSQL, chosen by the URL), migrating, and one
//! repository module per table. Handlers call the repositories, never raw queries.

pub mod entity;
pub mod migration;
pub mod rate_limits;
pub mod sessions;
pub mod signing_keys;
pub mod tasks;
pub mod users;

use std::{collections::HashSet, time::Duration};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, Select, SelectTwo, Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::config::redacted_url;
use migration::Migrator;

#[derive(Debug, thiserror::Error)]
pub enum DbInitError {
    #[error("could not open the database at {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: DbErr,
    },
    #[error("could not migrate the database: {0}")]
    Migrate(#[source] DbErr),
    #[error(
        "the database schema is newer than this build (it has migration {0}, which this binary does not know); run a newer release or restore a matching backup"
    )]
    SchemaTooNew(String),
}

/// Fetching the one row a unique key selects. Repositories use this instead of sea-orm's
/// `one()`, which appends a bound `LIMIT ?`: SQLite re-prepares a statement with a bound LIMIT
/// every time it runs, and that re-parse cost more than everything else in a request together.
/// A unique key matches at most one row, so no LIMIT is needed.
pub(crate) trait FetchUnique {
    type Row;
    async fn unique(self, db: &impl ConnectionTrait) -> Result<Option<Self::Row>, DbErr>;
}

impl<E: EntityTrait> FetchUnique for Select<E> {
    type Row = E::Model;
    async fn unique(self, db: &impl ConnectionTrait) -> Result<Option<E::Model>, DbErr> {
        Ok(self.all(db).await?.into_iter().next())
    }
}

impl<E: EntityTrait, F: EntityTrait> FetchUnique for SelectTwo<E, F> {
    type Row = (E::Model, Option<F::Model>);
    async fn unique(self, db: &impl ConnectionTrait) -> Result<Option<Self::Row>, DbErr> {
        Ok(self.all(db).await?.into_iter().next())
    }
}

/// Opens a pool to `url` and checks it answers.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbInitError> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite:") { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // Checking a connection on every checkout costs a round trip per query; one that sat
        // idle long enough for a proxy or the server to have dropped it is still checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        // WAL lets readers run alongside the writer; the busy timeout makes concurrent writers
        // wait for each other instead of failing.
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let connect_error = |source| DbInitError::Connect {
        url: redacted_url(url),
        source,
    };
    let db = Database::connect(options).await.map_err(connect_error)?;
    db.ping().await.map_err(connect_error)?;
    Ok(db)
}

/// Applies pending migrations. On PostgreSQL the whole run holds an advisory lock inside a
/// transaction, so replicas starting together migrate once, one after the other.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbInitError> {
    refuse_newer_schema(db).await?;
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let txn = db.begin().await.map_err(DbInitError::Migrate)?;
            txn.execute_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock(7262010001)",
            ))
            .await
            .map_err(DbInitError::Migrate)?;
            Migrator::up(&txn, None)
                .await
                .map_err(DbInitError::Migrate)?;
            txn.commit().await.map_err(DbInitError::Migrate)
        }
        _ => Migrator::up(db, None).await.map_err(DbInitError::Migrate),
    }
}

async fn refuse_newer_schema(db: &DatabaseConnection) -> Result<(), DbInitError> {
    let known: HashSet<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_string())
        .collect();
    let applied = Migrator::get_migration_models(db)
        .await
        .map_err(DbInitError::Migrate)?;
    match applied
        .into_iter()
        .find(|model| !known.contains(&model.version))
    {
        Some(unknown) => Err(DbInitError::SchemaTooNew(unknown.version)),
        None => Ok(()),
    }
}

/// Whether the database answers right now.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    tokio::time::timeout(Duration::from_secs(2), db.ping())
        .await
        .is_ok_and(|result| result.is_ok())
}

#[cfg(test)]
pub(crate) mod tests {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    use sea_orm_migration::MigratorTrait;

    use super::*;

    /// The URL of a new SQLite file in a directory that lives as long as the returned guard.
    pub(crate) fn scratch_sqlite() -> (String, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("scratch.db").display()
        );
        (url, dir)
    }

    async fn index_names(db: &DatabaseConnection) -> Vec<String> {
        db.query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' \
             AND sql IS NOT NULL ORDER BY name",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
    }

    #[tokio::test]
    async fn a_database_an_earlier_release_migrated_is_brought_up_to_date_keeping_its_rows() {
        let (url, _dir) = scratch_sqlite();
        let db = connect(&url).await.unwrap();
        Migrator::up(&db, Some(1)).await.unwrap();
        let ada = users::insert(&db, "Ada", "ada@example.com", "hash")
            .await
            .unwrap();
        tasks::insert(&db, ada.id, "Written before the upgrade".into())
            .await
            .unwrap();
        assert_eq!(index_names(&db).await, ["tasks_user_id_created_at"]);

        migrate(&db).await.unwrap();

        assert_eq!(index_names(&db).await, ["tasks_user_id_created_at_id"]);
        let titles: Vec<String> = tasks::list(&db, ada.id)
            .await
            .unwrap()
            .into_iter()
            .map(|task| task.title)
            .collect();
        assert_eq!(titles, ["Written before the upgrade"]);
        migrate(&db).await.expect("migrating again changes nothing");
    }

    #[tokio::test]
    async fn the_tasks_index_migration_can_be_undone_and_done_again() {
        let (url, _dir) = scratch_sqlite();
        let db = connect(&url).await.unwrap();
        migrate(&db).await.unwrap();

        Migrator::down(&db, Some(1)).await.unwrap();
        assert_eq!(index_names(&db).await, ["tasks_user_id_created_at"]);

        migrate(&db).await.unwrap();
        assert_eq!(index_names(&db).await, ["tasks_user_id_created_at_id"]);
    }

    #[tokio::test]
    async fn a_database_a_newer_release_migrated_is_refused_by_name() {
        let (url, _dir) = scratch_sqlite();
        let db = connect(&url).await.unwrap();
        migrate(&db).await.unwrap();
        db.execute_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20990101_000001_future', 0)",
        ))
        .await
        .unwrap();

        let refused = migrate(&db).await.unwrap_err();

        assert!(
            matches!(&refused, DbInitError::SchemaTooNew(name) if name == "m20990101_000001_future"),
            "{refused}"
        );
    }
}
