-- @o365/backend-prisma: the table of the O365Token model (schema.prisma), for SQLite.
-- Apply once, e.g. `sqlite3 app.db < sql/sqlite.sql`. Safe to re-run.
CREATE TABLE IF NOT EXISTS "o365_token" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" DATETIME,
    "updated_at" DATETIME NOT NULL
);
