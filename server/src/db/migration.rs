//! The schema, as ordered migrations. Applied at start-up; a database that has migrations this
//! binary does not know (a newer release ran against it) is refused rather than touched.

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial::Migration),
            Box::new(m20261128_000001_tasks_in_list_order::Migration),
        ]
    }
}

mod m20261125_000001_initial {
    use sea_orm_migration::prelude::*;

    pub struct Migration;

    impl MigrationName for Migration {
        // Databases record each applied migration by name, and this one was recorded under the
        // name sea-orm derives from the file ("migration"): it must stay that forever.
        fn name(&self) -> &str {
            "migration"
        }
    }

    #[derive(DeriveIden)]
    enum Users {
        Table,
        Id,
        Name,
        Email,
        EmailVerified,
        PasswordHash,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum Sessions {
        Table,
        Id,
        UserId,
        TokenHash,
        Persistent,
        CreatedAt,
        ExpiresAt,
        LastSeenAt,
        UserAgent,
        Ip,
        RevokedAt,
    }

    #[derive(DeriveIden)]
    enum Tasks {
        Table,
        Id,
        UserId,
        Title,
        Completed,
        CreatedAt,
        UpdatedAt,
    }

    #[derive(DeriveIden)]
    enum SigningKeys {
        Table,
        Kid,
        Algorithm,
        PublicKey,
        PrivateKeyEncrypted,
        Slot,
        CreatedAt,
        RetiredAt,
    }

    #[derive(DeriveIden)]
    enum RateLimits {
        Table,
        Bucket,
        WindowStart,
        Hits,
    }

    fn timestamp(column: impl IntoIden) -> ColumnDef {
        ColumnDef::new(column)
            .timestamp_with_time_zone()
            .not_null()
            .take()
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table(Users::Table)
                        .if_not_exists()
                        .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                        .col(ColumnDef::new(Users::Name).string().not_null())
                        .col(
                            ColumnDef::new(Users::Email)
                                .string()
                                .not_null()
                                .unique_key(),
                        )
                        .col(
                            ColumnDef::new(Users::EmailVerified)
                                .boolean()
                                .not_null()
                                .default(false),
                        )
                        .col(ColumnDef::new(Users::PasswordHash).string().not_null())
                        .col(timestamp(Users::CreatedAt))
                        .col(timestamp(Users::UpdatedAt))
                        .to_owned(),
                )
                .await?;

