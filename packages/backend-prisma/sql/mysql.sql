-- @o365/backend-prisma: the table of the O365Token model (schema.prisma), for MySQL 8 / MariaDB.
-- Apply once, e.g. `mysql my_app < sql/mysql.sql`. Safe to re-run.
-- `value` is MEDIUMTEXT (up to 16 MiB): declare it `String? @db.MediumText` in your schema.
CREATE TABLE IF NOT EXISTS `o365_token` (
    `id` VARCHAR(191) COLLATE utf8mb4_bin NOT NULL, -- binary: keys that differ only in case stay apart
    `value` MEDIUMTEXT NULL,
    `version` INTEGER NOT NULL DEFAULT 0,
    `lease_owner` VARCHAR(191) NULL,
    `lease_expires_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