            manager
                .create_table(
                    Table::create()
                        .table(Sessions::Table)
                        .if_not_exists()
                        .col(ColumnDef::new(Sessions::Id).uuid().not_null().primary_key())
                        .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
                        .col(
                            ColumnDef::new(Sessions::TokenHash)
                                .string()
                                .not_null()
                                .unique_key(),
                        )
                        .col(ColumnDef::new(Sessions::Persistent).boolean().not_null())
                        .col(timestamp(Sessions::CreatedAt))
                        .col(timestamp(Sessions::ExpiresAt))
                        .col(timestamp(Sessions::LastSeenAt))
                        .col(ColumnDef::new(Sessions::UserAgent).string())
                        .col(ColumnDef::new(Sessions::Ip).string())
                        .col(ColumnDef::new(Sessions::RevokedAt).timestamp_with_time_zone())
                        .foreign_key(
                            ForeignKey::create()
                                .from(Sessions::Table, Sessions::UserId)
                                .to(Users::Table, Users::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .if_not_exists()
                        .name("sessions_user_id")
                        .table(Sessions::Table)
                        .col(Sessions::UserId)
                        .to_owned(),
                )
                .await?;

            manager
                .create_table(
                    Table::create()
                        .table(Tasks::Table)
                        .if_not_exists()
                        .col(ColumnDef::new(Tasks::Id).uuid().not_null().primary_key())
                        .col(ColumnDef::new(Tasks::UserId).uuid().not_null())
                        .col(ColumnDef::new(Tasks::Title).string_len(2000).not_null())
                        .col(
                            ColumnDef::new(Tasks::Completed)
                                .boolean()
                                .not_null()
                                .default(false),
                        )
                        .col(timestamp(Tasks::CreatedAt))
                        .col(timestamp(Tasks::UpdatedAt))
                        .foreign_key(
                            ForeignKey::create()
                                .from(Tasks::Table, Tasks::UserId)
                                .to(Users::Table, Users::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .if_not_exists()
                        .name("tasks_user_id_created_at")
                        .table(Tasks::Table)
                        .col(Tasks::UserId)
                        .col(Tasks::CreatedAt)
                        .to_owned(),
                )
                .await?;

            manager
                .create_table(
                    Table::create()
                        .table(SigningKeys::Table)
                        .if_not_exists()
                        .col(
                            ColumnDef::new(SigningKeys::Kid)
                                .string()
                                .not_null()
                                .primary_key(),
                        )
                        .col(ColumnDef::new(SigningKeys::Algorithm).string().not_null())
                        .col(ColumnDef::new(SigningKeys::PublicKey).string().not_null())
                        .col(
                            ColumnDef::new(SigningKeys::PrivateKeyEncrypted)
                                .string()
                                .not_null(),
                        )
                        .col(ColumnDef::new(SigningKeys::Slot).string().unique_key())
                        .col(timestamp(SigningKeys::CreatedAt))
                        .col(ColumnDef::new(SigningKeys::RetiredAt).timestamp_with_time_zone())
                        .to_owned(),
                )
                .await?;

            manager
                .create_table(
                    Table::create()
                        .table(RateLimits::Table)
                        .if_not_exists()
                        .col(
                            ColumnDef::new(RateLimits::Bucket)
                                .string()
                                .not_null()
                                .primary_key(),
                        )
                        .col(
                            ColumnDef::new(RateLimits::WindowStart)
                                .big_integer()
                                .not_null(),
                        )
                        .col(ColumnDef::new(RateLimits::Hits).integer().not_null())
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in [
                RateLimits::Table.into_iden(),
                SigningKeys::Table.into_iden(),
                Tasks::Table.into_iden(),
                Sessions::Table.into_iden(),
                Users::Table.into_iden(),
            ] {
                manager
                    .drop_table(Table::drop().table(table).if_exists().to_owned())
                    .await?;
            }
            Ok(())
        }
    }
}

/// The task list is read in `(created_at, id)` order; an index with both lets the database
/// walk a user's tasks in that order instead of sorting them on every read (two tasks added in
/// the same instant are ordered by id).
mod m20261128_000001_tasks_in_list_order {
    use sea_orm_migration::prelude::*;

    pub struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &str {
            "m20261128_000001_tasks_in_list_order"
        }
    }

    #[derive(DeriveIden)]
    enum Tasks {
        Table,
        Id,
        UserId,
        CreatedAt,
    }

    const OLD: &str = "tasks_user_id_created_at";
    const NEW: &str = "tasks_user_id_created_at_id";

    fn tasks_index(name: &str, columns: impl IntoIterator<Item = Tasks>) -> IndexCreateStatement {
        let mut index = Index::create()
            .if_not_exists()
            .name(name)
            .table(Tasks::Table)
            .to_owned();
        for column in columns {
            index.col(column);
        }
        index
    }

    /// Builds the new index before dropping the old one, so the table is never without one.
    async fn replace(
        manager: &SchemaManager<'_>,
        old: &str,
        new: IndexCreateStatement,
    ) -> Result<(), DbErr> {
        manager.create_index(new).await?;
        manager
            .drop_index(
                Index::drop()
                    .if_exists()
                    .name(old)
                    .table(Tasks::Table)
                    .to_owned(),
            )
            .await
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let new = tasks_index(NEW, [Tasks::UserId, Tasks::CreatedAt, Tasks::Id]);
            replace(manager, OLD, new).await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            replace(
                manager,
                NEW,
                tasks_index(OLD, [Tasks::UserId, Tasks::CreatedAt]),
            )
            .await
        }
    }
}
